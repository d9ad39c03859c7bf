"""A clerk at the counter in UI tests, counting their inputs as a person makes them: one click, one key press,
one dropdown choice, one pull of the scanner's trigger, or one field's typed value however long — each into the
widget the screen put the focus on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget


class Clerk:
    """Drives the real widgets and counts (`inputs`)."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.inputs = 0

    def counted(self, inputs: int) -> None:
        """Inputs made where a test cannot make them (choosing files in a native dialog)."""
        self.inputs += inputs

    def click(self, widget: QWidget) -> None:
        """One click."""
        self.inputs += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def key(self, key: Qt.Key) -> None:
        """One key press, where the focus is."""
        self.inputs += 1
        self.qtbot.keyClick(QApplication.focusWidget(), key)
        self.qtbot.wait(20)  # what the key set going (the focus moving on) happens before the next input

    def types(self, text: str) -> None:
        """One field's typed value (however many characters), into the field the screen put the focus on."""
        self.inputs += 1
        field = QApplication.focusWidget()
        assert isinstance(field, QLineEdit), f"the focus is on {field!r}, not a field to type {text!r} in"
        if text.isascii():
            self.qtbot.keyClicks(field, text)
        else:  # Chinese comes through the input method (keyClicks with CJK aborts the test process)
            event = QInputMethodEvent("", [])
            event.setCommitString(text)
            QApplication.sendEvent(field, event)

    def chooses(self, value: str) -> None:
        """One choice in the dropdown the screen put the focus on."""
        self.inputs += 1
        combo = QApplication.focusWidget()
        assert isinstance(combo, QComboBox), f"the focus is on {combo!r}, not a list to choose {value!r} from"
        index = combo.findData(value)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)  # what picking it from the open list does

    def scans(self, window, code: str) -> None:
        """One pull of the wedge scanner's trigger (its burst reaches the window as a scan, never as typing)."""
        self.inputs += 1
        window.show_scan(code)


def focused_on(widget: QWidget) -> bool:
    """Whether the keyboard is on `widget`."""
    return QApplication.focusWidget() is widget
