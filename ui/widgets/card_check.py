"""The repayment card's check with the bank, through the lender (app.counter.verification): asked once when the
verification page opens, the bank's answer said in plain words; when the bank refuses the card, a field for
another card of the customer's, which Enter checks. Offline, the lender checks the card when the application
arrives, and nothing here blocks signing."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.counter.verification import CardOutcome, CardStatus, VerificationService
from app.kernel.errors import FenqiError
from ui.controller import Controller

OK_STYLE = "color: #2e7d32; font-weight: 600;"
WARN_STYLE = "color: #8d6e00;"
REFUSED_STYLE = "color: #b71c1c; font-weight: 600;"
# Answers that say nothing of the card itself: asked again when the page opens next (the network may be back).
_NO_ANSWER = (CardStatus.OFFLINE, CardStatus.UNAVAILABLE)


class CardCheck(QWidget):
    """The bank's answer on the open application's repayment card, and another card when it is refused."""

    changed = Signal()  # a check began or ended: what the page allows may change
    card_changed = Signal()  # the customer's card was replaced by the one typed here

    def __init__(
        self,
        controller: Controller,
        verification: VerificationService,
        application_id: Callable[[], uuid.UUID | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.verification = verification
        self._application_id = application_id
        self.outcome: CardOutcome | None = None
        self.checking = False
        self.blocked_before = False  # the store's newest answer on this card blocks signing (before asking again)
        self._asked_for: tuple[uuid.UUID, str] | None = None  # (application, card as typed) last asked about
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.title = QLabel()
        self.title.setObjectName("formSection")
        layout.addWidget(self.title)
        self.state = QLabel()
        self.state.setObjectName("cardVerdict")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        self.label = QLabel()
        self.number = QLineEdit()
        self.number.setObjectName("anotherCard")
        self.label.setBuddy(self.number)
        self.check_button = QPushButton()
        row.addWidget(self.label)
        row.addWidget(self.number, 1)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.check_button.clicked.connect(self.check_another)
        self.number.returnPressed.connect(self.check_another)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Repayment card"))
        self.label.setText(self.tr("&Another card"))
        self.number.setPlaceholderText(self.tr("the number of another debit card in the customer's name"))
        self.check_button.setText(self.tr("Chec&k card"))
        self._show()

    def blocks(self) -> bool:
        """Whether the bank's answer keeps the customer from signing until another card is given."""
        return self.outcome.blocks_signing if self.outcome is not None else self.blocked_before

    def check_once(self, card: str, may_check: bool, again: bool = False) -> None:
        """Ask the bank about the application's card, once per application and card (the lender limits how
        often); with `again` (the page opened anew), also when there was no answer last time (offline then).
        `may_check` False (signed already) asks nothing."""
        application_id = self._application_id()
        if application_id is None or self.checking or not may_check:
            self._show()
            return
        asked = (application_id, "".join(card.split()))
        no_answer = self.outcome is not None and self.outcome.status in _NO_ANSWER
        if self._asked_for == asked and not (again and no_answer):
            return
        self._check(None, asked)

    def check_another(self) -> None:
        """Replace the customer's repayment card with the one typed, and check it (Enter in the field)."""
        number = self.number.text().strip()
        if not number:
            self.number.setFocus()
            return
        application_id = self._application_id()
        if application_id is not None:
            self._check(number, (application_id, "".join(number.split())))

    def _check(self, number: str | None, asked: tuple[uuid.UUID, str]) -> None:
        application_id, actor, verification = asked[0], self.controller.actor, self.verification
        if actor is None:
            return
        self._asked_for, self.checking = asked, True
        self._show()
        self.changed.emit()
        # A round trip to the lender and the bank: on the I/O pool, never the database thread or the GUI's.
        self.controller.run_io(
            verification.check_card,
            actor,
            application_id,
            number,
            on_done=lambda outcome: self._checked(application_id, number, outcome),
            on_error=lambda error: self._failed(application_id, error),
        )

    def _checked(self, application_id: uuid.UUID, number: str | None, outcome: CardOutcome) -> None:
        if application_id != self._application_id():
            return
        self.checking, self.outcome = False, outcome
        if number is not None:
            self.number.clear()
            self.card_changed.emit()
        self._show()
        self.changed.emit()
        if outcome.blocks_signing:
            self.number.setFocus()  # another card: typed, then Enter checks it

    def _failed(self, application_id: uuid.UUID, error: BaseException) -> None:
        if application_id != self._application_id():
            return
        self.checking = False
        if isinstance(error, FenqiError):
            text = error.message  # e.g. a card number the counter's own check refuses: corrected, Enter again
        else:
            self.controller.log_background_error(error)
            text = self.tr("The card could not be checked; the error has been logged.")
        self._show(problem=text)
        self.changed.emit()
        if self.number.isVisible():
            self.number.setFocus()

    def _show(self, problem: str | None = None) -> None:
        outcome = self.outcome
        if self.checking:
            style, text = WARN_STYLE, self.tr("Checking the card with the bank through the lender…")
        elif problem is not None:
            style, text = REFUSED_STYLE, problem
        elif outcome is None:
            if self.blocked_before:
                style, text = REFUSED_STYLE, self.tr("The bank refused this card: ask for another card.")
            else:
                style, text = "", self.tr("The card is checked with the bank when this page opens.")
        elif outcome.status is CardStatus.MATCH:
            style, text = OK_STYLE, "✓ " + outcome.message
        else:
            style, text = (REFUSED_STYLE if outcome.blocks_signing else WARN_STYLE), outcome.message
        self.state.setStyleSheet(style)
        self.state.setText(text)
        asking = self.blocks() and not self.checking
        for widget in (self.label, self.number, self.check_button):
            widget.setVisible(asking)

    def clear(self) -> None:
        """Forget the answer and what was typed (another application, or the counter locks)."""
        self.outcome, self.checking, self.blocked_before, self._asked_for = None, False, False, None
        self.number.clear()
        self._show()
