"""Devices: activation with a store's one-time code (consent withdrawals are in central.routes.applications)."""

from fastapi import APIRouter, Request

from app.wire.activation import ActivationAnswer, ActivationRequest
from app.wire.errors import ErrorBody
from central import devices
from central.auth import Refused, factory_of

router = APIRouter()


@router.post(
    "/v1/devices/activate",
    status_code=201,
    response_model=ActivationAnswer,
    responses={
        403: {"model": ErrorBody, "description": "activation_refused: the store or activation code is wrong or used."},
        409: {"model": ErrorBody, "description": "roster_empty: the lender has no roster for the store (code unused)."},
    },
)
def activate(body: ActivationRequest, request: Request) -> ActivationAnswer:
    """A new device of the store, with the store's record: the PC becomes that store's counter."""
    try:
        return devices.activate(factory_of(request), body.store, body.code)
    except devices.ActivationRefused as exc:
        raise Refused(exc.status, exc.code, exc.message) from exc
