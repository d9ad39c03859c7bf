"""The one-time code typed on the customer screen: six boxes showing the digits typed, large digit buttons, Delete
and Confirm, and the page around them saying what the code is for. Buttons only — the customer window never
takes the keyboard from the clerk, so there is no field to type in. Whether the code is right is the lender's
answer (app.counter.verification), not this widget's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

CODE_LENGTH = 6  # the lender's codes are six digits (app.wire.evidence.CodeEntry)


class CodeEntry(QWidget):
    """The digits typed so far, a digit pad, Delete and Confirm; `submitted` carries what was typed when Confirm
    is tapped (complete or not: the window says what is missing)."""

    changed = Signal()  # a digit typed or deleted
    submitted = Signal(str)  # Confirm tapped, with the digits typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = ""
        self._locked = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        shown = QHBoxLayout()
        shown.setSpacing(10)
        self.boxes = [QLabel() for _ in range(CODE_LENGTH)]
        for box in self.boxes:
            box.setObjectName("codeDigit")
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.setFixedSize(64, 80)
            shown.addWidget(box)
        layout.addLayout(shown)
        pad = QGridLayout()
        pad.setSpacing(10)
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("1234567890"):
            button = QPushButton(digit)
            button.setObjectName("digit")
            button.clicked.connect(lambda _checked=False, d=digit: self.press(d))
            self.digit_buttons[digit] = button
            row, column = (index // 3, index % 3) if digit != "0" else (3, 1)
            pad.addWidget(button, row, column)
        self.delete_button, self.confirm_button = QPushButton(), QPushButton()
        self.confirm_button.setObjectName("primary")
        for button in (self.delete_button, self.confirm_button):
            button.setProperty("pad", True)  # as large as the digits (the window's style sheet)
        pad.addWidget(self.delete_button, 3, 0)
        pad.addWidget(self.confirm_button, 3, 2)
        layout.addLayout(pad)
        self.delete_button.clicked.connect(self.delete)
        self.confirm_button.clicked.connect(lambda: self.submitted.emit(self.code))
        for child in self.findChildren(QWidget):  # taps only: the keyboard is the clerk's
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._show()

    def show_texts(self, delete: str, confirm: str) -> None:
        """The two buttons' words, in the customer's language."""
        self.delete_button.setText(delete)
        self.confirm_button.setText(confirm)

    def press(self, digit: str) -> None:
        """One more digit (ignored once six are typed, or while the code is being checked)."""
        if self._locked or len(self.code) >= CODE_LENGTH:
            return
        self.code += digit
        self._show()

    def delete(self) -> None:
        """Take back the last digit."""
        if self._locked or not self.code:
            return
        self.code = self.code[:-1]
        self._show()

    def clear(self) -> None:
        """Start again with nothing typed."""
        self.code = ""
        self._show()

    def lock(self, locked: bool) -> None:
        """While a code is on its way or being checked, nothing on the pad answers."""
        self._locked = locked
        self._show()

    @property
    def complete(self) -> bool:
        return len(self.code) == CODE_LENGTH

    def _show(self) -> None:
        for index, box in enumerate(self.boxes):
            box.setText(self.code[index] if index < len(self.code) else "")
            current = index == len(self.code) and not self._locked
            if box.property("current") != current:
                box.setProperty("current", current)
                box.style().unpolish(box)
                box.style().polish(box)
        for button in (*self.digit_buttons.values(), self.delete_button, self.confirm_button):
            button.setEnabled(not self._locked)
        if self.confirm_button.property("ready") != self.complete:
            self.confirm_button.setProperty("ready", self.complete)
            self.confirm_button.style().unpolish(self.confirm_button)
            self.confirm_button.style().polish(self.confirm_button)
        self.changed.emit()


class CodePage(QWidget):
    """The customer window's code page: what the code is for on the left, in large type; the digits typed and
    the pad on the right. `t` gives the window's texts in the customer's language (ui/customer_display/texts.py);
    refusals are the window's to show, below the page."""

    def __init__(self, t: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.phone = ""  # the masked number the code went to, or "" when not known here
        self.body_key = "code_sending"  # a code on its way, or sent (to the number, or to "your phone")
        self.note_key = ""  # checking, or a new code sent
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 8)
        columns = QHBoxLayout()
        columns.setSpacing(48)
        left = QVBoxLayout()
        self.title, self.body, self.note = QLabel(), QLabel(), QLabel()
        self.title.setObjectName("big")
        self.note.setObjectName("note")
        for label in (self.title, self.body, self.note):
            label.setWordWrap(True)
            left.addWidget(label)
            left.addSpacing(12)
        left.addStretch(1)
        right = QVBoxLayout()
        self.entry = CodeEntry()
        right.addWidget(self.entry)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right)
        layout.addLayout(columns, 1)

    def retranslate(self) -> None:
        """Say it all again in the window's language now."""
        self.title.setText(self.t("code_title"))
        self.entry.show_texts(self.t("code_delete"), self.t("code_confirm"))
        self.body.setText(self.t(self.body_key).format(phone=self.phone))
        self.note.setText(self.t(self.note_key) if self.note_key else "")
        self.note.setVisible(bool(self.note_key))

    def sending(self, phone: str) -> None:
        """The code is on its way to `phone` (masked, or ""): nothing to type yet."""
        self.phone, self.body_key, self.note_key = phone, "code_sending", ""
        self.entry.clear()
        self.entry.lock(True)
        self.retranslate()

    def ask(self, phone: str, resent: bool) -> None:
        """The code was sent to `phone` (masked, or ""): type it (`resent`: a new one replaced an earlier one)."""
        self.phone, self.body_key = phone, "code_body" if phone else "code_body_any"
        self.note_key = "code_resent" if resent else ""
        self.entry.clear()
        self.entry.lock(False)
        self.retranslate()

    def checking(self) -> None:
        """The code typed is with the lender: the pad waits for the answer."""
        self.entry.lock(True)
        self.note_key = "code_checking"
        self.retranslate()

    def refused(self, key: str) -> None:
        """The lender's answer was `key` (see CustomerWindow.code_problem): a wrong code is typed again from
        empty, the earlier code when no new one could be sent, the same again when the lender was busy; after the
        others the pad stays off."""
        self.note_key = ""
        if key in ("code_wrong", "code_use_last"):
            self.entry.clear()
        self.entry.lock(key not in ("code_wrong", "code_use_last", "code_busy"))
        self.retranslate()
