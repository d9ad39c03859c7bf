"""app/ is pure Python: importing it, all of it, never loads PySide6."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = r"""
import importlib, pkgutil, sys
import app
names = []
for info in pkgutil.walk_packages(app.__path__, "app."):
    if info.name == "app.storage.migrations.env":  # an Alembic script, run only by Alembic
        continue
    if info.name == "app.__main__":
        continue
    importlib.import_module(info.name)
    names.append(info.name)
leaked = sorted(m for m in sys.modules if m == "PySide6" or m.startswith("PySide6.") or m == "shiboken6")
print(len(names))
print(",".join(leaked))
"""


def test_importing_every_app_module_leaves_pyside6_out() -> None:
    """Every module under app/ imports, and none of them pulls in PySide6 or shiboken6."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, leaked = done.stdout.splitlines()
    assert int(count) >= 20
    assert leaked == ""


def test_ui_does_import_pyside6() -> None:
    """Control: the same check sees PySide6 when a ui module is imported, so the test above can fail."""
    script = "import sys, ui.tasks; print('PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr
