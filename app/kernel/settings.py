"""Typed settings with defaults, kept as JSON with a schema version in the config folder."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.kernel.errors import InvalidInput
from app.kernel.i18n import SUPPORTED_LANGUAGES, _

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

SCHEMA_VERSION = 1
DEFAULT_TIME_ZONE = "Asia/Shanghai"
KEY_STORES = ("os", "file")


@dataclass(frozen=True)
class Settings:
    """Everything a store or a developer may change; every field has a safe default."""

    schema_version: int = SCHEMA_VERSION
    language: str = "auto"  # "auto" follows the system locale
    store_code: str = "S001"
    store_name: str = "演示门店"
    store_time_zone: str = DEFAULT_TIME_ZONE
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
    max_debt_service_percent: int = 50  # existing + new monthly installments, as a share of monthly income
    velocity_days: int = 30  # the window of the same-ID / same-phone velocity flag
    velocity_count: int = 3  # applications (this one included) within the window that raise the flag
    opening_hours: str = "08:00-22:00"  # store time; applications outside these hours are flagged
    sync_max_backoff_s: int = 600  # the longest wait between attempts to send one item
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
    if not 10 <= settings.max_debt_service_percent <= 100:
        raise InvalidInput(_("The debt service limit must be between 10 and 100 percent."), code="bad_setting")
    if not 1 <= settings.velocity_days <= 365 or not 2 <= settings.velocity_count <= 100:
        raise InvalidInput(_("The velocity settings are out of range."), code="bad_setting")
    opening_hours(settings.opening_hours)
    if not 1 <= settings.sync_max_backoff_s <= 86_400:
        raise InvalidInput(_("The longest sync backoff must be between 1 second and a day."), code="bad_setting")
    if not 1 <= settings.idle_lock_minutes <= 240:
        raise InvalidInput(_("The idle lock time must be between 1 and 240 minutes."), code="bad_setting")
    if not 1 <= settings.retention_days <= 3650:
        raise InvalidInput(_("The retention period must be between 1 and 3650 days."), code="bad_setting")
    return settings


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Build settings from a parsed file; unknown keys are ignored, missing ones take defaults."""
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in data.items() if k in known}
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


def load_settings(path: Path) -> Settings:
    """Read the settings file; defaults when it does not exist. A damaged file is an error, not a reset."""
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            _("The settings file {path} cannot be read: {reason}").format(path=path, reason=exc),
            code="bad_settings_file",
        ) from exc
    if not isinstance(data, dict):
        raise InvalidInput(_("The settings file {path} is damaged.").format(path=path), code="bad_settings_file")
    return settings_from_dict(data)


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically (a crash leaves the old or the new file, never half of one)."""
    import tempfile  # only when saving: not on the start-up path

    _check(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(settings)
    data["trusted_signing_keys"] = list(settings.trusted_signing_keys)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_settings(path: Path, **changes: Any) -> Settings:
    """Load, change the named fields, validate, save, and return the new settings."""
    settings = replace(load_settings(path), **changes)
    save_settings(path, settings)
    return settings
