"""Where the server keeps its own files (the key file by default, provider outboxes): the folder given as
`fenqi-central --data-dir DIR`, passed to every worker in FENQI_CENTRAL_DATA_DIR; without it, the platform's
per-user data folder for fenqi-central. The database holds everything the workers share; this folder holds
files, never state one worker keeps for itself."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_ENV = "FENQI_CENTRAL_DATA_DIR"
DB_ENV = "FENQI_CENTRAL_DB"


def default_data_dir() -> Path:
    """The platform's per-user data folder for fenqi-central (e.g. ~/.local/share/fenqi-central on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("fenqi-central", "Fenqi"))


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The server's data folder: FENQI_CENTRAL_DATA_DIR when set (as `--data-dir` sets it for the workers),
    else the default; an absolute path, not created here (see `ensure_data_dir`)."""
    env = os.environ if env is None else env
    named = env.get(DATA_DIR_ENV, "").strip()
    return (Path(named).expanduser() if named else default_data_dir()).resolve()


def ensure_data_dir(folder: Path) -> Path:
    """The folder, created owner-only (where the platform allows) when it is missing; an existing folder
    keeps its permissions."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # a platform without POSIX modes
            folder.chmod(0o700)
    return folder
