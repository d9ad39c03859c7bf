"""Typed settings with defaults, kept as JSON with a schema version in the config folder.

The file carries `schema_version`. A file written by an older version is upgraded when it is loaded: the steps
in UPGRADES run in order over the raw dictionary (version N to N + 1 each), the old file is kept beside the new
one as `settings.json.vN.bak`, and the file is rewritten, atomically, at SCHEMA_VERSION. A file written by a
newer version is refused (SettingsTooNew) and left as it is: this version would drop what it does not know.
Keys this version does not know in a current file are logged (names only) and kept in the file when the
settings are saved again; they are not part of `Settings`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import SUPPORTED_LANGUAGES, _
from app.kernel.json_input import loads_bounded

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

SCHEMA_VERSION = 3
DEFAULT_TIME_ZONE = "Asia/Shanghai"
KEY_STORES = ("os", "file")


@dataclass(frozen=True)
class Settings:
    """Everything a store or a developer may change; every field has a safe default."""

    schema_version: int = SCHEMA_VERSION
    language: str = "auto"  # "auto" follows the system locale
    # The store this PC is the counter of: the demo store until activation, then the lender's store record (code,
    # name, region, opening hours, time zone), taken at activation and at every sync (app/sync/store_record.py).
    store_code: str = "S001"
    store_name: str = "演示门店"
    store_time_zone: str = DEFAULT_TIME_ZONE
    store_region: str = ""
    store_opening_hours: str = "08:00-22:00"  # store time; applications outside these hours are flagged
    key_store: str = "os"  # "file" is a development mode, chosen explicitly
    idle_lock_minutes: int = 5
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    server_url: str = ""
    proxy_url: str = ""
    ca_bundle: str = ""
    trusted_signing_keys: tuple[str, ...] = field(default_factory=tuple)  # base64 Ed25519 public keys
    catalog_file: str = ""  # empty: the catalog shipped in resources/catalog
    model_dir: str = ""  # empty: the scorecard shipped in models_onnx
    # The lender's signed policy installed by sync; empty: the one shipped in resources/policy. The credit limits
    # themselves (debt service, velocity, ages, caps) are in that document only: no setting can loosen them.
    policy_file: str = ""
    # Development mode only (the file key store chosen explicitly): opening hours used instead of the store's, so
    # tests run at any hour; empty: the store's. Ignored otherwise (app.storage.stores.opening_hours_in_effect).
    opening_hours: str = ""
    sync_max_backoff_seconds: int = 600  # the longest wait between attempts to send one item
    customer_screen: str = ""  # this PC's display for the customer window (its name); empty: the primary one
    retention_days: int = 30  # days after an application's final state before its personal data is purged

    @property
    def time_zone(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.store_time_zone)


def _check_time_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(_("Unknown time zone: {value}").format(value=name), code="bad_setting") from exc


def opening_hours(text: str) -> tuple[dt.time, dt.time]:
    """The opening and closing time in an "HH:MM-HH:MM" setting; raises InvalidInput if it is not one."""
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as exc:
        raise InvalidInput(
            _("Opening hours look like 08:00-22:00, not {value}.").format(value=text), code="bad_setting"
        ) from exc
    if start >= end:
        raise InvalidInput(
            _("Opening hours look like 08:00-22:00, not {value}.").format(value=text), code="bad_setting"
        )
    return start, end


def _check(settings: Settings) -> Settings:
    if settings.language not in ("auto", *SUPPORTED_LANGUAGES):
        raise InvalidInput(_("Unknown language: {value}").format(value=settings.language), code="bad_setting")
    if settings.key_store not in KEY_STORES:
        raise InvalidInput(_("Unknown key store: {value}").format(value=settings.key_store), code="bad_setting")
    # zoneinfo is loaded only for a zone other than the default, which is known to exist: the settings are
    # read before the first window is painted, and the module costs start-up time.
    if settings.store_time_zone != DEFAULT_TIME_ZONE:
        _check_time_zone(settings.store_time_zone)
    for encoded in settings.trusted_signing_keys:
        try:  # the shape only: the signature module checks the key itself (and is not loaded at start-up)
            if len(base64.b64decode(encoded, validate=True)) != 32:
                raise ValueError("an Ed25519 public key has 32 bytes")
        except (ValueError, TypeError) as exc:
            raise InvalidInput(
                _("A trusted signing key in the settings is damaged; signatures cannot be checked."),
                code="bad_setting",
            ) from exc
    if not 2 <= settings.max_failed_sign_ins <= 20 or not 1 <= settings.lockout_minutes <= 24 * 60:
        raise InvalidInput(_("The lockout settings are out of range."), code="bad_setting")
    opening_hours(settings.store_opening_hours)
    if settings.opening_hours:
        opening_hours(settings.opening_hours)
    if not 1 <= settings.sync_max_backoff_seconds <= 86_400:
        raise InvalidInput(_("The longest sync backoff must be between 1 second and a day."), code="bad_setting")
    if not 1 <= settings.idle_lock_minutes <= 240:
        raise InvalidInput(_("The idle lock time must be between 1 and 240 minutes."), code="bad_setting")
    if not 1 <= settings.retention_days <= 3650:
        raise InvalidInput(_("The retention period must be between 1 and 3650 days."), code="bad_setting")
    return settings


class SettingsTooNew(Unavailable):
    """The settings file was written by a newer version of the application; it is left as it is."""

    code = "settings_too_new"


def _renamed(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """`data` with the value of `old` under `new`. When a file has both, `new` was set knowingly and wins."""
    data = dict(data)
    if old in data:
        value = data.pop(old)
        data.setdefault(new, value)
    return data


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # The longest sync backoff spells its unit like every other duration in the file (idle_lock_minutes,
    # lockout_minutes, velocity_days, retention_days): sync_max_backoff_s is now sync_max_backoff_seconds.
    return _renamed(data, "sync_max_backoff_s", "sync_max_backoff_seconds")


# The lender's credit limits a counter PC used to keep in its own settings: they now come from the lender's signed
# policy (app/domain/policy.py), the same document the lender's decision reads, so a store cannot loosen them.
REMOVED_IN_3 = ("max_debt_service_percent", "velocity_days", "velocity_count")


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    # The per-PC credit limits are dropped, not kept as unknown keys: nothing reads them any more, and a copy left
    # in the file would suggest that changing it changes something.
    return {k: v for k, v in data.items() if k not in REMOVED_IN_3}


# UPGRADES[n - 1] turns the raw dictionary of a version-n file into a version-(n + 1) one, keeping every value
# (renamed or restructured where the new version says so). Add a step whenever SCHEMA_VERSION goes up.
UPGRADES: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (_v1_to_v2, _v2_to_v3)

_FIELD_NAMES = frozenset(f.name for f in fields(Settings))


def settings_file_version(data: dict[str, Any]) -> int:
    """The schema version a parsed settings file says it has (a file without one is from version 1, the first,
    which always wrote it; so such a file was written by hand). Raises InvalidInput if it is not a number ≥ 1."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(
            _("The setting {name} has the wrong kind of value.").format(name="schema_version"), code="bad_setting"
        )
    return version


