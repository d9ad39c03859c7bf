"""Smaller things a clerk meets (issue 18, item 10): the photo dialog remembers its folder; the scan table shows
long values whole; a typed ID number fills the birth date and says the sex; the drafts' columns have room at
1366×768; the daily chart's last point is inside its axes and named; a wrong PIN says the tries left; messages
shown before a language change are said again in the new language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QHeaderView, QLineEdit

from app.domain.identity import make_resident_id
from app.kernel.i18n import set_language
from app.scanning.payload import ScanResult
from tests.support.counter import signed_in_window
from tests.ui.test_drafts_page import _demo
from ui.reports.charts import ChartView, trend_chart
from ui.widgets.customer_form import CustomerFormWidget

TODAY = dt.date(2026, 11, 29)
LONG_ADDRESS = "新疆维吾尔自治区乌鲁木齐市天山区解放南路街道人民路社区幸福小区三期十二号楼二单元一千零一室"


# --- the scan panel -------------------------------------------------------------------------------------------


def test_the_photo_dialog_opens_where_the_last_photo_came_from(qtbot, monkeypatch, tmp_path: Path) -> None:
    """Home the first time; then the last photo's folder, for as long as it exists."""
    with signed_in_window(qtbot) as window:
        scan = window.shell.pages["customer"].scan
        folder = tmp_path / "photos"
        folder.mkdir()
        asked: list[str] = []

        def choose(_parent, _caption, directory, _filter):
            asked.append(directory)
            return [str(folder / "front.png"), str(folder / "back.png")], ""  # both sides chosen at once

        monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
        read: list[list[Path]] = []
        monkeypatch.setattr(scan, "scan_files", read.append)
        scan.open_button.click()
        scan.open_button.click()
        folder.rmdir()
        scan.open_button.click()
        assert asked == [str(Path.home()), str(folder), str(Path.home())]
        assert read == [[folder / "front.png", folder / "back.png"]] * 3


@pytest.mark.parametrize("width", [1366, 1100])
def test_the_scan_table_shows_long_values_whole(qtbot, width: int) -> None:
    """A long address wraps onto more lines of its row, the ID number (in its groups) too if it must: no word is
    wider than its cell and every row is as high as its wrapped value; every row's tooltip holds the value."""
    with signed_in_window(qtbot) as window:
        window.resize(width, 768)
        window.shell.open_page("customer")
        scan = window.shell.pages["customer"].scan
        fields = {"name": "王晓明", "id_number": "11010519491231002X", "address": LONG_ADDRESS}
        scan.show_result(ScanResult("id_card_front", fields, dict.fromkeys(fields, 0.97), {"id_number": True}))
        QApplication.processEvents()
        table = scan.table
        rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
        address, number = rows["Address"], rows["ID number"]
        assert table.rowHeight(address) > table.rowHeight(rows["Name"])  # wrapped, not cut
        assert table.item(number, 1).text() == "110105 19491231 002X"
        metrics = table.fontMetrics()
        for r in range(table.rowCount()):
            for c in range(4):
                text, cell = table.item(r, c).text(), table.visualRect(table.model().index(r, c))
                room = cell.width() - 6  # the style's margins
                words = [word for word in text.split() if word.isascii()]  # Chinese breaks between characters
                assert all(metrics.horizontalAdvance(word) <= room for word in words), (text, cell)
                wrapped = metrics.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, text)
                assert cell.height() >= wrapped.height(), (text, cell, wrapped)
        assert all(table.item(address, c).toolTip() == f"Address: {LONG_ADDRESS}" for c in range(4))
        assert table.item(number, 1).toolTip() == "ID number: 11010519491231002X"


# --- the ID number fills the birth date -----------------------------------------------------------------------


def _form(qtbot) -> CustomerFormWidget:
    form = CustomerFormWidget(TODAY)
    qtbot.addWidget(form)
    form.show()
    return form


def _type(qtbot, form: CustomerFormWidget, key: str, text: str) -> None:
    editor = form.inputs[key]
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)


