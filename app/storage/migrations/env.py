"""Alembic environment. The engine comes from the app's engine factory so every pragma applies."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from app.storage.engine import create_store_engine
from app.storage.models import Base

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
    engine = create_store_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: the store is migrated when the application opens it")
run_migrations_online()
