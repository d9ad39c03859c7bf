"""Applications, for the device of the store that filed them: idempotent submission (one or a batch), status
for reconciliation, the decision cursor, cancellation and consent withdrawals.

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select

from app.wire.applications import (
    Accepted,
    Batch,
    BatchAnswer,
    CancellationRequest,
    Cancelled,
    ConsentWithdrawal,
    DecisionPage,
    Recorded,
    Submission,
)
from app.wire.types import MAX_SEQ
from central import documents, submissions
from central.access import device
from central.auth import factory_of
from central.db import Decision, Device
from central.moments import as_utc

router = APIRouter()
IdempotencyKey = Annotated[uuid.UUID, Header(description="The key of this request (app.wire.keys).")]


def outcome_response(outcome: submissions.Outcome) -> JSONResponse:
    """The outcome as a response; a replay is marked with `Idempotent-Replayed: true`."""
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)


@router.put(
    "/v1/applications/{application_id}",
    response_model=Accepted,
    responses={201: {"model": Accepted, "description": "The first revision arrived."}},
)
async def put_application(
    application_id: uuid.UUID,
    body: Submission,
    request: Request,
    who: Annotated[Device, Depends(device)],
    idempotency_key: IdempotencyKey,
) -> Any:
    outcome = await run_in_threadpool(
        submissions.submit,
        factory_of(request),
        who,
        str(application_id),
        str(idempotency_key),
        body,
        request.app.state.bank,
    )
    return outcome_response(outcome)


@router.post("/v1/applications/batch", response_model=BatchAnswer)
async def batch(body: Batch, request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    outcomes = await run_in_threadpool(
        submissions.submit_many, factory_of(request), who, body.items, request.app.state.bank
    )
    return {
        "results": [
            {
                "application_id": str(item.application_id),
                "status_code": outcome.status_code,
                "body": outcome.body,
                "replayed": outcome.replayed,
            }
            for item, outcome in zip(body.items, outcomes, strict=True)
        ]
    }


@router.get("/v1/applications/{application_id}", response_model=Accepted)
def get_application(application_id: uuid.UUID, request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    return outcome_response(submissions.status_of(factory_of(request), who, str(application_id)))


@router.get("/v1/decisions", response_model=DecisionPage)
def decisions(
    request: Request, who: Annotated[Device, Depends(device)], since: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0
) -> Any:
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
                "decided_at": as_utc(r.decided_at).isoformat(),
            }
            for r in rows
        ],
        "next": rows[-1].seq if rows else since,
    }


@router.post("/v1/applications/{application_id}/cancellation", response_model=Cancelled)
def cancel(
    application_id: uuid.UUID,
    body: CancellationRequest,
    request: Request,
    who: Annotated[Device, Depends(device)],
    idempotency_key: IdempotencyKey,
) -> Any:
    return outcome_response(
        documents.request_cancellation(factory_of(request), who, str(application_id), str(idempotency_key), body)
    )


@router.post(
    "/v1/consent-withdrawals",
    response_model=Recorded,
    responses={201: {"model": Recorded, "description": "The withdrawal is recorded."}},
)
def withdrawal(
    body: ConsentWithdrawal,
    request: Request,
    who: Annotated[Device, Depends(device)],
    idempotency_key: IdempotencyKey,
) -> Any:
    return outcome_response(submissions.record_withdrawal(factory_of(request), who, str(idempotency_key), body))
