"""The drafts page: search as the clerk types (Chinese through the input method too), Esc clears, Enter
resumes the selected row (its step goes with it), Cancel… asks why and cancels off the GUI thread; a sales
consultant sees their own drafts, the store manager everyone's and can narrow by clerk."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.application import ApplicationState
from app.storage.models import Application
from tests.support.counter import signed_in_window
from tests.unit.test_drafts import actor, started
from ui.pages.drafts import DraftsPage


def commit_text(widget, text: str) -> None:
    """Type `text` as an input method commits it (keyClicks cannot type Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _demo(services) -> dict[str, uuid.UUID]:
    """sales01: 欧阳娜娜 on the customer step, 王芳 on the purchase step; sales02: 李雷."""
    drafts = services.drafts
    clerk, other = actor(services, "sales01"), actor(services, "sales02")
    made = {}
    for who, name, phone, id_number, step in (
        (clerk, "欧阳娜娜", "13900001111", "110101199003071237", "customer"),
        (clerk, "王芳", "13812345678", "310104198505050021", "purchase"),
        (other, "李雷", "13700002222", "320102199212120035", "customer"),
    ):
        application_id = started(services, who)
        drafts.save(who, application_id, step, {"name": name, "phone": phone, "id_number": id_number})
        made[name] = application_id
    return made


def _page(qtbot, window) -> DraftsPage:
    page = DraftsPage(window.controller, window.controller.services.drafts)
    qtbot.addWidget(page)
    page.resize(1100, 640)
    page.show()
    return page


def _customers(page: DraftsPage) -> list[str]:
    return [page.table.item(r, 1).text() for r in range(page.table.rowCount())]


def test_search_resume_and_escape(qtbot) -> None:
    with signed_in_window(qtbot) as window:
        made = _demo(window.controller.services)
        page = _page(qtbot, window)
        qtbot.waitUntil(lambda: sorted(_customers(page)) == ["欧阳娜娜", "王芳"], timeout=5_000)
        assert not page.staff.isVisible()  # a sales consultant sees only their own
        row = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
        assert "王芳" in row and "138****5678" in row and "3101**********0021" in row and "Draft" in row
        assert not any("13812345678" in text or "310104198505050021" in text for text in row)

        commit_text(page.search, "欧阳")
        qtbot.waitUntil(lambda: _customers(page) == ["欧阳娜娜"], timeout=5_000)
        qtbot.keyClick(page.search, Qt.Key.Key_Escape)
        assert page.search.text() == ""
        qtbot.waitUntil(lambda: len(_customers(page)) == 2, timeout=5_000)

        qtbot.keyClicks(page.search, "1237")  # the last 4 of the ID number
        qtbot.waitUntil(lambda: _customers(page) == ["欧阳娜娜"], timeout=5_000)
        resumed: list = []
        page.resume_requested.connect(lambda *args: resumed.append(list(args)))
        qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter from the box: the top match, once
        assert resumed == [[made["欧阳娜娜"], "customer"]]

        page.clear_search()
        qtbot.waitUntil(lambda: len(_customers(page)) == 2, timeout=5_000)
        qtbot.keyClick(page.search, Qt.Key.Key_Down)  # into the list, first row selected
        assert page.table.hasFocus() and page.table.currentRow() == 0
        qtbot.keyClick(page.table, Qt.Key.Key_Down)  # within the list, ↓ moves the selection as usual
        assert page.table.currentRow() == 1 and page.table.hasFocus()
        page.table.selectRow(_customers(page).index("王芳"))
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
        assert resumed[-1] == [made["王芳"], "purchase"] and len(resumed) == 2

        page.cancel_button.setFocus()  # Enter on a focused button presses it instead of resuming
        qtbot.keyClick(page.cancel_button, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.cancel_dialog is not None, timeout=2_000)
        assert len(resumed) == 2
        page.cancel_dialog.reject()


def test_cancel_asks_why_and_the_row_goes(qtbot) -> None:
    with signed_in_window(qtbot) as window:
        services = window.controller.services
        made = _demo(services)
        page = _page(qtbot, window)
        qtbot.waitUntil(lambda: len(_customers(page)) == 2, timeout=5_000)
        assert not page.cancel_button.isEnabled()  # nothing selected
        page.table.selectRow(_customers(page).index("王芳"))
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.cancel_dialog is not None and page.cancel_dialog.isVisible(), timeout=2_000)
        dialog = page.cancel_dialog
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # no reason given
        qtbot.waitUntil(lambda: "Say why" in dialog.error.text(), timeout=5_000)
        assert dialog.isVisible()
        assert dialog.keep.isDefault()  # Enter without a reason keeps the application
        commit_text(dialog.reason, "客户改变主意")
        assert dialog.ok.isDefault()
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # with a reason, Enter cancels
        qtbot.waitUntil(lambda: _customers(page) == ["欧阳娜娜"], timeout=5_000)
        assert page.cancel_dialog is None
        assert "cancelled" in page.message.text()
        with services.store.read() as session:
            state = session.scalar(select(Application.state).where(Application.id == made["王芳"]))
        assert state == ApplicationState.CANCELLED.value


def test_keeping_it_changes_nothing(qtbot) -> None:
    with signed_in_window(qtbot) as window:
        _demo(window.controller.services)
        page = _page(qtbot, window)
        qtbot.waitUntil(lambda: len(_customers(page)) == 2, timeout=5_000)
        page.table.selectRow(0)
        page.ask_cancel()
        dialog = page.cancel_dialog
        qtbot.mouseClick(dialog.keep, Qt.MouseButton.LeftButton)
        qtbot.wait(300)
        assert page.cancel_dialog is None and len(_customers(page)) == 2


def test_the_store_manager_sees_everyone_and_narrows_by_clerk(qtbot) -> None:
    with signed_in_window(qtbot, login="manager", secret="482613") as window:
        _demo(window.controller.services)
        page = _page(qtbot, window)
        qtbot.waitUntil(lambda: len(_customers(page)) == 3, timeout=5_000)
        qtbot.waitUntil(lambda: page.staff.count() > 1, timeout=5_000)
        assert page.staff.isVisible()
        page.staff.setCurrentIndex(page.staff.findData("sales02"))
        qtbot.waitUntil(lambda: _customers(page) == ["李雷"], timeout=5_000)
        page.state.setCurrentIndex(page.state.findData("quoted"))
        qtbot.waitUntil(lambda: _customers(page) == [], timeout=5_000)
        assert page.message.text() == "No open applications match."
