"""Reading and writing domain objects; personal fields are sealed and unsealed here and nowhere else."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.domain.application import ApplicationState, parse_state, require_transition
from app.domain.customer import CustomerDetails
from app.domain.identity import parse_resident_id
from app.domain.phone import normalize_mobile
from app.domain.reference import day_key, format_reference
from app.kernel.clock import local_day
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.security.field_crypto import FieldCipher
from app.storage.local_store import LocalStore
from app.storage.models import Application, ApplicationTransition, Customer, ReferenceCounter, Store
from app.storage.sealing import IndexColumn, SealedColumn, Sealing
from app.storage.types import stored_money, stored_uuid


def next_reference(session: Session, store: Store, now: dt.datetime) -> str:
    """Reserve the next short reference for `store` on its local day of `now` (inside the caller's write)."""
    day = local_day(now, ZoneInfo(store.time_zone))
    key = day_key(day)
    stmt = (
        sqlite_insert(ReferenceCounter)
        .values(store_id=store.id, day=key, last_sequence=1)
        .on_conflict_do_update(
            index_elements=["store_id", "day"],
            set_={"last_sequence": ReferenceCounter.last_sequence + 1},
        )
        .returning(ReferenceCounter.last_sequence)
    )
    sequence = session.execute(stmt).scalar_one()
    return format_reference(store.code, day, sequence)


# A bulk loader's customers row, in this order (see CustomerRepository.bulk_row).
INSERT_CUSTOMER = (
    "INSERT INTO customers (id, id_number_bi, phone_bi, name_enc, id_number_enc, phone_enc, address_enc, "
    "employer_enc, bank_card_enc, monthly_income, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
)


class CustomerRepository:
    """Customers by UUID or by ID number, with every personal field sealed to its row."""

    def __init__(self, cipher: FieldCipher) -> None:
        self.sealing = Sealing(cipher)

    @classmethod
    def for_store(cls, store: LocalStore) -> CustomerRepository:
        """The customers of `store`, sealed with its data key."""
        return cls(store.cipher)

    def id_number_index(self, id_number: str) -> bytes:
        """The blind index of a (valid) ID number."""
        return self.sealing.index(Customer.id_number_bi, parse_resident_id(id_number).number)

    def index_of(self, column: IndexColumn, normalized: str) -> bytes:
        """The blind index that `column` (e.g. `Customer.phone_bi`, `Staff.id_number_bi`) holds for a value
        already normalised (as parse_resident_id(...).number and normalize_mobile give it), for lookups."""
        return self.sealing.index(column, normalized)

    def _put(self, row: Customer, column: SealedColumn, value: str) -> None:
        self.sealing.put(row, column, value or None)

    def save(self, session: Session, details: CustomerDetails, now: dt.datetime) -> uuid.UUID:
        """Insert or update the customer with this ID number; returns the customer's UUID."""
        if not details.name.strip():
            raise InvalidInput(_("The customer's name is required."), code="name_required")
        resident = parse_resident_id(details.id_number)
        phone = normalize_mobile(details.phone)
        index = self.sealing.index(Customer.id_number_bi, resident.number)
        row = session.scalar(select(Customer).where(Customer.id_number_bi == index))
        if row is None:
            row = Customer(id=details.id or uuid.uuid4(), id_number_bi=index, created_at=now)
            session.add(row)
        rid = row.id
        self.sealing.put(row, Customer.name_enc, details.name.strip())
        self.sealing.put(row, Customer.id_number_enc, resident.number)
        self.sealing.put(row, Customer.phone_enc, phone)
        row.phone_bi = self.sealing.index(Customer.phone_bi, phone)
        self._put(row, Customer.address_enc, details.address)
        self._put(row, Customer.employer_enc, details.employer)
        self._put(row, Customer.bank_card_enc, details.bank_card)
        row.monthly_income = details.monthly_income
        row.job_type = details.job_type or None
        row.years_at_job = details.years_at_job
        row.monthly_expenses = details.monthly_expenses
        row.assets = details.assets
        row.monthly_debt_payments = details.monthly_debt_payments
        row.overdue_records = details.overdue_records
        row.housing = details.housing or None
        self._put(row, Customer.emergency_name_enc, details.emergency_name)
        self._put(row, Customer.emergency_phone_enc, details.emergency_phone)
        row.emergency_relation = details.emergency_relation or None
        row.id_valid_until = details.id_valid_until
        row.id_long_term = details.id_long_term
        row.updated_at = now
        session.flush()
        return rid

    def bulk_row(self, details: CustomerDetails, id_number_index: bytes, created: str) -> tuple[object, ...]:
        """One customers row for INSERT_CUSTOMER, sealed exactly as `save` seals it, for loaders that write many
        rows in plain SQL: `details` holds a customer id, normalised ID and mobile numbers and no empty name;
        `id_number_index` is `index_of(Customer.id_number_bi, details.id_number)`, `created` the stored time."""
        assert details.id is not None
        cid, seal = details.id, self.sealing.seal
        optional = [
            seal(column, cid, value) if value else None
            for column, value in (
                (Customer.address_enc, details.address),
                (Customer.employer_enc, details.employer),
                (Customer.bank_card_enc, details.bank_card),
            )
        ]
        return (
            stored_uuid(cid),
            id_number_index,
            self.sealing.index(Customer.phone_bi, details.phone),
            seal(Customer.name_enc, cid, details.name),
            seal(Customer.id_number_enc, cid, details.id_number),
            seal(Customer.phone_enc, cid, details.phone),
            *optional,
            None if details.monthly_income is None else stored_money(details.monthly_income),
            created,
            created,
        )

    def name_of(self, row: Customer) -> str:
        """The stored customer's name, unsealed."""
        return self.sealing.text(row, Customer.name_enc)

    def id_number_of(self, row: Customer) -> str:
        """The stored customer's full ID number, unsealed (showing it in full is the caller's to audit)."""
        return self.sealing.text(row, Customer.id_number_enc)

    def phone_of(self, row: Customer) -> str:
        """The stored customer's mobile number, unsealed ("" when none was saved)."""
        return self.sealing.text(row, Customer.phone_enc)

    def to_details(self, row: Customer) -> CustomerDetails:
        """Unseal a stored customer."""
        text = self.sealing.text
        return CustomerDetails(
            id=row.id,
            name=text(row, Customer.name_enc),
            id_number=text(row, Customer.id_number_enc),
            phone=text(row, Customer.phone_enc),
            address=text(row, Customer.address_enc),
            employer=text(row, Customer.employer_enc),
            bank_card=text(row, Customer.bank_card_enc),
            monthly_income=row.monthly_income,
            job_type=row.job_type or "",
            years_at_job=row.years_at_job,
            monthly_expenses=row.monthly_expenses,
            assets=row.assets,
            monthly_debt_payments=row.monthly_debt_payments,
            overdue_records=row.overdue_records,
            housing=row.housing or "",
            emergency_name=text(row, Customer.emergency_name_enc),
            emergency_phone=text(row, Customer.emergency_phone_enc),
            emergency_relation=row.emergency_relation or "",
            id_valid_until=row.id_valid_until,
            id_long_term=bool(row.id_long_term),
        )

    def find_by_id_number(self, session: Session, id_number: str) -> CustomerDetails | None:
        """The returning customer with this ID number, or None."""
        row = session.scalar(select(Customer).where(Customer.id_number_bi == self.id_number_index(id_number)))
        return None if row is None else self.to_details(row)

    def get(self, session: Session, customer_id: uuid.UUID) -> CustomerDetails | None:
        """The customer with this UUID, or None."""
        row = session.get(Customer, customer_id)
        return None if row is None else self.to_details(row)


class ApplicationRepository:
    """Applications and their state changes; every change of state goes through the domain's rules."""

    def create_draft(
        self,
        session: Session,
        store: Store,
        staff_id: uuid.UUID | None,
        actor: str,
        now: dt.datetime,
        application_id: uuid.UUID | None = None,
    ) -> Application:
        """A new draft with a fresh UUID (or the given one) and the next short reference."""
        app = Application(
            id=application_id or uuid.uuid4(),
            reference=next_reference(session, store, now),
            store_id=store.id,
            staff_id=staff_id,
            state=ApplicationState.DRAFT.value,
            created_at=now,
            updated_at=now,
            state_changed_at=now,
            version=1,
            created_day=local_day(now, ZoneInfo(store.time_zone)),
        )
        session.add(app)
        session.add(
            ApplicationTransition(application_id=app.id, from_state=None, to_state=app.state, actor=actor, at=now)
        )
        session.flush()
        return app

    def get(self, session: Session, application_id: uuid.UUID) -> Application | None:
        """The application with this UUID, or None."""
        return session.get(Application, application_id)

    def transition(
        self, session: Session, application_id: uuid.UUID, target: ApplicationState, actor: str, now: dt.datetime
    ) -> Application:
        """Move the application to `target` if the rules allow it; records who did it and when."""
        app = session.get(Application, application_id)
        if app is None:
            raise InvalidInput(_("No such application."), code="not_found")
        current = parse_state(app.state)
        require_transition(current, target)
        result = session.execute(
            update(Application)
            .where(Application.id == app.id, Application.version == app.version)
            .values(state=target.value, state_changed_at=now, updated_at=now, version=app.version + 1)
        )
        # An UPDATE's result is a CursorResult (SQLAlchemy types every execute() as a plain Result). Another
        # writer cannot get in under the write lock, so a miss is a programming error.
        if cast(CursorResult[Any], result).rowcount != 1:  # pragma: no cover
            raise RuntimeError("application changed concurrently")
        session.add(
            ApplicationTransition(
                application_id=app.id, from_state=current.value, to_state=target.value, actor=actor, at=now
            )
        )
        session.flush()
        session.refresh(app)
        return app
