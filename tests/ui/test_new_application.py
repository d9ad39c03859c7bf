"""Starting again while an application is open is an explicit choice: Enter on New application never restarts
the customer's consents, and what the staff screen says matches what the store holds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.storage.models import Application
from tests.support.counter import signed_in_window
from tests.support.forms import fill_customer


def _count(window) -> int:
    with window.controller.services.store.read() as session:
        return session.scalar(select(func.count()).select_from(Application)) or 0


@pytest.fixture
def counter(qtbot, signed_files):
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        page = window.shell.pages["new"]
        page.start()
        screen = page.window_
        for box in screen.first_boxes:
            box.box.setChecked(True)
        screen.continue_button.click()
        qtbot.waitUntil(lambda: page.application_id is not None, timeout=5_000)
        # The flow goes on to the customer's details by itself once the consents are given.
        qtbot.waitUntil(lambda: window.shell.current_key() == "customer", timeout=5_000)
        qtbot.waitUntil(lambda: window.shell.flow.facts is not None, timeout=5_000)
        yield window, page, screen


def test_enter_on_new_application_with_one_open_goes_on_with_it(qtbot, counter) -> None:
    window, page, screen = counter
    opened = page.application_id
    window.shell.open_page("new")
    page.start_button.setFocus()
    qtbot.keyClick(page.start_button, Qt.Key.Key_Return)  # what a clerk's habit does
    box = page.put_aside_box
    assert box is not None and box.isVisible()
    assert screen.stack.currentWidget() is not screen.consents_page  # the customer is not asked again
    assert "not finished" in box.text() and page.reference in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default is to go on with it
    assert page.put_aside_box is None
    qtbot.waitUntil(lambda: window.shell.current_key() == "customer", timeout=5_000)  # where it stands
    assert page.application_id == opened and _count(window) == 1


def test_putting_it_aside_keeps_it_in_drafts_and_a_decline_says_the_truth(qtbot, counter) -> None:
    window, page, screen = counter
    opened = page.application_id
    fill_customer(window.shell.pages["customer"].form)
    page.start()
    next(b for b in page.put_aside_box.buttons() if "aside" in b.text()).click()
    assert page.application_id is None and window.shell.pages["customer"].form.value("name") == ""
    assert screen.stack.currentWidget() is screen.consents_page
    qtbot.mouseClick(screen.decline_button, Qt.MouseButton.LeftButton)  # the new customer declines…
    qtbot.mouseClick(screen.decline_yes_button, Qt.MouseButton.LeftButton)  # …and confirms it
    qtbot.waitUntil(lambda: "declined" in page.state.text(), timeout=5_000)
    assert "nothing was kept" in page.state.text() and page.application_id is None
    assert _count(window) == 1  # the first one is still there, in Drafts; nothing of the second was kept
    drafts = window.shell.pages["drafts"]
    window.shell.open_page("drafts")
    qtbot.waitUntil(lambda: any(r.application_id == opened for r in drafts.rows), timeout=5_000)
