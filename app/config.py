"""Paths and settings: cheap to load (no database, no keyring), needed before anything heavy starts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.i18n import set_language
from app.logs import configure_logging
from app.paths import AppPaths, resolve_paths
from app.settings import Settings, load_settings


@dataclass(frozen=True)
class Configuration:
    """Where local state lives and what the settings say."""

    paths: AppPaths
    settings: Settings
    log_file: Path


def load_configuration(env: Mapping[str, str] | None = None) -> Configuration:
    """Resolve the folders, start logging, read the settings and apply their language."""
    env = os.environ if env is None else env
    paths = resolve_paths(env).ensure()
    log_file = configure_logging(paths.log_dir)
    settings = load_settings(paths.settings_file)
    set_language(settings.language)
    return Configuration(paths=paths, settings=settings, log_file=log_file)


def resources_dir() -> Path:
    """The shipped resources (catalog, translations, fonts, model) beside the packages."""
    return Path(__file__).resolve().parents[1] / "resources"
