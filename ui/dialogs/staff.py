"""Adding a staff account and setting a new PIN. The dialogs collect input; app/ validates it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Role, role_label
from app.kernel.errors import FenqiError

Submit = Callable[[dict[str, str], Callable[[object], None], Callable[[BaseException], None]], None]


class _FormDialog(QDialog):
    """A form whose OK runs `submit` in the background and closes only when app/ accepted the input."""

    def __init__(self, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(460)

    def values(self) -> dict[str, str]:
        raise NotImplementedError

    def check(self) -> str | None:
        """A problem the dialog can see by itself (e.g. two PIN entries differ), or None."""
        return None

    def _ok(self) -> None:
        problem = self.check()
        if problem:
            self.error.setText(problem)
            return
        self.buttons.setEnabled(False)
        self._submit(self.values(), self._accepted, self._refused)

    def _accepted(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error.message if isinstance(error, FenqiError) else str(error))


class _PinFields:
    def add_pin_rows(self, dialog: _FormDialog) -> None:
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin_again = QLineEdit()
        self.pin_again.setObjectName("pinAgain")
        for field in (self.pin, self.pin_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        # An explicit context: self.tr() in a mixin would look the text up under each dialog's own class name.
        dialog.form.addRow(QCoreApplication.translate("StaffDialogs", "PIN or password"), self.pin)
        dialog.form.addRow(QCoreApplication.translate("StaffDialogs", "Again"), self.pin_again)

    def pins_differ(self) -> bool:
        return self.pin.text() != self.pin_again.text()


class AddStaffDialog(_FormDialog, _PinFields):
    """New account: staff number, name, role (only those the actor may manage), ID number, phone, PIN."""

    def __init__(self, roles: Iterable[Role], submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(submit, parent)
        self.setWindowTitle(self.tr("Add staff"))
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in roles:
            self.role.addItem(role_label(role), role.value)
        self.id_number = QLineEdit()
        self.id_number.setObjectName("idNumber")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.form.addRow(self.tr("Staff number"), self.login)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("ID number"), self.id_number)
        self.form.addRow(self.tr("Mobile"), self.phone)
        self.add_pin_rows(self)

    def check(self) -> str | None:
        return self.tr("The two PIN entries differ.") if self.pins_differ() else None

    def values(self) -> dict[str, str]:
        return {
            "login": self.login.text(),
            "display_name": self.name.text(),
            "role": self.role.currentData(),
            "id_number": self.id_number.text(),
            "phone": self.phone.text(),
            "secret": self.pin.text(),
        }


class ResetPinDialog(_FormDialog, _PinFields):
    """A new PIN or password for one account."""

    def __init__(self, login: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(submit, parent)
        self.setWindowTitle(self.tr("New PIN for {login}").format(login=login))
        self.add_pin_rows(self)

    def check(self) -> str | None:
        return self.tr("The two PIN entries differ.") if self.pins_differ() else None

    def values(self) -> dict[str, str]:
        return {"secret": self.pin.text()}
