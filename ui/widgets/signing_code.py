"""The staff side of the one-time code that opens signing: the code is sent to the customer's phone through the
lender, the customer types it on their own screen, and the lender checks it (app.counter.verification). The
clerk sees every answer in plain words and can always go on without the code: the confirmation is then pending
and the lender calls the customer. This row of two buttons lives on the New application page; it never types or
confirms a code for the customer."""

from __future__ import annotations

import math
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.customer_display.window import CustomerWindow

if TYPE_CHECKING:
    from app.counter.verification import CodeOutcome, ConfirmOutcome, VerificationService

RESEND_WAIT_S = 60  # the lender sends a phone at most one code a minute: a new one is offered after that


class SigningCode(QWidget):
    """The buttons "Send a new code" and "Go on without the code", shown while the code is being sent, typed or
    checked. `finished` says the terms may be shown: the code confirmed (True) or the confirmation pending."""

    finished = Signal(bool)  # confirmed
    said = Signal(str)  # for the staff window's message line

    def __init__(self, controller: Controller, verification: VerificationService, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.verification = verification
        self.application_id: uuid.UUID | None = None
        self.window_: CustomerWindow | None = None
        self.phone = ""  # the customer's number masked, as the customer's screen names it ("" when not known)
        self.phase = ""  # sending, typing, checking, stopped (no code to type: a new one, or go on); "" when idle
        self._round = 0  # each send or check is a round: an answer of an earlier round is dropped
        self._sent_once = False  # a code went out in this signing: the customer may still type that one
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.new_code_button, self.without_code_button = QPushButton(), QPushButton()
        layout.addWidget(self.new_code_button)
        layout.addWidget(self.without_code_button)
        layout.addStretch(1)
        self.new_code_timer = QTimer(self)  # when it fires, a new code may be asked for
        self.new_code_timer.setSingleShot(True)
        self.new_code_timer.timeout.connect(lambda: self.new_code_button.setEnabled(True))
        self.new_code_button.clicked.connect(lambda: self._send(resent=True))
        self.without_code_button.clicked.connect(self.go_on_without_code)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.new_code_button.setText(self.tr("Send a &new code"))
        self.without_code_button.setText(self.tr("Go on &without the code"))

    @property
    def active(self) -> bool:
        """A code is being sent, typed or checked: the terms wait."""
        return bool(self.phase)

    def start(self, application_id: uuid.UUID, window: CustomerWindow, phone: str) -> None:
        """Send a code to the customer's phone for `application_id` and have the customer type it on `window`
        (`phone`: their number masked, or "")."""
        self.application_id, self.window_, self.phone = application_id, window, phone
        self._sent_once = False
        self._send(resent=False)

    def stop(self) -> None:
        """Nothing more to do with the code (the application was put aside, or the counter locked): answers
        still on their way are dropped."""
        self._round += 1
        self.phase = ""
        self.new_code_timer.stop()
        self.hide()

    def go_on_without_code(self) -> None:
        """The clerk goes on without the code: the terms, with the confirmation pending."""
        if self.active:
            self._pending(self.tr("Going on without the code."), said_pending=False)

    # --- sending ------------------------------------------------------------------------------------------------

    def _send(self, resent: bool) -> None:
        application_id, window, verification = self.application_id, self.window_, self.verification
        assert application_id is not None and window is not None
        self._round += 1
        round_ = self._round
        self.phase = "sending"
        self._offer_new_code(None)
        window.show_code_sending(self.phone)
        self.said.emit(self.tr("Sending a code to the customer's phone…"))
        actor = self.controller.actor
        if actor is None:
            return
        # A round trip to the lender and its SMS provider: on the I/O pool, so saves never wait behind it.
        self.controller.run_io(
            verification.send_code,
            actor,
            application_id,
            on_done=lambda outcome: self._sent(round_, outcome, resent),
            on_error=lambda error: self._broke(round_, error),
        )

    def _sent(self, round_: int, outcome: CodeOutcome, resent: bool) -> None:
        if round_ != self._round or self.window_ is None:
            return
        if outcome.status == "sent":
            self.phase = "typing"
            self._sent_once = True
            self.window_.ask_code(self.phone, resent)
            self._offer_new_code(RESEND_WAIT_S)
            self.said.emit(
                self.tr(
                    "{sent} The customer types it on their screen. If it does not come, send a new code after a "
                    "minute, or go on without it."
                ).format(sent=outcome.message)
            )
        elif outcome.status == "rate_limited":  # the message says how long to wait
            self.phase = "typing" if self._sent_once else "stopped"  # the code sent before still works
            self.window_.code_problem("code_use_last" if self._sent_once else "code_wait")
            self._offer_new_code(_seconds(outcome.retry_after))
            self.said.emit(outcome.message)
        else:  # sms_unavailable, offline (their words say the confirmation is pending), refused: no code to type
            self._pending(outcome.message, said_pending=outcome.status != "refused")

    # --- checking -----------------------------------------------------------------------------------------------

    def entered(self, code: str) -> None:
        """The customer typed `code` and confirmed it on their screen: the lender checks it."""
        application_id, verification = self.application_id, self.verification
        if self.phase != "typing" or application_id is None:
            return
        self._round += 1
        round_ = self._round
        self.phase = "checking"
        self.said.emit(self.tr("Checking the code with the lender…"))
        actor = self.controller.actor
        if actor is None:
            return
        self.controller.run_io(  # a round trip to the lender, like sending
            verification.confirm_code,
            actor,
            application_id,
            code,
            on_done=lambda outcome: self._checked(round_, outcome),
            on_error=lambda error: self._broke(round_, error),
        )

    def _checked(self, round_: int, outcome: ConfirmOutcome) -> None:
        window = self.window_
        if round_ != self._round or window is None:
            return
        status = outcome.status
        if status == "confirmed":
            self.stop()
            self.said.emit(self.tr("{confirmed} They now read the terms and sign.").format(confirmed=outcome.message))
            self.finished.emit(True)
        elif status == "code_wrong":  # the message says how many tries are left
            self.phase = "typing"
            window.code_problem("code_wrong", outcome.tries_left)
            self.said.emit(self.tr("{wrong} The customer types it again.").format(wrong=outcome.message))
        elif status in ("code_expired", "too_many_tries"):  # the message says when a new code may be sent
            self.phase = "stopped"
            window.code_problem("code_expired" if status == "code_expired" else "code_too_many")
            self._offer_new_code(0 if status == "code_expired" else _seconds(outcome.retry_after))
            self.said.emit(outcome.message)
        elif status == "rate_limited":  # this PC tried too often: the same code, a little later
            self.phase = "typing"
            window.code_problem("code_busy")
            self.said.emit(outcome.message)
        else:  # offline (its words say the confirmation is pending), refused: the code cannot be checked now
            self._pending(outcome.message, said_pending=status == "offline")

    # --- outcomes -----------------------------------------------------------------------------------------------

    def _offer_new_code(self, after: int | None) -> None:
        """Show the row; a new code may be asked for `after` seconds from now (None: not now)."""
        self.new_code_timer.stop()
        self.new_code_button.setEnabled(after == 0)
        if after:
            self.new_code_timer.start(after * 1000)
        self.show()

    def _pending(self, reason: str, said_pending: bool) -> None:
        """On to the terms with the confirmation pending; `reason` says why (and, `said_pending`, that the lender
        will call the customer)."""
        self.stop()
        if said_pending:
            self.said.emit(self.tr("{reason} The terms are on the customer's screen now.").format(reason=reason))
        else:
            self.said.emit(
                self.tr(
                    "{reason} The terms are on the customer's screen now; the lender will call the customer to "
                    "confirm the signing."
                ).format(reason=reason)
            )
        self.finished.emit(False)

    def _broke(self, round_: int, error: BaseException) -> None:
        """Not an answer of the lender's (those are outcomes): logged; the clerk can still go on without it."""
        if round_ != self._round:
            return
        self.phase = "stopped"
        self._offer_new_code(0)
        if isinstance(error, FenqiError):
            reason = error.message
        else:
            self.controller.log_background_error(error)
            reason = self.tr("Something went wrong with the code; it has been logged.")
        self.said.emit(self.tr("{reason} Send a new code, or go on without it.").format(reason=reason))


def _seconds(retry_after: float | None) -> int:
    """A wait the lender named, in whole seconds (at least 1); a minute when it named none."""
    return max(1, math.ceil(retry_after)) if retry_after is not None else RESEND_WAIT_S
