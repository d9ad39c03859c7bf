"""Where the data key and other secrets live: the OS keyring, or an explicitly chosen development file."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _

SERVICE_NAME = "fenqi-pos"


class KeyStoreUnavailable(Unavailable):
    code = "key_store_unavailable"


def _decode(value: object, name: str) -> bytes:
    try:
        if not isinstance(value, str | bytes):  # a hand-edited key file can hold any JSON value
            raise TypeError(type(value).__name__)
        return base64.b64decode(value, validate=True)
    except (ValueError, TypeError) as exc:
        raise KeyStoreUnavailable(_("The key store entry {name} is damaged.").format(name=name.split("/")[0])) from exc


class SecretStore(Protocol):
    """Named binary secrets. Implementations never write a secret anywhere but their own store."""

    is_development: bool

    @property
    def description(self) -> str:
        """Where the secrets are kept, for a person to read, in the language in effect when asked."""
        ...

    def get(self, name: str) -> bytes | None: ...

    def set(self, name: str, value: bytes) -> None: ...

    def delete(self, name: str) -> None: ...


class KeyringSecretStore:
    """Secrets in the operating system's keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    is_development = False

    def __init__(self) -> None:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            raise KeyStoreUnavailable(
                _(
                    "No usable OS keyring was found on this computer. On a development machine, choose the "
                    "key file explicitly with FENQI_KEY_STORE=file."
                )
            )
        self._keyring = keyring
        self._backend_name = type(backend).__name__

    @property
    def description(self) -> str:
        """The keyring's kind, in the language in effect now (it may change after the store was opened)."""
        return _("OS keyring ({name})").format(name=self._backend_name)

    def get(self, name: str) -> bytes | None:
        try:
            value = self._keyring.get_password(SERVICE_NAME, name)
        except Exception as exc:  # keyring backends raise many kinds of errors
            raise KeyStoreUnavailable(_("The OS keyring cannot be read: {reason}").format(reason=exc)) from exc
        return None if value is None else _decode(value, name)

    def set(self, name: str, value: bytes) -> None:
        try:
            self._keyring.set_password(SERVICE_NAME, name, base64.b64encode(value).decode("ascii"))
        except Exception as exc:
            raise KeyStoreUnavailable(_("The OS keyring cannot be written: {reason}").format(reason=exc)) from exc

    def delete(self, name: str) -> None:
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._keyring.delete_password(SERVICE_NAME, name)


class FileSecretStore:
    """Development mode: secrets in a JSON file readable only by its owner. Never chosen silently."""

    is_development = True

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def description(self) -> str:
        """The key file's path, in the language in effect now (it may change after the store was opened)."""
        return _("development key file ({path})").format(path=self.path)

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KeyStoreUnavailable(
                _("The key file {path} cannot be read: {reason}").format(path=self.path, reason=exc)
            ) from exc
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-")
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> bytes | None:
        value = self._read().get(name)
        return None if value is None else _decode(value, name)

    def set(self, name: str, value: bytes) -> None:
        data = self._read()
        data[name] = base64.b64encode(value).decode("ascii")
        self._write(data)

    def delete(self, name: str) -> None:
        data = self._read()
        if data.pop(name, None) is not None:
            self._write(data)


def chosen_key_store(setting: str, env: Mapping[str, str] | None = None) -> str:
    """'file' only when chosen explicitly (FENQI_KEY_STORE=file or the setting); 'os' otherwise."""
    env = os.environ if env is None else env
    choice = env.get("FENQI_KEY_STORE") or setting
    if choice not in ("os", "file"):
        raise InvalidInput(_("Unknown key store: {value}").format(value=choice), code="bad_setting")
    return choice


def open_secret_store(setting: str, key_file: Path, env: Mapping[str, str] | None = None) -> SecretStore:
    """The secret store this installation is configured for; raises if the OS keyring is unusable."""
    if chosen_key_store(setting, env) == "file":
        return FileSecretStore(key_file)
    return KeyringSecretStore()
