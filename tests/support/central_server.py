"""The reference central server as its own process on a free loopback port, for tests that talk HTTP to it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WORKERS_ENV = "FENQI_TEST_CENTRAL_WORKERS"
_DATA_DIRS: dict[str, Path] = {}  # the data folder of each running server, by its base URL


def data_dir_of(base: str) -> Path:
    """The data folder (`--data-dir`: the development SMS outbox) of the server running at `base`."""
    return _DATA_DIRS[base]


@contextmanager
def running_central(
    db: str, workers: int | None = None, data_dir: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`fenqi-central` serving database `db` with `workers` worker processes (default: FENQI_TEST_CENTRAL_WORKERS,
    else 1, so `FENQI_TEST_CENTRAL_WORKERS=4 pytest …` runs a server test against four) and its files in
    `data_dir` (default: a new temporary folder): yields its base URL (once it answers) and the process; stops
    it and its workers after. A server that exits early fails the test with the end of its error output."""
    port = free_port()
    workers = workers or int(os.environ.get(WORKERS_ENV) or 1)
    own_folder = data_dir is None
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="fenqi-central-data-"))
    command = [sys.executable, "-m", "central.cli", "--db", db, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--data-dir", str(data_dir)]
    # Its error output goes to a file, not a pipe nobody reads while it runs: a long run of several workers
    # must not block on a full pipe.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20 + 5 * workers
        try:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    errors.seek(0)
                    pytest.fail(f"the central server on {db.split(':')[0]} exited: {errors.read().decode()[-2000:]}")
                try:
                    requests.get(f"{base}/v1/decisions", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            _DATA_DIRS[base] = data_dir
            yield base, process
        finally:
            _DATA_DIRS.pop(base, None)
            if process.poll() is None:
                process.terminate()  # uvicorn's supervisor stops its workers first
                process.wait(timeout=30)
            if own_folder:
                shutil.rmtree(data_dir, ignore_errors=True)
