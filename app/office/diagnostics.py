""" "Export diagnostics": logs and versions for store IT, in one zip, with no personal data in it."""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
import zipfile
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from app import __version__
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.logs import scrub
from app.office.overview import OpenStore
from app.office.staff import Actor
from app.storage.audit import AuditLog

PACKAGES = (
    "PySide6-Essentials",
    "SQLAlchemy",
    "alembic",
    "cryptography",
    "keyring",
    "onnxruntime",
    "requests",
    "argon2-cffi",
    "Babel",
    "python-stdnum",
    "phonenumbers",
    "platformdirs",
)


def _versions(extra: dict[str, str]) -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {
        "fenqi_pos": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": packages,
        **extra,
    }


def export_diagnostics(
    services: OpenStore,
    actor: Actor,
    target: Path,
    extra_versions: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Write a zip of the rotated logs (already scrubbed, scrubbed again), versions, settings without secrets,
    the store's schema and counts, and the audit chain's state; returns its path."""
    require_permission(actor.role, Permission.EXPORT_DIAGNOSTICS)
    from app.office.overview import store_overview  # the overview needs the ORM; keep import light for callers

    now = now or utc_now()
    settings = asdict(services.settings)
    for secret_bearing in ("proxy_url",):  # a proxy URL may carry a password
        settings[secret_bearing] = "(set)" if settings[secret_bearing] else ""
    overview = store_overview(services)
    with services.store.read() as session:
        chain = AuditLog.for_store(services.store).verify(session)
    store_info = {
        "schema_revision": services.store.report.revision,
        "key_store": "development file" if services.secrets.is_development else "os keyring",
        "store_code": overview.store_code,
        "applications_by_state": {s.value: n for s, n in overview.by_state.items()},
        "audit_chain": asdict(chain),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("versions.json", json.dumps(_versions(extra_versions or {}), indent=2, ensure_ascii=False))
        bundle.writestr("settings.json", json.dumps(settings, indent=2, ensure_ascii=False, default=str))
        bundle.writestr("store.json", json.dumps(store_info, indent=2, ensure_ascii=False, default=str))
        for log in sorted(services.config.paths.log_dir.glob("*.log*")):
            bundle.writestr(f"logs/{log.name}", scrub(log.read_text(encoding="utf-8", errors="replace")))
    with services.store.write() as session:
        AuditLog.for_store(services.store).append(
            session, actor.audit_name, "diagnostics.exported", detail={"file": target.name}, at=now
        )
    return target
