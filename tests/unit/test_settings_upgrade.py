"""Settings upgrades: an older file is brought to the current schema keeping every value (but the per-PC credit
limits, which the lender's signed policy replaced in version 3), a newer one is refused
and left alone, keys this version does not know survive a save, and damaged files behave as they always did."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import app.kernel.settings as settings_module
from app.kernel.errors import EXIT_UNAVAILABLE, InvalidInput
from app.kernel.i18n import set_language
from app.kernel.settings import (
    REMOVED_IN_3,
    SCHEMA_VERSION,
    UPGRADES,
    Settings,
    SettingsTooNew,
    backup_path,
    load_settings,
    save_settings,
    settings_from_dict,
    update_settings,
    upgrade_settings_data,
)

# A settings file as version 1 wrote it, every value different from the default; the longest sync backoff still
# under its version-1 name.
VERSION_1: dict[str, Any] = {
    "schema_version": 1,
    "language": "zh_CN",
    "store_code": "S042",
    "store_name": "海淀旗舰店",
    "store_time_zone": "Asia/Urumqi",
    "key_store": "file",
    "idle_lock_minutes": 12,
    "max_failed_sign_ins": 7,
    "lockout_minutes": 30,
    "server_url": "https://lender.example/api",
    "proxy_url": "http://proxy.example:3128",
    "ca_bundle": "/etc/ssl/lender.pem",
    "trusted_signing_keys": [],
    "catalog_file": "/srv/fenqi/products.json",
    "model_dir": "/srv/fenqi/model",
    "max_debt_service_percent": 40,
    "velocity_days": 14,
    "velocity_count": 4,
    "opening_hours": "09:30-21:00",
    "sync_max_backoff_s": 45,
    "customer_screen": "HDMI-2",
    "retention_days": 90,
}


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """Where the settings file goes in these tests (not created yet)."""
    return tmp_path / "config" / "settings.json"


def _write(path: Path, data: dict[str, Any]) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    path.write_bytes(content)
    return content


def _expected_from_version_1() -> Settings:
    dropped = ("schema_version", "sync_max_backoff_s", *REMOVED_IN_3)
    values = {k: v for k, v in VERSION_1.items() if k not in dropped}
    values["trusted_signing_keys"] = ()
    return Settings(**values, sync_max_backoff_seconds=45)


def test_there_is_one_upgrade_step_per_version_after_the_first() -> None:
    """Raising SCHEMA_VERSION without adding its step would leave old files half upgraded."""
    assert SCHEMA_VERSION >= 2
    assert len(UPGRADES) == SCHEMA_VERSION - 1


def test_a_version_1_file_is_upgraded_keeping_every_value(settings_file: Path) -> None:
    """Every value of a version-1 file is kept, the renamed one under its new name; the file is rewritten at the
    current version and the old bytes are kept beside it."""
    original = _write(settings_file, VERSION_1)
    settings = load_settings(settings_file)
    assert settings == _expected_from_version_1()
    assert settings.sync_max_backoff_seconds == 45
    backup = settings_file.with_name("settings.json.v1.bak")
    assert backup == backup_path(settings_file, 1)
    assert backup.read_bytes() == original
    rewritten = json.loads(settings_file.read_text(encoding="utf-8"))
    assert rewritten["schema_version"] == SCHEMA_VERSION
    assert rewritten["sync_max_backoff_seconds"] == 45
    assert "sync_max_backoff_s" not in rewritten
    assert not set(REMOVED_IN_3) & set(rewritten)
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.json", "settings.json.v1.bak"]


def test_a_version_2_file_loses_the_per_pc_credit_limits(settings_file: Path) -> None:
    """The debt-service and velocity limits a version-2 file kept for this PC are dropped, not kept as unknown
    keys: the lender's signed policy is the only place they come from, so a store cannot loosen them. The rest of
    the file is kept and the old bytes are kept beside it."""
    version_2 = {k: v for k, v in VERSION_1.items() if k != "sync_max_backoff_s"}
    original = _write(settings_file, {**version_2, "schema_version": 2, "sync_max_backoff_seconds": 45})
    settings = load_settings(settings_file)
    assert settings == _expected_from_version_1()
    assert not any(hasattr(settings, key) for key in REMOVED_IN_3)
    rewritten = json.loads(settings_file.read_text(encoding="utf-8"))
    assert rewritten["schema_version"] == SCHEMA_VERSION and not set(REMOVED_IN_3) & set(rewritten)
    assert rewritten["store_code"] == "S042" and rewritten["opening_hours"] == "09:30-21:00"
    assert backup_path(settings_file, 2).read_bytes() == original
    assert set(REMOVED_IN_3) == {"max_debt_service_percent", "velocity_days", "velocity_count"}


def test_an_upgraded_file_loads_again_without_another_upgrade(settings_file: Path) -> None:
    """The second load reads the rewritten file as it is: same settings, file and backup unchanged."""
    _write(settings_file, VERSION_1)
    first = load_settings(settings_file)
    rewritten = settings_file.read_bytes()
    backup = backup_path(settings_file, 1).read_bytes()
    assert load_settings(settings_file) == first
    assert settings_file.read_bytes() == rewritten
    assert backup_path(settings_file, 1).read_bytes() == backup


def test_a_file_without_a_schema_version_is_read_as_version_1(settings_file: Path) -> None:
    """A hand-written file (version 1 always wrote the key) still has its old names understood."""
    _write(settings_file, {"store_code": "S007", "sync_max_backoff_s": 9})
    settings = load_settings(settings_file)
    assert (settings.store_code, settings.sync_max_backoff_seconds) == ("S007", 9)
    assert backup_path(settings_file, 1).exists()


def test_the_new_name_wins_when_a_file_has_both() -> None:
    """A file holding the old and the new name of a setting: the new one was set knowingly."""
    upgraded = upgrade_settings_data({"schema_version": 1, "sync_max_backoff_s": 9, "sync_max_backoff_seconds": 20})
    assert upgraded == {"schema_version": SCHEMA_VERSION, "sync_max_backoff_seconds": 20}


def test_upgrading_leaves_its_argument_alone() -> None:
    """The steps work on a copy: the caller's dictionary still says what the file says."""
    data = dict(VERSION_1)
    upgrade_settings_data(data)
    assert data == VERSION_1


