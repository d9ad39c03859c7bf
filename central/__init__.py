"""The reference central API (FastAPI + SQLAlchemy). Built with the sync issue; empty until then."""
