"""Changing settings at the counter: who may change what, saved atomically, recorded in the audit chain."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from app.domain.roles import Permission, require_permission
from app.kernel.errors import FenqiError, InvalidInput
from app.kernel.i18n import _
from app.kernel.logs import get_logger
from app.kernel.server_url import check_server_url
from app.kernel.settings import Settings, load_settings, save_settings, settings_from_dict
from app.office.staff import Actor
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore

# Anyone at the counter may switch the language they read; everything else is the store's configuration.
PERSONAL_SETTINGS = frozenset({"language"})

log = get_logger("settings")

FileStamp = tuple[int, int, int] | None  # (inode, size, mtime in ns) of the settings file; None: no file


def _stamp(path: Path) -> FileStamp:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class SettingsService:
    """Holds the settings in effect and changes them for an actor allowed to."""

    def __init__(self, path: Path, settings: Settings, store: LocalStore) -> None:
        self.path = path
        self._settings = settings
        self._store = store
        self._lock = threading.Lock()
        self._seen = _stamp(path)  # the file `settings` were read from
        self._listeners: list[Callable[[Settings], None]] = []

    def on_change(self, listener: Callable[[Settings], None]) -> None:
        """Call `listener` with the settings each time they are taken again (reloaded, changed here or by another
        program): the composition root follows the store an activation made this PC the counter of."""
        self._listeners.append(listener)

    def _tell(self, settings: Settings) -> None:
        for listener in self._listeners:
            listener(settings)

    @property
    def current(self) -> Settings:
        """The settings in effect now: the settings file's. When another program changed the file since it was
        read here (`fenqi device activate` writes the server's address while the counter runs), it is read
        again, so the change takes effect at once, without a restart. A changed file that cannot be taken (damaged,
        from a newer version) leaves the settings in effect as they were; that is logged once."""
        self._take_outside_changes()
        return self._settings

    def reload(self) -> Settings:
        """Take the settings file as it is now (after sync installed files the lender sent); raises when it
        cannot be read, and the settings in effect stay as they were then."""
        with self._lock:
            stamp = _stamp(self.path)
            self._settings = load_settings(self.path)
            self._seen = stamp
            taken = self._settings
        self._tell(taken)
        return taken

    def _take_outside_changes(self) -> None:
        if _stamp(self.path) == self._seen:  # a stat: cheap enough to ask at every use
            return
        with self._lock:
            stamp = _stamp(self.path)
            if stamp == self._seen:
                return  # another thread took it meanwhile
            self._seen = stamp
            if stamp is None:
                log.warning("the settings file was removed; the settings in effect are kept")
                return
            try:
                self._settings = load_settings(self.path)
            except FenqiError as exc:
                log.warning("the settings file changed but cannot be taken (%s); the ones in effect are kept", exc.code)
                return
            taken = self._settings
        self._tell(taken)

    def change(self, actor: Actor, **changes: Any) -> Settings:
        """Apply `changes`, validated as a whole; raises PermissionDenied or InvalidInput (or Unavailable,
        insecure_server_url, for a server address check_server_url refuses) and changes nothing then.

        Returns the new settings. The caller applies a new language (`app.kernel.i18n.set_language`) on the thread that
        shows texts, so no text is produced half in one language and half in the other.
        """
        known = {f.name for f in fields(Settings)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise InvalidInput(_("Unknown setting: {name}").format(name=unknown[0]), code="bad_setting")
        changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        self._take_outside_changes()  # a change made outside since is kept, not overwritten with what was before
        changed = {k: v for k, v in changes.items() if getattr(self._settings, k) != v}
        if set(changed) - PERSONAL_SETTINGS:
            require_permission(actor.role, Permission.CHANGE_SETTINGS)
        if not changed:
            return self._settings
        if changed.get("server_url"):  # the same check as activation and sync: refused here, not at the next sync
            check_server_url(changed["server_url"])
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
            self._seen = _stamp(self.path)
        self._tell(new)
        return new
