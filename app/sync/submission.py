"""Submitting a signed application: the body the lender receives is fixed and written to the outbox, sealed,
with its idempotency key, in the same transaction that moves the application to "waiting to send" — before
any attempt to send it. A corrected resend is the next revision, with its own key."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.counter.evidence import current_documents, live_photo_check
from app.counter.verification import CONFIRMATION, CONFIRMED, newest
from app.domain.actor import Actor
from app.domain.application import ApplicationState, parse_state, state_label
from app.domain.consent import ConsentKind
from app.domain.roles import Permission, require_permission
from app.kernel.canonical import canonical_json
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.attachments import AttachmentRepository
from app.storage.audit import AuditLog
from app.storage.consents import ConsentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Application, OutboxItem, Purchase, Store
from app.storage.outbox import enqueue
from app.storage.repositories import ApplicationRepository, CustomerRepository
from app.wire import applications as wire
from app.wire.applications import Submission
from app.wire.evidence import EvidenceItem, EvidenceKind
from app.wire.keys import SUBMISSION, idempotency_key

KIND = "application"


def submission_body(session: Session, store: LocalStore, application: Application, revision: int) -> dict[str, Any]:
    """What the lender receives for this revision, as the wire contract's JSON: the application, its customer,
    purchase, consents, the documents it names by kind and hash (ID images, live photo, the signed terms,
    signature and contract: they go as attachments, before it), the live photo's check and when the customer
    confirmed the signing with the code (by this PC's record; the lender believes its own).
    Raises InvalidInput when a value cannot go on the wire (the contract's limits), before anything is queued."""
    customers = CustomerRepository.for_store(store)
    customer = customers.get(session, application.customer_id) if application.customer_id else None
    purchase = session.scalar(select(Purchase).where(Purchase.application_id == application.id))
    shop = session.get(Store, application.store_id)
    assert customer is not None and purchase is not None and shop is not None
    hashes = evidence_hashes(session, store, application.id)
    try:
        submission = Submission(
            application_id=application.id,
            revision=revision,
            store=shop.code,
            reference=application.reference,
            staff_id=application.staff_id,
            created_at=application.created_at.astimezone(dt.UTC),
            product=application.product_code,
            term=application.requested_term,
            financed=application.principal,
            purchase=wire.Purchase(
                category=purchase.category,
                description=purchase.description,
                price=purchase.price,
                down_payment=purchase.down_payment,
            ),
            customer=wire.Customer(
                name=customer.name,
                id_number=customer.id_number,
                phone=customer.phone,
                address=customer.address,
                employer=customer.employer,
                job_type=customer.job_type,
                years_at_job=customer.years_at_job,
                monthly_income=customer.monthly_income,
                monthly_expenses=customer.monthly_expenses or None,
                assets=customer.assets,
                monthly_debt_payments=customer.monthly_debt_payments,
                overdue_records=customer.overdue_records,
                housing=customer.housing,
                bank_card=customer.bank_card,
                id_valid_until=customer.id_valid_until,
                id_long_term=customer.id_long_term,
            ),
            consents=[
                wire.ConsentRecord(
                    kind=ConsentKind(c.kind),
                    version=c.text_version,
                    text_sha256=c.text_sha256,
                    granted_at=c.granted_at.astimezone(dt.UTC),
                    withdrawn_at=None if c.withdrawn_at is None else c.withdrawn_at.astimezone(dt.UTC),
                )
                for c in ConsentRepository().records(session, application.id)
            ],
            terms_sha256=hashes.get(EvidenceKind.TERMS),
            contract_sha256=hashes.get(EvidenceKind.CONTRACT),
            signature_strokes_sha256=hashes.get(EvidenceKind.SIGNATURE_STROKES),
            evidence=[EvidenceItem(kind=kind, sha256=sha) for kind, sha in hashes.items()],
            live_photo_check=live_photo_check(session, application.id),
            confirmed_at=newest(session, application.id, CONFIRMATION, CONFIRMED),
        )
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:5])
        raise InvalidInput(
            _("This application cannot be sent: the lender does not accept these values: {fields}").format(
                fields=fields
            ),
            code="not_sendable",
        ) from exc
    body: dict[str, Any] = submission.model_dump(mode="json")
    return body


