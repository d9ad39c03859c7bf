"""The shared purchase form checks the product's limits as the clerk types (issue 18 item 7): a price the
product cannot finance, a down payment under its minimum, each under its field once the clerk pauses, gone as
soon as it is fixed; nothing while a recorded purchase is shown; and the pre-screen's reasons wrap instead of
running off behind a horizontal scroll bar."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget

from app.counter.purchase import RecordedPurchase
from app.domain.catalog import Catalog, load_catalog
from app.scoring.decision import PrescreenResult
from app.scoring.findings import Finding
from tests.support.counter import signed_in_window
from ui.widgets.purchase_fields import CHECK_DELAY_MS, PurchaseFields


@pytest.fixture
def catalog(signed_catalog) -> Catalog:
    return load_catalog(signed_catalog[2])


def _form(qtbot, catalog: Catalog, **kw: Any) -> PurchaseFields:
    form = PurchaseFields(**kw)
    qtbot.addWidget(form)
    form.set_catalog(catalog)
    form.product.setCurrentIndex(form.product.findData("GOODS"))  # 10 % down, 500.00 to 50000.00 financed
    form.resize(700, 500)
    form.show()
    qtbot.waitExposed(form)
    return form


def _shown(form: PurchaseFields) -> dict[str, str]:
    return {key: label.text() for key, label in form.problem_labels.items() if label.isVisibleTo(form)}


def _type(qtbot, line, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


def test_a_price_under_the_products_minimum_shows_under_price_and_goes_when_fixed(qtbot, catalog) -> None:
    form = _form(qtbot, catalog, goods=True)
    _type(qtbot, form.price, "400")
    qtbot.waitUntil(lambda: "price" in _shown(form), timeout=CHECK_DELAY_MS * 4)
    assert "500.00" in _shown(form)["price"] and "400.00" in _shown(form)["price"]
    assert set(_shown(form)) == {"price"}  # the down payment (none, under 10 %) was not touched yet
    _type(qtbot, form.price, "4999")
    assert _shown(form) == {}  # fixed: gone at once, no pause needed
    qtbot.wait(CHECK_DELAY_MS * 2)
    assert _shown(form) == {}


def test_choosing_a_product_with_a_lower_minimum_clears_the_price(qtbot, catalog) -> None:
    form = _form(qtbot, catalog)
    _type(qtbot, form.price, "400")
    qtbot.waitUntil(lambda: "price" in _shown(form), timeout=CHECK_DELAY_MS * 4)
    form.product.setFocus()
    mall = form.product.findData("MALL")  # 300.00 to 30000.00, no down payment needed
    for _ in range(abs(mall - form.product.currentIndex())):
        qtbot.keyClick(form.product, Qt.Key.Key_Down if mall > form.product.currentIndex() else Qt.Key.Key_Up)
    assert form.product.currentData() == "MALL"
    assert _shown(form) == {}


def test_a_too_small_down_payment_says_the_minimum(qtbot, catalog) -> None:
    form = _form(qtbot, catalog)
    _type(qtbot, form.price, "5000")
    _type(qtbot, form.down, "100")
    qtbot.waitUntil(lambda: "down_payment" in _shown(form), timeout=CHECK_DELAY_MS * 4)
    assert "500.00" in _shown(form)["down_payment"] and "10%" in _shown(form)["down_payment"]
    _type(qtbot, form.down, "500")
    assert _shown(form) == {}


def test_new_problems_wait_for_a_pause_in_typing(qtbot, catalog) -> None:
    """4999 typed key by key does not flash "this is 4.00" at the first key."""
    form = _form(qtbot, catalog)
    _type(qtbot, form.price, "4")
    assert _shown(form) == {}
    qtbot.keyClicks(form.price, "999")
    qtbot.wait(CHECK_DELAY_MS * 2)
    assert _shown(form) == {}


def test_the_term_offers_only_what_the_product_allows(qtbot, catalog) -> None:
    """A term the product does not offer cannot be chosen (check_purchase refuses one: test_purchase_limits)."""
    form = _form(qtbot, catalog)
    for product in catalog.products:
        form.product.setCurrentIndex(form.product.findData(product.code))
        assert tuple(form.term.itemData(i) for i in range(form.term.count())) == product.terms


def test_a_tried_save_shows_every_fields_problem_as_typed(qtbot, catalog) -> None:
    """The page shows everything on save (problems()); after that, untouched fields are checked as typed too."""
    form = _form(qtbot, catalog, goods=True)
    form.price.setText("400")  # filled in, not typed: not touched
    form.check()
    assert _shown(form) == {}
    problems = form.problems()
    assert set(problems) == {"price", "down_payment"}  # the product's limits, as the page must refuse them
    form.show_problems(problems)
    assert set(_shown(form)) == {"price", "down_payment"}
    assert form.focusWidget() is form.price
    _type(qtbot, form.down, "40")
    assert set(_shown(form)) == {"price"}
    form.clear()
    assert _shown(form) == {} and not form.touched and not form.show_all


def test_a_recorded_purchase_shown_read_only_is_not_checked(qtbot, catalog) -> None:
    form = _form(qtbot, catalog)
    _type(qtbot, form.price, "400")
    qtbot.waitUntil(lambda: "price" in _shown(form), timeout=CHECK_DELAY_MS * 4)
    # A purchase recorded before the catalog changed, say: shown as it was, with nothing to correct here.
    form.follow(RecordedPurchase("phone", "", "", "", Decimal("400.00"), Decimal("0.00"), "GOODS", 12))
    assert _shown(form) == {}
    assert form.check() == {}
    qtbot.wait(CHECK_DELAY_MS * 2)
    assert _shown(form) == {} and not form.price.isEnabled()
    form.follow(None)  # free again for a what-if
    _type(qtbot, form.price, "300")
    qtbot.waitUntil(lambda: "price" in _shown(form), timeout=CHECK_DELAY_MS * 4)


def test_the_quick_quote_is_not_checked_as_typed(qtbot, catalog) -> None:
    """The plan's form (down payment as a share, every term in its table) leaves refusals to its table."""
    form = _form(qtbot, catalog, term=False, down_share=True)
    _type(qtbot, form.price, "400")
    qtbot.wait(CHECK_DELAY_MS * 2)
    assert _shown(form) == {}


