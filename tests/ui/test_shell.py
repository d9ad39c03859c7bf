"""The counter shell through its widgets: sign-in, lockout, auto-lock, role gating, staff management, language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from app.kernel.config import load_configuration
from app.kernel.i18n import set_language
from tests.support.fixtures import known_customers
from ui.controller import Controller
from ui.main_window import MainWindow
from ui.preload import preload_gui


def type_text(qtbot, widget: QLineEdit, text: str) -> None:
    """Type into a field; Chinese goes through an input-method commit (keyClicks would abort the process)."""
    widget.setFocus()
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)


@pytest.fixture
def window(qtbot, fenqi_home):
    controller = Controller(load_configuration(), preload=preload_gui)
    w = MainWindow(controller)
    qtbot.addWidget(w)
    w.show()
    controller.start()
    qtbot.waitUntil(lambda: w.sign_in.button.isEnabled(), timeout=20_000)
    yield w
    controller.shutdown()
    if w._translator is not None:
        QApplication.instance().removeTranslator(w._translator)


def sign_in(qtbot, w: MainWindow, login: str, secret: str) -> None:
    type_text(qtbot, w.sign_in.login, login)
    type_text(qtbot, w.sign_in.secret, secret)
    qtbot.keyClick(w.sign_in.secret, Qt.Key.Key_Return)


def signed_in(w: MainWindow) -> bool:
    return w.shell is not None and w.stack.currentWidget() is w.shell


def test_sign_in_shows_the_shell_with_the_staff_member(qtbot, window) -> None:
    """The right PIN opens the shell; the status bar names the person and role."""
    sign_in(qtbot, window, "sales01", "135790")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    assert "王晓明" in window.staff_label.text() and "Sales consultant" in window.staff_label.text()


def test_wrong_pin_is_refused_and_lockout_is_explained(qtbot, window) -> None:
    """A wrong PIN shows an error and empties the field; the fifth says the account is locked."""
    for attempt in range(5):
        sign_in(qtbot, window, "sales02", f"99999{attempt}")
        qtbot.waitUntil(lambda: window.sign_in.error.text() != "" and window.sign_in.button.isEnabled(), timeout=10_000)
        if attempt < 4:
            assert "wrong" in window.sign_in.error.text()
        window_error = window.sign_in.error.text()
        window.sign_in.error.clear()
    assert "locked until" in window_error
    assert window.sign_in.secret.text() == ""
    assert not signed_in(window)


def test_idle_lock_hides_everything_until_someone_signs_in(qtbot, window) -> None:
    """After the idle time the shell is hidden and cleared; another staff member can take over."""
    sign_in(qtbot, window, "manager", "482613")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    window.shell.open_page("staff")
    qtbot.waitUntil(lambda: window.shell.pages["staff"].table.rowCount() == 5, timeout=10_000)
    window.idle.set_interval_ms(150)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=5_000)
    assert not window.shell.isVisible()
    assert window.shell.pages["staff"].table.rowCount() == 0  # nothing about people left behind the lock
    assert "陈静" in window.sign_in.state_label.text()
    assert window.staff_label.text() == "Not signed in"
    sign_in(qtbot, window, "sales01", "135790")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    assert "王晓明" in window.staff_label.text()


def test_ctrl_l_locks(qtbot, window) -> None:
    """The lock hotkey locks at once."""
    sign_in(qtbot, window, "sales01", "135790")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    qtbot.keyClick(window.shell.nav, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=5_000)


@pytest.mark.parametrize(
    ("login", "secret", "pages"),
    [
        (
            "sales01",
            "135790",
            [
                *("new", "customer", "purchase", "prescreen", "plan", "evidence"),
                *("sync", "delivery", "drafts", "reports", "settings"),
            ],
        ),
        (
            "manager",
            "482613",
            [
                "new",
                "customer",
                "purchase",
                "prescreen",
                "plan",
                "evidence",
                "sync",
                "delivery",
                "drafts",
                "reports",
                "end_of_day",
                "staff",
                "settings",
            ],
        ),
        ("admin", "Fenqi2026admin", ["sync", "reports", "end_of_day", "staff", "settings"]),
    ],
)
def test_pages_follow_the_role_in_the_flows_order(qtbot, window, login: str, secret: str, pages: list[str]) -> None:
    """Each role sees exactly the pages it may open, in the counter flow's order; Ctrl+N opens the same page for
    every role (the N-th of the flow's list, Verify not counted: it is reached along the flow), and does nothing
    where that page is not the role's."""
    sign_in(qtbot, window, login, secret)
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    shell = window.shell
    assert shell.visible_keys() == pages
    for digit, key in ((Qt.Key.Key_2, "customer"), (Qt.Key.Key_5, "plan"), (Qt.Key.Key_6, "sync")):
        before = shell.current_key()
        qtbot.keyClick(shell.nav, digit, Qt.KeyboardModifier.ControlModifier)
        assert shell.current_key() == (key if key in pages else before)
    qtbot.keyClick(shell.nav, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert shell.current_key() == "reports"  # the same Ctrl+9 for a clerk, a manager and store IT
    shown = [shell.nav.item(r).text() for r in range(shell.nav.count()) if not shell.nav.item(r).isHidden()]
    assert ("Reports   Ctrl+9" in shown) and all("Ctrl+" not in text for text in shown if "Settings" in text)
    assert all("Ctrl+" not in text for text in shown if text.startswith("Verify"))


def test_manager_adds_and_disables_staff(qtbot, window) -> None:
    """Through the dialog a manager adds a sales account (Chinese name typed via the input method), then
    disables it; the new person can sign in only while enabled."""
    sign_in(qtbot, window, "manager", "482613")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    window.shell.open_page("staff")
    page = window.shell.pages["staff"]
    qtbot.waitUntil(lambda: page.table.rowCount() == 5, timeout=10_000)
    page.add_button.click()
    dialog = page.add_dialog
    person = known_customers(1, tag=21)[0]
    type_text(qtbot, dialog.login, "sales07")
    type_text(qtbot, dialog.name, "吴小芳")
    type_text(qtbot, dialog.id_number, person.id_number)
    type_text(qtbot, dialog.phone, person.phone)
    type_text(qtbot, dialog.pin, "580317")
    type_text(qtbot, dialog.pin_again, "580316")
    dialog.buttons.accepted.emit()
    assert "differ" in dialog.error.text()
    type_text(qtbot, dialog.pin_again, "580317")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: page.table.rowCount() == 6, timeout=10_000)
    names = [page.table.item(r, 1).text() for r in range(6)]
    assert "吴小芳" in names
    page.table.selectRow(names.index("吴小芳"))
    page.toggle_button.click()
    qtbot.waitUntil(lambda: "Disabled" in page.table.item(names.index("吴小芳"), 3).text(), timeout=10_000)


def test_sales_cannot_change_store_settings_but_can_switch_language(qtbot, window) -> None:
    """A sales consultant sees store settings read-only; switching to Chinese re-translates without restart."""
    sign_in(qtbot, window, "sales01", "135790")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    window.shell.open_page("settings")
    page = window.shell.pages["settings"]
    assert not page.idle.isEnabled() and page.language.isEnabled()
    page.language.setCurrentIndex(page.language.findData("zh_CN"))
    page.save()
    qtbot.waitUntil(lambda: window.windowTitle() == "分期 POS", timeout=10_000)
    assert page.title.text() == "设置"
    assert "销售顾问" in window.staff_label.text()
    assert window.shell.nav.item(0).text().startswith("新建申请")
    set_language("en")


def test_export_diagnostics_from_settings(qtbot, window, tmp_path: Path) -> None:
    """An admin exports the diagnostics zip from the settings page."""
    sign_in(qtbot, window, "admin", "Fenqi2026admin")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    window.shell.open_page("settings")
    page = window.shell.pages["settings"]
    assert page.diagnostics_button.isVisibleTo(page)
    page.export_to(tmp_path / "diag.zip")
    qtbot.waitUntil(lambda: (tmp_path / "diag.zip").exists() and "saved" in page.message.text(), timeout=10_000)


def test_a_scan_is_shown_masked_and_only_while_signed_in(qtbot, window) -> None:
    """A scanned ID number appears masked in the status bar while someone works; never behind the lock."""
    window.show_scan("11010519491231002X")
    assert window.statusBar().currentMessage() == ""
    sign_in(qtbot, window, "sales01", "135790")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    window.show_scan("11010519491231002X")
    message = window.statusBar().currentMessage()
    assert "1101**********002X" in message and "valid" in message and "11010519491231002X" not in message


def test_locking_closes_dialogs_and_drops_late_results(qtbot, window) -> None:
    """A dialog with typed personal data closes on lock, and a staff list arriving after the lock stays away."""
    sign_in(qtbot, window, "manager", "482613")
    qtbot.waitUntil(lambda: signed_in(window), timeout=10_000)
    window.shell.open_page("staff")
    page = window.shell.pages["staff"]
    qtbot.waitUntil(lambda: page.table.rowCount() == 5, timeout=10_000)
    page.add_button.click()
    dialog = page.add_dialog
    type_text(qtbot, dialog.id_number, "11010519491231002X")
    page.refresh()  # in flight when the lock comes
    window.controller.lock("hotkey")
    assert not dialog.isVisible()
    qtbot.wait(500)
    assert page.table.rowCount() == 0
    errors: list[BaseException] = []
    window.controller.call(lambda actor: None, on_error=errors.append)
    assert errors and errors[0].code == "counter_locked"
