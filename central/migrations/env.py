"""Alembic environment of the central server. central.migrate passes the connection of an engine made by the
server's engine factory (central.db.central_engine: SQLite's pragmas and write-locking transactions apply) with
the server's keys bound to it (the sealing revisions need them). Run by hand (`alembic -x db=URL upgrade head`
with script_location central/migrations), the engine comes from the same factory and the keys from where the
server reads them; `fenqi-central db upgrade` is the usual way."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection

from central.db import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from central.migrate import keyed_engine
    from central.paths import DB_ENV

    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get(DB_ENV, "")
    if not url:
        raise SystemExit(f"name the database: alembic -x db=URL …, or {DB_ENV}")
    engine = keyed_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: the server migrates its database when it opens it")
run_migrations_online()
