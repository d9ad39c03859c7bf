"""The databases the reference server's tests run on: SQLite in a temporary folder, and PostgreSQL when one is
set up — by scripts/setup.sh run as root (it writes the URL to .venv/fenqi-test-postgres-url), or named by
FENQI_TEST_POSTGRES_URL. Each use of PostgreSQL gets a schema of its own (the URL sets its search_path), so
test runs at the same time never see each other's tables; without PostgreSQL, that variant is skipped with the
reason."""

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


def fresh_schema(url: str) -> str:
    """A new empty schema in the database; the URL that makes it the only one the server sees."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    finally:
        engine.dispose()
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


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
        return fresh_schema(url)
    except ImportError as exc:  # the URL's driver (psycopg comes with the central extra)
        pytest.skip(f"the PostgreSQL driver is not installed: {exc}")
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL at {_shown(url)} is not reachable: {str(exc.orig).strip()}")
