"""Revealing a full ID number: the store manager only, audited with the customer's UUID; refused, nothing is
written. A saved customer comes back to the form with the number masked for display."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.counter.intake import CustomerIntake
from app.counter.reveal import RevealService
from app.domain.actor import Actor
from app.domain.customer_form import check_customer_form, details_from_form
from app.domain.roles import PermissionDenied, Role
from app.kernel.clock import store_today, utc_now
from app.kernel.errors import InvalidInput
from app.storage.audit import AuditLog
from app.storage.consents import ConsentRepository
from app.storage.models import AuditEntry
from app.storage.repositories import ApplicationRepository
from tests.support.applications import GOOD, given

SALES = Actor(login="sales01", role=Role.SALES, display_name="Clerk")
MANAGER = Actor(login="manager", role=Role.STORE_MANAGER, display_name="Manager")
STORE_IT = Actor(login="admin", role=Role.ADMIN, display_name="Store IT")


def _application(services, with_customer: bool = True) -> tuple[uuid.UUID, uuid.UUID | None]:
    """A draft holding the first-moment consents, with GOOD's customer saved through the intake."""
    from app.domain.consent import FIRST_MOMENT

    started = services.consents.begin_application(SALES, given(FIRST_MOMENT))
    if not with_customer:
        return started.application_id, None
    saved = CustomerIntake(services.store, services.store_id).save(SALES, started.application_id, GOOD)
    return started.application_id, saved.customer_id


def _entries(services) -> list[AuditEntry]:
    with services.store.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_a_sales_consultant_is_refused_and_nothing_is_audited(services) -> None:
    application_id, customer_id = _application(services)
    before = len(_entries(services))
    reveal = RevealService(services.store)
    for actor in (SALES, STORE_IT):
        for subject in (application_id, customer_id):
            with pytest.raises(PermissionDenied):
                reveal.reveal_id_number(actor, subject)
    assert len(_entries(services)) == before


def test_the_store_manager_sees_the_number_and_the_audit_names_only_the_customer(services) -> None:
    application_id, customer_id = _application(services)
    reveal = RevealService(services.store)
    assert reveal.reveal_id_number(MANAGER, application_id) == GOOD.id_number
    assert reveal.reveal_id_number(MANAGER, customer_id) == GOOD.id_number
    revealed = [e for e in _entries(services) if e.action == "customer.id_revealed"]
    assert len(revealed) == 2
    for entry in revealed:
        assert (entry.actor, entry.object_type, entry.object_id) == (MANAGER.audit_name, "customer", str(customer_id))
        assert entry.detail == "{}"
        assert GOOD.id_number not in f"{entry.actor}{entry.object_id}{entry.detail}"
    with services.store.read() as session:
        assert AuditLog.for_store(services.store).verify(session).intact


def test_nothing_to_reveal_is_refused_without_writing(services) -> None:
    application_id, _customer = _application(services, with_customer=False)
    before = len(_entries(services))
    reveal = RevealService(services.store)
    with pytest.raises(InvalidInput) as unknown:
        reveal.reveal_id_number(MANAGER, uuid.uuid4())
    assert unknown.value.code == "not_found"
    with pytest.raises(InvalidInput) as empty:
        reveal.reveal_id_number(MANAGER, application_id)
    assert empty.value.code == "no_customer"
    assert len(_entries(services)) == before


def test_a_saved_customer_comes_back_as_the_same_form_masked_for_display(services) -> None:
    application_id, customer_id = _application(services)
    shown = RevealService(services.store).saved_form(SALES, application_id)
    assert shown is not None and shown.customer_id == customer_id
    assert shown.id_number_masked == "1101**********0024"  # GOOD: 110105198001010024
    today = store_today(services.settings.store_time_zone)
    assert check_customer_form(shown.form, today) == []
    assert details_from_form(shown.form, today) == details_from_form(GOOD, today)
    empty, _none = _application(services, with_customer=False)
    assert RevealService(services.store).saved_form(SALES, empty) is None
    with pytest.raises(PermissionDenied):
        RevealService(services.store).saved_form(STORE_IT, application_id)


def test_a_draft_without_consents_has_no_customer_to_show(services) -> None:
    with services.store.write() as session:
        app = ApplicationRepository().create_draft(session, services.current_store(session), None, "t", utc_now())
        assert ConsentRepository().held(session, app.id) == frozenset()
        application_id = app.id
    assert RevealService(services.store).saved_form(SALES, application_id) is None
    with services.store.read() as session:
        assert session.scalar(select(func.count(AuditEntry.seq))) == 0


# --- the customer page (pytest-qt, offscreen) -------------------------------------------------------------------


@pytest.mark.parametrize(("login", "secret", "may_reveal"), [("manager", "482613", True), ("sales01", "135790", False)])
def test_the_customer_page_shows_a_saved_number_masked_and_reveals_it_to_the_manager(
    qtbot, login: str, secret: str, may_reveal: bool
) -> None:
    from PySide6.QtCore import Qt

    from tests.support.counter import signed_in_window

    with signed_in_window(qtbot, login=login, secret=secret) as window:
        services = window.controller.services
        application_id, _customer = _application(services)
        window.shell.open_page("customer")
        page = window.shell.pages["customer"]
        page.show_saved_customer(application_id, "S001-TEST")
        field = page.form.inputs["id_number"]
        qtbot.waitUntil(lambda: page.form.saved_id_number is not None, timeout=10_000)
        assert field.text() == "1101**********0024" and field.isReadOnly()
        assert page.form.value("id_number") == GOOD.id_number == page.form.form().id_number
        assert page.form.value("name") == GOOD.name
        button = page.form.reveal_button
        assert button.isVisible() and button.isEnabled() is may_reveal
        if not may_reveal:
            assert "store manager" in button.toolTip()
            page.reveal_id_number()  # asked anyway: app/ refuses, nothing is shown or audited
            qtbot.waitUntil(lambda: page.notice.text() != "", timeout=10_000)
            assert field.text() == "1101**********0024"
            assert not [e for e in _entries(services) if e.action == "customer.id_revealed"]
            return
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: field.text() == GOOD.id_number, timeout=10_000)
        assert not button.isEnabled() and button.text() == "Revealed"
        assert [e.action for e in _entries(services)].count("customer.id_revealed") == 1
        qtbot.mouseClick(page.form.change_id_button, Qt.MouseButton.LeftButton)
        assert field.text() == "" and not field.isReadOnly() and not button.isVisible()
