"""Start-up: the first window is painted before the heavy parts load."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import sys
from ui.main import main
main(["--startup-probe"])
heavy = ("sqlalchemy", "alembic", "keyring", "onnxruntime", "argon2", "cryptography")
print(",".join(m for m in heavy if m in sys.modules))
"""


def test_probe_prints_milliseconds_and_heavy_modules_wait(subprocess_env) -> None:
    """`--startup-probe` prints a plausible time, and at the first paint none of the heavy modules is loaded."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, env=subprocess_env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    millis, loaded = done.stdout.splitlines()
    assert 0 < float(millis) < 60_000
    assert loaded == ""
