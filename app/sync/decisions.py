"""Decisions pulled back from the central server with a cursor: each updates its application (submitted →
referred → approved or declined) and becomes a notice for the clerk who filed it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from app.domain.application import ApplicationState, can_transition, parse_state
from app.kernel.clock import utc_now
from app.storage.local_store import LocalStore
from app.storage.models import Application, Meta
from app.storage.repositories import ApplicationRepository
from app.sync.client import CentralClient
from app.wire.applications import ApplicationStatus, DecisionPage

CURSOR = "decisions_cursor"
STATES = {
    ApplicationStatus.APPROVED: ApplicationState.APPROVED,
    ApplicationStatus.DECLINED: ApplicationState.DECLINED,
    ApplicationStatus.REFERRED: ApplicationState.REFERRED,
    ApplicationStatus.CANCELLED: ApplicationState.CANCELLED,
}


@dataclass(frozen=True)
class DecisionNotice:
    """A decision that reached this counter, for the clerk who filed the application."""

    application_id: uuid.UUID
    reference: str
    decision: str
    staff_id: uuid.UUID | None
    reasons: list[str]


def pull_decisions(
    store: LocalStore, client: CentralClient, clock: Callable[[], dt.datetime] = utc_now
) -> list[DecisionNotice]:
    """Apply every decision after the stored cursor, in order; the cursor moves in the same transaction as the
    changes it covers, so a decision is applied once even if the pull is interrupted. An answer that does not
    fit the wire contract changes nothing (the next pull asks again from the same cursor)."""
    with store.read() as session:
        meta = session.get(Meta, CURSOR)
        since = int(meta.value) if meta else 0
    reply = client.decisions(since)
    notices: list[DecisionNotice] = []
    try:
        page = DecisionPage.model_validate(reply.body) if reply.status_code == 200 else None
    except ValidationError:
        page = None
    if page is None:
        return notices
    now = clock()
    with store.write() as session:
        for item in page.decisions:
            application = session.get(Application, item.application_id)
            target = STATES.get(item.decision)
            if application is None or target is None:
                continue
            current = parse_state(application.state)
            if current is ApplicationState.QUEUED and can_transition(ApplicationState.SUBMITTED, target):
                # The decision came before our own acknowledgement did: the server has it, so it was submitted.
                ApplicationRepository().transition(session, application.id, ApplicationState.SUBMITTED, "sync", now)
                current = ApplicationState.SUBMITTED
            if can_transition(current, target):
                ApplicationRepository().transition(session, application.id, target, "central", now)
                notices.append(
                    DecisionNotice(
                        application.id,
                        application.reference,
                        item.decision.value,
                        application.staff_id,
                        [r.text for r in item.reasons],
                    )
                )
        session.merge(Meta(key=CURSOR, value=str(page.next)))
    return notices
