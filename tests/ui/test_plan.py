"""The plan screen: all terms side by side as the clerk types, the schedule below, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support.counter import signed_in_window


@pytest.fixture
def plan(qtbot, signed_catalog):
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        window.shell.open_page("plan")
        yield window.shell.pages["plan"]


def _select_product(page, code: str) -> None:
    page.product.setCurrentIndex(page.product.findData(code))


def test_typing_a_price_fills_every_term(qtbot, plan) -> None:
    """Typing the price quotes all six cash-loan terms at once; the longest is selected with its schedule."""
    _select_product(plan, "CASH")
    qtbot.keyClicks(plan.price, "20000")
    assert plan.compare.rowCount() == 6
    assert [plan.compare.item(r, 4).text() for r in range(6)] == ["18.00%"] * 6
    assert plan.schedule_table.rowCount() == 36
    assert plan.apr_label.text() == "APR 18.00%"
    monthly = [float(plan.compare.item(r, 1).text()) for r in range(6)]
    assert monthly == sorted(monthly, reverse=True)


def test_apr_is_shown_larger_than_monthly_figures(qtbot, plan) -> None:
    """The APR label's font is bigger than the table's."""
    _select_product(plan, "GOODS")
    qtbot.keyClicks(plan.price, "4999")
    assert plan.apr_label.fontInfo().pixelSize() > plan.compare.fontInfo().pixelSize()
    assert plan.detail_label.fontInfo().pixelSize() < plan.apr_label.fontInfo().pixelSize()


def test_down_payment_rules_and_percent(qtbot, plan) -> None:
    """A down payment under the product's minimum is explained; 20 % is accepted as a percentage."""
    _select_product(plan, "HOME")
    qtbot.keyClicks(plan.price, "100000")
    qtbot.keyClicks(plan.down, "1000")
    assert "at least 20000.00" in plan.compare.item(0, 1).text()
    plan.down_mode.setCurrentIndex(plan.down_mode.findData("percent"))
    plan.down.setText("20")
    assert plan.compare.item(0, 4).text() == "7.20%"
    assert plan.schedule is not None and plan.schedule.terms.principal == 80000


def test_selecting_a_term_and_exporting_csv(qtbot, plan, tmp_path: Path) -> None:
    """Choosing a row shows that schedule; the CSV has every installment and the APR."""
    _select_product(plan, "CARD")
    qtbot.keyClicks(plan.price, "12000")
    terms = [plan.compare.item(r, 0).text() for r in range(plan.compare.rowCount())]
    plan.compare.selectRow(terms.index("12 months"))
    assert plan.schedule.terms.term == 12 and plan.schedule_table.rowCount() == 12
    target = tmp_path / "plan.csv"
    plan.export_to(target)
    qtbot.waitUntil(lambda: "saved" in plan.message.text(), timeout=5_000)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][5] == "1072.00" and rows[-2] == ["Annualised rate (APR) %", "13.03"]


def test_bad_price_is_explained(qtbot, plan) -> None:
    """A price that is not an amount shows why and quotes nothing."""
    _select_product(plan, "GOODS")
    qtbot.keyClicks(plan.price, "abc")
    assert "Not an amount" in plan.error.text() and plan.compare.rowCount() == 0
