"""The counter reopens where the clerk was: what was typed on the customer or purchase page is autosaved as a
draft, and after the window is gone without any save (a crash; kill -9 itself is proven on the store in
tests/integration/test_draft_kill9.py) the next sign-in opens that application on that page with those
values."""

from __future__ import annotations

from app.domain.consent import FIRST_MOMENT
from tests.support.applications import given
from tests.support.counter import signed_in_window
from tests.support.forms import GOOD_CUSTOMER


def test_typed_details_come_back_after_a_crash(qtbot, signed_files) -> None:
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        controller, shell = window.controller, window.shell
        started = controller.services.consents.begin_application(controller.actor, given(FIRST_MOMENT))
        shell.flow.open(started.application_id, started.reference)
        shell.open_page("customer")
        form = shell.pages["customer"].form
        half = {k: GOOD_CUSTOMER[k] for k in ("name", "phone", "address", "employer")}
        form.set_values({**half, "monthly_income": "88"})  # typed, not yet complete nor valid as a whole
        form.changed.emit()
        qtbot.waitUntil(lambda: shell.flow.autosaver.saves >= 1 and not shell.flow.autosaver.pending, timeout=5_000)
        # The window goes away without leaving the page, locking or signing out: nothing else is saved.
        shell.flow.autosaver.discard()
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        shell = window.shell
        qtbot.waitUntil(lambda: shell.current_key() == "customer", timeout=10_000)
        form = shell.pages["customer"].form
        qtbot.waitUntil(lambda: form.inputs["name"].text() == GOOD_CUSTOMER["name"], timeout=10_000)
        assert form.inputs["address"].text() == GOOD_CUSTOMER["address"]
        assert form.inputs["monthly_income"].text() == "88"
        assert shell.pages["customer"].application_id == started.application_id
        assert shell.flow_bar.isVisible() and started.reference in shell.flow_bar.reference.text()