def test_a_typed_id_number_fills_the_birth_date_and_says_the_sex(qtbot) -> None:
    form = _form(qtbot)
    _type(qtbot, form, "id_number", "11010519491231002")
    assert form.value("birth_date") == "" and form.id_summary.isHidden()  # not a whole number yet
    qtbot.keyClicks(form.inputs["id_number"], "X")
    assert form.value("birth_date") == "1949-12-31"
    assert not form.id_summary.isHidden() and form.id_summary.text() == "From the ID number: female, born 1949-12-31"
    other = make_resident_id("110105", dt.date(1988, 3, 7), 11)  # odd: a man
    _type(qtbot, form, "id_number", other)
    assert form.value("birth_date") == "1988-03-07"  # it came from the number: it follows the number
    assert "male, born 1988-03-07" in form.id_summary.text()
    form.clear()
    assert form.id_summary.isHidden()


def test_a_birth_date_the_clerk_typed_is_never_replaced(qtbot) -> None:
    """Typed first, then a number that disagrees: the typed date stays and the check says they differ."""
    form = _form(qtbot)
    _type(qtbot, form, "birth_date", "1950-01-01")
    _type(qtbot, form, "id_number", "11010519491231002X")
    assert form.value("birth_date") == "1950-01-01"
    problems = {p.field: p.code for p in form.check()}
    assert problems.get("birth_date") == "birth_date_mismatch"
    _type(qtbot, form, "birth_date", "1949-12-31")  # corrected by the clerk: theirs from now on
    _type(qtbot, form, "id_number", make_resident_id("110105", dt.date(1988, 3, 7), 11))
    assert form.value("birth_date") == "1949-12-31"


def test_a_scanned_number_without_a_birth_date_gives_it(qtbot) -> None:
    form = _form(qtbot)
    form.set_values({"id_number": "11010519491231002X"})
    assert form.value("birth_date") == "1949-12-31"
    form.set_values({"id_number": make_resident_id("110105", dt.date(1988, 3, 7), 11), "birth_date": ""})
    assert form.value("birth_date") == ""  # the scan said what the birth date is (here: nothing)


# --- the drafts' columns --------------------------------------------------------------------------------------


def test_drafts_columns_have_room_at_1366x768(qtbot) -> None:
    """Every column at least as wide as its longest text and some room; the customer's name takes what is left;
    nothing scrolls sideways."""
    with signed_in_window(qtbot, "manager", "482613") as window:
        window.resize(1366, 768)
        _demo(window.controller.services)
        window.shell.open_page("drafts")
        page = window.shell.pages["drafts"]
        table = page.table
        qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=5_000)
        QApplication.processEvents()
        metrics = table.fontMetrics()
        header = table.horizontalHeader()
        assert header.sectionResizeMode(1) is QHeaderView.ResizeMode.Stretch
        for c in range(table.columnCount()):
            widest = max(metrics.horizontalAdvance(table.item(r, c).text()) for r in range(table.rowCount()))
            assert table.columnWidth(c) >= widest + 12, (c, table.columnWidth(c), widest)
        assert table.horizontalScrollBar().maximum() == 0


# --- the daily chart ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 2, 7, 8, 30, 31])
def test_the_last_point_of_the_trend_is_inside_its_axes_and_named(qtbot, days: int) -> None:
    """The last day (today, often with nothing yet) sits inside both axes with room, under a date label."""
    points = [(dt.date(2026, 12, 1) + dt.timedelta(days=i), 0 if i == days - 1 else 10 + i % 5) for i in range(days)]
    chart = trend_chart("Applications per day", points)
    axis_x = chart.axes(Qt.Orientation.Horizontal)[0]
    axis_y = chart.axes(Qt.Orientation.Vertical)[0]
    last = days - 1
    assert axis_x.min() <= -0.25 and axis_x.max() >= last + 0.25
    assert points[-1][0].strftime("%m-%d") in axis_x.categoriesLabels()
    assert axis_x.endValue(points[-1][0].strftime("%m-%d")) == last
    assert axis_y.min() < 0 < axis_y.max()  # a 0 shows its whole point above the bottom
    assert axis_y.tickAnchor() == 0  # and no negative label
    view = ChartView()
    qtbot.addWidget(view)
    view.show_chart(chart)
    view.resize(480, 300)
    view.show()
    QApplication.processEvents()
    area = chart.plotArea()
    spot = chart.mapToPosition(chart.series()[0].at(last))
    assert area.left() + 3 < spot.x() < area.right() - 3
    assert area.top() < spot.y() < area.bottom() - 3


