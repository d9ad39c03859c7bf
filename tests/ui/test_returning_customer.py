"""The returning-customer banner on the customer page: a known ID number, typed for an application holding the
customer's consents, brings up "Returning customer: …"; F2 fills the empty fields in and highlights phone,
address and income for the customer to confirm; the form saves as usual. Nothing is offered for an unknown
number or before the consents."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from PySide6.QtCore import Qt

from app.domain.consent import FIRST_MOMENT, ConsentKind
from app.kernel.clock import utc_now
from app.storage.consents import ConsentRepository
from app.storage.repositories import ApplicationRepository
from tests.support.applications import GOOD, given
from tests.support.counter import signed_in_window

CONFIRM = ("phone", "address", "monthly_income")


@pytest.fixture
def page(qtbot):
    with signed_in_window(qtbot) as window:
        window.shell.open_page("customer")
        yield window, window.shell.pages["customer"]


def _open(window, customer) -> None:
    """A new application started on the customer screen with the consents given, opened on the customer page."""
    services, clerk = window.controller.services, window.controller.actor
    started = services.consents.begin_application(clerk, given(FIRST_MOMENT))
    customer.set_application(started.application_id, started.reference)


def _open_without_credit_consent(window, customer) -> None:
    services = window.controller.services
    with services.store.write() as session:
        now = utc_now()
        app = ApplicationRepository().create_draft(session, services.current_store(session), None, "test", now)
        digest = hashlib.sha256(b"text").hexdigest()
        ConsentRepository().grant(session, app.id, ConsentKind.SENSITIVE_PERSONAL_INFO, "v1", digest, now)
    customer.set_application(app.id, app.reference)


def _earlier(window, form=GOOD) -> None:
    services, clerk = window.controller.services, window.controller.actor
    started = services.consents.begin_application(clerk, given(FIRST_MOMENT))
    services.intake.save(clerk, started.application_id, form)


def test_a_known_id_number_offers_the_saved_details_and_f2_fills_them_in(qtbot, page) -> None:
    window, customer = page
    _earlier(window)
    _open(window, customer)
    qtbot.waitUntil(lambda: customer.missing == [], timeout=5_000)
    assert not customer.returning.isVisible()
    window.activateWindow()
    field = customer.form.inputs["id_number"]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2_000)
    qtbot.keyClicks(field, GOOD.id_number.lower())
    qtbot.waitUntil(lambda: customer.returning.isVisible(), timeout=5_000)
    text = customer.returning.text.text()
    assert f"Returning customer: {GOOD.name}" in text and "earlier applications: 1" in text and "Draft" in text
    assert customer.form.value("phone") == ""
    qtbot.keyClick(field, Qt.Key.Key_F2)  # one key, from where the clerk types
    qtbot.waitUntil(lambda: customer.form.value("phone") == GOOD.phone, timeout=2_000)
    assert customer.form.form() == dataclasses.replace(GOOD, id_number=GOOD.id_number.lower())
    for key in CONFIRM:
        assert customer.form.inputs[key].property("doubtful") is True, key
    assert not customer.form.inputs["bank_card"].property("doubtful")
    assert "Check the highlighted fields" in customer.returning.text.text()
    assert not customer.returning.fill_button.isVisible()
    customer.save()
    qtbot.waitUntil(lambda: "Saved for application" in customer.notice.text(), timeout=5_000)


def test_what_was_scanned_now_is_kept(qtbot, page) -> None:
    window, customer = page
    _earlier(window)
    _open(window, customer)
    qtbot.waitUntil(lambda: customer.missing == [], timeout=5_000)
    customer.form.set_values({"id_number": GOOD.id_number, "address": "上海市浦东新区世纪大道100号"})
    qtbot.waitUntil(lambda: customer.returning.fill_button.isVisible(), timeout=5_000)
    customer.returning.fill_button.click()
    assert customer.form.value("address") == "上海市浦东新区世纪大道100号"
    assert customer.form.value("employer") == GOOD.employer


def test_nothing_is_offered_for_an_unknown_number_or_before_the_consents(qtbot, page) -> None:
    window, customer = page
    _earlier(window)
    _open_without_credit_consent(window, customer)
    qtbot.waitUntil(lambda: customer.missing is not None, timeout=5_000)
    customer.form.set_values({"id_number": GOOD.id_number})
    qtbot.wait(300)
    assert not customer.returning.isVisible()
    _open(window, customer)
    qtbot.waitUntil(lambda: customer.missing == [], timeout=5_000)
    qtbot.waitUntil(lambda: customer.returning.isVisible(), timeout=5_000)  # asked again once consented
    customer.form.set_values({"id_number": "11010519491231002X"})
    assert not customer.returning.isVisible()
    qtbot.wait(300)
    assert not customer.returning.isVisible()
    customer.clear_form()
    assert not customer.returning.isVisible()
