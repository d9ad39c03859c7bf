"""Activating this PC with the lender's central server, for store IT: the server's address, the store's code and
the one-time code the lender gave for it. The dialog collects them; app/ (SyncService.activate) checks, asks the
server and remembers the result, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kernel.errors import FenqiError

# submit(server, store, code, on_done, on_error): runs the activation in the background.
Submit = Callable[[str, str, str, Callable[[object], None], Callable[[BaseException], None]], None]


class ActivationDialog(QDialog):
    """Server address, store code and one-time code; closes only when the activation succeeded, and shows
    app/'s reason otherwise (nothing changed then)."""

    def __init__(self, server: str, store: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(self.tr("Activate this PC"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            self.tr(
                "The lender gives each store a one-time activation code. Activation makes this PC that store's "
                "counter: its name, opening hours and staff list come from the lender, and the demo accounts are "
                "removed (staff then sign in with their own). Applications filed from then on are sent at the next "
                "sync."
            )
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.server = QLineEdit(server)
        self.server.setObjectName("activationServer")
        self.server.setPlaceholderText("https://api.example-lender.cn")
        self.store = QLineEdit(store)
        self.store.setObjectName("activationStore")
        self.code = QLineEdit()
        self.code.setObjectName("activationCode")
        for text, field in (
            (self.tr("Central &server"), self.server),
            (self.tr("S&tore code"), self.store),
            (self.tr("One-time &code"), self.code),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.activate_button = QPushButton(self.tr("&Activate"))
        self.activate_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))  # Qt's own button text is not translated
        self.buttons.addButton(self.activate_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._activate)
        self.buttons.rejected.connect(self.reject)
        (self.code if server and store else self.server).setFocus()

    def _activate(self) -> None:
        self.error.clear()
        self.activate_button.setEnabled(False)
        self.activate_button.setText(self.tr("Activating…"))
        self._submit(self.server.text(), self.store.text(), self.code.text(), self._done, self._refused)

    def _done(self, _result: object) -> None:
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.activate_button.setEnabled(True)
        self.activate_button.setText(self.tr("&Activate"))
        self.error.setText(error.message if isinstance(error, FenqiError) else self.tr("Activation failed; logged."))
