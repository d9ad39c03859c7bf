"""The central server's Alembic migrations (central.migrate runs them; `fenqi-central db upgrade|current`)."""
