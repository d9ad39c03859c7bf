"""Applications: idempotent submission (one or a batch), status for reconciliation, and the decision cursor."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select

from central import submissions
from central.auth import Refused, device, factory_of
from central.db import Decision, Device

router = APIRouter()


def outcome_response(outcome: submissions.Outcome) -> JSONResponse:
    """The outcome as a response; a replay is marked with `Idempotent-Replayed: true`."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)


@router.put("/v1/applications/{application_id}")
async def put_application(
    application_id: str,
    request: Request,
    who: Annotated[Device, Depends(device)],
    idempotency_key: Annotated[str, Header()] = "",
) -> Any:
    if not idempotency_key:
        raise Refused(400, "idempotency_key_missing", "Every submission needs an Idempotency-Key header.")
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise Refused(422, "bad_body", "The body is not JSON.") from exc
    outcome = await run_in_threadpool(
        submissions.submit, factory_of(request), who, application_id, idempotency_key, body
    )
    return outcome_response(outcome)


@router.post("/v1/applications/batch")
async def batch(request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    # Parsed by hand, not declared as a model: validating a 50-application body as a dict costs more than
    # storing it, and each item is checked on its own anyway.
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise Refused(422, "bad_body", "The body is not JSON.") from exc
    items = [i for i in (body.get("items", []) if isinstance(body, dict) else []) if isinstance(i, dict)]
    outcomes = await run_in_threadpool(submissions.submit_many, factory_of(request), who, items)
    results = []
    for item, outcome in zip(items, outcomes, strict=True):
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


@router.get("/v1/applications/{application_id}")
def get_application(application_id: str, request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    return outcome_response(submissions.status_of(factory_of(request), who, application_id))


@router.get("/v1/decisions")
def decisions(request: Request, who: Annotated[Device, Depends(device)], since: int = 0) -> Any:
    with factory_of(request)() as session:
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
