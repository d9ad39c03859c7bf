"""People: a reviewer or regional manager signs in for a short-lived token; reviewers see the referred
applications of their region and decide them.

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from app.wire.people import Review, Reviewed, ReviewQueue, SignedIn, SignIn
from central import accounts, submissions
from central.access import region_stores, reviewer
from central.auth import Refused, factory_of
from central.db import Account, SubmittedApplication
from central.moments import as_utc
from central.routes.applications import outcome_response

router = APIRouter()


@router.post("/v1/sessions", status_code=201, response_model=SignedIn)
def sign_in(body: SignIn, request: Request) -> Any:
    try:
        signed = accounts.sign_in(factory_of(request), body.username, body.password)
    except accounts.SignInRefused as exc:
        raise Refused(401, "sign_in_refused", str(exc)) from exc
    return {
        "token": signed.token,
        "expires_at": as_utc(signed.expires_at).isoformat(),
        "username": signed.username,
        "role": signed.role,
        "region": signed.region,
    }


@router.get("/v1/reviews", response_model=ReviewQueue)
def queue(request: Request, who: Annotated[Account, Depends(reviewer)]) -> Any:
    with factory_of(request)() as session:
        rows = session.scalars(
            select(SubmittedApplication)
            .where(SubmittedApplication.status == "referred", SubmittedApplication.store_code.in_(region_stores(who)))
            .order_by(SubmittedApplication.received_at)
            .limit(200)
        ).all()
    return {
        "referred": [
            {"application_id": r.application_id, "store": r.store_code, "received_at": as_utc(r.received_at)}
            for r in rows
        ]
    }


@router.post("/v1/reviews/{application_id}", response_model=Reviewed)
def review(
    application_id: uuid.UUID, body: Review, request: Request, who: Annotated[Account, Depends(reviewer)]
) -> Any:
    return outcome_response(
        submissions.review(
            factory_of(request), str(application_id), body.decision, body.reason, who.username, region=who.region
        )
    )
