"""The customer window on its own: where it goes on one or two displays (plain geometry), that it fits a
1366×768 display with every control visible, that a customer's tap never takes the clerk's keyboard, that
every refusal says why in large type, that declining asks once more, that the consent texts are whole, and that
the product is named in the customer's language."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMargins, QPoint, QPointF, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QStyle, QWidget

from app.counter.consents import consent_text
from app.domain.catalog import parse_catalog
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT
from app.kernel.config import resources_dir
from tests.support.counter import signed_in_window
from tests.ui.test_customer_screen import sign_with_pen
from ui.customer_display.placement import ScreenArea, choose_placement, place_customer_window
from ui.customer_display.window import CustomerWindow

FRAME = QMargins(1, 32, 1, 1)
LAPTOP = ScreenArea("eDP-1", QRect(0, 0, 1366, 768), QRect(0, 0, 1366, 728))  # a 40-pixel task bar below
TABLET = ScreenArea("HDMI-1", QRect(1366, 0, 1280, 800), QRect(1366, 0, 1280, 800))
STAFF = QRect(0, 0, 1366, 728)  # the staff window's frame, maximised on the laptop


def _inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


# --- where the window goes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "screen",
    [LAPTOP, ScreenArea("eDP-1", QRect(0, 0, 1280, 800), QRect(0, 0, 1280, 760))],
    ids=["1366x768", "1280x800"],
)
def test_one_display_fits_the_window_over_the_staff_window_with_its_frame(screen: ScreenArea) -> None:
    staff = QRect(screen.available)
    placement = choose_placement([screen], "", staff, FRAME, QSize(1100, 600))
    assert placement.screen == 0 and not placement.full_screen and placement.shares_screen
    with_frame = placement.geometry.marginsAdded(FRAME)
    assert _inside(screen.available, with_frame), (with_frame, screen.available)  # the title bar on screen too
    assert placement.geometry.width() <= 1280 and placement.geometry.height() <= 800
    assert placement.geometry.height() == screen.available.height() - 33  # as tall as the display allows
    assert placement.geometry.width() >= min(1280, screen.available.width() - 2)


def test_one_display_named_in_the_settings_but_gone_still_fits() -> None:
    placement = choose_placement([LAPTOP], "HDMI-9", STAFF, FRAME)
    assert placement.shares_screen and _inside(LAPTOP.available, placement.geometry.marginsAdded(FRAME))


def test_a_second_display_takes_the_window_full_screen_with_or_without_a_name() -> None:
    screens = [LAPTOP, TABLET]
    for wanted in ("", "HDMI-1", "HDMI-9"):  # none named, the tablet named, a display no longer connected
        placement = choose_placement(screens, wanted, STAFF, FRAME)
        assert placement.screen == 1 and placement.full_screen and not placement.shares_screen, wanted
        assert placement.geometry == QRect(1366, 0, 1280, 800)


def test_the_staff_display_named_in_the_settings_is_shared() -> None:
    placement = choose_placement([LAPTOP, TABLET], "eDP-1", STAFF, FRAME)
    assert placement.screen == 0 and placement.shares_screen and not placement.full_screen
    assert _inside(LAPTOP.available, placement.geometry.marginsAdded(FRAME))


def test_with_the_staff_window_on_the_tablet_the_other_display_is_the_customers() -> None:
    placement = choose_placement([LAPTOP, TABLET], "", QRect(1400, 10, 1200, 700), FRAME)
    assert placement.screen == 0 and placement.full_screen and placement.geometry == LAPTOP.geometry


def test_a_wide_display_puts_the_window_beside_the_staff_window() -> None:
    wide = ScreenArea("DP-1", QRect(0, 0, 2560, 1440), QRect(0, 0, 2560, 1400))
    staff = QRect(0, 0, 1366, 800)
    placement = choose_placement([wide], "", staff, FRAME, QSize(1100, 600))
    frame = placement.geometry.marginsAdded(FRAME)
    assert placement.shares_screen and frame.left() > staff.right() and _inside(wide.available, frame)
    assert placement.geometry.size() == QSize(2560 - 1366 - 2, 800)  # all the room beside it, at most 800 high


PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
from ui.customer_display.placement import place_customer_window
from ui.customer_display.window import CustomerWindow
staff = QWidget()
staff.setGeometry(0, 30, 1366, 700)
staff.show()
staff.activateWindow()
window = CustomerWindow("en")
place_customer_window(window, sys.argv[1], staff)
for _ in range(20):
    app.processEvents()
g = window.frameGeometry()
found = {"screen": window.screen().name(), "full": window.isFullScreen(), "shares": window.shares_screen}
found.update(frame=[g.x(), g.y(), g.width(), g.height()], staff_active=QApplication.activeWindow() is staff)
print(json.dumps(found))
window.close_for_good()
"""


