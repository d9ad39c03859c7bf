"""Evidence a device sends before its applications: which documents the lender lacks, and the bank's check of
a repayment card's four elements.

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from app.wire.errors import ErrorBody
from app.wire.evidence import CardChecked, CardCheckRequest, HashQuery, MissingDocuments
from central import card_checks, evidence
from central.access import device
from central.auth import factory_of
from central.bank import CardVerifier
from central.db import Device

router = APIRouter()
RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "Too many requests (rate_limited); Retry-After says when to ask again."}
}


@router.post("/v1/attachments/missing", response_model=MissingDocuments, responses=RATE_LIMITED)
def missing_attachments(body: HashQuery, request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    """Which of these documents (by SHA-256) the lender does not hold yet, in the order asked."""
    return evidence.ask_missing(factory_of(request), who, body, dt.datetime.now(dt.UTC))


@router.post(
    "/v1/applications/{application_id}/card-check",
    response_model=CardChecked,
    responses={
        404: {"model": ErrorBody, "description": "Another store's application."},
        409: {"model": ErrorBody, "description": "`already_decided`, or `bank_unavailable`: the bank cannot answer."},
        422: {"model": ErrorBody, "description": "`bad_phone`: not a mainland mobile number; or `invalid`."},
        **RATE_LIMITED,
    },
)
def card_check(
    application_id: uuid.UUID, body: CardCheckRequest, request: Request, who: Annotated[Device, Depends(device)]
) -> Any:
    """Ask the bank about the repayment card's four elements; the application need not have arrived yet."""
    bank: CardVerifier = request.app.state.bank
    now = dt.datetime.now(dt.UTC)
    return card_checks.check_at_counter(factory_of(request), bank, who, str(application_id), body, now)