# --- signing in -----------------------------------------------------------------------------------------------


def test_a_wrong_pin_says_how_many_tries_are_left(qtbot) -> None:
    with signed_in_window(qtbot) as window:
        window.controller.sign_out()
        page = window.sign_in
        qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=5_000)
        for left in (4, 3):
            page.login.setText("sales02")
            page.secret.setText("000001")
            qtbot.keyClick(page.secret, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda left=left: page.error.text().endswith(f": {left}."), timeout=5_000)
            assert "Tries left before the account is locked for 15 minutes" in page.error.text()
            assert page.secret.text() == ""


# --- messages said again in a new language --------------------------------------------------------------------


def test_saved_and_the_key_store_are_in_the_language_just_chosen(qtbot) -> None:
    """The message "Saved." is said as the new language takes effect: in Chinese once Chinese is chosen; the key store
    is described in Chinese too."""
    with signed_in_window(qtbot, "manager", "482613") as window:
        window.shell.open_page("settings")
        page = window.shell.pages["settings"]
        page.language.setCurrentIndex(page.language.findData("zh_CN"))
        page.save()
        qtbot.waitUntil(lambda: page.title.text() == "设置", timeout=10_000)
        assert page.message.text() == "已保存。"
        assert "操作系统钥匙串" in page.key_store.text()
    set_language("en")


def test_staff_messages_name_the_account_and_follow_the_language(qtbot) -> None:
    with signed_in_window(qtbot, "manager", "482613") as window:
        window.shell.open_page("staff")
        page = window.shell.pages["staff"]
        qtbot.waitUntil(lambda: page.table.rowCount() == 5, timeout=10_000)
        logins = [page.table.item(r, 0).text() for r in range(5)]
        page.table.selectRow(logins.index("sales02"))
        page.toggle_button.click()
        qtbot.waitUntil(lambda: page.message.text() != "", timeout=10_000)
        assert page.message.text() == "The account sales02 is disabled: it cannot sign in."
        qtbot.waitUntil(lambda: "Disabled" in page.table.item(logins.index("sales02"), 3).text(), timeout=10_000)
        page.table.selectRow(logins.index("sales02"))
        page.toggle_button.click()
        qtbot.waitUntil(lambda: "can sign in again" in page.message.text(), timeout=10_000)
        page.table.selectRow(logins.index("sales01"))
        page.unlock_button.click()
        qtbot.waitUntil(lambda: page.message.text() == "Unlocked.", timeout=10_000)
        window.apply_language("zh_CN")
        qtbot.waitUntil(lambda: page.title.text() == "员工管理", timeout=5_000)
        assert page.message.text() == "已解除锁定。"


def test_a_primary_button_looks_off_while_it_is_off(qtbot) -> None:
    """'Send to the lender' before anything is signed must not look like a button to press."""
    from PySide6.QtGui import QColor

    from ui.style import STYLE

    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(STYLE)  # as ui/main.py does
    try:
        with signed_in_window(qtbot) as window:
            window.shell.open_page("new")
            button = window.shell.pages["new"].submit_button
            assert not button.isEnabled()
            image = button.grab().toImage()
            corner = QColor(image.pixel(6, 6))  # the button's background, clear of its text
            assert corner.blue() - corner.red() < 40, corner.name()  # grey, not the primary blue (#1565c0)
    finally:
        app.setStyleSheet(before)
