"""Changing settings at the counter: who may change what, saved atomically, recorded in the audit chain."""

from __future__ import annotations

import threading
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from app.domain.roles import Permission, require_permission
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.kernel.settings import Settings, save_settings, settings_from_dict
from app.office.staff import Actor
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore

# Anyone at the counter may switch the language they read; everything else is the store's configuration.
PERSONAL_SETTINGS = frozenset({"language"})


class SettingsService:
    """Holds the settings in effect and changes them for an actor allowed to."""

    def __init__(self, path: Path, settings: Settings, store: LocalStore) -> None:
        self.path = path
        self._settings = settings
        self._store = store
        self._lock = threading.Lock()

    @property
    def current(self) -> Settings:
        """The settings in effect now."""
        return self._settings

    def reload(self) -> Settings:
        """Take the settings file as it is now (after sync installed files the lender sent)."""
        from app.kernel.settings import load_settings

        with self._lock:
            self._settings = load_settings(self.path)
            return self._settings

    def change(self, actor: Actor, **changes: Any) -> Settings:
        """Apply `changes`, validated as a whole; raises PermissionDenied or InvalidInput and changes nothing then.

        Returns the new settings. The caller applies a new language (`app.kernel.i18n.set_language`) on the thread that
        shows texts, so no text is produced half in one language and half in the other.
        """
        known = {f.name for f in fields(Settings)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise InvalidInput(_("Unknown setting: {name}").format(name=unknown[0]), code="bad_setting")
        changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        changed = {k: v for k, v in changes.items() if getattr(self._settings, k) != v}
        if set(changed) - PERSONAL_SETTINGS:
            require_permission(actor.role, Permission.CHANGE_SETTINGS)
        if not changed:
            return self._settings
        with self._lock:
            merged = {**self._settings.__dict__, **changed}
            merged["trusted_signing_keys"] = list(merged["trusted_signing_keys"])
            new = settings_from_dict(merged)  # validates everything together
            with self._store.write() as session:
                AuditLog.for_store(self._store).append(
                    session, actor.audit_name, "settings.changed", detail={"keys": sorted(changed)}
                )
                save_settings(self.path, new)
            self._settings = replace(new)
        return new
