"""What a device does at each sync besides sending applications: report its health and audit head (and hear
back velocity counts, the roster version and the published files), fetch the roster and signed files, store
attachments by SHA-256, and ask to cancel an application."""

import base64
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from central import documents, health, publications, roster
from central.auth import Refused, device, factory_of
from central.db import Device
from central.routes.applications import outcome_response

router = APIRouter()


@router.post("/v1/devices/heartbeat")
def heartbeat(body: dict[str, Any], request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    with factory_of(request).begin() as session:
        return health.report(session, who, body, dt.datetime.now(dt.UTC))


@router.get("/v1/roster")
def get_roster(request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    with factory_of(request)() as session:
        return roster.roster_document(session, who.store_code)


@router.get("/v1/downloads/{kind}")
def download(kind: str, request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    with factory_of(request)() as session:
        found = publications.current(session, kind)
    if found is None:
        raise Refused(404, "not_published", f"No {kind} is published.")
    return {
        "kind": found.kind,
        "sha256": found.sha256,
        "content": base64.b64encode(found.content).decode(),
        "signature": None if found.signature is None else base64.b64encode(found.signature).decode(),
    }


@router.put("/v1/attachments/{sha256}")
async def put_attachment(
    sha256: str,
    request: Request,
    who: Annotated[Device, Depends(device)],
    content_type: Annotated[str, Header()] = "application/octet-stream",
) -> Any:
    content = await request.body()
    return outcome_response(documents.put_attachment(factory_of(request), who, sha256, content, content_type))


@router.post("/v1/attachments/batch")
def put_attachments(body: dict[str, Any], request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    results = []
    for item in body.get("items", []):
        try:
            content = base64.b64decode(item["content"], validate=True)
            outcome = documents.put_attachment(
                factory_of(request), who, str(item["sha256"]), content, str(item.get("media_type", ""))
            )
        except (KeyError, TypeError, ValueError):
            outcome = documents.error(422, "bad_item", "Each item needs a sha256 and base64 content.")
        results.append({"sha256": str(item.get("sha256", "")), "status_code": outcome.status_code})
    return {"results": results}


@router.post("/v1/applications/{application_id}/cancellation")
def cancel(
    application_id: str,
    body: dict[str, Any],
    request: Request,
    who: Annotated[Device, Depends(device)],
    idempotency_key: Annotated[str, Header()] = "",
) -> Any:
    return outcome_response(
        documents.request_cancellation(factory_of(request), who, application_id, idempotency_key, body)
    )