def upgrade_settings_data(data: dict[str, Any], source: Path | str = "settings.json") -> dict[str, Any]:
    """`data` (a parsed settings file) brought to SCHEMA_VERSION by the steps in UPGRADES, without changing the
    argument; a current one is returned as a copy. Raises SettingsTooNew, naming `source`, for a file from a newer
    version, and InvalidInput for a schema_version that is not a version."""
    version = settings_file_version(data)
    if version > SCHEMA_VERSION:
        raise SettingsTooNew(
            _(
                "The settings file {path} was written by a newer version of Fenqi POS (settings version {found}; "
                "this version reads up to {known}). It has been left as it is: install the newer version again, "
                "or put back the copy of the file it kept when it upgraded (settings.json.v{known}.bak)."
            ).format(path=source, found=version, known=SCHEMA_VERSION)
        )
    upgraded = dict(data)
    for step in UPGRADES[version - 1 :]:
        upgraded = step(upgraded)
    upgraded["schema_version"] = SCHEMA_VERSION
    return upgraded


def unknown_settings(data: dict[str, Any]) -> dict[str, Any]:
    """The entries of a (current-version) settings dictionary that are not settings of this version."""
    return {k: v for k, v in data.items() if k not in _FIELD_NAMES}


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Build settings from a parsed file: an older schema_version is upgraded first and a newer one refused
    (SettingsTooNew); missing keys take defaults; keys this version does not know are not part of the result
    (load_settings logs them, save_settings keeps them in the file). Raises InvalidInput for a wrong value."""
    values = {k: v for k, v in upgrade_settings_data(data).items() if k in _FIELD_NAMES}
    if "trusted_signing_keys" in values:
        keys = values["trusted_signing_keys"]
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise InvalidInput(_("The trusted signing keys must be a list of keys."), code="bad_setting")
        values["trusted_signing_keys"] = tuple(keys)
    defaults = Settings()
    for name, value in values.items():
        expected = type(getattr(defaults, name))
        if name != "trusted_signing_keys" and (
            not isinstance(value, expected) or isinstance(value, bool) != (expected is bool)
        ):
            raise InvalidInput(
                _("The setting {name} has the wrong kind of value.").format(name=name), code="bad_setting"
            )
    values["schema_version"] = SCHEMA_VERSION
    try:
        return _check(Settings(**values))
    except TypeError as exc:  # pragma: no cover - defensive
        raise InvalidInput(str(exc), code="bad_setting") from exc


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and its parsed content; InvalidInput (bad_settings_file) if it cannot be either."""
    try:
        raw = path.read_bytes()
        data = loads_bounded(raw.decode("utf-8"))  # a file a person may edit: nesting bounded (JsonTooDeep)
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            _("The settings file {path} cannot be read: {reason}").format(path=path, reason=exc),
            code="bad_settings_file",
        ) from exc
    if not isinstance(data, dict):
        raise InvalidInput(_("The settings file {path} is damaged.").format(path=path), code="bad_settings_file")
    return raw, data


