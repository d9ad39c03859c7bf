"""The reference central API under /v1 (FastAPI). Devices authenticate with a bearer token from activation;
application submissions are idempotent by key (see central.submissions).

No `from __future__ import annotations` here: FastAPI reads the dependency annotations at run time, and the
device dependency is a closure it could not resolve from a string."""

import json
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from central import devices, submissions
from central.db import Decision, Device, open_database


def _json(outcome: submissions.Outcome) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)


def create_app(db_url: str) -> FastAPI:
    """The API on the database at `db_url` (tables created if missing)."""
    factory = open_database(db_url)
    app = FastAPI(title="Fenqi central API (reference)", version="1")
    app.state.factory = factory

    def device(authorization: Annotated[str, Header()] = "") -> Device:
        token = authorization.removeprefix("Bearer ").strip()
        found = devices.device_for_token(factory, token) if token else None
        if found is None:
            raise _Refused(401, "unauthenticated", "Activate this device, or sign in again.")
        if found.revoked_reason is not None:
            raise _Refused(403, "device_revoked", f"This device was revoked: {found.revoked_reason}")
        return found

    @app.exception_handler(Exception)
    async def refused(_request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, _Refused):
            return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status)
        raise exc

    @app.post("/v1/devices/activate", status_code=201)
    def activate(body: dict[str, Any]) -> Any:
        result = devices.activate(factory, str(body.get("store", "")), str(body.get("code", "")))
        if result is None:
            raise _Refused(403, "activation_refused", "The store code or activation code is wrong or used.")
        return {"device_id": result[0], "token": result[1]}

    @app.put("/v1/applications/{application_id}")
    async def put_application(
        application_id: str,
        request: Request,
        who: Annotated[Device, Depends(device)],
        idempotency_key: Annotated[str, Header()] = "",
    ) -> Any:
        if not idempotency_key:
            raise _Refused(400, "idempotency_key_missing", "Every submission needs an Idempotency-Key header.")
        try:
            body = json.loads(await request.body())
        except ValueError as exc:
            raise _Refused(422, "bad_body", "The body is not JSON.") from exc
        return _json(submissions.submit(factory, who, application_id, idempotency_key, body))

    @app.post("/v1/applications/batch")
    def batch(body: dict[str, Any], who: Annotated[Device, Depends(device)]) -> Any:
        items = [i for i in body.get("items", []) if isinstance(i, dict)]
        results = []
        for item, outcome in zip(items, submissions.submit_many(factory, who, items), strict=True):
            application_id = str(item.get("application_id", ""))
            results.append(
                {
                    "application_id": application_id,
                    "status_code": outcome.status_code,
                    "body": outcome.body,
                    "replayed": outcome.replayed,
                }
            )
        return {"results": results}

    @app.post("/v1/consent-withdrawals")
    def withdrawal(
        body: dict[str, Any], who: Annotated[Device, Depends(device)], idempotency_key: Annotated[str, Header()] = ""
    ) -> Any:
        return _json(submissions.record_withdrawal(factory, who, idempotency_key, body))

    @app.get("/v1/applications/{application_id}")
    def get_application(application_id: str, who: Annotated[Device, Depends(device)]) -> Any:
        return _json(submissions.status_of(factory, who, application_id))

    @app.get("/v1/decisions")
    def decisions(who: Annotated[Device, Depends(device)], since: int = 0) -> Any:
        with factory() as session:
            rows = session.scalars(
                select(Decision)
                .where(Decision.store_code == who.store_code, Decision.seq > since)
                .order_by(Decision.seq)
                .limit(500)
            ).all()
        return {
            "decisions": [
                {
                    "seq": r.seq,
                    "application_id": r.application_id,
                    "decision": r.decision,
                    "reasons": json.loads(r.reasons),
                    "automatic": r.automatic,
                    "decided_at": r.decided_at.isoformat(),
                }
                for r in rows
            ],
            "next": rows[-1].seq if rows else since,
        }

    return app


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def app_from_env() -> FastAPI:
    """The app on the database named by FENQI_CENTRAL_DB (for `uvicorn --factory`, e.g. in bench/sync.py)."""
    import os

    return create_app(os.environ["FENQI_CENTRAL_DB"])
