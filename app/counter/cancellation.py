"""Cancelling an application because the customer changed their mind. One the lender has never seen (not yet
queued) is cancelled here and now; one it has or will receive is cancelled by the lender: the request goes to
the outbox, and the application is cancelled when the lender confirms (it refuses once it decided)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, UNDECIDED_STATES, ApplicationState, parse_state, state_label
from app.domain.roles import Permission, PermissionDenied, Role, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, OutboxItem
from app.storage.outbox import enqueue
from app.storage.repositories import ApplicationRepository
from app.wire.keys import CANCELLATION
from app.wire.limits import MAX_REASON

KIND = "cancellation"


class CancellationService:
    """Cancellation requests for one store's applications."""

    def __init__(self, store: LocalStore, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self.audit = AuditLog.for_store(store)

    def cancel(self, actor: Actor, application_id: uuid.UUID, reason: str) -> ApplicationState:
        """Cancel now (returns CANCELLED) or ask the lender to (returns the unchanged state); InvalidInput when
        the application is decided or a request is already waiting, PermissionDenied when a sales consultant
        cancels another's application (the store manager or the creator may), and then nothing is written."""
        require_permission(actor.role, Permission.CANCEL_APPLICATION)
        reason = " ".join(reason.split())  # one line: the lender's contract takes no control characters
        if not reason:
            raise InvalidInput(_("Say why the application is cancelled."), code="reason_required")
        if len(reason) > MAX_REASON:
            raise InvalidInput(
                _("Say why in at most {count} characters.").format(count=MAX_REASON), code="reason_too_long"
            )
        now = self.clock()
        with self.store.write() as session:
            application = session.get(Application, application_id)
            if application is None:
                raise InvalidInput(_("No such application."), code="not_found")
            if actor.role is Role.SALES and application.staff_id != actor.staff_id:
                raise PermissionDenied(_("Only the store manager or the clerk who filed it may cancel an application."))
            state = parse_state(application.state)
            sends = set(
                session.scalars(
                    select(OutboxItem.status).where(
                        OutboxItem.application_id == application_id, OutboxItem.kind == "application"
                    )
                )
            )
            never_reached = state is ApplicationState.QUEUED and sends <= {"dead", "resent"}  # refused every time
            if state in EDITABLE_STATES or state is ApplicationState.SIGNED or never_reached:
                ApplicationRepository().transition(
                    session, application_id, ApplicationState.CANCELLED, actor.audit_name, now
                )
                self._log(session, actor, "application.cancelled", application_id, now)
                return ApplicationState.CANCELLED
            if state not in UNDECIDED_STATES:
                raise InvalidInput(
                    _("This application is {state}: it can no longer be cancelled.").format(state=state_label(state)),
                    code="not_cancellable",
                )
            waiting = session.scalar(
                select(OutboxItem.id).where(
                    OutboxItem.application_id == application_id,
                    OutboxItem.kind == KIND,
                    OutboxItem.status == "pending",
                )
            )
            if waiting is not None:
                raise InvalidInput(
                    _("A cancellation of this application is already waiting to be sent."), code="already_requested"
                )
            body = {"application_id": str(application_id), "reason": reason}
            enqueue(session, self.store, KIND, application_id, CANCELLATION, now.isoformat(), body, now)
            self._log(session, actor, "application.cancellation_requested", application_id, now)
            return state

    def _log(self, session: Session, actor: Actor, action: str, application_id: uuid.UUID, now: dt.datetime) -> None:
        self.audit.append(
            session,
            actor.audit_name,
            action,
            object_type="application",
            object_id=str(application_id),
            at=now,
        )
