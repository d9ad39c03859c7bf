"""Enter records the purchase from every field of the purchase page, its dropdowns included — "Record and
continue (Enter)" means what it says — and with something missing it goes to that field instead."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.consent import FIRST_MOMENT
from tests.support.applications import GOOD, given
from tests.support.counter import signed_in_window

FIELDS = ("category", "sku", "serial", "description", "price", "down_payment", "product", "term")


@pytest.fixture
def purchase(qtbot, signed_files):
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        services, clerk = window.controller.services, window.controller.actor
        started = services.consents.begin_application(clerk, given(FIRST_MOMENT))
        services.intake.save(clerk, started.application_id, GOOD)
        window.shell.flow.open(started.application_id, started.reference)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
        yield window, window.shell.pages["purchase"]


@pytest.mark.parametrize("field", FIELDS)
def test_enter_from_every_field_records_the_purchase(qtbot, purchase, field: str) -> None:
    window, page = purchase
    window.shell.open_page("purchase")
    page.sku.setText("MATE70-256")
    page.serial.setText("861234567890127")
    page.description.setText("手机 Mate 70")
    page.price.setText("4999")
    page.down.setText("1000")
    widget = page.purchase.fields[field]
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2_000)
    with qtbot.waitSignal(page.recorded, timeout=5_000) as recorded:
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert recorded.args[0].price == 4999 and recorded.args[0].term == 12


def test_enter_goes_to_what_is_missing_first(qtbot, purchase) -> None:
    window, page = purchase
    window.shell.open_page("purchase")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.price, timeout=2_000)  # the first thing missing
    page.sku.setFocus()
    with qtbot.assertNotEmitted(page.recorded, wait=300):
        qtbot.keyClick(page.sku, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is page.price, timeout=2_000)
    qtbot.keyClicks(page.price, "400")  # under the product's minimum of 500 financed
    qtbot.keyClick(page.price, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.price, timeout=2_000)  # still what is wrong
    assert "500.00" in page.purchase.problems()["price"]
