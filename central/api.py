"""The reference central API under /v1 (FastAPI): the app on one database, with its routes by area (see
central.routes). Devices authenticate with a bearer token from activation; people (reviewers, regional
managers) with a short-lived session token; refusals are JSON `{"error": {code, message}}`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from central.auth import Refused
from central.db import open_database
from central.routes import applications, devices, people, reports, sync


def create_app(db_url: str) -> FastAPI:
    """The API on the database at `db_url` (tables created if missing)."""
    app = FastAPI(title="Fenqi central API (reference)", version="1")
    app.state.factory = open_database(db_url)

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status)

    for module in (applications, devices, people, reports, sync):
        app.include_router(module.router)
    return app


def app_from_env() -> FastAPI:
    """The app on the database named by FENQI_CENTRAL_DB (for `uvicorn --factory`, e.g. in bench/sync.py)."""
    import os

    return create_app(os.environ["FENQI_CENTRAL_DB"])
