"""The reference central API (FastAPI + SQLAlchemy): what a store counter syncs with. Started by `fenqi-central`."""
