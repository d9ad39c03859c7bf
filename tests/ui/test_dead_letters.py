"""Dead letters on the sync screen: each shows its reference and reason (the revision for the store manager);
"Fix and resend" says what will happen, and once confirmed the application is queued again as the next revision
off the GUI thread and the row goes. A refusal from app/ shows its translated message and changes nothing."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.storage.models import Application, OutboxItem
from app.sync.submission import SubmissionService
from app.wire.keys import idempotency_key
from tests.support.counter import signed_in_window
from tests.unit.test_resend import SHOWN, _items, _park, _queued


def _dead_letter(services, signed_files) -> tuple[uuid.UUID, str]:
    application_id = _queued(services, signed_files)
    _park(services, application_id)
    with services.store.read() as session:
        return application_id, session.scalar(select(Application.reference).where(Application.id == application_id))


def _open_with_dead_letter(qtbot, window, count: int = 1):
    page = window.shell.pages["sync"]
    window.shell.open_page("sync")
    page.refresh()
    qtbot.waitUntil(lambda: page.dead.count() == count, timeout=5_000)
    return page


def _confirm(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.confirm_box is not None and page.confirm_box.isVisible(), timeout=2_000)
    (send,) = [b for b in page.confirm_box.buttons() if page.confirm_box.buttonRole(b) == QMessageBox.AcceptRole]
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)


def test_fix_and_resend_queues_the_next_revision_and_the_row_goes(qtbot, signed_files) -> None:
    with signed_in_window(qtbot) as window:
        services = window.controller.services
        application_id, reference = _dead_letter(services, signed_files)
        page = _open_with_dead_letter(qtbot, window)
        row = page.dead.item(0).text()
        assert reference in row and SHOWN in row  # what to correct; the revision is the manager's detail
        assert "revision" not in row and "dead letter" not in page.dead_title.text()
        assert not page.resend_button.isEnabled()  # nothing selected yet
        page.dead.setCurrentRow(0)
        assert page.resend_button.isEnabled()
        qtbot.mouseClick(page.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.confirm_box is not None and page.confirm_box.isVisible(), timeout=2_000)
        told = page.confirm_box.text() + " " + page.confirm_box.informativeText()
        assert "revision 2" in told and "details as they are now" in told and SHOWN in told
        _confirm(qtbot, page)
        qtbot.waitUntil(lambda: page.dead.count() == 0, timeout=5_000)
        qtbot.waitUntil(lambda: "revision 2" in page.message.text(), timeout=5_000)
        assert reference in page.message.text()
        assert [(k, s) for k, s, _b in _items(services, application_id)] == [
            (idempotency_key(application_id, 1), "resent"),
            (idempotency_key(application_id, 2), "pending"),
        ]
        assert not page.resend_button.isEnabled()


def test_the_store_manager_sees_the_revision(qtbot, signed_files) -> None:
    with signed_in_window(qtbot, "manager", "482613") as window:
        _application_id, reference = _dead_letter(window.controller.services, signed_files)
        page = _open_with_dead_letter(qtbot, window)
        assert f"{reference} · revision 1" in page.dead.item(0).text()


def test_cancelling_the_confirmation_changes_nothing(qtbot, signed_files) -> None:
    with signed_in_window(qtbot) as window:
        services = window.controller.services
        application_id, _reference = _dead_letter(services, signed_files)
        page = _open_with_dead_letter(qtbot, window)
        page.dead.setCurrentRow(0)
        page.ask_resend()
        qtbot.waitUntil(lambda: page.confirm_box is not None and page.confirm_box.isVisible(), timeout=2_000)
        (cancel,) = [b for b in page.confirm_box.buttons() if page.confirm_box.buttonRole(b) == QMessageBox.RejectRole]
        assert page.confirm_box.defaultButton() is cancel
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        qtbot.wait(200)
        assert page.dead.count() == 1
        assert [s for _k, s, _b in _items(services, application_id)] == ["dead"]


def test_a_refused_resend_shows_why_and_changes_nothing(qtbot, signed_files) -> None:
    """Resent meanwhile (at another counter window or the command line): app/ refuses, the page says why."""
    with signed_in_window(qtbot) as window:
        services = window.controller.services
        application_id, _reference = _dead_letter(services, signed_files)
        page = _open_with_dead_letter(qtbot, window)
        page.dead.setCurrentRow(0)
        clerk = window.controller.actor
        SubmissionService(services.store).resend(clerk, application_id)
        before = _items(services, application_id)
        page.ask_resend()
        _confirm(qtbot, page)
        qtbot.waitUntil(lambda: "nothing to send again" in page.message.text(), timeout=5_000)
        qtbot.waitUntil(lambda: page.dead.count() == 0, timeout=5_000)  # the list shows how things are now
        assert _items(services, application_id) == before
        with services.store.read() as session:
            assert session.scalar(select(OutboxItem.status).where(OutboxItem.status == "dead")) is None


def test_store_it_sees_dead_letters_but_cannot_resend(qtbot, signed_files) -> None:
    with signed_in_window(qtbot, login="admin", secret="Fenqi2026admin") as window:
        services = window.controller.services
        _dead_letter(services, signed_files)
        page = _open_with_dead_letter(qtbot, window)
        page.dead.setCurrentRow(0)
        assert not page.resend_button.isEnabled()
        assert "store manager" in page.resend_button.toolTip()
