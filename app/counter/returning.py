"""Returning customers: found by their ID number (through its blind index, never a plain-text search), their
saved details handed back as a prefilled customer form, with a short history for the clerk.

Only the fields the customer must confirm again at every visit (phone, address, income) are marked for checking;
the rest is what they told the store last time. Looking someone up is audited with the customer's UUID only.
When the lookup is for an open application, that application must hold the customer's first-moment consents
(DESIGN.md §3: nothing about the customer is read before them), exactly as saving the form does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.counter.intake import ConsentMissing
from app.domain.actor import Actor
from app.domain.application import ApplicationState, parse_state, state_label
from app.domain.consent import consent_label, missing_first_moment
from app.domain.customer import CustomerDetails
from app.domain.customer_form import CustomerForm
from app.domain.identity import parse_resident_id
from app.domain.roles import Permission, require_permission
from app.kernel.clock import store_today, utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.audit import AuditLog
from app.storage.consents import ConsentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Application, Customer, Store
from app.storage.repositories import CustomerRepository

# What a customer must confirm again at each visit; a prefilled form highlights these for the clerk.
CONFIRM_FIELDS: tuple[str, ...] = ("phone", "address", "monthly_income")
LONG_TERM_TEXT = "长期"  # how the form writes a card without an end date


@dataclass(frozen=True)
class ReturningCustomer:
    """A customer known by their ID number: the form prefilled from what was saved, and their history here."""

    customer_id: uuid.UUID
    form: CustomerForm
    earlier_applications: int  # not counting the application the lookup was made for
    last_state: ApplicationState | None  # of the most recent of those
    last_at: dt.datetime | None  # when that one was started
    confirm_fields: tuple[str, ...] = CONFIRM_FIELDS

    @property
    def name(self) -> str:
        return self.form.name

    @property
    def last_state_label(self) -> str:
        """The last application's state in the configured language ("" when there is none)."""
        return "" if self.last_state is None else state_label(self.last_state)


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


def _whole(value: int | None) -> str:
    return "" if value is None else str(value)


def form_from_details(details: CustomerDetails) -> CustomerForm:
    """The customer form as a clerk would have typed `details` (amounts without trailing .00, the birth date
    taken from the ID number, 长期 for a long-term card)."""
    if details.id_long_term:
        validity = LONG_TERM_TEXT
    else:
        validity = "" if details.id_valid_until is None else details.id_valid_until.isoformat()
    birth = details.id_number[6:14]
    return CustomerForm(
        name=details.name,
        id_number=details.id_number,
        phone=details.phone,
        address=details.address,
        employer=details.employer,
        job_type=details.job_type,
        years_at_job=_whole(details.years_at_job),
        monthly_income=_amount(details.monthly_income),
        monthly_expenses=_amount(details.monthly_expenses),
        assets=_amount(details.assets),
        monthly_debt_payments=_amount(details.monthly_debt_payments),
        overdue_records=_whole(details.overdue_records),
        housing=details.housing,
        emergency_name=details.emergency_name,
        emergency_phone=details.emergency_phone,
        emergency_relation=details.emergency_relation,
        bank_card=details.bank_card,
        birth_date=f"{birth[:4]}-{birth[4:6]}-{birth[6:]}" if birth.isdigit() else "",
        id_valid_until=validity,
    )


def fill_in(current: CustomerForm, saved: CustomerForm) -> tuple[dict[str, str], frozenset[str]]:
    """What "Fill in" puts into the form: every empty field gets its saved value; a field already typed or
    scanned now keeps it (it is fresher than the last visit). Returns (values to set, fields to highlight for
    the customer to confirm)."""
    values: dict[str, str] = {}
    for field in dataclasses.fields(CustomerForm):
        now, before = getattr(current, field.name), getattr(saved, field.name)
        if not now.strip() and before:
            values[field.name] = before
    return values, frozenset(f for f in CONFIRM_FIELDS if f in values)


class ReturningCustomers:
    """Finds returning customers of this counter's store by ID number."""

    def __init__(self, store: LocalStore, store_id: uuid.UUID, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.store_id = store_id
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.customers = CustomerRepository.for_store(store)

    def find(self, actor: Actor, id_number: str) -> CustomerForm | None:
        """The saved details of the customer with this ID number as a prefilled form, or None if unknown.
        InvalidInput (translated, with the ID number's own code) when the number is not a valid one."""
        found = self.lookup(actor, id_number)
        return None if found is None else found.form

    def lookup(self, actor: Actor, id_number: str, application_id: uuid.UUID | None = None) -> ReturningCustomer | None:
        """The returning customer with this ID number and their history, or None if unknown.

        With `application_id` (the application being filled in), that application must be this store's and hold
        the first-moment consents (ConsentMissing otherwise), and it is left out of the history. Every hit is
        audited as `customer.looked_up` with the customer's UUID; a miss writes nothing."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        with self.store.read() as session:
            store = session.get(Store, self.store_id)
            assert store is not None
            resident = parse_resident_id(id_number, store_today(store.time_zone))
            if application_id is not None:
                self._require_consents(session, application_id)
            row = session.scalar(
                select(Customer).where(Customer.id_number_bi == self.customers.id_number_index(resident.number))
            )
            if row is None:
                return None
            form = form_from_details(self.customers.to_details(row))
            query = select(Application.state, Application.created_at).where(Application.customer_id == row.id)
            if application_id is not None:
                query = query.where(Application.id != application_id)
            history = session.execute(query.order_by(Application.created_at.desc())).all()
            customer_id = row.id
        now = self.clock()
        with self.store.write() as session:
            self.audit.append(
                session,
                actor.audit_name,
                "customer.looked_up",
                object_type="customer",
                object_id=str(customer_id),
                detail={} if application_id is None else {"application": str(application_id)},
                at=now,
            )
        last = history[0] if history else None
        return ReturningCustomer(
            customer_id=customer_id,
            form=form,
            earlier_applications=len(history),
            last_state=None if last is None else parse_state(last.state),
            last_at=None if last is None else last.created_at,
        )

    def _require_consents(self, session: Session, application_id: uuid.UUID) -> None:
        application = session.get(Application, application_id)
        if application is None or application.store_id != self.store_id:
            raise InvalidInput(_("No such application."), code="not_found")
        missing = missing_first_moment(ConsentRepository().held(session, application_id))
        if missing:
            raise ConsentMissing(
                _("The customer has not yet given consent to: {kinds}. Nothing has been read.").format(
                    kinds=_("; ").join(consent_label(kind) for kind in missing)
                ),
                missing,
            )
