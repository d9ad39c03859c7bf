"""Devices: activation with a store's one-time code, and consent withdrawals reported by a device."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from central import devices, submissions
from central.auth import Refused, device, factory_of
from central.db import Device
from central.routes.applications import outcome_response

router = APIRouter()


@router.post("/v1/devices/activate", status_code=201)
def activate(body: dict[str, Any], request: Request) -> Any:
    result = devices.activate(factory_of(request), str(body.get("store", "")), str(body.get("code", "")))
    if result is None:
        raise Refused(403, "activation_refused", "The store code or activation code is wrong or used.")
    return {"device_id": result[0], "token": result[1]}


@router.post("/v1/consent-withdrawals")
def withdrawal(
    body: dict[str, Any],
    request: Request,
    who: Annotated[Device, Depends(device)],
    idempotency_key: Annotated[str, Header()] = "",
) -> Any:
    return outcome_response(submissions.record_withdrawal(factory_of(request), who, idempotency_key, body))