def evidence_hashes(session: Session, store: LocalStore, application_id: uuid.UUID) -> dict[EvidenceKind, str]:
    """The SHA-256 of the application's current document of each kind, in EvidenceKind's order: what its
    submission names as evidence."""
    attachments = AttachmentRepository(store)
    return {kind: attachments.digest(row) for kind, row in current_documents(session, application_id).items()}


class SubmissionService:
    """Queues signed applications for the lender, and sends one the central server refused for good again."""

    def __init__(self, store: LocalStore, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self.audit = AuditLog.for_store(store)

    def queue(self, actor: Actor, application_id: uuid.UUID) -> str:
        """Move a signed application to "waiting to send" and write its submission to the outbox, together.
        Returns the idempotency key."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        now = self.clock()
        with self.store.write() as session:
            application = _application(session, application_id)
            state = parse_state(application.state)
            if state is not ApplicationState.SIGNED:
                raise InvalidInput(
                    _("Only a signed application can be sent; this one is {state}.").format(state=state_label(state)),
                    code="not_signed",
                )
            key = self._write(session, actor, application, now, "application.queued")
            ApplicationRepository().transition(session, application_id, ApplicationState.QUEUED, actor.audit_name, now)
            return key

    def resend(self, actor: Actor, application_id: uuid.UUID) -> str:
        """Send again, as the next revision with its own idempotency key, an application whose newest submission
        the central server refused for good (a dead letter). The body is built again from the data as it is now,
        so whatever caused the refusal is corrected first; the refused item is marked "resent" and stops counting
        as a dead letter. Returns the new idempotency key."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        now = self.clock()
        with self.store.write() as session:
            application = _application(session, application_id)
            state = parse_state(application.state)
            if state is not ApplicationState.QUEUED:
                raise InvalidInput(
                    _("Only an application the central server refused can be sent again; this one is {state}.").format(
                        state=state_label(state)
                    ),
                    code="not_dead_lettered",
                )
            refused = newest_submission(session, application_id)
            if refused is None or refused.status != "dead":
                raise InvalidInput(
                    _(
                        "The central server has not refused application {reference}; it is still waiting to send, "
                        "so there is nothing to send again."
                    ).format(reference=application.reference),
                    code="not_dead_lettered",
                )
            refused.status = "resent"
            return self._write(session, actor, application, now, "application.resent")

    def _write(self, session: Session, actor: Actor, application: Application, now: dt.datetime, action: str) -> str:
        """The next revision's body from the data as it is now, sealed into the outbox with its key, and the
        audit entry `action` (revision and body hash only: no personal data). Returns the key."""
        revision = submission_count(session, application.id) + 1
        body = submission_body(session, self.store, application, revision)
        key = str(enqueue(session, self.store, KIND, application.id, SUBMISSION, revision, body, now).idempotency_key)
        self.audit.append(
            session,
            actor.audit_name,
            action,
            object_type="application",
            object_id=str(application.id),
            detail={"revision": revision, "body_sha256": hashlib.sha256(canonical_json(body)).hexdigest()},
            at=now,
        )
        return key


def _application(session: Session, application_id: uuid.UUID) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise InvalidInput(_("No such application."), code="not_found")
    return application


def submission_count(session: Session, application_id: uuid.UUID) -> int:
    """How many revisions of the application have been written to the outbox."""
    count = session.scalar(
        select(func.count(OutboxItem.id)).where(OutboxItem.application_id == application_id, OutboxItem.kind == KIND)
    )
    return int(count or 0)


def revision_of(application_id: uuid.UUID, key: uuid.UUID | str, newest: int) -> int | None:
    """Which revision (1 … `newest`) an idempotency key belongs to: keys are derived from id and revision."""
    key = str(key)
    return next((r for r in range(newest, 0, -1) if idempotency_key(application_id, r) == key), None)


def newest_submission(session: Session, application_id: uuid.UUID) -> OutboxItem | None:
    """The outbox item of the application's newest revision (found by its key, not by time)."""
    revision = submission_count(session, application_id)
    if revision == 0:
        return None
    return session.scalar(
        select(OutboxItem).where(OutboxItem.idempotency_key == uuid.UUID(idempotency_key(application_id, revision)))
    )
