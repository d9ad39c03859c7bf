"""The customer screen driven as a customer would: consents ticked one by one (or declined), the terms read,
the signature drawn with a simulated pen, and the signed contract checked as a real PDF — its text by
pdftotext, its QR code by zxing-cpp on the rendered page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication, QCheckBox
from sqlalchemy import func, select

from app.counter.contract import terms_sha256
from app.storage.models import Application, AuditEntry, Consent
from tests.support.counter import signed_in_window
from tests.support.forms import fill_customer
from tests.support.signing import go_on_to_signing

PEN = QPointingDevice(
    "test pen",
    7,
    QInputDevice.DeviceType.Stylus,
    QPointingDevice.PointerType.Pen,
    QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
    1,
    3,
)


def _pen(pad, kind: QEvent.Type, x: float, y: float, pressure: float) -> None:
    event = QTabletEvent(
        kind,
        PEN,
        QPointF(x, y),
        pad.mapToGlobal(QPointF(x, y)),
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        Qt.KeyboardModifier.NoModifier,
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
    )
    QApplication.sendEvent(pad, event)


def sign_with_pen(pad) -> None:
    """Two pen strokes across the pad, pressing harder as they go."""
    for y0 in (100.0, 150.0):
        _pen(pad, QEvent.Type.TabletPress, 60, y0, 0.2)
        for i in range(40):
            _pen(pad, QEvent.Type.TabletMove, 60 + i * 12, y0 + (i % 5) * 8, 0.2 + i * 0.015)
        _pen(pad, QEvent.Type.TabletRelease, 540, y0, 0.0)


@pytest.fixture
def counter(qtbot, signed_files):
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        window.controller.services.prescreen.blacklist.import_file(signed_files.blacklist, signed_files.settings)
        page = window.shell.pages["new"]
        yield window, page


def _count(window, model) -> int:
    with window.controller.services.store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_staff_window_cannot_tick_or_sign(counter) -> None:
    """The staff side has no consent box and no signature pad; the customer screen is a window of its own."""
    from ui.customer_display.signature_pad import SignaturePad

    window, page = counter
    page.start()
    assert window.findChildren(QCheckBox, "agree_credit_inquiry") == []
    assert window.findChildren(SignaturePad) == [] and page.window_.parent() is None
    assert len(page.window_.findChildren(QCheckBox)) == 4


def test_each_consent_must_be_ticked_and_declining_keeps_nothing(qtbot, counter) -> None:
    window, page = counter
    page.start()
    screen = page.window_
    assert screen.stack.currentWidget() is screen.consents_page and "consents" in page.state.text()
    qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)  # nothing ticked: refused, saying why
    assert screen.first_boxes[0].title.text() in screen.error.text()
    screen.first_boxes[0].box.setChecked(True)
    qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)  # one is not enough: each is separate
    assert screen.first_boxes[1].title.text() in screen.error.text()
    assert screen.first_boxes[0].title.text() not in screen.error.text()
    qtbot.wait(200)
    assert page.application_id is None and _count(window, Application) == _count(window, Consent) == 0
    qtbot.mouseClick(screen.decline_button, Qt.MouseButton.LeftButton)
    assert screen.consent_flip.currentWidget() is screen.confirm_decline  # asked once more
    assert "declined" not in page.state.text()
    qtbot.mouseClick(screen.decline_yes_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.done_page, timeout=5_000)
    assert "Nothing about you" in screen.done_body.text() and "declined" in page.state.text()
    qtbot.wait(200)
    assert _count(window, Application) == _count(window, Consent) == 0


def test_both_consents_start_the_application(qtbot, counter) -> None:
    window, page = counter
    page.start()
    screen = page.window_
    for box in screen.first_boxes:
        box.box.setChecked(True)
    qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.application_id is not None, timeout=5_000)
    assert window.shell.pages["customer"].application_id == page.application_id
    assert _count(window, Consent) == 2 and page.reference in page.state.text()


def test_switching_language_unticks_and_shows_the_other_text(qtbot, counter) -> None:
    _window, page = counter
    page.start()
    screen = page.window_
    screen.first_boxes[0].box.setChecked(True)
    screen.set_language("en")
    assert not screen.first_boxes[0].box.isChecked()
    assert screen.first_boxes[0].title.text().startswith("Separate consent")
    screen.set_language("zh_CN")
    assert "敏感个人信息" in screen.first_boxes[0].title.text()


def _through_to_terms(qtbot, window, page) -> None:
    page.start()
    screen = page.window_
    for box in screen.first_boxes:
        box.box.setChecked(True)
    qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.application_id is not None, timeout=5_000)
    customer = window.shell.pages["customer"]
    fill_customer(customer.form, name="𠮷田堃")
    customer.save()
    qtbot.waitUntil(lambda: "Saved" in customer.notice.text(), timeout=5_000)
    purchase = window.shell.pages["purchase"]  # the pre-screen and the plan take the purchase as recorded
    purchase.category.setCurrentIndex(purchase.category.findData("phone"))
    purchase.product.setCurrentIndex(purchase.product.findData("GOODS"))
    purchase.term.setCurrentIndex(purchase.term.findData(12))
    purchase.price.setText("4999")
    purchase.down.setText("1000")
    purchase.save()
    qtbot.waitUntil(lambda: window.shell.flow.application.purchase is not None, timeout=5_000)
    prescreen = window.shell.pages["prescreen"]  # it runs by itself on the purchase as recorded
    qtbot.waitUntil(lambda: prescreen.result is not None, timeout=10_000)
    assert prescreen.result.decision == "approve"
    plan = window.shell.pages["plan"]
    qtbot.waitUntil(lambda: len(plan.rows) > 0, timeout=5_000)
    plan.compare.selectRow(next(i for i, r in enumerate(plan.rows) if r.term == 12))
    plan.goods.setText("手机 X1 SN 8612345")
    plan.send_button.click()
    go_on_to_signing(qtbot, window.shell)  # (the Verify step is not walked here) offline: the terms at once
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.terms_page, timeout=5_000)


def test_signing_with_a_pen_gives_a_real_contract(qtbot, counter, tmp_path: Path) -> None:
    window, page = counter
    _through_to_terms(qtbot, window, page)
    screen = page.window_
    assert screen.apr_value.text().endswith("%") and screen.schedule.rowCount() == 12
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)  # nothing ticked or signed: refused, saying why
    assert all(box.title.text() in screen.error.text() for box in screen.signing_boxes) and page.signed is None
    for box in screen.signing_boxes:
        box.box.setChecked(True)
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    assert "Please sign in the box" in screen.error.text() and page.signed is None  # nothing signed yet
    _pen(screen.pad, QEvent.Type.TabletPress, 200, 100, 0.5)  # a dot
    _pen(screen.pad, QEvent.Type.TabletRelease, 200, 100, 0.0)
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    assert "too short" in screen.error.text() and page.signed is None
    screen.pad.clear()
    sign_with_pen(screen.pad)
    assert screen.pad.strokes[0][5][3] > screen.pad.strokes[0][1][3]  # pressure kept per point
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.signed is not None or page.message.text() != "", timeout=10_000)
    assert page.signed is not None, page.message.text()
    assert screen.stack.currentWidget() is screen.done_page

    pdf = tmp_path / "contract.pdf"
    page.save_pdf_to(pdf)
    qtbot.waitUntil(lambda: pdf.exists() and pdf.stat().st_size > 0, timeout=5_000)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    terms = page.terms
    assert "𠮷田堃" in text and "3999.00" in text and f"{terms['apr']}%" in text
    for installment in terms["installments"]:
        assert installment["due_date"] in text, installment
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    payloads = [r.text for png in sorted(tmp_path.glob("page*.png")) for r in zxingcpp.read_barcodes(Image.open(png))]
    assert {"reference": terms["reference"], "terms_sha256": terms_sha256(terms)} in [json.loads(p) for p in payloads]

    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "copy.pdf"))
    page.print_to(printer, customer_copy=True)
    copy = subprocess.run(["pdftotext", str(tmp_path / "copy.pdf"), "-"], capture_output=True, text=True).stdout
    assert "客户联" in copy or "Customer copy" in copy
    qtbot.wait(300)
    with window.controller.services.store.read() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {
        "contract.generated",
        "contract.signed",
        "contract.saved",
        "contract.copy_printed",
        "consent.given",
    } <= actions


def test_mouse_and_touch_draw_too_and_undo_takes_back_a_stroke(qtbot) -> None:
    """A mouse stroke and a touch stroke are both kept as points; Undo removes the last; Clear empties."""
    from PySide6.QtGui import QEventPoint, QMouseEvent, QTouchEvent

    from ui.customer_display.signature_pad import SignaturePad

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(700, 260)
    pad.show()

    def mouse(kind: QEvent.Type, x: float) -> None:
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
        event = QMouseEvent(
            kind,
            QPointF(x, 120),
            pad.mapToGlobal(QPointF(x, 120)),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(pad, event)

    mouse(QEvent.Type.MouseButtonPress, 50)
    for x in range(60, 400, 20):
        mouse(QEvent.Type.MouseMove, x)
    mouse(QEvent.Type.MouseButtonRelease, 400)
    screen = QPointingDevice(
        "touch screen",
        9,
        QInputDevice.DeviceType.TouchScreen,
        QPointingDevice.PointerType.Finger,
        QInputDevice.Capability.Position,
        1,
        0,
    )

    def touch(kind: QEvent.Type, state: QEventPoint.State, x: float) -> None:
        point = QEventPoint(1, state, QPointF(x, 180), pad.mapToGlobal(QPointF(x, 180)))
        QApplication.sendEvent(pad, QTouchEvent(kind, screen, Qt.KeyboardModifier.NoModifier, [point]))

    touch(QEvent.Type.TouchBegin, QEventPoint.State.Pressed, 50)
    for x in range(60, 300, 20):
        touch(QEvent.Type.TouchUpdate, QEventPoint.State.Updated, x)
    touch(QEvent.Type.TouchEnd, QEventPoint.State.Released, 300)
    assert len(pad.strokes) == 2 and len(pad.strokes[0]) >= 15 and len(pad.strokes[1]) >= 10
    assert not pad.image().isNull()
    pad.undo()
    assert len(pad.strokes) == 1
    pad.clear()
    assert pad.strokes == []


def test_a_double_tap_starts_one_application_and_a_new_start_forgets_the_last_customer(qtbot, counter) -> None:
    """Continue tapped twice makes one application; starting the next one empties the customer page first."""
    window, page = counter
    page.start()
    screen = page.window_
    for box in screen.first_boxes:
        box.box.setChecked(True)
    screen.continue_button.click()
    screen.continue_button.click()
    qtbot.waitUntil(lambda: page.application_id is not None, timeout=5_000)
    qtbot.wait(200)
    assert _count(window, Application) == 1
    customer = window.shell.pages["customer"]
    fill_customer(customer.form)
    page.start()  # an application is open: starting another one asks first
    assert page.put_aside_box is not None
    next(b for b in page.put_aside_box.buttons() if "aside" in b.text()).click()
    assert customer.application_id is None and customer.form.value("name") == ""
