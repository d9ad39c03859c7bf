"""Settings: defaults, the JSON file round trip, validation, damaged files; and where FENQI_HOME puts things."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.kernel.errors import InvalidInput
from app.kernel.paths import resolve_paths
from app.kernel.settings import (
    SCHEMA_VERSION,
    Settings,
    load_settings,
    save_settings,
    settings_from_dict,
    update_settings,
)
from app.security.signing import public_key_b64

# Two real Ed25519 public keys (raw 32 bytes, base64), as the settings keep them.
KEY_ONE = public_key_b64(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
KEY_TWO = public_key_b64(Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))))


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """Where the settings file goes in these tests (not created yet)."""
    return tmp_path / "config" / "settings.json"


def test_defaults_when_no_file(settings_file: Path) -> None:
    """Without a file, loading gives the documented defaults and creates nothing."""
    settings = load_settings(settings_file)
    assert settings == Settings()
    assert settings.language == "auto"
    assert settings.key_store == "os"
    assert settings.store_time_zone == "Asia/Shanghai"
    assert settings.idle_lock_minutes == 5
    assert settings.trusted_signing_keys == ()
    assert settings.schema_version == SCHEMA_VERSION
    assert not settings_file.exists()


def test_save_load_round_trip(settings_file: Path) -> None:
    """Every field written is read back equal, Chinese text and key tuples included."""
    original = Settings(
        language="zh_CN",
        store_code="S042",
        store_name="海淀旗舰店",
        store_time_zone="Asia/Urumqi",
        key_store="file",
        idle_lock_minutes=240,
        server_url="https://lender.example/api",
        proxy_url="http://proxy.example:3128",
        ca_bundle="/etc/ssl/lender.pem",
        trusted_signing_keys=(KEY_ONE, KEY_TWO),
    )
    save_settings(settings_file, original)
    assert load_settings(settings_file) == original


def test_saved_file_is_readable_json_with_schema_version(settings_file: Path) -> None:
    """The file is plain UTF-8 JSON carrying the schema version and unescaped Chinese."""
    save_settings(settings_file, Settings(store_name="演示门店"))
    text = settings_file.read_text(encoding="utf-8")
    assert "演示门店" in text
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION


def test_unknown_keys_are_ignored(settings_file: Path) -> None:
    """Keys the application does not know are not settings; known ones still apply, missing ones default.
    (A file from a newer version is refused instead: tests/unit/test_settings_upgrade.py.)"""
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(
        json.dumps({"future_option": True, "store_code": "S777", "schema_version": SCHEMA_VERSION})
    )
    settings = load_settings(settings_file)
    assert settings.store_code == "S777"
    assert settings.language == Settings().language
    assert settings.schema_version == SCHEMA_VERSION
    assert not hasattr(settings, "future_option")


def test_update_settings_changes_only_named_fields(settings_file: Path) -> None:
    """update_settings saves the changed field and keeps the others."""
    save_settings(settings_file, Settings(store_code="S009"))
    update_settings(settings_file, idle_lock_minutes=30)
    settings = load_settings(settings_file)
    assert settings.idle_lock_minutes == 30
    assert settings.store_code == "S009"


BAD_VALUES = [
    {"language": "fr"},
    {"language": ""},
    {"key_store": "vault"},
    {"key_store": "OS"},
    {"store_time_zone": "Mars/Olympus"},
    {"store_time_zone": ""},
    {"store_time_zone": "../../etc/passwd"},
    {"idle_lock_minutes": 0},
    {"idle_lock_minutes": 241},
    {"idle_lock_minutes": -5},
]


@pytest.mark.parametrize("change", BAD_VALUES)
def test_invalid_values_are_refused_on_save(settings_file: Path, change: dict[str, Any]) -> None:
    """Saving an invalid language, key store, time zone or idle time raises bad_setting and writes nothing."""
    with pytest.raises(InvalidInput) as info:
        save_settings(settings_file, dataclasses.replace(Settings(), **change))
    assert info.value.code == "bad_setting"
    assert not settings_file.exists()


@pytest.mark.parametrize("change", BAD_VALUES)
def test_invalid_values_are_refused_on_load(settings_file: Path, change: dict[str, Any]) -> None:
    """A file holding an invalid value is refused with bad_setting, not silently replaced by a default."""
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(json.dumps(change))
    with pytest.raises(InvalidInput) as info:
        load_settings(settings_file)
    assert info.value.code == "bad_setting"


@pytest.mark.parametrize("minutes", [1, 240])
def test_idle_minutes_limits_are_inclusive(settings_file: Path, minutes: int) -> None:
    """1 and 240 minutes are both allowed."""
    save_settings(settings_file, Settings(idle_lock_minutes=minutes))
    assert load_settings(settings_file).idle_lock_minutes == minutes


def test_settings_from_dict_refuses_wrong_types() -> None:
    """A value of the wrong type (text for minutes) is refused as bad_setting."""
    with pytest.raises(InvalidInput) as info:
        settings_from_dict({"idle_lock_minutes": "five"})
    assert info.value.code == "bad_setting"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2, 3]", b'"just a string"', b"\xff\xfe\x00garbage"],
    ids=["broken-json", "empty", "list", "string", "not-utf8"],
)
def test_damaged_file_is_an_error_and_left_untouched(settings_file: Path, content: bytes) -> None:
    """A damaged settings file raises bad_settings_file and keeps its exact bytes (no silent reset)."""
    settings_file.parent.mkdir(parents=True)
    settings_file.write_bytes(content)
    with pytest.raises(InvalidInput) as info:
        load_settings(settings_file)
    assert info.value.code == "bad_settings_file"
    assert settings_file.read_bytes() == content


def test_update_on_damaged_file_does_not_overwrite_it(settings_file: Path) -> None:
    """Changing a setting when the file is damaged fails instead of replacing the file with defaults."""
    settings_file.parent.mkdir(parents=True)
    settings_file.write_bytes(b"{oops")
    with pytest.raises(InvalidInput):
        update_settings(settings_file, store_code="S002")
    assert settings_file.read_bytes() == b"{oops"


def test_save_leaves_no_temporary_files(settings_file: Path) -> None:
    """The atomic save leaves only settings.json in the folder."""
    save_settings(settings_file, Settings())
    save_settings(settings_file, Settings(store_code="S002"))
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


# --- paths -----------------------------------------------------------------------------------------------------


def test_resolve_paths_honours_fenqi_home(tmp_path: Path) -> None:
    """With FENQI_HOME set, config, data and logs are three different folders under it."""
    home = tmp_path / "elsewhere"
    paths = resolve_paths({"FENQI_HOME": str(home)})
    root = home.resolve()
    folders = [paths.config_dir, paths.data_dir, paths.log_dir]
    assert len(set(folders)) == 3
    for folder in folders:
        assert folder.parent == root
    assert paths.settings_file.is_relative_to(root)
    assert paths.database_file.is_relative_to(root)
    assert paths.key_file.is_relative_to(root)


def test_resolve_paths_reads_the_environment(fenqi_home: Path) -> None:
    """Without an explicit mapping the process environment (here the test's FENQI_HOME) is used."""
    paths = resolve_paths()
    for folder in (paths.config_dir, paths.data_dir, paths.log_dir):
        assert folder.is_relative_to(fenqi_home.resolve())


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_ensure_creates_owner_only_folders(tmp_path: Path) -> None:
    """ensure() creates the three folders, readable only by their owner."""
    paths = resolve_paths({"FENQI_HOME": str(tmp_path / "new-home")}).ensure()
    for folder in (paths.config_dir, paths.data_dir, paths.log_dir):
        assert folder.is_dir()
        assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("keys", [["not base64!"], ["AAAA"], "a-string-not-a-list"])
def test_damaged_trusted_keys_are_refused(fenqi_home: Path, keys: object) -> None:
    """A settings file with a malformed trusted key is refused when read, not at the first verification."""
    path = fenqi_home / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"trusted_signing_keys": keys}), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_settings(path)
    assert info.value.code == "bad_setting"


@pytest.mark.parametrize(("key", "value"), [("idle_lock_minutes", "5"), ("store_time_zone", 5), ("language", None)])
def test_wrong_kinds_of_values_are_refused_with_a_translated_message(fenqi_home: Path, key: str, value: object) -> None:
    """A settings file with a string where a number belongs (or the like) names the setting, not a Python error."""
    path = fenqi_home / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({key: value}), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_settings(path)
    assert info.value.code == "bad_setting" and key in info.value.message
