"""The first window: the store, the state of the local store, and the development-mode banner.

The sign-in screen and the counter shell replace this with the shell issue.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QVBoxLayout, QWidget

from app.errors import FenqiError
from app.overview import StoreOverview


class MainWindow(QMainWindow):
    """Shows who this counter is and how the local store stands; never touches the database itself."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Fenqi POS"))
        self.resize(1280, 760)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(18)

        self.banner = QLabel()
        self.banner.setObjectName("devBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "#devBanner { background: #fff4ce; color: #5c4400; border: 1px solid #e0b400;"
            " border-radius: 6px; padding: 10px 14px; font-size: 15px; }"
        )
        self.banner.hide()
        layout.addWidget(self.banner)

        self.title = QLabel(self.tr("Fenqi POS"))
        self.title.setStyleSheet("font-size: 34px; font-weight: 600; color: #1d3557;")
        layout.addWidget(self.title)
        self.store_label = QLabel()
        self.store_label.setStyleSheet("font-size: 20px; color: #333;")
        layout.addWidget(self.store_label)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)

        self.status = QLabel(self.tr("Opening the local store…"))
        self.status.setObjectName("storeStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setStyleSheet("font-size: 18px;")
        layout.addWidget(self.status)

        self.coming = QLabel(self.tr("Sign-in and the counter screens are coming with the next release."))
        self.coming.setStyleSheet("font-size: 15px; color: #666;")
        layout.addWidget(self.coming)
        layout.addStretch(1)
        self.setCentralWidget(body)
        self.statusBar().showMessage(self.tr("Starting…"))

    def show_overview(self, overview: StoreOverview) -> None:
        """Show the store and its application counts."""
        self.store_label.setText(
            self.tr("Store {code} · {name}").format(code=overview.store_code, name=overview.store_name)
        )
        self.status.setText(
            self.tr("Local store ready: {total} applications, {drafts} drafts, {customers} customers.").format(
                total=f"{overview.applications:,}", drafts=f"{overview.drafts:,}", customers=f"{overview.customers:,}"
            )
        )
        self.status.setStyleSheet("font-size: 18px; color: #1b5e20;")
        if overview.development_key_store:
            self.banner.setText(
                self.tr(
                    "Development mode: the data key is kept in {where}, not in the operating system's keyring. "
                    "Do not use this mode in a store."
                ).format(where=overview.key_store)
            )
            self.banner.show()
        self.statusBar().showMessage(self.tr("Key store: {where}").format(where=overview.key_store))

    def show_error(self, error: BaseException) -> None:
        """Say why the local store could not be opened; nothing is changed."""
        message = error.message if isinstance(error, FenqiError) else str(error)
        self.status.setText(self.tr("The local store could not be opened.") + "\n" + message)
        self.status.setStyleSheet("font-size: 18px; color: #b71c1c;")
        self.statusBar().showMessage(self.tr("Local store closed"))
