"""The databases the reference server's tests run on: SQLite in a temporary folder, and PostgreSQL when one is
set up — by scripts/setup.sh run as root (it writes the URL to .venv/fenqi-test-postgres-url), or named by
FENQI_TEST_POSTGRES_URL. The PostgreSQL database is emptied (public schema dropped and recreated) before each
use; without one, the PostgreSQL variant is skipped with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POSTGRES_URL_FILE = REPO / ".venv" / "fenqi-test-postgres-url"
KINDS = ("sqlite", "postgresql")


def postgres_url() -> str | None:
    """The test PostgreSQL's SQLAlchemy URL, or None when none is set up."""
    url = os.environ.get("FENQI_TEST_POSTGRES_URL", "").strip()
    if url:
        return url
    try:
        return POSTGRES_URL_FILE.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def empty_postgres(url: str) -> None:
    """Drop everything in the database's public schema (tables, sequences) and recreate it empty."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


def central_database(kind: str, folder: Path) -> str:
    """A fresh, empty database of `kind` ("sqlite" or "postgresql") for one server; skips when PostgreSQL is
    not available."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'central.db'}"
    if kind != "postgresql":
        raise ValueError(kind)
    url = postgres_url()
    if url is None:
        pytest.skip(
            "no PostgreSQL for the server tests: run ./test.sh (scripts/setup.sh) as root to install and start "
            "one, or set FENQI_TEST_POSTGRES_URL"
        )
    from sqlalchemy.exc import OperationalError

    try:
        empty_postgres(url)
    except ImportError as exc:  # the URL's driver (psycopg comes with the central extra)
        pytest.skip(f"the PostgreSQL driver is not installed: {exc}")
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL at {_shown(url)} is not reachable: {str(exc.orig).strip()}")
    return url
