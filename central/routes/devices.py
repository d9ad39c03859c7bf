"""Devices: activation with a store's one-time code, and consent withdrawals reported by a device."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from app.wire.activation import ActivationAnswer, ActivationRequest
from central import devices, submissions
from central.auth import Refused, device, factory_of
from central.db import Device
from central.routes.applications import outcome_response

router = APIRouter()


@router.post(
    "/v1/devices/activate",
    status_code=201,
    response_model=ActivationAnswer,
    responses={
        403: {"description": "activation_refused: the store or activation code is wrong or used."},
        409: {"description": "roster_empty: the lender has no roster for the store (code unused)."},
    },
)
def activate(body: ActivationRequest, request: Request) -> ActivationAnswer:
    """A new device of the store, with the store's record: the PC becomes that store's counter."""
    try:
        return devices.activate(factory_of(request), body.store, body.code)
    except devices.ActivationRefused as exc:
        raise Refused(exc.status, exc.code, exc.message) from exc


@router.post("/v1/consent-withdrawals")
def withdrawal(
    body: dict[str, Any],
    request: Request,
    who: Annotated[Device, Depends(device)],
    idempotency_key: Annotated[str, Header()] = "",
) -> Any:
    return outcome_response(submissions.record_withdrawal(factory_of(request), who, idempotency_key, body))