def _placed(tmp_path: Path, env: dict[str, str], screens: list[tuple[str, int, int, int, int]], wanted: str) -> dict:
    """Where place_customer_window puts the window, in a process whose test platform has these displays."""
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps(
            {
                "windowFrameMargins": True,
                "screens": [
                    {
                        "name": n,
                        "x": x,
                        "y": y,
                        "width": w,
                        "height": h,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                    for n, x, y, w, h in screens
                ],
            }
        )
    )
    env = {**env, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, wanted], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_place_customer_window_on_two_displays_and_on_one(tmp_path: Path, subprocess_env) -> None:
    two = [("LAPTOP", 0, 0, 1366, 768), ("TABLET", 1366, 0, 1280, 800)]
    for wanted in ("", "TABLET"):
        placed = _placed(tmp_path, subprocess_env, two, wanted)
        assert placed["screen"] == "TABLET" and placed["full"] and not placed["shares"], wanted
        assert placed["frame"] == [1366, 0, 1280, 800] and placed["staff_active"]
    for screens, wanted in ((two, "LAPTOP"), (two[:1], ""), (two[:1], "TABLET")):
        placed = _placed(tmp_path, subprocess_env, screens, wanted)
        assert placed["screen"] == "LAPTOP" and not placed["full"] and placed["shares"], wanted
        assert _inside(QRect(0, 0, 1366, 768), QRect(*placed["frame"])) and placed["staff_active"], placed


# --- fitting a 1366×768 display ---------------------------------------------------------------------------


@pytest.fixture
def customer(qtbot) -> Iterator[CustomerWindow]:
    window = CustomerWindow("en")
    qtbot.addWidget(window)
    yield window
    window.close_for_good()


def _terms(name: str = "Goods installment") -> dict:
    installments = [{"n": n, "due_date": f"2027-{n:02d}-15", "amount": "355.31"} for n in range(1, 13)]
    return {
        "reference": "S001-261129-0042",
        "product": {"code": "GOODS", "name": name},
        "goods": "Phone X1 SN 8612345",
        "price": "4999.00",
        "down_payment": "1000.00",
        "financed": "3999.00",
        "term": 12,
        "installments": installments,
        "total_repayable": "4263.68",
        "total_cost": "264.68",
        "apr": "12.68",
    }


