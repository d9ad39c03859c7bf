"""The loan contract: the terms a customer signs (frozen by their SHA-256 once chosen), the signature's checks,
and signing — contract PDF, strokes and signature image kept sealed with their hashes, the application moved
to signed, every step in the audit chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.counter.consents import ConsentService, GivenConsent
from app.domain.actor import Actor
from app.domain.application import ApplicationState, parse_state, state_label
from app.domain.catalog import Catalog
from app.domain.consent import SIGNING_MOMENT, missing_first_moment
from app.domain.masking import mask_id_number
from app.domain.money import format_money
from app.domain.roles import Permission, require_permission
from app.domain.schedule import Schedule, format_rate
from app.kernel.canonical import canonical_json
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.attachments import AttachmentRepository
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, Purchase
from app.storage.repositories import ApplicationRepository, CustomerRepository

LENDER = {"name": "分期消费金融有限公司 (demo lender)", "hotline": "400-000-0000"}
MIN_POINTS = 12
MIN_INK = 0.5  # total stroke length, as a share of the pad's width
MIN_SPAN = 0.15  # the signature's width, as a share of the pad's width

Point = tuple[float, float, float, float]  # x, y (pad pixels), milliseconds since the first touch, pressure 0–1


@dataclass(frozen=True)
class SignedContract:
    application_id: uuid.UUID
    reference: str
    terms_sha256: str
    pdf_sha256: str
    strokes_sha256: str


def terms_sha256(terms: dict[str, Any]) -> str:
    """The SHA-256 of the terms' canonical JSON: what the QR code carries and what signing freezes."""
    return hashlib.sha256(canonical_json(terms)).hexdigest()


def check_signature(strokes: Sequence[Sequence[Point]], pad_width: float) -> None:
    """Refuse an empty or trivial signature (a dot, one short line): raises InvalidInput, translated."""
    points = sum(len(s) for s in strokes)
    if not strokes or points == 0:
        raise InvalidInput(_("Please sign in the box before confirming."), code="signature_empty")
    ink = sum(math.dist(a[:2], b[:2]) for s in strokes for a, b in itertools.pairwise(s))
    xs = [p[0] for s in strokes for p in s]
    if points < MIN_POINTS or ink < MIN_INK * pad_width or max(xs) - min(xs) < MIN_SPAN * pad_width:
        raise InvalidInput(
            _("That is too short to be a signature: please sign your full name."), code="signature_too_simple"
        )


def build_terms(
    application: Application,
    customer_name: str,
    id_masked: str,
    product_name: str,
    goods: str,
    schedule: Schedule,
    price: Decimal,
    down_payment: Decimal,
) -> dict[str, Any]:
    """The contract's terms as plain JSON values (money and rates as strings, dates ISO)."""
    loan = schedule.terms
    return {
        "application_id": str(application.id),
        "reference": application.reference,
        "customer": {"name": customer_name, "id_number": id_masked},
        "product": {"code": application.product_code, "name": product_name},
        "goods": goods,
        "price": format_money(price),
        "down_payment": format_money(down_payment),
        "financed": format_money(loan.principal),
        "term": loan.term,
        "method": loan.method.value,
        "installments": [
            {"n": i.n, "due_date": i.due_date.isoformat(), "amount": format_money(i.total)}
            for i in schedule.installments
        ],
        "upfront_fee": format_money(loan.upfront_fee),
        "total_repayable": format_money(schedule.total_repayable),
        "total_cost": format_money(schedule.total_cost),
        "apr": format_rate(schedule.apr),
        "lender": LENDER,
    }


