"""The one engine factory: every connection gets the pragmas, every write transaction BEGIN IMMEDIATE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000
BEGIN_OPTION = "fenqi_begin"


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a database file."""
    return f"sqlite:///{path}"


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine whose connections use WAL, synchronous=FULL, foreign keys and a busy timeout.

    Transactions begin IMMEDIATE (the write lock is taken up front, so two writers never deadlock on an
    upgrade from a read lock). Read-only work may ask for a deferred begin with
    `engine.execution_options(fenqi_begin="DEFERRED")`.
    """
    engine = create_engine(url, echo=echo)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event below issue BEGIN instead of the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Freed pages are zeroed: a deleted or overwritten sealed value leaves no copy in free space (many
        # SQLite builds have this off by default; the purge relies on it).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN DEFERRED")

    return engine


def reader(engine: Engine) -> Engine:
    """A view of `engine` whose transactions begin deferred, for work that only reads."""
    return engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
