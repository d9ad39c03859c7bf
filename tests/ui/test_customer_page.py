"""The customer page: photos, camera frames, barcodes and scanner bursts fill the form; doubtful fields are
highlighted; inline checks as the clerk types; Save keeps nothing without the customer's consents."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.domain.consent import ConsentKind
from app.kernel.clock import utc_now
from app.scanning.payload import ScanResult
from app.storage.consents import ConsentRepository
from app.storage.models import Customer
from app.storage.repositories import ApplicationRepository
from tests.support import barcode_images
from tests.support.counter import signed_in_window
from tests.support.id_cards import make_card, save_pair
from tests.support.passports import make_passport, render_page


@pytest.fixture
def page(qtbot):
    with signed_in_window(qtbot) as window:
        window.shell.open_page("customer")
        yield window, window.shell.pages["customer"]


def _rows(table) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 4)] for r in range(table.rowCount())}


def _value(customer, key: str) -> str:
    return customer.form.value(key)


def _problem(customer, key: str) -> str:
    label = customer.form.errors[key]
    return label.text() if not label.isHidden() else ""


def _wait_read(qtbot, customer) -> None:
    qtbot.waitUntil(lambda: customer.scan.open_button.isEnabled() and customer.notice.text() != "", timeout=30_000)


def _open_application(window, *consents: ConsentKind):
    services = window.controller.services
    with services.store.write() as session:
        now = utc_now()
        app = ApplicationRepository().create_draft(session, services.current_store(session), None, "test", now)
        for kind in consents:
            ConsentRepository().grant(session, app.id, kind, "v1", hashlib.sha256(b"text").hexdigest(), now)
        return app.id, app.reference


def _customers(window) -> int:
    with window.controller.services.store.read() as session:
        return session.scalar(select(func.count(Customer.id)))


def test_a_card_photo_fills_the_form(qtbot, page, tmp_path: Path) -> None:
    """The front of a card: name, number, birth date and address land in the form; the back gives validity."""
    _window, customer = page
    card = make_card(7)
    front, back = save_pair(card, "clean", tmp_path, 7)
    customer.scan.scan_file(front)
    _wait_read(qtbot, customer)
    assert _value(customer, "name") == card.name and _value(customer, "id_number") == card.id_number
    assert _value(customer, "birth_date") == card.birth_date.isoformat()
    assert _rows(customer.scan.table)["ID number"][2] == "passed"
    assert "ID card, front" in customer.scan.state.text()
    customer.notice.clear()
    customer.scan.scan_file(back)
    _wait_read(qtbot, customer)
    expected = card.valid_until.isoformat() if card.valid_until else "长期"
    assert _value(customer, "id_valid_until") == expected


def test_a_passport_photo_fills_name_to_confirm_and_birth_date(qtbot, page, tmp_path: Path) -> None:
    """The MRZ gives the birth date (check digit) and a name the clerk must confirm (highlighted)."""
    _window, customer = page
    passport = make_passport(3)
    path = tmp_path / "passport.png"
    render_page(passport).save(path)
    customer.scan.scan_file(path)
    _wait_read(qtbot, customer)
    assert _value(customer, "birth_date") == passport.birth_date.isoformat()
    assert _value(customer, "name") == f"{passport.surname} {passport.given_names}"
    assert customer.form.inputs["name"].property("doubtful") is True
    assert "confirm the name" in customer.notice.text()


def test_a_barcode_image_fills_the_id_number(qtbot, page, tmp_path: Path) -> None:
    """A PDF417 code carrying an ID number, slightly tilted, fills it (and the birth date it holds)."""
    _window, customer = page
    path = barcode_images.save("11010519491231002X", "PDF417", "tilt3", tmp_path)
    customer.scan.scan_file(path)
    _wait_read(qtbot, customer)
    assert _value(customer, "id_number") == "11010519491231002X"
    assert _value(customer, "birth_date") == "1949-12-31"


def test_a_scanner_burst_fills_the_form_not_the_focused_field(qtbot, page) -> None:
    """A burst typed into the phone field goes to the ID number; the phone field stays empty; Enter does not
    save."""
    from ui.scanner import WedgeScannerFilter

    window, customer = page
    clock = [0.0]
    scanner = WedgeScannerFilter(clock=lambda: clock[0])
    scanner.scanned.connect(window.show_scan)
    QApplication.instance().installEventFilter(scanner)
    phone = customer.form.inputs["phone"]
    phone.setFocus()
    try:
        for ch in "11010519491231002X\n":
            key = Qt.Key.Key_Return if ch == "\n" else Qt.Key(ord(ch))
            text = "\r" if ch == "\n" else ch
            QApplication.sendEvent(phone, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))
            clock[0] += 3
        clock[0] += 100
        scanner.settle()
    finally:
        QApplication.instance().removeEventFilter(scanner)
    assert phone.text() == "" and _value(customer, "id_number") == "11010519491231002X"
    assert customer.notice.text() == "ID number read."


def test_a_bad_number_is_refused_clearly_as_typed(qtbot, page) -> None:
    """A wrong check digit is named under the field after a pause; fields not touched yet stay quiet."""
    _window, customer = page
    qtbot.keyClicks(customer.form.inputs["id_number"], "110105194912310021")
    qtbot.waitUntil(lambda: _problem(customer, "id_number") != "", timeout=2_000)
    assert "check digit" in _problem(customer, "id_number")
    assert customer.form.inputs["id_number"].property("problem") is True
    assert _problem(customer, "phone") == ""
    qtbot.keyClicks(customer.form.inputs["bank_card"], "6222020200000000007")
    qtbot.waitUntil(lambda: _problem(customer, "bank_card") != "", timeout=2_000)
    assert "typing mistake" in _problem(customer, "bank_card")


def test_a_rare_character_name_typed_through_an_input_method_is_accepted(qtbot, page) -> None:
    """𠮷 (outside the basic plane) committed by an IME is a name; a digit in it is not."""
    _window, customer = page
    name = customer.form.inputs["name"]
    name.setFocus()
    for text in ("𠮷", "田堃"):
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(name, event)
    customer.form._edited("name")  # an IME commit is not a textEdited signal on every platform
    customer.form.check()
    assert name.text() == "𠮷田堃" and _problem(customer, "name") == ""


def test_nothing_is_saved_without_an_application_or_consents(qtbot, page, tmp_path: Path) -> None:
    """No application: Save says so. An application without consents: app/ refuses and names the consents."""
    window, customer = page
    card = make_card(9)
    front, _back = save_pair(card, "clean", tmp_path, 9)
    customer.scan.scan_file(front)
    _wait_read(qtbot, customer)
    customer.save()
    assert "no application is open" in customer.notice.text() and _customers(window) == 0
    application_id, reference = _open_application(window, ConsentKind.SENSITIVE_PERSONAL_INFO)
    customer.set_application(application_id, reference)
    qtbot.waitUntil(lambda: customer.missing is not None, timeout=5_000)
    assert "Credit-bureau inquiry" in customer.consent_state.text()
    _fill_the_rest(qtbot, customer)
    customer.save()
    qtbot.waitUntil(lambda: customer.save_button.isEnabled() and "consent" in customer.notice.text(), timeout=5_000)
    assert "Nothing has been saved" in customer.notice.text() and _customers(window) == 0


def _fill_the_rest(qtbot, customer) -> None:
    for key, text in {
        "phone": "13812345678",
        "employer": "Shunfeng",
        "monthly_income": "8000",
        "overdue_records": "0",
        "emergency_phone": "13987654321",
        "bank_card": "6222020200000000006",
    }.items():
        customer.form.inputs[key].setText(text)
    customer.form.set_values({"emergency_name": "李娜"})
    for key, code in (("job_type", "employee"), ("housing", "rent"), ("emergency_relation", "spouse")):
        combo = customer.form.inputs[key]
        combo.setCurrentIndex(combo.findData(code))


def test_with_consents_the_scanned_and_typed_details_are_saved(qtbot, page, tmp_path: Path) -> None:
    """Both first-moment consents held: Save writes the customer and says so with the reference."""
    window, customer = page
    application_id, reference = _open_application(
        window, ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY
    )
    customer.set_application(application_id, reference)
    card = make_card(12)
    front, _back = save_pair(card, "clean", tmp_path, 12)
    customer.scan.scan_file(front)
    _wait_read(qtbot, customer)
    _fill_the_rest(qtbot, customer)
    assert customer.form.reveal_all() == []
    customer.save()
    qtbot.waitUntil(lambda: "Saved" in customer.notice.text(), timeout=5_000)
    assert reference in customer.notice.text() and _customers(window) == 1
    assert "given the consents" in customer.consent_state.text()


def test_doubtful_fields_are_highlighted(qtbot, page) -> None:
    """A failed check or low certainty colours the row; a confirmed field does not."""
    _window, customer = page
    customer.scan.show_result(
        ScanResult(
            "passport",
            {"document_number": "E12345678", "surname": "ZHANG"},
            {"document_number": 1.0, "surname": 0.5},
            {"document_number": True},
        )
    )
    colours = {
        customer.scan.table.item(r, 0).text(): customer.scan.table.item(r, 0).background().color().name()
        for r in range(customer.scan.table.rowCount())
    }
    assert colours["Surname"] == "#fff3c4" and colours["Document number"] != "#fff3c4"


def test_an_unreadable_photo_is_explained(qtbot, page, tmp_path: Path) -> None:
    """A file that is not an image says so and changes nothing."""
    _window, customer = page
    bad = tmp_path / "x.png"
    bad.write_text("not an image")
    customer.scan.scan_file(bad)
    scan = customer.scan
    qtbot.waitUntil(lambda: scan.open_button.isEnabled() and scan.state.text() != "Reading…", timeout=30_000)
    assert "image" in scan.state.text() and scan.table.rowCount() == 0 and _value(customer, "name") == ""


def test_camera_frame_is_read_in_memory(qtbot, page, tmp_path: Path) -> None:
    """A (simulated) camera shows a live preview; Capture reads the current frame without writing it anywhere."""
    from PySide6.QtGui import QImage

    from ui.camera import SimulatedCameraSource

    _window, customer = page
    scan = customer.scan
    card = make_card(11)
    front, _back = save_pair(card, "tilt", tmp_path, 11)
    frame = QImage(str(front))
    front.unlink()
    _back.unlink()
    scan.camera_factory = lambda: SimulatedCameraSource([frame])
    scan.toggle_camera()
    qtbot.waitUntil(lambda: scan.preview.pixmap() is not None and not scan.preview.pixmap().isNull(), timeout=5_000)
    before = set(tmp_path.iterdir())
    scan.capture()
    qtbot.waitUntil(lambda: scan.table.rowCount() > 0, timeout=30_000)
    assert _value(customer, "id_number") == card.id_number
    assert set(tmp_path.iterdir()) == before  # nothing written
    scan.toggle_camera()
    assert scan.camera is None and not scan.preview.isVisible()


def test_no_camera_says_so(qtbot, page) -> None:
    """On a PC without a camera the page says to open a photo instead."""
    from ui.camera import camera_available

    _window, customer = page
    if camera_available():
        pytest.skip("this machine has a camera")
    customer.scan.toggle_camera()
    assert "No camera" in customer.scan.state.text() and customer.scan.camera is None


def test_locking_forgets_what_was_typed(qtbot, page) -> None:
    """The counter locks: the form, the scan list and the open application are cleared."""
    window, customer = page
    window.show_scan("11010519491231002X")
    assert _value(customer, "id_number")
    window.controller.lock("hotkey")
    assert _value(customer, "id_number") == "" and customer.scan.table.rowCount() == 0
    assert customer.application_id is None


def test_a_card_reader_fills_the_form_from_the_chip(qtbot, page) -> None:
    """With a (simulated) reader set up, "Read card" fills the form from the chip; an empty reader says so."""
    import datetime as dt

    from app.scanning.readers import IdCardData, SimulatedIdReader

    _window, customer = page
    assert customer.scan.reader_button.isHidden()
    chip = IdCardData(
        name="𠮷田堃",
        sex="M",
        ethnicity="汉",
        birth_date=dt.date(1949, 12, 31),
        address="北京市朝阳区建国路12号",
        id_number="11010519491231002X",
        issuing_authority="北京市公安局朝阳分局",
        valid_from=dt.date(2010, 1, 1),
        valid_until=None,
    )
    customer.scan.set_reader(SimulatedIdReader([chip]))
    assert not customer.scan.reader_button.isHidden()
    customer.scan.read_card()
    qtbot.waitUntil(lambda: _value(customer, "id_number") != "", timeout=5_000)
    assert _value(customer, "name") == "𠮷田堃" and _value(customer, "id_valid_until") == "长期"
    assert customer.notice.text() == "ID card chip read."
    customer.scan.read_card()
    qtbot.waitUntil(lambda: "No card" in customer.scan.state.text(), timeout=5_000)
