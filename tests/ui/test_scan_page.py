"""The scan page: a photo read off the GUI thread, fields listed, doubtful ones highlighted; wedge scans too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.config import load_configuration
from app.scanning.payload import ScanResult
from tests.support.id_cards import make_card, save_pair
from ui.controller import Controller
from ui.main_window import MainWindow


@pytest.fixture
def page(qtbot):
    controller = Controller(load_configuration())
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    controller.start()
    qtbot.waitUntil(lambda: window.sign_in.button.isEnabled(), timeout=20_000)
    window.sign_in.login.setText("sales01")
    window.sign_in.secret.setText("135790")
    qtbot.keyClick(window.sign_in.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.shell, timeout=10_000)
    window.shell.open_page("scan")
    yield window, window.shell.pages["scan"]
    controller.shutdown()
    if window._translator is not None:
        QApplication.instance().removeTranslator(window._translator)


def _rows(table) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 4)] for r in range(table.rowCount())}


def test_a_card_photo_is_read_and_listed(qtbot, page, tmp_path: Path) -> None:
    """The front of a card: name, number and birth date listed; the number's check passed."""
    _window, scan = page
    card = make_card(7)
    front, _back = save_pair(card, "clean", tmp_path, 7)
    scan.scan_file(front)
    qtbot.waitUntil(lambda: scan.table.rowCount() > 0, timeout=30_000)
    rows = _rows(scan.table)
    assert rows["ID number"][0] == card.id_number and rows["ID number"][2] == "passed"
    assert rows["Name"][0] == card.name and "ID card, front" in scan.state.text()


def test_doubtful_fields_are_highlighted(qtbot, page) -> None:
    """A failed check or low certainty colours the row; a confirmed field does not."""
    _window, scan = page
    scan.show_result(
        ScanResult(
            "passport",
            {"document_number": "E12345678", "surname": "ZHANG"},
            {"document_number": 1.0, "surname": 0.5},
            {"document_number": True},
        )
    )
    colours = {
        scan.table.item(r, 0).text(): scan.table.item(r, 0).background().color().name()
        for r in range(scan.table.rowCount())
    }
    assert colours["Surname"] == "#fff3c4" and colours["Document number"] != "#fff3c4"


def test_a_wedge_scan_lands_on_the_page(qtbot, page) -> None:
    """While the scan page is open, a scanner's ID number is listed there, checked."""
    window, scan = page
    window.show_scan("11010519491231002X")
    assert _rows(scan.table)["ID number"] == ["11010519491231002X", "100%", "passed"]


def test_an_unreadable_photo_is_explained(qtbot, page, tmp_path: Path) -> None:
    """A file that is not an image says so and changes nothing."""
    _window, scan = page
    bad = tmp_path / "x.png"
    bad.write_text("not an image")
    scan.scan_file(bad)
    qtbot.waitUntil(lambda: scan.open_button.isEnabled() and scan.state.text() != "Reading…", timeout=30_000)
    assert "image" in scan.state.text() and scan.table.rowCount() == 0


def test_camera_frame_is_read_in_memory(qtbot, page, tmp_path: Path) -> None:
    """A (simulated) camera shows a live preview; Capture reads the current frame without writing it anywhere."""
    from PySide6.QtGui import QImage

    from ui.camera import SimulatedCameraSource

    _window, scan = page
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
    assert _rows(scan.table)["ID number"][0] == card.id_number
    assert set(tmp_path.iterdir()) == before  # nothing written
    scan.toggle_camera()
    assert scan.camera is None and not scan.preview.isVisible()


def test_no_camera_says_so(qtbot, page) -> None:
    """On a PC without a camera the page says to open a photo instead."""
    from ui.camera import camera_available

    _window, scan = page
    if camera_available():
        pytest.skip("this machine has a camera")
    scan.toggle_camera()
    assert "No camera" in scan.state.text() and scan.camera is None
