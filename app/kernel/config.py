"""Paths and settings: cheap to load (no database, no keyring), needed before anything heavy starts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.kernel.i18n import set_language
from app.kernel.paths import AppPaths, resolve_paths
from app.kernel.settings import Settings, load_settings

LOG_FILE_NAME = "fenqi.log"


@dataclass(frozen=True)
class Configuration:
    """Where local state lives and what the settings say."""

    paths: AppPaths
    settings: Settings
    log_file: Path


def start_logging(config: Configuration) -> Path:
    """Send the application's logs to the rotating file in the log folder (idempotent)."""
    from app.kernel.logs import configure_logging  # logging.handlers is not needed before the first window

    return configure_logging(config.paths.log_dir, LOG_FILE_NAME)


def load_configuration(env: Mapping[str, str] | None = None, *, log: bool = True) -> Configuration:
    """Resolve the folders, read the settings, apply their language and, unless `log` is False, start logging.

    The GUI passes log=False and starts logging after its first window is painted.
    """
    env = os.environ if env is None else env
    paths = resolve_paths(env).ensure()
    settings = load_settings(paths.settings_file)
    set_language(settings.language)
    config = Configuration(paths=paths, settings=settings, log_file=paths.log_dir / LOG_FILE_NAME)
    if log:
        start_logging(config)
    return config


def resources_dir() -> Path:
    """The shipped resources (catalog, translations, fonts, model) beside the packages."""
    return Path(__file__).resolve().parents[2] / "resources"