class ContractService:
    """Chooses the plan an application is signed on, and signs it."""

    def __init__(self, store: LocalStore, consents: ConsentService, clock: Callable[[], dt.datetime] = utc_now):
        self.store = store
        self.consents = consents
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.customers = CustomerRepository.for_store(store)
        self.attachments = AttachmentRepository(store)

    def choose_plan(
        self,
        actor: Actor,
        application_id: uuid.UUID,
        catalog: Catalog,
        product_code: str,
        goods: str,
        price: Decimal,
        down_payment: Decimal,
        term: int,
        today: dt.date,
    ) -> dict[str, Any]:
        """Fix the plan the customer will sign: the catalog's quote for exactly the purchase that was pre-screened
        (product, price, down payment and term), with the goods described. Allowed once the application is
        pre-screened, or quoted (a new plan replaces one never signed); anything different must be pre-screened
        again first."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        if not goods.strip():
            raise InvalidInput(_("Describe the goods first."), code="no_goods")
        now = self.clock()
        with self.store.write() as session:
            application = self._application(session, application_id)
            state = parse_state(application.state)
            if state not in (ApplicationState.PRESCREENED, ApplicationState.QUOTED):
                raise InvalidInput(
                    _(
                        "A plan can be chosen after the pre-screen and before signing; this application is {state}."
                    ).format(state=state_label(state)),
                    code="not_quotable",
                )
            if application.customer_id is None:
                raise InvalidInput(_("Save the customer's details first."), code="no_customer")
            purchase = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
            assessed = (
                application.product_code,
                application.requested_term,
                purchase and purchase.price,
                purchase and purchase.down_payment,
            )
            if assessed != (product_code, term, price, down_payment):
                raise InvalidInput(
                    _("This plan is not the purchase that was pre-screened: pre-screen it again first."),
                    code="plan_not_prescreened",
                )
            assert purchase is not None
            schedule = catalog.quote(product_code, price, down_payment, term, today)
            product = catalog.product(product_code)
            customer = self.customers.get(session, application.customer_id)
            assert customer is not None
            purchase.category, purchase.description = product.kind, goods.strip()
            masked = mask_id_number(customer.id_number)
            terms = build_terms(
                application, customer.name, masked, product.name, goods.strip(), schedule, price, down_payment
            )
            self.attachments.put(session, application_id, "terms", "application/json", canonical_json(terms), now)
            if state is ApplicationState.PRESCREENED:
                ApplicationRepository().transition(
                    session, application_id, ApplicationState.QUOTED, actor.audit_name, now
                )
            self.audit.append(
                session,
                actor.audit_name,
                "contract.plan_chosen",
                object_type="application",
                object_id=str(application_id),
                detail={"terms_sha256": terms_sha256(terms)},
                at=now,
            )
            return terms

    def terms(self, application_id: uuid.UUID) -> dict[str, Any]:
        """The terms chosen for the application (to show and to sign)."""
        with self.store.read() as session:
            row = self.attachments.latest(session, application_id, "terms")
            if row is None:
                raise InvalidInput(_("No plan has been chosen for this application."), code="no_plan")
            return json.loads(self.attachments.content(row))

    def sign(
        self,
        actor: Actor,
        application_id: uuid.UUID,
        signed_terms_sha256: str,
        given: Sequence[GivenConsent],
        strokes: Sequence[Sequence[Point]],
        pad_width: float,
        signature_png: bytes,
        contract_pdf: bytes,
    ) -> SignedContract:
        """Sign: the terms must be exactly those chosen (their hash), the contract and auto-debit consents given,
        the signature more than a dot. Then everything is kept sealed with its hash and the application is
        signed — its terms frozen. Nothing is written if any check fails."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        check_signature(strokes, pad_width)
        if sorted(g.kind for g in given) != sorted(SIGNING_MOMENT):
            raise InvalidInput(
                _("The customer must accept the contract and the automatic debit before signing."),
                code="consent_missing",
            )
        now = self.clock()
        strokes_json = canonical_json([[list(p) for p in s] for s in strokes])
        with self.store.write() as session:
            application = self._application(session, application_id)
            if parse_state(application.state) is not ApplicationState.QUOTED:
                raise InvalidInput(
                    _("This application is {state}: it cannot be signed now.").format(
                        state=state_label(parse_state(application.state))
                    ),
                    code="not_signable",
                )
            missing = missing_first_moment(self.consents.repository.held(session, application_id))
            if missing:
                raise InvalidInput(
                    _("The customer has withdrawn a consent this application needs; it cannot be signed."),
                    code="consent_missing",
                )
            self.consents.check_texts(given)
            stored = self.attachments.latest(session, application_id, "terms")
            assert stored is not None
            current = json.loads(self.attachments.content(stored))
            if terms_sha256(current) != signed_terms_sha256:
                raise InvalidInput(
                    _("The terms changed after they were shown: show the new terms and sign again."),
                    code="terms_changed",
                )
            for g in given:
                self.consents.grant_in(session, actor, application_id, g)
            self.attachments.put(session, application_id, "signature_strokes", "application/json", strokes_json, now)
            self.attachments.put(session, application_id, "signature_image", "image/png", signature_png, now)
            self.attachments.put(session, application_id, "contract", "application/pdf", contract_pdf, now)
            ApplicationRepository().transition(session, application_id, ApplicationState.SIGNED, actor.audit_name, now)
            signed = SignedContract(
                application_id,
                application.reference,
                signed_terms_sha256,
                hashlib.sha256(contract_pdf).hexdigest(),
                hashlib.sha256(strokes_json).hexdigest(),
            )
            self.audit.append(
                session,
                actor.audit_name,
                "contract.generated",
                object_type="application",
                object_id=str(application_id),
                detail={"pdf_sha256": signed.pdf_sha256},
                at=now,
            )
            self.audit.append(
                session,
                actor.audit_name,
                "contract.signed",
                object_type="application",
                object_id=str(application_id),
                detail={
                    "terms_sha256": signed.terms_sha256,
                    "pdf_sha256": signed.pdf_sha256,
                    "strokes_sha256": signed.strokes_sha256,
                },
                at=now,
            )
            return signed

    def contract_pdf(self, application_id: uuid.UUID) -> bytes:
        """The signed contract's PDF."""
        with self.store.read() as session:
            row = self.attachments.latest(session, application_id, "contract")
            if row is None:
                raise InvalidInput(_("This application has no signed contract."), code="no_contract")
            return self.attachments.content(row)

    def record_output(self, actor: Actor, application_id: uuid.UUID, what: str) -> None:
        """An audit entry for a contract generated, printed or copied (`what` names which)."""
        with self.store.write() as session:
            self.audit.append(
                session,
                actor.audit_name,
                f"contract.{what}",
                object_type="application",
                object_id=str(application_id),
            )

    # --- storage ----------------------------------------------------------------------------------------------

    def _application(self, session: Session, application_id: uuid.UUID) -> Application:
        application = session.get(Application, application_id)
        if application is None:
            raise InvalidInput(_("No such application."), code="not_found")
        return application
