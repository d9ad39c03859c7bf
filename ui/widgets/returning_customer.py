"""The returning-customer banner over the customer form: once a valid ID number is typed or scanned for an open
application holding the customer's consents, app/ looks the customer up (off the GUI thread) and, if they were
here before, the banner offers their saved details — "Returning customer: 王小明, earlier applications: 2 — Fill
in (F2)". Filling in puts the saved values into the empty fields and highlights what the customer must confirm
again (phone, address, income). Saving still goes through the consent gate of the customer page."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.counter.returning import ReturningCustomer, ReturningCustomers
from app.domain.identity import normalize_resident_id
from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.widgets.customer_form import CustomerFormWidget

FILL_KEY = Qt.Key.Key_F2
STYLE = """
QFrame#returningCustomer { background: #e6f4ea; border: 1px solid #81c995; border-radius: 6px; }
QFrame#returningCustomer QLabel { color: #0d5223; font-size: 16px; }
"""


class ReturningCustomerBanner(QFrame):
    """Offers a returning customer's saved details for the form; `filled` fires once they are put in."""

    filled = Signal()

    def __init__(
        self,
        controller: Controller,
        returning: ReturningCustomers,
        form: CustomerFormWidget,
        application_id: Callable[[], uuid.UUID | None],
        scope: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.form = form
        self.application_id = application_id  # the open application, or None while it lacks the consents
        self.found: ReturningCustomer | None = None  # offered now
        self.done = False  # the clerk filled the form in from it
        self._asked: str | None = None  # the number looked up last (or being looked up)
        self._service = returning
        self.setObjectName("returningCustomer")
        self.setStyleSheet(STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.fill_button = QPushButton()
        self.fill_button.setObjectName("primary")
        self.fill_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never steals the focus from what is typed
        layout.addWidget(self.fill_button)
        self.fill_button.clicked.connect(self.fill)
        self.shortcut = QShortcut(QKeySequence(FILL_KEY), scope or self)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.activated.connect(self.fill)
        id_number = form.inputs["id_number"]
        assert isinstance(id_number, QLineEdit)  # SECTIONS gives it a placeholder: a line edit, not a choice list
        id_number.textChanged.connect(lambda _text: self.recheck())
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    # --- looking up -------------------------------------------------------------------------------------------

    def recheck(self) -> None:
        """Look the customer up if the ID number is complete and an application with consents is open."""
        number = normalize_resident_id(self.form.value("id_number"))
        if number == self._asked:
            return  # looked up (or being looked up) already
        self._forget()
        application_id = self.application_id()
        service = self._service
        if len(number) != 18 or application_id is None or self.controller.actor is None:
            return
        self._asked = number
        self.controller.call(
            lambda actor: service.lookup(actor, number, application_id),
            on_done=lambda found: self._found(number, found),
            on_error=lambda error: self._failed(number, error),
        )

    def _found(self, number: str, found: ReturningCustomer | None) -> None:
        if number != self._asked or number != normalize_resident_id(self.form.value("id_number")):
            return  # the number changed meanwhile
        if found is None or found.earlier_applications == 0:
            return  # not here before (or only on this very application)
        self.found, self.done = found, False
        self._render()

    def _failed(self, number: str, error: BaseException) -> None:
        if number == self._asked:
            self._asked = None  # e.g. the consents were withdrawn meanwhile: ask again on the next change
        if not isinstance(error, FenqiError):  # a bad number is shown under the field by the form itself
            self.controller.log_background_error(error)

    def _forget(self) -> None:
        self.found, self.done, self._asked = None, False, None
        self.hide()

    # --- filling in -------------------------------------------------------------------------------------------

    def fill(self) -> None:
        """Put the saved details into the empty fields; highlight what the customer must confirm."""
        if self.found is None or self.done or not self.isVisible():
            return
        from app.counter.returning import fill_in

        values, confirm = fill_in(self.form.form(), self.found.form)
        self.done = True
        self.form.set_values(values, confirm)
        self._render()
        self.filled.emit()

    def _render(self) -> None:
        found = self.found
        if found is None:
            self.hide()
            return
        if self.done:
            text = self.tr(
                "Filled in from {name}'s earlier application. Check the highlighted fields (phone, address, "
                "income) with the customer before saving."
            ).format(name=found.name)
        elif found.last_state is not None:
            text = self.tr("Returning customer: {name}, earlier applications: {count} (last: {state}).").format(
                name=found.name, count=found.earlier_applications, state=found.last_state_label
            )
        else:
            text = self.tr("Returning customer: {name}, earlier applications: {count}.").format(
                name=found.name, count=found.earlier_applications
            )
        self.text.setText(text)
        self.fill_button.setText(self.tr("Fill in (F2)"))
        self.fill_button.setVisible(not self.done)
        self.show()