def test_settings_from_a_version_1_dictionary_are_upgraded() -> None:
    """settings_from_dict takes a version-1 dictionary too (it is what a file holds)."""
    assert settings_from_dict(dict(VERSION_1)) == _expected_from_version_1()


def test_unknown_keys_of_an_old_file_are_kept_when_upgraded(settings_file: Path) -> None:
    """A key no version knows is carried into the rewritten file, not dropped."""
    _write(settings_file, {**VERSION_1, "printer_tray": "B"})
    load_settings(settings_file)
    assert json.loads(settings_file.read_text(encoding="utf-8"))["printer_tray"] == "B"


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 99])
def test_a_file_from_a_newer_version_is_refused_and_untouched(settings_file: Path, version: int) -> None:
    """Loading, saving over and updating a newer file all fail with settings_too_new (exit 3), changing nothing."""
    content = _write(settings_file, {"schema_version": version, "store_code": "S777", "future_option": True})
    with pytest.raises(SettingsTooNew) as info:
        load_settings(settings_file)
    assert info.value.code == "settings_too_new"
    assert info.value.exit_status == EXIT_UNAVAILABLE
    assert str(version) in info.value.message and str(settings_file) in info.value.message
    with pytest.raises(SettingsTooNew):
        save_settings(settings_file, Settings(store_code="S001"))
    with pytest.raises(SettingsTooNew):
        update_settings(settings_file, store_code="S001")
    assert settings_file.read_bytes() == content
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


def test_the_refusal_is_translated(settings_file: Path) -> None:
    """The message follows the configured language like every other error."""
    _write(settings_file, {"schema_version": SCHEMA_VERSION + 1})
    set_language("zh_CN")
    with pytest.raises(SettingsTooNew) as info:
        load_settings(settings_file)
    assert "设置" in info.value.message and str(SCHEMA_VERSION + 1) in info.value.message


