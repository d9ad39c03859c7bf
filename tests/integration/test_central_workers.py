"""The reference server on several workers (issue 19, "Many workers"): `fenqi-central --workers 2` on
PostgreSQL, with keep-alive connections held by each of the two worker processes (which worker holds a
connection is read from /proc, not guessed), so every step below is answered by both workers. Nothing a
worker keeps for itself may change an answer: a sign-in lockout counted across both workers holds on both,
and a device's submission made on one is replayed, refused when changed, and found on the other; the same
submission sent to both at once makes one record."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from app.wire.keys import idempotency_key
from tests.integration.test_central import _body, _central, _device
from tests.support.central_db import central_database
from tests.support.central_server import running_central

PASSWORD = "Review2026w"

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the workers' sockets in /proc")


def _workers(server_pid: int) -> list[int]:
    """The server's worker processes (uvicorn starts them with multiprocessing's spawn)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == server_pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):  # a process that ended meanwhile
            continue
    return sorted(found)


def _holders(workers: list[int], port: int) -> dict[int, int]:
    """Client port → the worker process holding that accepted connection to `port`."""
    owner: dict[str, int] = {}
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                link = os.readlink(fd)
            except OSError:
                continue
            if link.startswith("socket:["):
                owner[link[len("socket:[") : -1]] = pid
    held = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16), fields[9]
        if local == port and inode in owner:
            held[remote] = owner[inode]
    return held


class Connection:
    """One keep-alive connection to the server, so every request on it is answered by the same worker."""

    def __init__(self, port: int) -> None:
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any, dict[str, str]]:
        data = None if body is None else json.dumps(body).encode()
        self.http.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        reply = self.http.getresponse()
        content = reply.read()
        return reply.status, json.loads(content) if content else None, {k.lower(): v for k, v in reply.getheaders()}

    @property
    def client_port(self) -> int:
        assert self.http.sock is not None
        return int(self.http.sock.getsockname()[1])


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """The server with two workers on a fresh PostgreSQL schema, a reviewer account, and one open connection
    held by each worker: (base URL, db URL, {worker pid: connection})."""
    db = central_database("postgresql", tmp_path_factory.mktemp("central"))
    done = subprocess.run(
        [
            *(sys.executable, "-m", "central.cli", "account", "add", "--db", db, "--json"),
            *("--role", "reviewer", "--region", "BJ", "--username", "rev1"),
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with running_central(db, workers=2) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        deadline = time.monotonic() + 60
        while len(workers := _workers(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) == 2, workers
        held: dict[int, Connection] = {}
        spare: list[Connection] = []
        while len(held) < 2 and time.monotonic() < deadline:
            # Open connections until each worker has accepted one (the kernel hands each to whichever
            # worker accepts first); the others stay open so they do not go back to the pool of choices.
            connection = Connection(port)
            assert connection.call("GET", "/v1/decisions")[0] == 401
            holder = _holders(workers, port).get(connection.client_port)
            if holder is not None and holder not in held:
                held[holder] = connection
            else:
                spare.append(connection)
                time.sleep(0.02)
        assert len(held) == 2, f"one worker accepted all {len(spare) + 1} connections"
        yield base, db, held
        for connection in [*held.values(), *spare]:
            connection.http.close()


def _sign_in(connection: Connection, password: str) -> int:
    return connection.call("POST", "/v1/sessions", {"username": "rev1", "password": password})[0]


def test_a_lockout_counted_on_both_workers_holds_on_both(two_workers) -> None:
    _base, _db, held = two_workers
    first, second = held.values()
    for connection in (first, second, first, second):
        assert _sign_in(connection, "Wrong2026x") == 401
    assert _sign_in(second, PASSWORD) == 201  # four failures, from both workers: not yet; the count starts again
    for connection in (second, first, second, first, second):
        assert _sign_in(connection, "Wrong2026x") == 401
    assert _sign_in(first, PASSWORD) == 401  # the fifth failure was counted by the other worker
    assert _sign_in(second, PASSWORD) == 401


def test_a_submission_made_on_one_worker_is_the_same_on_the_other(two_workers) -> None:
    base, db, held = two_workers
    first, second = held.values()
    auth = _device((base, db), "S001")
    body = _body(str(uuid.uuid4()))
    path = f"/v1/applications/{body['application_id']}"
    keyed = {**auth, "Idempotency-Key": idempotency_key(body["application_id"], 1)}
    status, made, _headers = first.call("PUT", path, body, keyed)
    assert status == 201
    status, replayed, headers = second.call("PUT", path, body, keyed)
    assert status == 201 and replayed == made and headers.get("idempotent-replayed") == "true"
    status, changed, _headers = second.call("PUT", path, {**body, "financed": "5000.00"}, keyed)
    assert status == 422 and changed["error"]["code"] == "idempotency_key_reused"
    assert second.call("GET", path, headers=auth)[1] == first.call("GET", path, headers=auth)[1]
    assert first.call("GET", "/v1/decisions", headers=auth)[1] == second.call("GET", "/v1/decisions", headers=auth)[1]


def test_one_submission_sent_to_both_workers_at_once_makes_one_record(two_workers) -> None:
    base, db, held = two_workers
    auth = _device((base, db), "S002")
    body = _body(str(uuid.uuid4()), store="S002")
    path = f"/v1/applications/{body['application_id']}"
    keyed = {**auth, "Idempotency-Key": idempotency_key(body["application_id"], 1)}
    for _round in range(3):
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda c: c.call("PUT", path, body, keyed), held.values()))
        assert {status for status, _answer, _headers in answers} <= {201, 409}, answers
    digest = _central(db, "applications", "digest")
    assert len([d for d in digest if d["application_id"] == body["application_id"]]) == 1
    for connection in held.values():
        status, found, _headers = connection.call("GET", path, headers=auth)
        assert status == 200 and found["revision"] == 1
