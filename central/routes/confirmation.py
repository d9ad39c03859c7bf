"""The one-time code that confirms a signing on the applicant's own phone: sent, then typed (central.confirmations).

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from app.wire.errors import ErrorBody
from app.wire.evidence import CodeEntry, CodeRequest, CodeSent, Confirmed
from central import confirmations
from central.access import device
from central.auth import factory_of
from central.db import Device

router = APIRouter()
LIMITED = {"model": ErrorBody, "description": "`rate_limited` or `too_many_tries`: see Retry-After."}


def _answer(reply: confirmations.Reply) -> JSONResponse:
    headers = {"Retry-After": str(reply.retry_after)} if reply.retry_after is not None else {}
    return JSONResponse(reply.body, status_code=reply.status_code, headers=headers)


@router.post(
    "/v1/applications/{application_id}/confirmation-code",
    status_code=202,
    response_model=CodeSent,
    responses={
        409: {"model": ErrorBody, "description": "`already_decided`, or `sms_unavailable`: no SMS can be sent now."},
        422: {"model": ErrorBody, "description": "`bad_phone`: not a mainland mobile number; or `invalid`."},
        429: LIMITED,
    },
)
def send_code(
    application_id: uuid.UUID, body: CodeRequest, request: Request, who: Annotated[Device, Depends(device)]
) -> Any:
    """Send a one-time code to the applicant's mobile; the application need not have arrived yet."""
    sms = request.app.state.sms
    return _answer(confirmations.send_code(factory_of(request), sms, who, str(application_id), body))


@router.post(
    "/v1/applications/{application_id}/confirmation",
    response_model=Confirmed,
    responses={
        404: {"model": ErrorBody, "description": "No code was sent for this application from this store."},
        410: {"model": ErrorBody, "description": "`code_expired`: send a new code."},
        422: {"model": ErrorBody, "description": "`code_wrong` with `tries_left`; or `invalid`."},
        429: LIMITED,
    },
)
def confirm(
    application_id: uuid.UUID, body: CodeEntry, request: Request, who: Annotated[Device, Depends(device)]
) -> Any:
    """Check the code the customer typed."""
    return _answer(confirmations.confirm(factory_of(request), who, str(application_id), body))
