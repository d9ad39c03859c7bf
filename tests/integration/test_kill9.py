"""An application the store reported as saved survives kill -9 in the middle of further writes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import select

from app.services import build_services
from app.storage.models import Application
from app.storage.repositories import CustomerRepository
from tests.conftest import REPO


@pytest.mark.parametrize("commits_before_kill", [1, 40])
def test_kill_dash_nine_keeps_every_committed_row(subprocess_env, monkeypatch, commits_before_kill: int) -> None:
    """SIGKILL while writing: integrity_check is ok and every row whose commit was reported is there, intact."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.support.writer"],
        cwd=REPO,
        env=subprocess_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed: dict[str, str] = {}
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read() if writer.stderr else ""
        while len(committed) < commits_before_kill:
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else "writer stopped"
            reference, id_number = line.split()
            committed[reference] = id_number
        os.kill(writer.pid, signal.SIGKILL)  # it is in the middle of its next transactions
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    db_path = os.path.join(subprocess_env["FENQI_HOME"], "data", "fenqi.db")
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()

    monkeypatch.setenv("FENQI_KEY_STORE", "file")
    services = build_services()
    try:
        customers = CustomerRepository(services.store.cipher)
        with services.store.read() as session:
            rows = {a.reference: a for a in session.scalars(select(Application))}
            for reference, id_number in committed.items():
                assert reference in rows, f"{reference} was reported saved but is gone"
                assert rows[reference].state == "prescreened"
                found = customers.get(session, rows[reference].customer_id)
                assert found is not None and found.id_number == id_number
    finally:
        services.close()