def test_fenqi_exits_3_on_a_newer_settings_file(fenqi_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line reports the refusal in its JSON contract with exit status 3."""
    from app.cli import main

    path = fenqi_home / "config" / "settings.json"
    content = _write(path, {"schema_version": SCHEMA_VERSION + 1})
    capsys.readouterr()
    assert main(["id", "check", "11010519491231002X", "--json"]) == EXIT_UNAVAILABLE
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "settings_too_new"
    assert path.read_bytes() == content


@pytest.mark.parametrize("version", [0, -1, "2", 1.5, True, None])
def test_a_schema_version_that_is_no_version_is_refused(settings_file: Path, version: object) -> None:
    """A schema_version that is not a whole number from 1 up is a wrong value, refused without a rewrite."""
    content = _write(settings_file, {"schema_version": version})
    with pytest.raises(InvalidInput) as info:
        load_settings(settings_file)
    assert info.value.code == "bad_setting" and "schema_version" in info.value.message
    assert settings_file.read_bytes() == content
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2, 3]", b"\xff\xfe\x00garbage"],
    ids=["broken-json", "empty", "list", "not-utf8"],
)
def test_a_damaged_file_behaves_as_before(settings_file: Path, content: bytes) -> None:
    """A damaged file is bad_settings_file, kept byte for byte, and no backup appears."""
    settings_file.parent.mkdir(parents=True)
    settings_file.write_bytes(content)
    with pytest.raises(InvalidInput) as info:
        load_settings(settings_file)
    assert info.value.code == "bad_settings_file"
    assert settings_file.read_bytes() == content
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


def test_an_old_file_with_a_wrong_value_is_refused_not_upgraded(settings_file: Path) -> None:
    """The upgrade is written only when the upgraded settings are valid: otherwise the old file stays alone."""
    content = _write(settings_file, {**VERSION_1, "language": "fr"})
    with pytest.raises(InvalidInput) as info:
        load_settings(settings_file)
    assert info.value.code == "bad_setting"
    assert settings_file.read_bytes() == content
    assert not backup_path(settings_file, 1).exists()


def test_an_upgrade_that_cannot_be_written_still_loads(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that cannot be written to does not stop the counter: the upgraded settings are used, the old
    file stays as it is and is upgraded again at the next load."""
    content = _write(settings_file, VERSION_1)

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "read-only", str(path))

    monkeypatch.setattr(settings_module, "_write_atomically", refuse)
    assert load_settings(settings_file) == _expected_from_version_1()
    assert settings_file.read_bytes() == content


def test_round_trip_at_the_current_version(settings_file: Path) -> None:
    """Saved settings load back equal, at the current version, with no backup made."""
    original = _expected_from_version_1()
    save_settings(settings_file, original)
    assert load_settings(settings_file) == original
    assert json.loads(settings_file.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


def test_unknown_keys_of_a_current_file_survive_a_save(settings_file: Path) -> None:
    """Keys this version does not know are not settings, but changing a setting does not drop them."""
    _write(settings_file, {"schema_version": SCHEMA_VERSION, "printer_tray": "B", "store_code": "S009"})
    settings = load_settings(settings_file)
    assert not hasattr(settings, "printer_tray")
    update_settings(settings_file, idle_lock_minutes=30)
    save_settings(settings_file, load_settings(settings_file))
    data = json.loads(settings_file.read_text(encoding="utf-8"))
    assert (data["printer_tray"], data["store_code"], data["idle_lock_minutes"]) == ("B", "S009", 30)


def test_saving_over_an_old_file_keeps_a_backup_first(settings_file: Path) -> None:
    """Saving over a version-1 file without loading it (a counter that read it before) still keeps its bytes."""
    content = _write(settings_file, {**VERSION_1, "printer_tray": "B"})
    save_settings(settings_file, Settings(store_code="S010"))
    assert backup_path(settings_file, 1).read_bytes() == content
    data = json.loads(settings_file.read_text(encoding="utf-8"))
    assert (data["store_code"], data["printer_tray"], data["schema_version"]) == ("S010", "B", SCHEMA_VERSION)
    assert "sync_max_backoff_s" not in data
