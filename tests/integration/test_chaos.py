"""Exactly once in effect, under faults: applications queued on the counter are synced through a proxy that
drops requests and responses, duplicates, delays, answers 503/500 and resets connections, while the sync
process is SIGKILLed at random moments and restarted. In the end the server has each application exactly once,
byte-identical to what the counter queued, and the outbox is empty.

The default suite syncs 30 applications; `./test.sh -m chaos` runs the full 1,000. With
FENQI_TEST_CENTRAL_WORKERS=4 the server runs four workers (tests/support/central_server.py); the PostgreSQL
variant is the one that counts then: `FENQI_TEST_CENTRAL_WORKERS=4 ./test.sh -m chaos -k postgresql`."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.kernel.canonical import canonical_json
from app.kernel.settings import update_settings
from app.storage.models import OutboxItem
from app.storage.outbox import payload_of
from app.sync.submission import SubmissionService
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.fault_proxy import FaultProxy
from tests.support.lender import store_with_roster


def _customer(i: int):
    """A different, valid customer for each application (one person would soon reach the 200,000 cap)."""
    import dataclasses
    import datetime as dt

    from app.domain.identity import make_resident_id
    from tests.support.applications import GOOD

    return dataclasses.replace(
        GOOD,
        name="王" + "一二三四五六七八九十"[i % 10] + "甲乙丙丁戊己庚辛壬癸"[(i // 10) % 10],
        id_number=make_resident_id("440305", dt.date(1975, 1, 1) + dt.timedelta(days=i), 100 + i % 800),
        phone=f"1390{i:07d}",
        birth_date="",
    )


def _queue(services, catalog, count: int) -> dict[str, str]:
    """`count` signed applications queued; their ids and the SHA-256 of the body each will submit."""
    for i in range(count):
        application_id, terms = quoted_application(services, catalog, _customer(i))
        services.contracts.sign(
            CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
        )
        SubmissionService(services.store).queue(CLERK, application_id)
    with services.store.read() as session:
        return {
            str(item.application_id): hashlib.sha256(canonical_json(payload_of(services.store, item))).hexdigest()
            for item in session.scalars(select(OutboxItem).where(OutboxItem.kind == "application"))
        }


def _chaos(
    server, signed_files, services, subprocess_env, fenqi_home, count: int, seed: int, kill_runs: int = 40
) -> dict:
    base, db = server
    update_settings(fenqi_home / "config" / "settings.json", sync_max_backoff_seconds=1)
    catalog = load_catalog(signed_files.settings)
    expected = _queue(services, catalog, count)
    code = store_with_roster(db, "S001")
    assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code]) == 0
    rng = random.Random(seed)
    kills = runs = 0
    with FaultProxy(base, rate=0.4, seed=seed) as proxy:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            with services.store.read() as session:
                left = session.scalar(
                    select(func.count(OutboxItem.id)).where(
                        OutboxItem.kind == "application", OutboxItem.status != "sent"
                    )
                )
            if left == 0:
                break
            runs += 1
            process = subprocess.Popen(
                [sys.executable, "-m", "app", "sync", "--server", proxy.url],
                env=subprocess_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                process.wait(timeout=rng.uniform(0.2, 2.5) if runs < kill_runs else 120)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)  # at a random moment: mid-request, mid-commit, asleep
                process.wait()
                kills += 1
        faults = dict(proxy.counts)
    digest = {d["application_id"]: d["sha256"] for d in _central(db, "applications", "digest")}
    ours = {k: v for k, v in digest.items() if k in expected}
    with services.store.read() as session:
        statuses = dict(
            session.execute(
                select(OutboxItem.status, func.count(OutboxItem.id))
                .where(OutboxItem.kind == "application")
                .group_by(OutboxItem.status)
            ).all()
        )
    assert statuses == {"sent": count}, (statuses, faults, kills)
    assert ours == expected  # every one there, exactly its queued bytes; the primary key forbids a second copy
    return {"runs": runs, "kills": kills, "faults": faults}


def _short_run(server, signed_files, services, subprocess_env, fenqi_home) -> None:
    # Twenty syncs killed at random moments (each starts a process: about a second); the full run kills forty.
    figures = _chaos(server, signed_files, services, subprocess_env, fenqi_home, count=30, seed=7, kill_runs=20)
    assert figures["faults"].get("pass", 0) > 0 and sum(figures["faults"].values()) > figures["faults"]["pass"]


# The default run takes the short run on SQLite (about a minute); on PostgreSQL it is part of -m chaos.
@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_sync_is_exactly_once_under_faults_and_kills(server, signed_files, services, subprocess_env, fenqi_home):
    _short_run(server, signed_files, services, subprocess_env, fenqi_home)


@pytest.mark.chaos
@pytest.mark.parametrize("server", ["postgresql"], indirect=True)
def test_sync_is_exactly_once_under_faults_and_kills_on_postgresql(
    server, signed_files, services, subprocess_env, fenqi_home
):
    _short_run(server, signed_files, services, subprocess_env, fenqi_home)


@pytest.mark.chaos
@pytest.mark.timeout(1200)  # 1,000 applications through faults and kills: minutes, more on a busy machine
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_full_chaos_run(server, signed_files, services, subprocess_env, fenqi_home, seed: int):
    figures = _chaos(server, signed_files, services, subprocess_env, fenqi_home, count=1000, seed=seed)
    print(f"chaos seed {seed}: 1000 applications, {figures}")
