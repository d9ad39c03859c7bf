"""A returning customer at the counter, counted as a person works: the ID photos, F2 for the saved details, the
IMEI scanned, the price typed — from Start to the queued application in at most 12 clerk inputs (one click, one
key press, one dropdown choice, one scan or one field's typed value each). The network is down: it waits in the
outbox."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.consent import FIRST_MOMENT
from tests.support.applications import GOOD, given
from tests.support.clerk import Clerk
from tests.support.counter import signed_in_window
from tests.support.id_cards import make_card, save_pair
from tests.support.signing import go_on_to_signing
from tests.ui.test_customer_screen import sign_with_pen


def test_a_returning_customer_is_queued_in_at_most_12_inputs(qtbot, signed_files, tmp_path) -> None:
    card = make_card(22)
    front, back = save_pair(card, "clean", tmp_path, 22)
    clerk = Clerk(qtbot)

    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        services, actor, shell = window.controller.services, window.controller.actor, window.shell
        services.prescreen.blacklist.import_file(signed_files.blacklist, signed_files.settings)
        earlier = services.consents.begin_application(actor, given(FIRST_MOMENT))
        saved = dataclasses.replace(GOOD, name=card.name, id_number=card.id_number, birth_date="", id_valid_until="")
        services.intake.save(actor, earlier.application_id, saved)  # here before, with these details
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5_000)

        page = shell.pages["new"]
        clerk.click(page.start_button)
        screen = page.window_
        for box in screen.first_boxes:
            box.box.setChecked(True)
        qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)  # the customer's tap
        qtbot.waitUntil(lambda: shell.current_key() == "customer", timeout=5_000)

        customer = shell.pages["customer"]
        clerk.counted(2)  # "Open photos", and the two sides chosen in the dialog
        customer.scan.scan_files([front, back])
        qtbot.waitUntil(lambda: customer.returning.isVisible(), timeout=30_000)
        qtbot.waitUntil(lambda: customer.form.value("id_valid_until") != "", timeout=30_000)
        clerk.key(Qt.Key.Key_F2)  # the saved details; phone, address and income highlighted to confirm
        qtbot.waitUntil(lambda: customer.form.value("phone") == GOOD.phone, timeout=5_000)
        clerk.key(Qt.Key.Key_Return)  # confirmed with the customer: nothing missing, saved
        qtbot.waitUntil(lambda: shell.current_key() == "purchase", timeout=5_000)

        purchase = shell.pages["purchase"]
        qtbot.waitUntil(lambda: QApplication.focusWidget() is purchase.price, timeout=5_000)
        clerk.scans(window, "861234567890127")  # the IMEI of the phone handed over
        clerk.types("4999")
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is purchase.down, timeout=2_000)
        assert purchase.down.text() == "499.90"  # offered at the product's minimum
        clerk.key(Qt.Key.Key_Return)  # the minimum down payment: recorded, pre-screened by itself

        plan = shell.pages["plan"]
        qtbot.waitUntil(lambda: shell.current_key() == "plan", timeout=15_000)
        qtbot.waitUntil(lambda: plan.schedule is not None, timeout=5_000)
        clerk.key(Qt.Key.Key_Return)  # the plan for the term asked for, to the customer to sign
        go_on_to_signing(qtbot, shell)  # (the Verify step is not walked here)
        qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.terms_page, timeout=5_000)
        for box in screen.signing_boxes:
            box.box.setChecked(True)
        sign_with_pen(screen.pad)
        qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)  # the customer's
        qtbot.waitUntil(lambda: page.submit_button.isEnabled(), timeout=15_000)
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "waiting to send" in page.message.text(), timeout=5_000)
        qtbot.waitUntil(lambda: "1 waiting to send" in window.network_label.text(), timeout=5_000)  # at once
    print(f"returning customer: {clerk.inputs} clerk inputs from Start to the queued application")
    assert clerk.inputs <= 12, clerk.inputs
