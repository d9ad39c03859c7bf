"""The central sign-in form of the Region tab: the server (prefilled from the counter's settings), the
regional manager's user name and password, and what went wrong. It holds no rules: app/ signs in."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


class CentralSignIn(QFrame):
    """Server, user name, password and Sign in; `submitted(server, username, password)` when asked."""

    submitted = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        form = QFormLayout(self)
        form.setContentsMargins(18, 14, 18, 14)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        form.addRow(self.intro)
        self.server, self.username, self.password = QLineEdit(), QLineEdit(), QLineEdit()
        self.server.setObjectName("server")
        self.username.setObjectName("username")
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_label, self.username_label, self.password_label = QLabel(), QLabel(), QLabel()
        for label, field in (
            (self.server_label, self.server),
            (self.username_label, self.username),
            (self.password_label, self.password),
        ):
            field.setMaximumWidth(480)
            label.setBuddy(field)
            form.addRow(label, field)
        self.button = QPushButton()
        self.button.setObjectName("primary")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.error, 1)
        form.addRow(row)
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "Regional managers: sign in with your central account to see the stores of your region side by "
                "side. The figures are kept on this PC so they open when the network is down."
            )
        )
        self.server_label.setText(self.tr("Central ser&ver"))
        self.username_label.setText(self.tr("&User name"))
        self.password_label.setText(self.tr("Pass&word"))
        self.server.setPlaceholderText("https://")
        self.button.setText(self.tr("Sign &in"))

    def submit(self) -> None:
        """Ask to sign in with what is typed (all three are needed)."""
        server, username, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        if not (server and username and password):
            self.error.setText(self.tr("Enter the server, your user name and your password."))
            return
        self.button.setEnabled(False)
        self.error.setText(self.tr("Signing in…"))
        self.submitted.emit(server, username, password)

    def answered(self, error: str = "") -> None:
        """The sign-in came back: the password is never kept; `error` says why it was refused."""
        self.button.setEnabled(True)
        self.password.clear()
        self.error.setText(error)

    def clear(self) -> None:
        """Forget who typed what (the counter is locking)."""
        self.username.clear()
        self.password.clear()
        self.error.clear()
        self.button.setEnabled(True)
