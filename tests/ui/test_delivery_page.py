"""The delivery page: approved applications waiting for their goods; the serial/IMEI scanned or typed and Enter
confirms; the application leaves the list and a message says so. A mistyped IMEI is refused in place; another
device than the one recorded is handed over only after the clerk confirms the difference."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.application import ApplicationState
from app.storage.models import Application, Purchase
from tests.support.applications import GOOD
from tests.support.counter import signed_in_window
from tests.unit.test_delivery import IMEI, application_in
from ui.pages.delivery import DeliveryPage


@pytest.fixture
def window(qtbot):
    with signed_in_window(qtbot) as window:
        yield window


def _page(qtbot, window, rows: int) -> DeliveryPage:
    page = DeliveryPage(window.controller, window.controller.services.delivery)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()  # showing the page loads its list
    qtbot.waitUntil(lambda: page.table.rowCount() == rows, timeout=5_000)
    return page


def _state(window, application_id) -> tuple[str, str | None]:
    with window.controller.services.store.read() as session:
        purchase = session.query(Purchase).filter_by(application_id=application_id).one()
        return session.get(Application, application_id).state, purchase.serial


def test_enter_confirms_the_delivery(qtbot, window) -> None:
    services = window.controller.services
    application_id = application_in(services, ApplicationState.APPROVED)
    application_in(services, ApplicationState.SUBMITTED)  # not approved: not listed
    page = _page(qtbot, window, 1)
    assert page.table.item(0, 1).text() == GOOD.name and page.table.item(0, 2).text() == "手机 Mate 70 256G"
    assert page.selected().application_id == application_id and page.serial.hasFocus()
    qtbot.keyClicks(page.serial, "49-015420-323751-8")
    qtbot.keyClick(page.serial, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "left the list" in page.message.text(), timeout=5_000)
    assert page.table.rowCount() == 0 and "Nothing is waiting" in page.empty.text()
    assert page.serial.text() == ""
    assert _state(window, application_id) == ("delivered", IMEI)


def test_a_mistyped_imei_is_refused_in_place(qtbot, window) -> None:
    application_id = application_in(window.controller.services, ApplicationState.APPROVED)
    page = _page(qtbot, window, 1)
    qtbot.keyClicks(page.serial, "490154203237517")
    qtbot.keyClick(page.serial, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "check digit" in page.message.text(), timeout=5_000)
    assert page.table.rowCount() == 1 and page.confirm_button.isEnabled() and page.message.objectName() == "error"
    assert _state(window, application_id) == ("approved", None)


def test_a_scanner_burst_confirms_and_another_device_needs_confirming(qtbot, window) -> None:
    application_id = application_in(window.controller.services, ApplicationState.APPROVED, serial="SN-ABC-12345")
    page = _page(qtbot, window, 1)
    page.show_text("SN-XYZ-99999")  # what the scanner filter hands over, its Enter already taken
    qtbot.waitUntil(lambda: page.confirm_box is not None, timeout=5_000)
    assert _state(window, application_id) == ("approved", "SN-ABC-12345")
    accept = next(b for b in page.confirm_box.buttons() if "Hand over" in b.text())
    accept.click()
    qtbot.waitUntil(lambda: "left the list" in page.message.text(), timeout=5_000)
    assert _state(window, application_id) == ("delivered", "SN-XYZ-99999")


def test_locking_forgets_the_list(qtbot, window) -> None:
    application_in(window.controller.services, ApplicationState.APPROVED)
    page = _page(qtbot, window, 1)
    page.clear_sensitive()
    assert page.table.rowCount() == 0 and not page.confirm_button.isEnabled()
