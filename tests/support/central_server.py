"""The reference central server as its own process on a free loopback port, for tests that talk HTTP to it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_central(db: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`fenqi-central` serving database `db`: yields its base URL (once it answers) and the process; stops it
    after. A server that exits early fails the test with the end of its error output."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "central.cli", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"the central server on {db.split(':')[0]} exited: {process.stderr.read().decode()[-2000:]}"
                )
            try:
                requests.get(f"{base}/v1/decisions", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
