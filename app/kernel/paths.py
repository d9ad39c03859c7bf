"""Where local state lives: FENQI_HOME when set, platformdirs' per-user folders otherwise."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "fenqi-pos"
APP_AUTHOR = "Fenqi"


@dataclass(frozen=True)
class AppPaths:
    """The folders and files of one installation's local state."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "fenqi.db"

    @property
    def key_file(self) -> Path:
        """The development-mode key file (used only when the file key store is chosen explicitly)."""
        return self.config_dir / "dev-keystore.json"

    @property
    def dev_signing_dir(self) -> Path:
        """Where the demo's development signing key pair is kept, outside the package."""
        return self.config_dir / "dev-signing"

    def ensure(self) -> AppPaths:
        """Create the folders (owner-only where the platform allows) and return self."""
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):  # e.g. a folder owned by another account
                folder.chmod(0o700)
        return self


def resolve_paths(env: Mapping[str, str] | None = None) -> AppPaths:
    """Return the paths for this process: everything under FENQI_HOME if it is set."""
    env = os.environ if env is None else env
    home = env.get("FENQI_HOME")
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(config_dir=root / "config", data_dir=root / "data", log_dir=root / "logs")
    import platformdirs

    return AppPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
    )
