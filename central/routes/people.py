"""People: a reviewer or regional manager signs in for a short-lived token; reviewers see the referred
applications and decide them."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy import select

from central import accounts, submissions
from central.auth import Refused, bearer, factory_of
from central.db import Account, SubmittedApplication
from central.routes.applications import outcome_response

router = APIRouter()


def account(request: Request, authorization: Annotated[str, Header()] = "") -> Account:
    """The signed-in person; 401 without a valid, unexpired session token."""
    token = bearer(authorization)
    found = accounts.account_for_token(factory_of(request), token) if token else None
    if found is None:
        raise Refused(401, "unauthenticated", "Sign in again (fenqi login).")
    return found


def reviewer(who: Annotated[Account, Depends(account)]) -> Account:
    """The signed-in person, who must be a reviewer."""
    if who.role != "reviewer":
        raise Refused(403, "not_a_reviewer", "Only the lender's reviewers decide applications.")
    return who


@router.post("/v1/sessions", status_code=201)
def sign_in(body: dict[str, Any], request: Request) -> Any:
    try:
        signed = accounts.sign_in(factory_of(request), str(body.get("username", "")), str(body.get("password", "")))
    except accounts.SignInRefused as exc:
        raise Refused(401, "sign_in_refused", str(exc)) from exc
    return {
        "token": signed.token,
        "expires_at": signed.expires_at.isoformat(),
        "username": signed.username,
        "role": signed.role,
        "region": signed.region,
    }


@router.get("/v1/reviews")
def queue(request: Request, who: Annotated[Account, Depends(reviewer)]) -> Any:
    with factory_of(request)() as session:
        rows = session.scalars(
            select(SubmittedApplication)
            .where(SubmittedApplication.status == "referred")
            .order_by(SubmittedApplication.received_at)
            .limit(200)
        ).all()
    return {
        "referred": [
            {"application_id": r.application_id, "store": r.store_code, "received_at": r.received_at.isoformat()}
            for r in rows
        ]
    }


@router.post("/v1/reviews/{application_id}")
def review(
    application_id: str, body: dict[str, Any], request: Request, who: Annotated[Account, Depends(reviewer)]
) -> Any:
    decision, reason = str(body.get("decision", "")), str(body.get("reason", ""))
    return outcome_response(submissions.review(factory_of(request), application_id, decision, reason, who.username))