def _fully_shown(window: QWidget, widget: QWidget) -> bool:
    """Visible, inside the window, and (a wrapped text) as tall as its lines need."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    tall_enough = not widget.hasHeightForWidth() or widget.height() >= widget.heightForWidth(widget.width())
    return widget.isVisible() and _inside(window.rect(), rect) and tall_enough


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_control_is_visible_at_the_size_placed_on_a_1366x768_display(qtbot, customer, language) -> None:
    customer.set_language(language)
    placed = choose_placement([LAPTOP], "", STAFF, FRAME, customer.minimumSizeHint()).geometry
    for size in (placed.size(), QSize(1366, 700)):
        assert customer.minimumSizeHint().height() <= size.height()
        customer.resize(size)
        customer.show()
        customer.ask_first_consents()
        customer.continue_button.click()  # a refusal on screen takes room too
        qtbot.wait(20)
        assert customer.size() == size  # the layout does not need more than the display has
        for button in (customer.decline_button, customer.continue_button, customer.zh_button, customer.en_button):
            assert _fully_shown(customer, button), (button.text(), size)
        assert _fully_shown(customer, customer.error)
        customer.decline_button.click()
        qtbot.wait(20)
        for button in (customer.decline_yes_button, customer.go_back_button):
            assert _fully_shown(customer, button), (button.text(), size)
        customer.show_terms(_terms())
        customer.sign_button.click()
        qtbot.wait(20)
        assert customer.size() == size
        for button in (customer.clear_button, customer.undo_button, customer.sign_button):
            assert _fully_shown(customer, button), (button.text(), size)
        assert _fully_shown(customer, customer.pad) and _fully_shown(customer, customer.error)
        assert _fully_shown(customer, customer.apr_value) and _fully_shown(customer, customer.summary)
        customer.pad.begin(QPointF(200, 100), 0.5)  # a dot: the longest refusal, about the signature too
        customer.pad.end()
        customer.sign_button.click()
        qtbot.wait(20)
        assert "too short" in customer.error.text() or "过于简单" in customer.error.text()
        assert customer.size() == size and _fully_shown(customer, customer.error), size


def test_the_consent_texts_are_whole_and_the_boxes_large(qtbot, customer) -> None:
    customer.resize(1366, 700)
    customer.show()
    customer.ask_first_consents()
    qtbot.wait(20)
    for box in (*customer.first_boxes, *customer.signing_boxes):
        assert box.body.text() == box.text.body  # the whole text, in a column that scrolls
        body, version, tick = box.body.geometry(), box.version.geometry(), box.box.geometry()
        if customer.stack.currentWidget() is customer.consents_page and box in customer.first_boxes:
            assert body.height() >= box.body.heightForWidth(body.width())  # no line cut off
            assert version.top() > body.bottom() and tick.top() > version.bottom()  # nothing overlaps
        assert box.box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, box.box) >= 32
    customer.show_terms(_terms())
    qtbot.wait(20)
    for box in customer.signing_boxes:
        body, version = box.body.geometry(), box.version.geometry()
        assert body.height() >= box.body.heightForWidth(body.width()) and version.top() > body.bottom()


# --- the keyboard stays with the clerk ------------------------------------------------------------------------


def test_nothing_on_the_customer_window_takes_the_keyboard(customer) -> None:
    assert customer.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert customer.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    takers = [w for w in customer.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert takers == [] and customer.focusPolicy() == Qt.FocusPolicy.NoFocus


def _tick(qtbot, box) -> None:
    """A tap on the box itself (its indicator, at the left)."""
    qtbot.mouseClick(box.box, Qt.MouseButton.LeftButton, pos=QPoint(20, box.box.height() // 2))


def test_a_customers_taps_leave_the_clerks_keyboard_in_the_staff_window(qtbot, signed_files) -> None:
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        page = window.shell.pages["new"]
        page.start()
        screen = page.window_
        field = QLineEdit(page)  # stands for whichever field the clerk is typing in
        page.layout_.addWidget(field)
        screen.hide()  # shown again by the placement, as for each moment of the customer's
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
        place_customer_window(screen, "", window)
        qtbot.wait(100)  # the test platform activates every window shown; the customer window hands it back
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
        field.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=5_000)
        assert screen.isVisible() and screen.focus_home is window

        _tick(qtbot, screen.first_boxes[0])
        assert screen.first_boxes[0].box.isChecked()  # the tap worked …
        assert QApplication.focusWidget() is field and QApplication.activeWindow() is window  # … the keys did not move
        qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)  # refused: one box is missing
        assert screen.error.isVisible() and QApplication.focusWidget() is field
        sign_with_pen(screen.pad)  # the pen draws on a window that never takes focus
        assert len(screen.pad.strokes) == 2 and QApplication.focusWidget() is field
        _tick(qtbot, screen.first_boxes[1])
        qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.application_id is not None, timeout=5_000)
        # The flow moves on to the customer's details by itself: the keyboard goes with it, in the staff window.
        qtbot.waitUntil(lambda: window.shell.current_key() == "customer", timeout=5_000)
        assert QApplication.activeWindow() is window and window.isAncestorOf(QApplication.focusWidget())


@pytest.mark.parametrize("made", ["before", "after"])
def test_shown_by_anyone_the_window_hands_the_keyboard_back(qtbot, made) -> None:
    """Even shown without place_customer_window, on a platform that activates every window shown; whether it
    was made before the staff window had the keyboard or after (as the counter makes it, while idle)."""
    customer = CustomerWindow("en") if made == "before" else None
    staff = QWidget()
    field = QLineEdit(staff)
    qtbot.addWidget(staff)
    staff.show()
    staff.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is staff, timeout=2_000)
    field.setFocus()
    customer = customer or CustomerWindow("en")
    qtbot.addWidget(customer)
    customer.show()
    qtbot.wait(100)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is staff and QApplication.focusWidget() is field, timeout=2_000)
    assert customer.focus_home is None and customer.isVisible()
    customer.close_for_good()


def test_on_a_shared_display_the_window_steps_aside_and_the_staff_window_comes_back(
    qtbot, customer, monkeypatch
) -> None:
    import ui.customer_display.window as module

    monkeypatch.setattr(module, "SHARED_DONE_MS", 50)
    staff = QWidget()
    qtbot.addWidget(staff)
    staff.show()
    staff.activateWindow()
    place_customer_window(customer, "", staff)  # the test platform has one display: shared
    assert customer.shares_screen and customer.isVisible() and not customer.isFullScreen()
    customer.ask_first_consents()
    with qtbot.waitSignal(customer.closed, timeout=2_000):
        customer.finish("started", "S001-261129-0042")
    assert not customer.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is staff, timeout=2_000)
    place_customer_window(customer, "", staff)  # the next moment brings it back
    assert customer.isVisible()


# --- refusals say why -------------------------------------------------------------------------------------


def test_continue_without_the_ticks_says_which_consent_is_missing(qtbot, customer) -> None:
    customer.show()
    customer.ask_first_consents()
    first, second = customer.first_boxes
    with qtbot.assertNotEmitted(customer.first_consents_given):
        qtbot.mouseClick(customer.continue_button, Qt.MouseButton.LeftButton)
    message = customer.error.text()
    assert customer.error.isVisible() and "tick" in message
    assert first.title.text() in message and second.title.text() in message
    customer.error.ensurePolished()
    assert customer.error.font().pixelSize() >= 24  # large type
    first.box.setChecked(True)  # the message follows what is still missing
    assert second.title.text() in customer.error.text() and first.title.text() not in customer.error.text()
    with qtbot.assertNotEmitted(customer.first_consents_given):
        qtbot.mouseClick(customer.continue_button, Qt.MouseButton.LeftButton)
    second.box.setChecked(True)
    assert not customer.error.isVisible()
    with qtbot.waitSignal(customer.first_consents_given) as given:
        qtbot.mouseClick(customer.continue_button, Qt.MouseButton.LeftButton)
    assert [g.kind for g in given.args[0]] == list(FIRST_MOMENT)
    assert not customer.continue_button.isEnabled()  # one tap, one application
    customer.ready_again()
    assert customer.continue_button.isEnabled()


def test_the_refusal_names_the_consents_in_the_customers_language(qtbot, customer) -> None:
    customer.set_language("zh_CN")
    customer.show()
    customer.ask_first_consents()
    customer.continue_button.click()
    for kind in FIRST_MOMENT:
        assert consent_text(kind, "zh_CN").title in customer.error.text()
    customer.set_language("en")  # a refusal in the other language goes with it
    assert not customer.error.isVisible()


def test_sign_without_the_consents_or_with_a_scrawl_says_why(qtbot, customer) -> None:
    customer.resize(1280, 800)
    customer.show()
    customer.show_terms(_terms())
    with qtbot.assertNotEmitted(customer.signing_done):
        qtbot.mouseClick(customer.sign_button, Qt.MouseButton.LeftButton)
    message = customer.error.text()
    for box in customer.signing_boxes:
        assert box.title.text() in message
    assert "Please sign in the box" in message
    for box in customer.signing_boxes:
        box.box.setChecked(True)
    assert "tick" not in customer.error.text() and "Please sign in the box" in customer.error.text()
    customer.pad.begin(QPointF(200, 100), 0.5)  # a dot
    customer.pad.end()
    with qtbot.assertNotEmitted(customer.signing_done):
        qtbot.mouseClick(customer.sign_button, Qt.MouseButton.LeftButton)
    assert "too short" in customer.error.text() and customer.error.isVisible()
    customer.pad.clear()
    sign_with_pen(customer.pad)
    assert not customer.error.isVisible()  # the signature is enough now
    with qtbot.waitSignal(customer.signing_done) as done:
        qtbot.mouseClick(customer.sign_button, Qt.MouseButton.LeftButton)
    assert [g.kind for g in done.args[0]] == list(SIGNING_MOMENT) and len(done.args[1]) == 2
    assert not customer.sign_button.isEnabled()  # one tap, one signature


def test_a_message_from_the_staff_side_shows_large_too(customer) -> None:
    customer.show()
    customer.show_terms(_terms())
    customer.show_error("The contract could not be signed.")
    assert customer.error.isVisible() and customer.error.text() == "The contract could not be signed."
    customer.ensurePolished()
    customer.error.ensurePolished()
    assert customer.error.font().pixelSize() >= 24


# --- declining asks once more -----------------------------------------------------------------------------


def test_declining_asks_once_more(qtbot, customer) -> None:
    customer.show()
    customer.ask_first_consents()
    customer.first_boxes[0].box.setChecked(True)
    with qtbot.assertNotEmitted(customer.declined):
        qtbot.mouseClick(customer.decline_button, Qt.MouseButton.LeftButton)  # one tap does not decline
    assert customer.consent_flip.currentWidget() is customer.confirm_decline
    assert customer.decline_yes_button.isVisible() and not customer.continue_button.isVisible()
    with qtbot.assertNotEmitted(customer.declined):
        qtbot.mouseClick(customer.go_back_button, Qt.MouseButton.LeftButton)
    assert customer.consent_flip.currentWidget() is customer.reading
    assert customer.first_boxes[0].box.isChecked()  # going back keeps what was ticked
    qtbot.mouseClick(customer.decline_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(customer.declined) as declined:
        qtbot.mouseClick(customer.decline_yes_button, Qt.MouseButton.LeftButton)
    assert declined.args == [FIRST_MOMENT[1]]  # the consent not given
    customer.ask_first_consents()
    assert customer.consent_flip.currentWidget() is customer.reading


def test_no_button_is_the_default_and_none_has_focus(customer) -> None:
    customer.show()
    customer.ask_first_consents()
    buttons = customer.findChildren(QPushButton)
    assert not any(b.isDefault() or b.autoDefault() or b.hasFocus() for b in buttons)


# --- everything in the customer's language ----------------------------------------------------------------


def test_the_product_is_named_in_the_customers_language(customer) -> None:
    catalog = parse_catalog((resources_dir() / "catalog" / "products.json").read_bytes())
    names = catalog.product("GOODS").names
    customer.set_language("zh_CN")
    customer.show_terms(_terms(name="Goods installment"), names)  # the terms carry the counter's language
    assert "商品分期" in customer.summary.text() and "Goods installment" not in customer.summary.text()
    customer.set_language("en")
    assert "Goods installment" in customer.summary.text()
    customer.show_terms(_terms(name="商品分期"))  # without the catalog's names: the name the terms carry
    assert "商品分期" in customer.summary.text()
