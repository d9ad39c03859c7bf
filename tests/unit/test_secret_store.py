"""Secret stores: the development key file, the choice between it and the OS keyring, and the keyring itself."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.kernel.errors import InvalidInput, Unavailable
from app.security.secret_store import (
    SERVICE_NAME,
    FileSecretStore,
    KeyringSecretStore,
    KeyStoreUnavailable,
    chosen_key_store,
    open_secret_store,
)
from tests.support.memory_keyring import MemoryKeyring

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
SECRET = bytes(range(32))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """Where the development key file goes (its folder does not exist yet)."""
    return tmp_path / "config" / "dev-keystore.json"


@pytest.fixture
def failing_keyring() -> Iterator[None]:
    """keyring's own 'no backend' keyring, installed for one test and then the previous one restored."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


# --- development key file --------------------------------------------------------------------------------------


def test_file_store_round_trip(key_file: Path) -> None:
    """A secret set in the file store is read back, survives a new store object, and is gone after delete."""
    store = FileSecretStore(key_file)
    assert store.get("data-key") is None
    store.set("data-key", SECRET)
    store.set("other", b"\x00")
    assert store.get("data-key") == SECRET
    assert FileSecretStore(key_file).get("data-key") == SECRET
    store.delete("data-key")
    assert store.get("data-key") is None
    assert store.get("other") == b"\x00"


def test_file_store_delete_of_missing_name_is_harmless(key_file: Path) -> None:
    """Deleting a name that is not there changes nothing and raises nothing."""
    store = FileSecretStore(key_file)
    store.delete("nothing")
    store.set("data-key", SECRET)
    store.delete("nothing")
    assert store.get("data-key") == SECRET


def test_file_store_overwrites(key_file: Path) -> None:
    """Setting a name again replaces its value."""
    store = FileSecretStore(key_file)
    store.set("data-key", b"old")
    store.set("data-key", b"new")
    assert store.get("data-key") == b"new"


@POSIX_ONLY
def test_file_store_file_is_owner_only(key_file: Path) -> None:
    """The key file is created with mode 0600, and keeps it after rewrites."""
    store = FileSecretStore(key_file)
    store.set("data-key", SECRET)
    assert key_file.stat().st_mode & 0o777 == 0o600
    store.set("other", SECRET)
    store.delete("data-key")
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_file_store_leaves_no_temporary_files(key_file: Path) -> None:
    """Atomic writes leave only the key file in its folder."""
    store = FileSecretStore(key_file)
    store.set("a", SECRET)
    store.set("b", SECRET)
    assert [p.name for p in key_file.parent.iterdir()] == [key_file.name]


def test_file_store_does_not_keep_secrets_in_clear(key_file: Path) -> None:
    """The raw secret bytes are not written as such (they are base64 in JSON)."""
    store = FileSecretStore(key_file)
    store.set("data-key", b"PLAIN-SECRET-VALUE-0123456789abc")
    assert b"PLAIN-SECRET-VALUE" not in key_file.read_bytes()
    assert "data-key" in json.loads(key_file.read_text())


def test_file_store_is_development(key_file: Path) -> None:
    """The file store announces itself as development mode; the keyring store does not."""
    assert FileSecretStore(key_file).is_development is True
    assert KeyringSecretStore().is_development is False


def test_file_store_damaged_file_is_unavailable(key_file: Path) -> None:
    """A damaged key file is reported as KeyStoreUnavailable, not read as empty (which would lose the key)."""
    key_file.parent.mkdir(parents=True)
    key_file.write_text("{damaged")
    with pytest.raises(KeyStoreUnavailable):
        FileSecretStore(key_file).get("data-key")
    assert key_file.read_text() == "{damaged"


# --- choosing the store ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "env", "expected"),
    [
        ("os", {}, "os"),
        ("file", {}, "file"),
        ("os", {"FENQI_KEY_STORE": "file"}, "file"),
        ("file", {"FENQI_KEY_STORE": "os"}, "os"),
        ("os", {"FENQI_KEY_STORE": ""}, "os"),
        ("os", {"OTHER": "file"}, "os"),
    ],
)
def test_chosen_key_store(setting: str, env: dict[str, str], expected: str) -> None:
    """'file' only when FENQI_KEY_STORE=file or the setting says file (the environment wins); 'os' otherwise."""
    assert chosen_key_store(setting, env) == expected


def test_chosen_key_store_reads_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an explicit mapping, FENQI_KEY_STORE from the process environment is used."""
    assert chosen_key_store("os") == "os"
    monkeypatch.setenv("FENQI_KEY_STORE", "file")
    assert chosen_key_store("os") == "file"


@pytest.mark.parametrize(("setting", "env"), [("vault", {}), ("os", {"FENQI_KEY_STORE": "plaintext"}), ("", {})])
def test_chosen_key_store_refuses_unknown(setting: str, env: dict[str, str]) -> None:
    """An unknown key store name is refused as a setting error (exit 1), never mapped silently to one of the two."""
    with pytest.raises(InvalidInput) as info:
        chosen_key_store(setting, env)
    assert info.value.code == "bad_setting"


def test_open_secret_store_picks_the_chosen_kind(key_file: Path) -> None:
    """open_secret_store gives a FileSecretStore on that path for 'file' and a KeyringSecretStore for 'os'."""
    file_store = open_secret_store("file", key_file, {})
    assert isinstance(file_store, FileSecretStore)
    assert file_store.path == key_file
    assert isinstance(open_secret_store("os", key_file, {}), KeyringSecretStore)


# --- OS keyring ------------------------------------------------------------------------------------------------


def test_keyring_store_round_trip(memory_keyring: MemoryKeyring) -> None:
    """Secrets go to the keyring under the app's service name and come back as the same bytes."""
    store = KeyringSecretStore()
    assert store.get("data-key") is None
    store.set("data-key", SECRET)
    assert store.get("data-key") == SECRET
    assert (SERVICE_NAME, "data-key") in memory_keyring.entries
    assert KeyringSecretStore().get("data-key") == SECRET
    store.delete("data-key")
    assert store.get("data-key") is None
    assert (SERVICE_NAME, "data-key") not in memory_keyring.entries


def test_keyring_store_delete_of_missing_name_is_harmless() -> None:
    """Deleting a name the keyring does not have raises nothing."""
    KeyringSecretStore().delete("nothing")


def test_keyring_store_describes_its_backend() -> None:
    """The description names the keyring backend in use."""
    assert "MemoryKeyring" in KeyringSecretStore().description


@pytest.mark.usefixtures("failing_keyring")
def test_keyring_store_unavailable_without_backend(key_file: Path) -> None:
    """With keyring's 'fail' backend the keyring store cannot be built, and 'os' is not replaced by the file."""
    with pytest.raises(KeyStoreUnavailable) as info:
        KeyringSecretStore()
    assert isinstance(info.value, Unavailable)
    assert info.value.code == "key_store_unavailable"
    assert "FENQI_KEY_STORE=file" in info.value.message
    with pytest.raises(KeyStoreUnavailable):
        open_secret_store("os", key_file, {})
    assert not key_file.exists()
