"""The Reports page: the store manager's store report (tiles and tables with the right figures, presets and a
custom period, one staff member, CSV and PDF exports read back), a sales consultant's own figures only (no
staff filter), and the Region tab — the central sign-in form without a session, the region's stores after
signing in to the reference server, and the saved copy with its notice once the server is stopped."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication

from app.domain.application import ApplicationState
from app.kernel.i18n import set_language
from tests.support.central_server import running_central
from tests.support.counter import signed_in_window
from tests.unit.test_store_report import _file
from ui.pages.reports import ReportsPage
from ui.reports.store_rows import captions

S = ApplicationState
PASSWORD = "Region2026x"


def _applications(services) -> None:
    """Today: sales01 approved, declined (no income; ID velocity) and a draft, sales02 delivered. Forty days
    ago (never this month or this week): sales02 approved and cancelled."""
    now = dt.datetime.now(dt.UTC)
    today_noon = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=0, minute=30).astimezone(dt.UTC)
    at = min(now, today_noon)  # early today, store-local
    _file(services, at, "sales01", S.APPROVED, "GOODS", 12, "2700.00", "3000.00")
    _file(
        services,
        at,
        "sales01",
        S.DECLINED,
        "CASH",
        6,
        "5000.00",
        codes=[("no_income", "reason"), ("id_velocity", "flag")],
    )
    _file(services, at, "sales01", S.DRAFT)
    _file(services, at, "sales02", S.DELIVERED, "GOODS", 12, "1800.00", "2000.00")
    before = at - dt.timedelta(days=40)
    _file(services, before, "sales02", S.APPROVED, "EDU", 24, "8000.00", "8000.00")
    _file(services, before, "sales02", S.CANCELLED, "GOODS", 6, "1000.00", "1200.00")


def _open(qtbot, window) -> ReportsPage:
    window.shell.open_page("reports")
    assert window.shell.current_key() == "reports"  # every role may open it; app/ scopes the figures
    page = window.shell.pages["reports"]
    assert isinstance(page, ReportsPage)
    return page


def _loaded(qtbot, page: ReportsPage, check) -> None:
    store = page.store
    qtbot.waitUntil(
        lambda: store.report is not None and not store.busy.isVisible() and check(store.report), timeout=10_000
    )


def _table(table) -> list[list[str]]:
    return [[table.text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_store_manager_report_filters_and_exports(qtbot, tmp_path: Path) -> None:
    with signed_in_window(qtbot, login="manager", secret="482613") as window:
        _applications(window.controller.services)
        page = _open(qtbot, window)
        store = page.store
        _loaded(qtbot, page, lambda r: r.period.preset == "this_month")
        assert store.staff.isVisible() and not store.own_label.isVisible()
        assert store.applications.value.text() == "4"
        assert store.approval.value.text() == "66.67%"  # 2 approved of 3 decided
        assert store.financed_total.value.text() == "¥4,500.00"  # approved 2,700 + delivered 1,800
        assert store.ticket.value.text() == "¥2,500.00"
        staff = {row[0]: row for row in _table(store.staff_table)}
        assert staff["王晓明 (sales01)"][1:4] == ["3", "1", "1"]
        assert staff["李娜 (sales02)"][1:3] == ["1", "1"]
        assert _table(store.reasons) == [["No monthly income", "1"]]
        assert _table(store.flags) == [["Many applications with one ID", "1"]]
        assert "S001" in store.status.text()

        store.period.choose("today")
        _loaded(qtbot, page, lambda r: r.period.preset == "today")
        assert store.applications.value.text() == "4"
        today = store.report.period.end
        store.period.set_days(today - dt.timedelta(days=45), today)
        _loaded(qtbot, page, lambda r: r.period.length == 46)
        assert store.applications.value.text() == "6" and store.period.preset.currentData() == "custom"

        qtbot.waitUntil(lambda: store.staff.findData("sales02") > 0, timeout=5_000)
        store.staff.setCurrentIndex(store.staff.findData("sales02"))
        _loaded(qtbot, page, lambda r: r.staff_login == "sales02")
        assert store.applications.value.text() == "3"
        assert [row[0] for row in _table(store.staff_table)] == ["李娜 (sales02)"]

        store.period.set_days(today, today - dt.timedelta(days=1))  # ends before it starts
        qtbot.waitUntil(lambda: store.message.isVisible(), timeout=5_000)
        assert "ends before it starts" in store.message.text()
        assert store.applications.value.text() == "3"  # what was shown stays
        store.period.set_days(today - dt.timedelta(days=45), today)
        _loaded(qtbot, page, lambda r: r.period.length == 46)

        chosen: list[Path] = []

        def choose(_parent, _title, suggested: Path, _filter) -> Path:
            chosen.append(suggested)
            return tmp_path / suggested.name

        store.choose_save_path = choose
        store.csv_button.click()
        csv_path = tmp_path / f"S001-{today - dt.timedelta(days=45):%Y%m%d}-{today:%Y%m%d}-sales02.csv"
        qtbot.waitUntil(lambda: csv_path.exists() and "Saved" in store.status.text(), timeout=5_000)
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert ["Applications", "3"] in rows and ["Staff member", "sales02"] in rows

        set_language("zh_CN")  # app/'s texts, then the widgets' catalog, as the settings page does
        window.apply_language("zh_CN")
        qtbot.waitUntil(lambda: store.applications.caption.text() == captions()[0], timeout=2_000)
        store.pdf_button.click()
        pdf_path = csv_path.with_suffix(".pdf")
        qtbot.waitUntil(lambda: pdf_path.exists() and pdf_path.stat().st_size > 0, timeout=10_000)
        text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True).stdout
        assert "S001" in text and "演示门店" in text and "李娜 (sales02)" in text
        for heading in ("Store report", "Per staff member"):  # Chinese once the catalog has them
            assert QCoreApplication.translate("StoreRows", heading) in text
        assert any(line.split()[:1] == ["3"] for line in text.splitlines())  # the applications tile


def test_sales_see_only_their_own_figures(qtbot) -> None:
    with signed_in_window(qtbot) as window:
        _applications(window.controller.services)
        page = _open(qtbot, window)
        store = page.store
        _loaded(qtbot, page, lambda r: True)
        assert store.report.staff_login == "sales01"
        assert not store.staff.isVisible() and store.own_label.isVisible()
        assert store.applications.value.text() == "3"
        assert [row[0] for row in _table(store.staff_table)] == ["王晓明 (sales01)"]
        assert "sales01" in store.status.text()


@pytest.fixture
def central(tmp_path: Path):
    """The reference central server (subprocess) with three demo stores in region BJ and a regional manager."""
    from central.accounts import add_account
    from central.db import open_database
    from central.demo_data import generate

    db = f"sqlite:///{tmp_path / 'central.db'}"
    factory = open_database(db)
    generate(factory, 300, stores=3, regions=["BJ"], seed=3)
    add_account(factory, "rm01", "regional_manager", "BJ", PASSWORD)
    factory.kw["bind"].dispose()
    with running_central(db) as started:
        yield started


def test_region_sign_in_report_and_saved_copy(qtbot, central) -> None:
    base, process = central
    with signed_in_window(qtbot, login="manager", secret="482613") as window:
        page = _open(qtbot, window)
        region = page.region
        page.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: region._checked and region.sign_in_frame.isVisible(), timeout=5_000)
        assert not region.scroller.isVisible() and region.report is None  # nothing to show without a session

        today = dt.date.today()
        region.period.set_days(today - dt.timedelta(days=365), today)  # a year of the demo stores' two
        region.server.setText(base)
        region.username.setText("rm01")
        region.password.setText("wrong-password")
        region.sign_in_button.click()
        qtbot.waitUntil(
            lambda: region.sign_in_button.isEnabled() and "refused" in region.sign_in_error.text(), timeout=10_000
        )
        assert region.session is None and region.sign_in_frame.isVisible()

        region.password.setText(PASSWORD)
        region.sign_in_button.click()
        qtbot.waitUntil(lambda: region.report is not None and not region.busy.isVisible(), timeout=15_000)
        assert not region.sign_in_frame.isVisible() and "rm01" in region.account_label.text()
        assert region.password.text() == ""
        rows = region.table.rows  # the figures' rows (each store's decline reasons are on a line under it)
        assert [row[0] for row in rows] == ["D001", "D002", "D003", "Region BJ"]
        total = sum(int(row[1]) for row in rows[:3])
        assert rows[3][1] == str(total) == str(region.report.totals.applications)
        assert region.tiles[0].value.text() == str(total)
        assert "as of" in region.status.text() and not region.notice.isVisible()
        assert "PC" in region.table.data_item(0, 7).toolTip()  # each counter PC listed
        notes = [region.table.text(r, 0) for r in range(region.table.rowCount()) if r not in region.table.row_of]
        assert notes and all("reasons" in note for note in notes)  # the top decline reasons under their store

        process.terminate()
        process.wait(timeout=10)
        page.refresh()  # F5
        qtbot.waitUntil(lambda: region.report.from_cache and not region.busy.isVisible(), timeout=10_000)
        assert region.notice.isVisible() and "saved" in region.notice.text()
        assert region.status.text() != "" and [row[0] for row in region.table.rows][:3] == ["D001", "D002", "D003"]

        region.sign_out_button.click()
        qtbot.waitUntil(lambda: region.sign_in_frame.isVisible(), timeout=5_000)
        assert region.report is None
