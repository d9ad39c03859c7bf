"""Every test runs offscreen, with its own FENQI_HOME and an in-memory keyring; nothing touches real folders."""

from __future__ import annotations

import atexit
import base64
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("FENQI_KEY_STORE", None)
# The reference server's key for this test process (central.sealing), inherited by the servers and commands
# the tests start: no key file is written to the real data folder. Tests of the key file remove it.
os.environ["FENQI_CENTRAL_KEY"] = base64.b64encode(os.urandom(32)).decode()
os.environ.pop("FENQI_CENTRAL_KEY_FILE", None)
# The reference server's data folder (its development SMS outbox, central.sms) for an app a test makes without
# `--data-dir`: a temporary folder, never the real per-user one. Tests of the data folder set their own.
os.environ["FENQI_CENTRAL_DATA_DIR"] = tempfile.mkdtemp(prefix="fenqi-central-data-")

import keyring
import pytest

from app.kernel.i18n import set_language
from tests.support.memory_keyring import MemoryKeyring

REPO = Path(__file__).resolve().parents[1]
atexit.register(shutil.rmtree, os.environ["FENQI_CENTRAL_DATA_DIR"], True)


@pytest.fixture(autouse=True)
def fenqi_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private FENQI_HOME for this test; the language is English unless a test chooses otherwise."""
    home = tmp_path / "fenqi-home"
    monkeypatch.setenv("FENQI_HOME", str(home))
    monkeypatch.delenv("FENQI_KEY_STORE", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    set_language("en")
    yield home
    set_language("en")


@pytest.fixture(autouse=True)
def no_real_file_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A real file dialog is modal and would wait for a person for ever: a test that opens one fails at once
    (a test that means to choose a file patches the dialog itself)."""
    widgets = sys.modules.get("PySide6.QtWidgets")  # loaded by the UI tests only; unit tests stay Qt-free
    if widgets is not None:

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("a test opened a real file dialog; patch it with the path the test chooses")

        for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
            monkeypatch.setattr(widgets.QFileDialog, name, staticmethod(refuse))
    yield


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The OS keyring, replaced by one that lives only in this process."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def services(fenqi_home: Path) -> Iterator[object]:
    """The application's services on a fresh local store (created on first use, like a first run)."""
    from app.services import build_services

    built = build_services()
    yield built
    built.close()


@pytest.fixture
def subprocess_env(fenqi_home: Path) -> dict[str, str]:
    """Environment for tests that start other processes: same FENQI_HOME, explicit development key file."""
    env = dict(os.environ)
    env["FENQI_HOME"] = str(fenqi_home)
    env["FENQI_KEY_STORE"] = "file"
    env["PYTHONPATH"] = str(REPO)
    env.pop("QT_QPA_PLATFORM", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture
def python() -> str:
    """The interpreter running the tests (the project's .venv under test.sh)."""
    return sys.executable


@pytest.fixture
def signed_catalog(fenqi_home: Path, tmp_path: Path):
    """The shipped catalog, copied and signed with a fresh key that this FENQI_HOME's settings trust."""
    import shutil

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.kernel.config import resources_dir
    from app.kernel.settings import save_settings, settings_from_dict
    from app.security.signing import public_key_b64, sign_file

    key = Ed25519PrivateKey.generate()
    path = tmp_path / "catalog" / "products.json"
    path.parent.mkdir(parents=True)
    shutil.copy(resources_dir() / "catalog" / "products.json", path)
    sign_file(path, key)
    # Keys in the settings count only in the explicitly chosen development mode.
    settings = settings_from_dict(
        {"catalog_file": str(path), "trusted_signing_keys": [public_key_b64(key)], "key_store": "file"}
    )
    save_settings(fenqi_home / "config" / "settings.json", settings)
    return path, key, settings


@pytest.fixture
def signed_files(fenqi_home: Path, tmp_path: Path):
    """Copies of the shipped catalog, lender's policy, scorecard (card + model) and demo blacklist, signed with a
    fresh key that this FENQI_HOME's settings trust (development mode), and settings pointing at them."""
    import shutil
    from types import SimpleNamespace

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.kernel.config import resources_dir
    from app.kernel.settings import save_settings, settings_from_dict
    from app.security.signing import public_key_b64, sign_file

    key = Ed25519PrivateKey.generate()
    folder = tmp_path / "signed"
    models = folder / "models"
    models.mkdir(parents=True)
    catalog = folder / "products.json"
    shutil.copy(resources_dir() / "catalog" / "products.json", catalog)
    blacklist = folder / "demo-blacklist.json"
    shutil.copy(resources_dir() / "blacklist" / "demo.json", blacklist)
    policy = folder / "policy.json"
    shutil.copy(resources_dir() / "policy" / "policy.json", policy)
    for name in ("model_card.json", "scorecard.onnx"):
        shutil.copy(REPO / "models_onnx" / name, models / name)
    for path in (catalog, blacklist, policy, models / "model_card.json"):
        sign_file(path, key)
    settings = settings_from_dict(
        {
            "catalog_file": str(catalog),
            "policy_file": str(policy),
            "model_dir": str(models),
            "trusted_signing_keys": [public_key_b64(key)],
            "key_store": "file",
            # Tests run at any hour: the store is open (nearly) all day, or a good customer filed at 22:30 in
            # Shanghai is flagged and referred. The opening-hours flag has its own tests.
            "opening_hours": "00:00-23:59",
        }
    )
    save_settings(fenqi_home / "config" / "settings.json", settings)
    return SimpleNamespace(
        catalog=catalog, models=models, blacklist=blacklist, policy=policy, key=key, settings=settings
    )
