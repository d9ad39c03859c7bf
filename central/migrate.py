"""The server's schema kept up to date with Alembic (central/migrations), on the server's own engine, and the
server's keys checked against the database before anything is read or sealed.

`prepare` runs when the server (or one of its commands) opens the database, in one transaction:
- an empty database is made by the revisions, as every other (about 20 ms on SQLite against 10 ms for
  `create_all`; tests/integration/test_central_sealing.py checks they make the schema the models describe);
- a database made before Alembic (tables present, no alembic_version) is brought to revision 0001's shape (the
  tables and columns older servers added by hand when they started), stamped 0001, then upgraded, and its
  report figures are counted when it had none;
- any other database is upgraded to the newest revision.
On PostgreSQL an advisory lock makes servers starting at the same time take turns; on SQLite the write lock
does."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from central import sealing
from central.sealing import KeyRing

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
FIRST = "0001"
_LOCK = 0x46454E5143454E54  # pg_advisory_xact_lock's key: "FENQCENT"


class SchemaError(Exception):
    """The database's schema is not one this server can work on (a newer server's): it does not start."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the server's migrations (no ini file), on `connection` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this server knows."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision, or None (empty, or made before Alembic)."""
    return MigrationContext.configure(connection).get_current_revision()


def _keys(connection: Connection, keys: KeyRing | None) -> KeyRing:
    recorded = sealing.recorded_key_ids(connection)
    ring = keys or sealing.server_keys(create=not recorded)
    sealing.check_ring(ring, recorded)
    return ring


def keyed_engine(url: str, keys: KeyRing | None = None) -> Engine:
    """An engine from the server's engine factory with the server's keys (checked against the database) bound
    to it, the schema left as it is (Alembic's env.py run by hand)."""
    from central.db import central_engine

    engine = central_engine(url)
    try:
        with engine.connect() as connection:
            sealing.bind(engine, _keys(connection, keys))
    except BaseException:
        engine.dispose()
        raise
    return engine


def prepare(engine: Engine, keys: KeyRing | None = None) -> KeyRing:
    """Bind the server's keys to `engine` (`keys`, else those in the environment or the key file), refusing
    keys that do not open what the database holds (SealingError), and bring the schema to the newest revision
    (SchemaError for a newer server's database). The key ring bound."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK})")
        ring = _keys(connection, keys)
        sealing.bind(engine, ring)
        sealed_stored = _up_to_date(connection)
        sealing.record_key_id(connection, ring.current_id)
        connection.commit()
    if sealed_stored:
        _compact(engine)
    return ring


def _up_to_date(connection: Connection) -> bool:
    """Bring the schema to the newest revision; True when the revision that seals stored data ran on a database
    that had data."""
    from central import reporting

    current, head = current_revision(connection), head_revision()
    if current == head:
        return False
    if current is not None and current not in {r.revision for r in _scripts().walk_revisions()}:
        raise SchemaError(
            f"This database's schema is at revision {current}, which this server does not know (its newest is "
            f"{head}): a newer server made it. Run that version, or restore a backup this version made."
        )
    count_reports = False
    had_data = current is not None or "stores" in inspect(connection).get_table_names()
    if current is None and had_data:
        count_reports = _before_alembic(connection)
        MigrationContext.configure(connection).stamp(_scripts(), FIRST)
    command.upgrade(alembic_config(connection), "head")
    if count_reports:
        with Session(bind=connection) as session:
            reporting.count_older(session)
            session.flush()
    return had_data and current in (None, FIRST)


# What the sealing revision (0002) rewrote: their old rows held the data in the clear.
_SEALED_TABLES = ("applications", "consent_withdrawals", "attachments", "cancellations", "decisions", "stores")


def _compact(engine: Engine) -> None:
    """Rewrite the database's files after the stored data was sealed, so the clear text the old rows held does
    not stay behind in free pages (SQLite: VACUUM, then the write-ahead log emptied) or dead rows (PostgreSQL:
    VACUUM FULL of the tables rewritten). Backups taken before still hold it (README)."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")  # the connection is in autocommit mode (central.db's pragmas)
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM FULL {', '.join(_SEALED_TABLES)}, velocity_marks")


def _before_alembic(connection: Connection) -> bool:
    """Bring a database made before Alembic to revision 0001's shape as the servers of that time did when they
    started (missing tables created, the report and store record columns added); True when the report
    columns were added (its figures are to be counted, once the bodies can be read)."""
    from central import reporting
    from central.migrations.schema_0001 import metadata

    metadata.create_all(connection)
    added = reporting.add_report_columns(connection)
    if "opening_hours" not in {c["name"] for c in inspect(connection).get_columns("stores")}:
        connection.exec_driver_sql("ALTER TABLE stores ADD COLUMN name VARCHAR(100) NOT NULL DEFAULT ''")
        connection.exec_driver_sql(
            "ALTER TABLE stores ADD COLUMN opening_hours VARCHAR(11) NOT NULL DEFAULT '08:00-22:00'"
        )
        connection.exec_driver_sql("UPDATE stores SET name = code")
    return added
