"""What a device does at each sync besides sending applications: report its health and audit head (and hear
back velocity counts, the roster version and the published files), fetch the roster and signed files, and
store attachments by SHA-256 (raw bytes, streamed, at most 20 MiB each).

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

import base64
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request

from app.wire.exchange import (
    Download,
    HealthReport,
    HeartbeatAnswer,
    PublishedKind,
    Roster,
    StoredAttachment,
)
from central import documents, health, publications, roster
from central.access import device
from central.auth import Refused, factory_of
from central.db import Device
from central.routes.applications import outcome_response

router = APIRouter()


@router.post("/v1/devices/heartbeat", response_model=HeartbeatAnswer)
def heartbeat(body: HealthReport, request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    with factory_of(request).begin() as session:
        return health.report(session, who, body, dt.datetime.now(dt.UTC))


@router.get("/v1/roster", response_model=Roster)
def get_roster(request: Request, who: Annotated[Device, Depends(device)]) -> Any:
    with factory_of(request)() as session:
        return roster.roster_document(session, who.store_code)


@router.get("/v1/downloads/{kind}", response_model=Download)
def download(kind: PublishedKind, request: Request, who: Annotated[Device, Depends(device)]) -> Any:
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


@router.put(
    "/v1/attachments/{sha256}",
    response_model=StoredAttachment,
    responses={201: {"model": StoredAttachment, "description": "Stored for the first time."}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def put_attachment(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    request: Request,
    who: Annotated[Device, Depends(device)],
    content_type: Annotated[str, Header(max_length=100)] = "application/octet-stream",
) -> Any:
    content = bytearray()
    async for chunk in request.stream():  # central.limits stops it past 20 MiB
        content += chunk
    return outcome_response(documents.put_attachment(factory_of(request), who, sha256, bytes(content), content_type))
