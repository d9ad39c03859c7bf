"""Keeping the customer's details: only behind the first-moment consents, all or nothing, all fields sealed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.counter.intake import ConsentMissing, FormInvalid
from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.domain.consent import ConsentKind
from app.domain.customer_form import CustomerForm
from app.domain.roles import PermissionDenied, Role
from app.kernel.clock import utc_now
from app.storage.consents import ConsentRepository
from app.storage.models import Application, AuditEntry, Customer
from app.storage.repositories import ApplicationRepository
from tests.unit.test_customer_form import GOOD

CLERK = Actor(login="sales01", role=Role.SALES, display_name="Clerk", staff_id=uuid.uuid4())
# The customer-form test's complete form, typed as a clerk might: a rare-character name, spaces, a lower-case x.
FORM = dataclasses.replace(
    GOOD,
    name="𠮷田堃",
    id_number="11010519491231002x",
    phone="138 1234 5678",
    bank_card="6222 0202 0000 0000 006",
    birth_date="",
    id_valid_until="长期",
)
TEXT_HASH = hashlib.sha256(b"consent text v1").hexdigest()


def _draft(services, *consents: ConsentKind) -> uuid.UUID:
    with services.store.write() as session:
        now = utc_now()
        app = ApplicationRepository().create_draft(session, services.current_store(session), None, "t", now)
        for kind in consents:
            ConsentRepository().grant(session, app.id, kind, "v1", TEXT_HASH, now)
        return app.id


def _counts(services) -> tuple[int, int]:
    with services.store.read() as session:
        return session.scalar(select(func.count(Customer.id))), session.scalar(select(func.count(AuditEntry.seq)))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "given", [(), (ConsentKind.SENSITIVE_PERSONAL_INFO,), (ConsentKind.CREDIT_INQUIRY, ConsentKind.LOAN_CONTRACT)]
)
def test_without_the_first_moment_consents_nothing_is_kept(services, given) -> None:
    """Each missing consent is named; no customer row, no audit entry, even though the form is perfect."""
    application_id = _draft(services, *given)
    before = _counts(services)
    with pytest.raises(ConsentMissing) as caught:
        services.intake.save(CLERK, application_id, FORM)
    expected = [k for k in (ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY) if k not in given]
    assert caught.value.missing == expected
    assert "Nothing has been saved" in caught.value.message
    assert _counts(services) == before
    assert services.intake.missing_consents(application_id) == expected


def test_consent_is_checked_before_the_form_is_read(services) -> None:
    """An empty form on an application without consents is refused for the consent, not for the form."""
    with pytest.raises(ConsentMissing):
        services.intake.save(CLERK, _draft(services), CustomerForm())


def test_a_withdrawn_consent_closes_the_gate_again(services) -> None:
    """After the customer withdraws the inquiry authorisation, the details can no longer be saved."""
    application_id = _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY)
    with services.store.write() as session:
        ConsentRepository().withdraw(session, application_id, ConsentKind.CREDIT_INQUIRY, utc_now())
    with pytest.raises(ConsentMissing) as caught:
        services.intake.save(CLERK, application_id, FORM)
    assert caught.value.missing == [ConsentKind.CREDIT_INQUIRY]


def test_with_consents_every_field_is_kept_and_read_back(services) -> None:
    """All fields round-trip in their normal forms; the application points at the customer; the audit entry
    names ids only."""
    application_id = _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY)
    saved = services.intake.save(CLERK, application_id, FORM)
    assert saved.returning is False and saved.state is ApplicationState.DRAFT
    with services.store.read() as session:
        assert session.get(Application, application_id).customer_id == saved.customer_id
        details = services.intake.customers.get(session, saved.customer_id)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert details.name == "𠮷田堃" and details.id_number == "11010519491231002X"
    assert details.phone == "13812345678" and details.bank_card == "6222020200000000006"
    assert details.monthly_income == Decimal("8000.00") and details.monthly_debt_payments == Decimal("1200.00")
    assert details.years_at_job == 3 and details.overdue_records == 0 and details.housing == "rent"
    assert details.emergency_name == "李娜" and details.emergency_phone == "13987654321"
    assert details.id_long_term and details.id_valid_until is None
    assert entry.action == "customer.saved" and "1101" not in entry.detail and "138" not in entry.detail


def test_form_problems_are_reported_by_field_and_nothing_is_kept(services) -> None:
    """A bad card check digit and a birth date that disagrees with the ID: both named, nothing written."""
    application_id = _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY)
    before, digest = _counts(services), _digest(services.store.path)
    form = dataclasses.replace(FORM, bank_card="6222020200000000007", birth_date="1950-01-01")
    with pytest.raises(FormInvalid) as caught:
        services.intake.save(CLERK, application_id, form)
    assert {p.field for p in caught.value.problems} == {"bank_card", "birth_date"}
    assert _counts(services) == before and _digest(services.store.path) == digest


def test_scanned_card_disagreeing_with_typed_name_is_refused(services) -> None:
    """The name read from the card must match the typed one."""
    application_id = _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY)
    with pytest.raises(FormInvalid) as caught:
        services.intake.save(CLERK, application_id, FORM, scanned={"name": "吉田堃"})
    assert [p.code for p in caught.value.problems] == ["name_mismatch"]


def test_a_returning_customer_keeps_one_row(services) -> None:
    """The same ID number on a second application updates the same customer and says it is a returning one."""
    first = services.intake.save(CLERK, _draft(services, *ConsentKind.__members__.values()), FORM)
    second = services.intake.save(
        CLERK,
        _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY),
        dataclasses.replace(FORM, address="北京市海淀区中关村大街1号"),
    )
    assert second.returning and second.customer_id == first.customer_id
    assert _counts(services)[0] == 1


def test_editing_after_prescreen_goes_back_to_draft_and_signed_is_frozen(services) -> None:
    """A pre-screened application returns to draft on new details; a signed one refuses any change."""
    application_id = _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY)
    repo = ApplicationRepository()
    with services.store.write() as session:
        repo.transition(session, application_id, ApplicationState.PRESCREENED, "t", utc_now())
    assert services.intake.save(CLERK, application_id, FORM).state is ApplicationState.DRAFT
    with services.store.write() as session:
        for state in (ApplicationState.PRESCREENED, ApplicationState.QUOTED, ApplicationState.SIGNED):
            repo.transition(session, application_id, state, "t", utc_now())
    with pytest.raises(Exception) as caught:
        services.intake.save(CLERK, application_id, FORM)
    assert caught.value.code == "not_editable" and "Signed" in caught.value.message


def test_only_counter_staff_file_customers_and_only_for_this_store(services) -> None:
    """Store IT (admin) may not; an unknown application is refused."""
    application_id = _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY)
    admin = dataclasses.replace(CLERK, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.intake.save(admin, application_id, FORM)
    with pytest.raises(Exception) as caught:
        services.intake.save(CLERK, uuid.uuid4(), FORM)
    assert caught.value.code == "not_found"


def test_consents_name_their_text_hash_and_are_regranted(services) -> None:
    """A consent needs the SHA-256 of the text shown; granting again after withdrawal restores it."""
    application_id = _draft(services)
    repo = ConsentRepository()
    with services.store.write() as session, pytest.raises(Exception) as caught:
        repo.grant(session, application_id, ConsentKind.CREDIT_INQUIRY, "v1", "abc", utc_now())
    assert caught.value.code == "bad_consent_text"
    with services.store.write() as session:
        repo.grant(session, application_id, ConsentKind.CREDIT_INQUIRY, "v1", TEXT_HASH, utc_now())
        repo.withdraw(session, application_id, ConsentKind.CREDIT_INQUIRY, utc_now())
        assert repo.held(session, application_id) == frozenset()
        repo.grant(session, application_id, ConsentKind.CREDIT_INQUIRY, "v2", TEXT_HASH, utc_now() + dt.timedelta(1))
        assert repo.held(session, application_id) == {"credit_inquiry"}