def _note(message: str, *args: object) -> None:
    import logging  # only when there is something to say: not on the usual start-up path

    # Before the log file is set up (settings are read first) a warning still reaches stderr.
    logging.getLogger("fenqi.settings").warning(message, *args)


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a version-`version` settings file is kept when it is upgraded: settings.json.vN.bak."""
    return path.with_name(f"{path.name}.v{version}.bak")


def load_settings(path: Path) -> Settings:
    """Read the settings file; defaults when it does not exist. A damaged file is an error, not a reset.

    A file from an older version is upgraded (UPGRADES): its exact bytes are kept as settings.json.vN.bak and
    the file is rewritten at SCHEMA_VERSION, keys this version does not know included. If the rewrite fails the
    upgraded settings are still returned (and the upgrade is done again at the next load). A file from a newer
    version raises SettingsTooNew and is not touched; so does a file with a wrong value (InvalidInput)."""
    if not path.exists():
        return Settings()
    raw, data = _read(path)
    version = settings_file_version(data)
    upgraded = upgrade_settings_data(data, path)
    settings = settings_from_dict(upgraded)
    unknown = unknown_settings(upgraded)
    if unknown:
        _note("settings not known to this version, kept in the file: %s", ", ".join(sorted(unknown)))
    if version < SCHEMA_VERSION:
        try:
            _write_atomically(backup_path(path, version), raw)
            _write_settings(path, settings, unknown)
        except OSError as exc:
            _note("settings upgraded from version %d in memory only, the file could not be rewritten: %s", version, exc)
        else:
            _note(
                "settings upgraded from version %d to %d; the old file is kept as %s",
                version,
                SCHEMA_VERSION,
                backup_path(path, version).name,
            )
    return settings


def _write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that a crash leaves the old or the new file, never half of one."""
    import tempfile  # only when saving: not on the start-up path

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_settings(path: Path, settings: Settings, kept: dict[str, Any]) -> None:
    data = {**kept, **asdict(settings)}
    data["trusted_signing_keys"] = list(settings.trusted_signing_keys)
    data["schema_version"] = SCHEMA_VERSION
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    _write_atomically(path, text.encode("utf-8"))


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically (a crash leaves the old or the new file, never half of one).

    Keys of the file being replaced that this version does not know are kept. A file there from a newer version
    is refused (SettingsTooNew) and not touched; one from an older version is kept as settings.json.vN.bak first;
    a damaged one is replaced."""
    _check(settings)
    kept: dict[str, Any] = {}
    older: tuple[int, bytes] | None = None
    if path.exists():
        try:
            raw, data = _read(path)
            version = settings_file_version(data)
        except InvalidInput:
            pass  # damaged: replaced, as it always was
        else:
            kept = unknown_settings(upgrade_settings_data(data, path))  # SettingsTooNew for a newer file
            if version < SCHEMA_VERSION:
                older = version, raw
    if older is not None:
        _write_atomically(backup_path(path, older[0]), older[1])
    _write_settings(path, settings, kept)


def update_settings(path: Path, **changes: Any) -> Settings:
    """Load, change the named fields, validate, save, and return the new settings."""
    settings = replace(load_settings(path), **changes)
    save_settings(path, settings)
    return settings
