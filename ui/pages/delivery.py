"""The delivery page: approved applications waiting for their goods. The clerk selects one, scans (or types) the
serial number or IMEI of the device handed over — a barcode scanner types it and presses Enter, and Enter
confirms — and app/ records it and marks the application delivered; it then leaves the list. A device other
than the one recorded with the purchase is handed over only after the clerk confirms the difference."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.counter.delivery import Delivered, DeliveryService, PendingDelivery
from app.kernel.clock import format_store_time
from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.pages.base import Page


class DeliveryPage(Page):
    """Confirms the delivery of approved applications; reloads its list whenever it is shown."""

    def __init__(self, controller: Controller, deliveries: DeliveryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.deliveries = deliveries
        self.pending: list[PendingDelivery] = []  # in table order
        self.confirm_box: QMessageBox | None = None
        self._busy = False
        self.intro = QLabel()
        self.intro.setObjectName("consentState")
        self.intro.setWordWrap(True)
        self.layout_.addWidget(self.intro)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("deliveries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.layout_.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("notice")
        self.layout_.addWidget(self.empty)
        row = QHBoxLayout()
        self.serial_label = QLabel()
        self.serial = QLineEdit()
        self.serial.setObjectName("serial")
        self.serial.setMaxLength(64)
        self.serial_label.setBuddy(self.serial)
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("primary")
        self.refresh_button = QPushButton()
        row.addWidget(self.serial_label)
        row.addWidget(self.serial, 1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.refresh_button)
        self.layout_.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("notice")
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self.serial.returnPressed.connect(self.confirm)
        self.confirm_button.clicked.connect(self.confirm)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._update)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Delivery"))
        self.intro.setText(
            self.tr(
                "Approved applications waiting for their goods. Select one, then scan or type the serial number "
                "or IMEI of the device handed over: Enter confirms the delivery."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("Reference"), self.tr("Customer"), self.tr("Goods"), self.tr("Approved")]
        )
        self.serial_label.setText(self.tr("&Serial / IMEI"))
        self.serial.setPlaceholderText(self.tr("Scan the barcode on the device or its box"))
        self.confirm_button.setText(self.tr("&Confirm delivery (Enter)"))
        self.refresh_button.setText(self.tr("Re&fresh"))
        self._fill()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.serial.setFocus()

    # --- the list ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the applications waiting for delivery (on the database thread)."""
        service = self.deliveries
        if self.controller.actor is None:
            return
        self.controller.call(service.pending_deliveries, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, pending: list[PendingDelivery]) -> None:
        chosen = self.selected()
        self.pending = list(pending)
        self._fill(chosen.application_id if chosen is not None else None)

    def _fill(self, keep: uuid.UUID | None = None) -> None:
        zone = self.controller.settings.time_zone
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.pending))
        for row, item in enumerate(self.pending):
            approved = format_store_time(item.approved_at, zone)
            for column, text in enumerate((item.reference, item.customer_name, item.goods, approved)):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.application_id)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        rows = [r for r, item in enumerate(self.pending) if item.application_id == keep]
        if rows or self.pending:
            self.table.selectRow(rows[0] if rows else 0)
        self.empty.setText("" if self.pending else self.tr("Nothing is waiting for delivery."))
        self.empty.setVisible(not self.pending)
        self._update()

    def selected(self) -> PendingDelivery | None:
        """The PendingDelivery of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.pending):
            return None
        return self.pending[rows[0].row()]

    def _update(self) -> None:
        self.confirm_button.setEnabled(self.selected() is not None and not self._busy)

    def _say(self, text: str, refused: bool = False) -> None:
        """Show `text` under the serial field; a refusal in the error colour."""
        name = "error" if refused else "notice"
        if self.message.objectName() != name:
            self.message.setObjectName(name)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)
        self.message.setText(text)

    # --- confirming -------------------------------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        """A wedge scanner's burst (its Enter already taken by the scanner filter): the serial, confirmed."""
        self.serial.setText(text.strip())
        self.confirm()

    def confirm(self, confirm_different: bool = False) -> None:
        """Record the serial for the selected application and mark it delivered (off the GUI thread)."""
        pending, service = self.selected(), self.deliveries
        if self._busy or service is None:
            return
        if pending is None:
            self._say(self.tr("Select the application whose goods are handed over."), refused=True)
            return
        serial = self.serial.text()
        self._busy = True
        self._update()
        self.controller.call(
            lambda actor: service.confirm(actor, pending.application_id, serial, confirm_different),
            on_done=self._delivered,
            on_error=lambda error: self._refused(pending, serial, error),
        )

    def _delivered(self, done: Delivered) -> None:
        self._busy = False
        self.serial.clear()
        self._say(
            self.tr("Delivered: {reference} has the serial recorded and has left the list.").format(
                reference=done.reference
            )
        )
        self.pending = [p for p in self.pending if p.application_id != done.application_id]
        self._fill()
        self.refresh()
        self.serial.setFocus()

    def _refused(self, pending: PendingDelivery, serial: str, error: BaseException) -> None:
        from app.counter.delivery import SerialMismatch

        self._busy = False
        self._update()
        if isinstance(error, SerialMismatch):
            self._ask_different(pending, serial, error.message)
            return
        if isinstance(error, FenqiError):
            self._say(error.message, refused=True)
        else:
            self.controller.log_background_error(error)
            self._say(self.tr("Confirming the delivery failed unexpectedly; it has been logged."), refused=True)
        self.serial.selectAll()
        self.serial.setFocus()
        if isinstance(error, FenqiError) and error.code in ("not_approved", "already_delivered", "not_found"):
            self.refresh()

    def _ask_different(self, pending: PendingDelivery, serial: str, reason: str) -> None:
        self._say(reason, refused=True)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("A different device"))
        box.setText(self.tr("Hand over this device for {reference} instead?").format(reference=pending.reference))
        box.setInformativeText(reason)
        accept = box.addButton(self.tr("&Hand over this device"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.buttonClicked.connect(lambda button: self._confirm_different(pending, serial) if button is accept else None)
        box.finished.connect(lambda _result: self._box_closed(box))
        self.confirm_box = box
        box.open()

    def _confirm_different(self, pending: PendingDelivery, serial: str) -> None:
        current = self.selected()
        if current is None or current.application_id != pending.application_id or self.serial.text() != serial:
            return  # the clerk moved on meanwhile
        self.confirm(confirm_different=True)

    def _box_closed(self, box: QMessageBox) -> None:
        if self.confirm_box is box:
            self.confirm_box = None
        box.deleteLater()

    def clear_sensitive(self) -> None:
        self._busy = False  # work dropped by a lock never reports back
        if self.confirm_box is not None:
            self.confirm_box.reject()
            self.confirm_box = None
        self.pending = []
        self.serial.clear()
        self.message.clear()
        self._fill()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, FenqiError):
            self._say(error.message, refused=True)
        else:
            self.controller.log_background_error(error)
            self._say(self.tr("The list could not be loaded; it has been logged."), refused=True)