def test_the_purchase_page_checks_as_the_clerk_types(qtbot, signed_catalog) -> None:
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        window.shell.open_page("purchase")
        page = window.shell.pages["purchase"]
        page.product.setCurrentIndex(page.product.findData("GOODS"))
        _type(qtbot, page.price, "400")
        qtbot.waitUntil(lambda: "price" in _shown(page.purchase), timeout=CHECK_DELAY_MS * 4)
        assert "500.00" in page.purchase.problem_labels["price"].text()
        _type(qtbot, page.price, "4999")
        assert _shown(page.purchase) == {}


LONG_REASON = (
    "Goods installment finances 500.00 to 50000.00; this is 400.00. The amount financed is the price less the "
    "down payment, so a smaller down payment or a dearer purchase brings it within the product's range, and a "
    "product with a lower minimum can finance it as it is."
)


def test_a_long_reason_wraps_on_the_prescreen_page(qtbot, signed_files) -> None:
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        window.resize(1366, 768)
        window.shell.open_page("prescreen")
        page = window.shell.pages["prescreen"]
        result = PrescreenResult(
            "decline", 512.0, 0.31, [Finding("product", LONG_REASON), Finding("age", "Age")], [], "test"
        )
        page.show_result(result)
        reasons: QListWidget = page.reasons
        qtbot.waitUntil(lambda: reasons.viewport().width() > 0)
        qtbot.wait(50)  # the list lays its items out
        long_rect, short_rect = reasons.visualItemRect(reasons.item(0)), reasons.visualItemRect(reasons.item(1))
        assert long_rect.height() > 2 * short_rect.height()  # wrapped over several lines
        assert long_rect.right() <= reasons.viewport().width()  # within the list's width
        needed = QFontMetrics(reasons.font()).boundingRect(
            QRect(0, 0, long_rect.width(), 10_000), Qt.TextFlag.TextWordWrap, LONG_REASON
        )
        assert needed.height() <= long_rect.height()  # every line of it drawn
        assert not reasons.horizontalScrollBar().isVisible()
        assert reasons.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
