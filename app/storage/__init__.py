"""The local SQLite store: engine, models, migrations, repositories, demo data."""
