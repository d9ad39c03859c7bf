"""The reference server installs and runs without the counter's packages: no Qt, no OpenCV.

The default run checks that the server's code never imports a counter-only package. `-m server_install`
installs a copy of this checkout with README's server command into a fresh virtualenv, offline, from a wheel
folder kept under .venv/ (filled once with `pip wheel` from whatever index pip is configured with, and again
only when the shared or server requirements change), checks PySide6 and cv2 cannot be imported there, and
starts `fenqi-central` on a free port until it answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.support.central_server import free_port

# Distributions only the counter needs (the `counter` extra), by the module they are imported as.
COUNTER_ONLY = (
    "PySide6",
    "shiboken6",
    "cv2",
    "zxingcpp",
    "PIL",
    "qrcode",
    "requests",
    "keyring",
    "rapidocr_onnxruntime",
)

# README's server install, run in the checkout, with the wheel folder instead of an index.
SERVER_INSTALL = ("-m", "pip", "install", "-q", "-e", ".[central]")

WHEELS = REPO / ".venv" / "server-install-wheels"

IMPORT_CHECK = r"""
import importlib, pkgutil, sys
import app.domain, app.kernel, app.scoring, app.security, app.wire, central
for package in (central, app.kernel, app.domain, app.scoring, app.security, app.wire):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.name.startswith("central.migrations"):  # Alembic runs these scripts; they are not imported
            importlib.import_module(info.name)
from fastapi.testclient import TestClient
from central.api import create_app
with TestClient(create_app(sys.argv[1])) as client:
    assert client.get("/openapi.json").status_code == 200
print(",".join(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[2].split(",")))))
"""


def test_the_server_never_imports_a_counter_package(tmp_path: Path) -> None:
    """Every module of central/ and of the app/ packages it shares, and a started app answering, load none of the
    counter's packages (here, where they are installed, so the check could fail)."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", IMPORT_CHECK, f"sqlite:///{tmp_path / 'c.db'}", ",".join(COUNTER_ONLY)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def _project() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _build_requires() -> list[str]:
    """The build backend an editable install needs (pip sets it up from the wheel folder too)."""
    return list(_project()["build-system"]["requires"])


def _requirements() -> list[str]:
    """What the server install needs: the build backend, the shared dependencies and the `central` extra."""
    project = _project()
    return [
        *_build_requires(),
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["central"],
    ]


def _checkout_copy(target: Path) -> Path:
    """What a server checkout holds (the packages, the shipped model card, the compiled catalogs), in `target`:
    pip builds an editable install in the source folder, which must not be this working tree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("app", "central", "ui", "models_onnx", "resources"):
        shutil.copytree(REPO / folder, target / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, target / name)
    return target


def _wheels(source: Path) -> Path:
    """The wheel folder, filled for the current requirements (only when they changed since the last fill)."""
    wanted = hashlib.sha256(json.dumps(_requirements()).encode()).hexdigest()
    stamp = WHEELS / ".requirements"
    if not stamp.exists() or stamp.read_text() != wanted:
        WHEELS.mkdir(parents=True, exist_ok=True)
        fill = ("-m", "pip", "wheel", "-q", "--wheel-dir", str(WHEELS), "--find-links", str(WHEELS))
        done = subprocess.run(
            [sys.executable, *fill, f"{source}[central]", *_build_requires()],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        for built in WHEELS.glob("fenqi_pos-*.whl"):  # the project itself is installed from its checkout
            built.unlink()
        stamp.write_text(wanted)
    return WHEELS


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["FENQI_HOME"] = str(tmp_path / "fenqi-home")
    return env


def _answers(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.mark.server_install
def test_readme_server_install_has_no_qt_or_opencv_and_serves(tmp_path: Path) -> None:
    """README's server command in a fresh venv, offline from the wheel folder: PySide6 and cv2 are absent, the
    shared packages and the server's are there, `fenqi-central` answers on a free port, and stops."""
    started = time.monotonic()
    assert "/bin/pip install -e '.[central]'" in (REPO / "README.md").read_text(encoding="utf-8")  # what we run
    checkout = _checkout_copy(tmp_path / "checkout")
    wheels = _wheels(checkout)
    env = _clean_env(tmp_path)
    venv = tmp_path / "fenqi-central"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300, env=env)
    python = venv / "bin" / "python"
    offline = ("--no-index", "--find-links", str(wheels))
    done = subprocess.run(
        [str(python), *SERVER_INSTALL, *offline], cwd=checkout, capture_output=True, text=True, timeout=900, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]

    for module in ("PySide6", "cv2"):
        absent = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True, text=True, env=env)
        assert absent.returncode != 0 and "ModuleNotFoundError" in absent.stderr, module
    present = subprocess.run(
        [str(python), "-c", "import central.api, central.cli, onnxruntime, psycopg, argon2, app.scoring.model"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert present.returncode == 0, present.stderr

    port = free_port()
    db = f"sqlite:///{tmp_path / 'c.db'}"
    server = subprocess.Popen(
        [str(venv / "bin" / "fenqi-central"), "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        status = None
        deadline = time.monotonic() + 60
        while status is None and time.monotonic() < deadline:
            if server.poll() is not None:
                assert server.stderr is not None
                pytest.fail(f"fenqi-central exited: {server.stderr.read().decode()[-2000:]}")
            status = _answers(f"http://127.0.0.1:{port}/openapi.json")
            if status is None:
                time.sleep(0.2)
        assert status == 200
        assert _answers(f"http://127.0.0.1:{port}/v1/decisions") == 401  # the API itself, refusing a stranger
        store_add = ("store", "add", "--db", db, "--store", "S001", "--region", "BJ", "--json")
        added = subprocess.run(
            [str(venv / "bin" / "fenqi-central"), *store_add],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert added.returncode == 0, added.stderr
        assert json.loads(added.stdout)["store"] == "S001"
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode is not None
    print(f"server install checked in {time.monotonic() - started:.0f} s")
