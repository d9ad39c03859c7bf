"""A keyboard-wedge scanner's burst becomes a scan; a person's typing reaches the field unchanged."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from ui.scanner import WedgeScannerFilter


class FakeClock:
    def __init__(self) -> None:
        self.ms = 0.0

    def __call__(self) -> float:
        return self.ms


def _press(widget: QLineEdit, ch: str) -> None:
    key = Qt.Key.Key_Return if ch == "\n" else Qt.Key(ord(ch.upper()))
    text = "\r" if ch == "\n" else ch
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))


def _setup(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    clock = FakeClock()
    scanner = WedgeScannerFilter(clock=clock)
    QApplication.instance().installEventFilter(scanner)
    return field, clock, scanner


def test_burst_is_taken_as_a_scan_not_typed(qtbot) -> None:
    """18 keys 3 ms apart plus Enter: `scanned` carries them, the field stays empty, Enter does not fire."""
    field, clock, scanner = _setup(qtbot)
    entered: list[bool] = []
    field.returnPressed.connect(lambda: entered.append(True))
    try:
        with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
            for ch in "11010519491231002X\n":
                _press(field, ch)
                clock.ms += 3
            clock.ms += 100
            scanner.settle()
        assert blocker.args == ["11010519491231002X"]
        assert field.text() == "" and entered == []
    finally:
        QApplication.instance().removeEventFilter(scanner)


def test_typing_reaches_the_field(qtbot) -> None:
    """Keys 120 ms apart are handed to the field as typed, and Enter after them still works."""
    field, clock, scanner = _setup(qtbot)
    seen: list[str] = []
    scanner.scanned.connect(seen.append)
    try:
        for ch in "4999":
            _press(field, ch)
            clock.ms += 120
        scanner.settle()
        assert field.text() == "4999" and seen == []
    finally:
        QApplication.instance().removeEventFilter(scanner)


def test_burst_through_a_chinese_input_method(qtbot) -> None:
    """With an IME on, the scanner's digits come as full-width committed text: still one scan, nothing typed."""
    from PySide6.QtGui import QInputMethodEvent

    from app.scanning.payload import classify_payload

    field, clock, scanner = _setup(qtbot)
    try:
        with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
            for ch in "１１０１０５１９４９１２３１００２Ｘ":
                event = QInputMethodEvent()
                event.setCommitString(ch)
                QApplication.sendEvent(field, event)
                clock.ms += 4
            clock.ms += 100
            scanner.settle()
        assert field.text() == ""
        assert classify_payload(blocker.args[0]).fields["id_number"] == "11010519491231002X"
    finally:
        QApplication.instance().removeEventFilter(scanner)


def test_slow_input_method_text_reaches_the_field(qtbot) -> None:
    """A person committing Chinese characters one by one through the IME still types into the field."""
    from PySide6.QtGui import QInputMethodEvent

    field, clock, scanner = _setup(qtbot)
    try:
        for ch in "王晓明":
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(field, event)
            clock.ms += 300
        scanner.settle()
        assert field.text() == "王晓明"
    finally:
        QApplication.instance().removeEventFilter(scanner)
