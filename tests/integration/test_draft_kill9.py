"""kill -9 while the clerk types: the counter reopens on the clerk's draft with nothing older than the last save
it acknowledged. The child process is the counter: it saves the growing field values the way the autosaver
does (each save one transaction) and prints each value only after its save returned; the test kills it at a
random moment, reopens the store and asks DraftService.last_open."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Not imported from tests.conftest: the child runs this module, and importing the conftest there would drop
# FENQI_KEY_STORE and put an in-memory keyring in place of the key file.
REPO = Path(__file__).resolve().parents[2]

TYPED = "欧阳娜娜住北京市朝阳区建国路"


def _values(n: int) -> dict[str, str]:
    """What is typed after `n` keystrokes: a name and address growing, and the count itself."""
    return {"name": TYPED[: min(n, 4)], "address": TYPED[: n % len(TYPED)], "keystrokes": str(n)}


def _child() -> None:
    """The counter: start an application with the customer's consents, then save on every few keystrokes."""
    from sqlalchemy import select

    from app.counter.drafts import DraftService
    from app.domain.actor import Actor
    from app.domain.consent import FIRST_MOMENT
    from app.domain.roles import Role
    from app.services import build_services
    from app.storage.models import Staff
    from tests.support.applications import given  # imports no conftest

    services = build_services()
    with services.store.read() as session:
        row = session.scalar(select(Staff).where(Staff.login == "sales01"))
        clerk = Actor(login=row.login, role=Role(row.role), display_name="clerk", staff_id=row.id)
    application_id = services.consents.begin_application(clerk, given(FIRST_MOMENT)).application_id
    drafts = DraftService(services.store, services.store_id)
    print("ready", application_id, flush=True)
    n = 0
    while True:
        n += random.randint(1, 5)  # the keystrokes since the last save
        drafts.save(clerk, application_id, "customer", _values(n))
        print(n, flush=True)  # acknowledged: the transaction committed
        time.sleep(random.uniform(0, 0.01))  # typing on (the autosaver's ≤ 2 s, sped up)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_dash_nine_while_typing_loses_nothing_acknowledged(subprocess_env, monkeypatch, seed: int) -> None:
    rng = random.Random(seed)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.test_draft_kill9"],
        cwd=REPO,
        env=subprocess_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged = 0
    try:
        assert child.stdout is not None
        first = child.stdout.readline().split()
        assert first[:1] == ["ready"], child.stderr.read() if child.stderr else ""
        application_id = first[1]
        for _ in range(rng.randint(5, 80)):
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "the child stopped"
            acknowledged = int(line)
        time.sleep(rng.uniform(0, 0.02))  # a random moment: mid-transaction, mid-fsync or between saves
        os.kill(child.pid, signal.SIGKILL)
        # Saves acknowledged after we stopped reading still count: read what the child managed to print.
        rest, _err = child.communicate(timeout=30)
        for line in rest.split():
            acknowledged = int(line)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    db_path = os.path.join(subprocess_env["FENQI_HOME"], "data", "fenqi.db")
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()

    monkeypatch.setenv("FENQI_KEY_STORE", "file")
    from app.counter.drafts import DraftService
    from app.services import build_services
    from tests.unit.test_drafts import actor

    services = build_services()
    try:
        reopened = DraftService(services.store, services.store_id).last_open(actor(services, "sales01"))
        assert reopened is not None and str(reopened.application_id) == application_id
        saved = int(reopened.values["keystrokes"])
        # Nothing older than the last acknowledged save; at most the one save under way when killed is newer.
        assert saved >= acknowledged, (saved, acknowledged)
        assert saved <= acknowledged + 5
        assert reopened.values == _values(saved) and reopened.step == "customer"
    finally:
        services.close()


if __name__ == "__main__":
    _child()
