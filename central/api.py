"""The reference central API under /v1 (FastAPI): the app on one database, with its routes by area (see
central.routes) and who may call each in central.access. Every body is a model of app.wire, so /openapi.json
describes them all. Every refusal, validation errors included, is `{"error": {code, message, fields?}}` with a
4xx status; a JSON body over 1 MiB is refused with 413 before it is parsed (attachments: 20 MiB)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app.wire.errors import ErrorBody, FieldProblem, error_body
from central.auth import Refused
from central.bank import DevelopmentBank
from central.db import open_database
from central.limits import BodyLimit
from central.paths import data_dir
from central.routes import applications, confirmation, devices, evidence, people, reports, sync
from central.sms import DevelopmentSms

STATUS_CODES = {400: "bad_body", 404: "not_found", 405: "method_not_allowed", 413: "too_large", 415: "bad_media_type"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "The body is not JSON."),
        (401, "No valid device token or session."),
        (403, "The caller may not do this (or its device was revoked)."),
        (404, "No such thing for this caller (another store's or region's applications included)."),
        (409, "A conflict with the application's state or a request in flight."),
        (413, "The body is too large."),
        (422, "A value of the body, query or address is refused; `fields` says which."),
    )
}


def _where(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)


def create_app(db_url: str) -> FastAPI:
    """The API on the database at `db_url` (tables created if missing)."""
    app = FastAPI(title="Fenqi central API (reference)", version="1", responses=ERROR_RESPONSES)
    app.add_middleware(BodyLimit)
    app.state.factory = open_database(db_url)
    app.state.sms = DevelopmentSms(data_dir())  # the one-time codes' SMS provider (central.sms); tests may put another
    app.state.bank = DevelopmentBank()  # the card checks' bank (central.bank); tests may put another here

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        headers = {} if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
        body = error_body(exc.code, exc.message, tries_left=exc.tries_left, missing=exc.missing)
        return JSONResponse(body, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            FieldProblem(field=_where(tuple(e.get("loc", ()))), problem=str(e.get("msg", "")))
            for e in exc.errors()[:20]
        ]
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return JSONResponse(error_body("bad_body", "The body is not JSON."), status_code=400)
        return JSONResponse(error_body("invalid", "A value is refused; see fields.", problems), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_refusal(_request: Request, exc: HTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "refused")
        status = exc.status_code if 400 <= exc.status_code < 500 else 400
        return JSONResponse(error_body(code, str(exc.detail)), status_code=status, headers=exc.headers)

    for module in (applications, confirmation, devices, evidence, people, reports, sync):
        app.include_router(module.router)
    return app


def app_from_env() -> FastAPI:
    """The app on the database named by FENQI_CENTRAL_DB (for `uvicorn --factory`, e.g. in bench/sync.py)."""
    import os

    return create_app(os.environ["FENQI_CENTRAL_DB"])
