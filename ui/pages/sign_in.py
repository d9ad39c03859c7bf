"""The sign-in screen, which is also the lock screen: nothing about any customer is visible behind it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.kernel.errors import FenqiError
from ui.pages.base import Page


class SignInPage(Page):
    """Staff number and PIN; Enter signs in. Emits `submitted(login, secret)`."""

    submitted = Signal(str, str)

    def __init__(self, store_code: str, store_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = (store_code, store_name)
        self._moved = False  # an activation made this PC another store's counter; said until someone signs in
        self._ready = False
        self._locked_for: str | None = None
        # Centred with stretches and style-sheet properties: the Qt namespace costs start-up time to load.
        self.layout_.insertStretch(0, 1)
        self.title.setStyleSheet("font-size: 34px; qproperty-alignment: AlignCenter;")
        self.store_label = QLabel()
        self.store_label.setStyleSheet("font-size: 18px; color: #455a64; qproperty-alignment: AlignCenter;")
        self.layout_.addWidget(self.store_label)

        box = QWidget()
        box.setMaximumWidth(460)
        box_layout = QVBoxLayout(box)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet("qproperty-alignment: AlignCenter;")
        box_layout.addWidget(self.state_label)
        form = QFormLayout()
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.secret = QLineEdit()
        self.secret.setObjectName("secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_label, self.secret_label = QLabel(), QLabel()
        self.login_label.setBuddy(self.login)
        self.secret_label.setBuddy(self.secret)
        form.addRow(self.login_label, self.login)
        form.addRow(self.secret_label, self.secret)
        box_layout.addLayout(form)
        self.button = QPushButton()
        self.button.setObjectName("primary")
        self.button.setDefault(True)
        box_layout.addWidget(self.button)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        box_layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addStretch(2)

        self.button.clicked.connect(self._submit)
        self.secret.returnPressed.connect(self._submit)
        self.login.returnPressed.connect(self.secret.setFocus)
        self.setTabOrder(self.login, self.secret)
        self.setTabOrder(self.secret, self.button)
        self.button.setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Fenqi POS"))
        self.store_label.setText(self.tr("Store {code} · {name}").format(code=self._store[0], name=self._store[1]))
        self.login_label.setText(self.tr("&Staff number"))
        self.secret_label.setText(self.tr("&PIN or password"))
        self.button.setText(self.tr("Sign in"))
        if not self._ready:
            self.state_label.setText(self.tr("Opening the local store…"))
        elif self._moved:
            self.state_label.setText(
                self.tr(
                    "This PC is now the counter of store {code} · {name}. Sign in with your staff number and PIN "
                    "from the store's staff list; the demo accounts are gone."
                ).format(code=self._store[0], name=self._store[1])
            )
        elif self._locked_for:
            self.state_label.setText(
                self.tr(
                    "The counter is locked ({name}). Sign in to continue; another staff member may sign in."
                ).format(name=self._locked_for)
            )
        else:
            self.state_label.setText(self.tr("Sign in with your staff number and PIN."))

    def set_store(self, code: str, name: str) -> None:
        """The store this counter works for, as the settings say now (an activation may have changed it)."""
        if (code, name) != self._store:
            self._moved = self._moved or code != self._store[0]
            self._store = (code, name)
            self.retranslate()

    def set_ready(self) -> None:
        """The store is open: signing in is possible."""
        self._ready = True
        self.button.setEnabled(True)
        self.retranslate()

    def set_unavailable(self, error: BaseException) -> None:
        """The store could not be opened: say why, keep signing in off."""
        message = error.message if isinstance(error, FenqiError) else str(error)
        self.state_label.setText(self.tr("The local store could not be opened."))
        self.error.setText(message)
        self.button.setEnabled(False)

    def reset(self, locked_for: str | None = None) -> None:
        """Empty the fields for the next person; `locked_for` names who locked the counter."""
        self._locked_for = locked_for
        self.secret.clear()
        self.error.clear()
        if locked_for is None:
            self.login.clear()
        self.retranslate()
        (self.secret if locked_for and self.login.text() else self.login).setFocus()

    def show_error(self, error: BaseException) -> None:
        """Show why signing in failed; the PIN field is emptied."""
        self.error.setText(error.message if isinstance(error, FenqiError) else str(error))
        self.secret.clear()
        self.secret.setFocus()
        self.button.setEnabled(True)

    def _submit(self) -> None:
        if not self.button.isEnabled() or not self.login.text().strip() or not self.secret.text():
            return
        self.error.clear()
        self.button.setEnabled(False)
        self._moved = False  # said once: the next lock screen reads as usual
        self.submitted.emit(self.login.text().strip(), self.secret.text())
