"""Returning customers: found by ID number however it is typed, their saved details handed back as the form a
clerk would have typed, their history counted; unknown numbers find nobody, bad ones are refused clearly, and
nothing about a customer is read for an application without the first-moment consents."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid

import pytest
from sqlalchemy import select

from app.counter.intake import ConsentMissing
from app.counter.returning import CONFIRM_FIELDS, ReturningCustomers, fill_in
from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.domain.consent import FIRST_MOMENT, ConsentKind
from app.domain.customer_form import CustomerForm, details_from_form
from app.domain.roles import PermissionDenied, Role
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import set_language
from app.storage.consents import ConsentRepository
from app.storage.models import AuditEntry
from app.storage.repositories import ApplicationRepository
from tests.support.applications import GOOD

CLERK = Actor(login="sales01", role=Role.SALES, display_name="Clerk", staff_id=uuid.uuid4())
STORE_IT = Actor(login="admin", role=Role.ADMIN, display_name="Store IT", staff_id=None)
# Typed as a clerk might: an ID number ending in a lower-case x, spaces in the phone and card, a long-term card.
MESSY = dataclasses.replace(
    GOOD,
    id_number="11010519491231002x",
    birth_date="",
    phone="138 1234 5678",
    bank_card="6222 0202 0000 0000 006",
    monthly_income="8000.50",
    id_valid_until="长期",
)


def _draft(services, *consents: ConsentKind) -> uuid.UUID:
    with services.store.write() as session:
        now = utc_now()
        app = ApplicationRepository().create_draft(session, services.current_store(session), None, "t", now)
        for kind in consents:
            ConsentRepository().grant(session, app.id, kind, "v1", hashlib.sha256(b"v1").hexdigest(), now)
        return app.id


def _saved(services, form: CustomerForm) -> uuid.UUID:
    """An earlier application with this customer saved on it (behind the consents, as at the counter)."""
    application_id = _draft(services, *FIRST_MOMENT)
    services.intake.save(CLERK, application_id, form)
    return application_id


def _audit(services) -> list[AuditEntry]:
    with services.store.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_found_by_id_number_with_the_form_as_saved(services) -> None:
    _saved(services, GOOD)
    found = ReturningCustomers(services.store, services.store_id).find(CLERK, GOOD.id_number)
    assert found == GOOD  # every field, as the clerk typed it (birth date from the ID number)


@pytest.mark.parametrize(
    "typed",
    ["11010519491231002X", "110105 19491231 002x", "１１０１０５１９４９１２３１００２ｘ", " 110105-19491231-002X "],
)
def test_found_however_the_number_is_typed(services, typed: str) -> None:
    """Case, spaces, dashes and full-width digits do not matter: the blind index is of the normalised number."""
    _saved(services, MESSY)
    found = ReturningCustomers(services.store, services.store_id).find(CLERK, typed)
    assert found is not None
    assert found.id_number == "11010519491231002X" and found.phone == "13812345678"
    assert found.bank_card == "6222020200000000006" and found.monthly_income == "8000.50"
    assert found.id_valid_until == "长期" and found.birth_date == "1949-12-31"
    today = utc_now().date()
    saved = dataclasses.replace(details_from_form(MESSY, today), id=None)
    assert dataclasses.replace(details_from_form(found, today), id=None) == saved


def test_history_counts_earlier_applications_and_the_last_state(services) -> None:
    first = _saved(services, GOOD)
    second = _saved(services, GOOD)
    with services.store.write() as session:
        ApplicationRepository().transition(session, second, ApplicationState.CANCELLED, "t", utc_now())
    now_open = _draft(services, *FIRST_MOMENT)
    returning = ReturningCustomers(services.store, services.store_id)
    found = returning.lookup(CLERK, GOOD.id_number, now_open)
    assert found is not None and found.name == GOOD.name
    assert found.earlier_applications == 2 and found.last_state is ApplicationState.CANCELLED
    assert found.last_state_label == "Cancelled" and found.confirm_fields == CONFIRM_FIELDS
    # Looked up for one of its own applications, that one is not "earlier".
    assert returning.lookup(CLERK, GOOD.id_number, first).earlier_applications == 1


def test_a_hit_is_audited_with_the_customer_id_only(services) -> None:
    _saved(services, GOOD)
    before = len(_audit(services))
    now_open = _draft(services, *FIRST_MOMENT)
    found = ReturningCustomers(services.store, services.store_id).lookup(CLERK, GOOD.id_number, now_open)
    assert found is not None
    entries = _audit(services)[before:]
    assert [e.action for e in entries] == ["customer.looked_up"]
    entry = entries[0]
    assert entry.object_type == "customer" and entry.object_id == str(found.customer_id)
    assert json.loads(entry.detail) == {"application": str(now_open)}
    text = f"{entry.actor} {entry.object_id} {entry.detail}"
    for personal in (GOOD.id_number, GOOD.name, GOOD.phone, GOOD.bank_card):
        assert personal not in text


def test_unknown_number_finds_nobody_and_writes_nothing(services) -> None:
    _saved(services, GOOD)
    before = len(_audit(services))
    assert ReturningCustomers(services.store, services.store_id).find(CLERK, "11010519491231002X") is None
    assert len(_audit(services)) == before


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("110105198001010025", "id_checksum"),
        ("11010519800101", "id_length"),
        ("110105800101002", "id_first_generation"),
        ("", "id_length"),
    ],
)
def test_bad_number_is_refused_in_the_clerks_language(services, typed: str, code: str) -> None:
    _saved(services, GOOD)
    before = len(_audit(services))
    set_language("zh_CN")
    with pytest.raises(InvalidInput) as refused:
        ReturningCustomers(services.store, services.store_id).find(CLERK, typed)
    assert refused.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
    assert len(_audit(services)) == before


def test_nothing_is_read_for_an_application_without_the_consents(services) -> None:
    _saved(services, GOOD)
    before = len(_audit(services))
    without = _draft(services, ConsentKind.SENSITIVE_PERSONAL_INFO)
    with pytest.raises(ConsentMissing) as refused:
        ReturningCustomers(services.store, services.store_id).lookup(CLERK, GOOD.id_number, without)
    assert refused.value.missing == [ConsentKind.CREDIT_INQUIRY]
    with pytest.raises(InvalidInput) as unknown:
        ReturningCustomers(services.store, services.store_id).lookup(CLERK, GOOD.id_number, uuid.uuid4())
    assert unknown.value.code == "not_found"
    assert len(_audit(services)) == before


def test_store_it_may_not_look_customers_up(services) -> None:
    _saved(services, GOOD)
    with pytest.raises(PermissionDenied):
        ReturningCustomers(services.store, services.store_id).find(STORE_IT, GOOD.id_number)


def test_fill_in_keeps_what_was_typed_now_and_marks_what_to_confirm() -> None:
    """Empty fields take the saved values; a value typed or scanned at this visit is fresher and stays."""
    current = CustomerForm(name=GOOD.name, id_number=GOOD.id_number, address="上海市浦东新区世纪大道100号")
    values, confirm = fill_in(current, GOOD)
    assert "name" not in values and "id_number" not in values and "address" not in values
    assert values["phone"] == GOOD.phone and values["bank_card"] == GOOD.bank_card and values["housing"] == "rent"
    assert confirm == {"phone", "monthly_income"}
