"""The open application's one state: the navigator writes it, the pages render it. A purchase recorded on the
purchase page shows, read-only and as recorded, on the pre-screen and plan pages; signing fixes it on the
purchase page too (app.counter.flow.may_change); starting anew clears every page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.counter.flow import FlowFacts
from app.counter.purchase import RecordedPurchase
from app.domain.application import ApplicationState
from app.domain.consent import FIRST_MOMENT
from tests.support.applications import given
from tests.support.counter import signed_in_window
from tests.support.forms import fill_customer

PHONE = RecordedPurchase(
    category="phone",
    sku="MATE70-256",
    serial="861234567890127",
    description="手机 Mate 70",
    price=Decimal("4999.00"),
    down_payment=Decimal("1000.00"),
    product="GOODS",
    term=12,
)


def _facts(state: ApplicationState) -> FlowFacts:
    return FlowFacts(state, consents_given=True, customer_saved=True, purchase_recorded=True, waiting_to_send=False)


@pytest.fixture
def shell(qtbot, signed_files):
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        controller = window.controller
        started = controller.services.consents.begin_application(controller.actor, given(FIRST_MOMENT))
        window.shell.flow.open(started.application_id, started.reference)
        yield window.shell


def test_the_recorded_purchase_shows_read_only_on_the_later_pages(qtbot, shell) -> None:
    prescreen, plan = shell.pages["prescreen"], shell.pages["plan"]
    assert prescreen.price.isEnabled() and plan.price.isEnabled()  # nothing recorded: a what-if, a quick quote
    shell.flow.application.set_purchase(PHONE)
    for page in (prescreen, plan):
        assert page.price.text() == "4999.00" and page.down.text() == "1000.00"
        assert page.product.currentData() == "GOODS" and not page.price.isEnabled()
        assert "Purchase page" in page.recorded_note.text()
    assert prescreen.term.currentData() == 12
    assert plan.schedule is not None and plan.schedule.terms.term == 12  # the term asked for is chosen
    assert shell.flow.application.plan is plan.schedule  # the plan chosen is the state's, for signing
    assert "Mate 70" in plan.goods.text() and plan.send_button.isEnabled()  # the page's next action


def test_signing_fixes_the_purchase(qtbot, shell) -> None:
    purchase = shell.pages["purchase"]
    shell.flow.application.set_purchase(PHONE)
    shell.flow.application.set_facts(_facts(ApplicationState.QUOTED))
    assert purchase.price.isEnabled() and purchase.save_button.isEnabled()
    assert purchase.price.text() == "4999.00" and purchase.serial.text() == PHONE.serial
    shell.flow.application.set_facts(_facts(ApplicationState.SIGNED))
    assert not purchase.price.isEnabled() and not purchase.save_button.isEnabled()
    assert "signed" in purchase.notice.text()
    assert shell.pages["new"].submit_button.isEnabled()  # the next action: send it to the lender


def test_starting_anew_clears_what_the_last_customer_left(qtbot, shell) -> None:
    customer = shell.pages["customer"]
    fill_customer(customer.form)
    assert shell.flow.application.customer is not None  # the pre-screen reads the customer from the state
    shell.flow.application.set_purchase(PHONE)
    shell.pages["new"].start_requested.emit()
    assert shell.flow.application.application_id is None and shell.flow.application.purchase is None
    assert customer.form.value("name") == "" and customer.application_id is None
    assert shell.pages["purchase"].price.text() == "" and shell.pages["prescreen"].price.isEnabled()
    shell.pages["new"].close_customer_window()


def test_the_pre_screen_asks_the_customer_page_to_mark_what_is_missing(qtbot, shell) -> None:
    customer, prescreen = shell.pages["customer"], shell.pages["prescreen"]
    fill_customer(customer.form, phone="")
    prescreen.run()
    assert "Complete the customer details first" in prescreen.error.text()
    assert any(p.field == "phone" for p in customer.form.problems) and customer.form.show_all
