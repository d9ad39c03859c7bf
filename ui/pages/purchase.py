"""The purchase page: what the customer buys (category, SKU, serial/IMEI, description), its price and down
payment, and the product and term asked for. Enter records it and continues to the pre-screen, which — like the
plan — shows these values as recorded: nothing is typed twice."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.counter.flow import Step, may_change
from app.counter.purchase import PurchaseService, RecordedPurchase
from app.domain.catalog import Catalog
from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.open_application import OpenApplication
from ui.pages.base import Page
from ui.widgets.purchase_fields import TEXT_FIELDS, PurchaseFields


class PurchasePage(Page):
    """The open application's purchase."""

    recorded = Signal(object)  # RecordedPurchase
    edited = Signal(dict)  # the fields as typed, for the draft

    def __init__(
        self,
        controller: Controller,
        purchases: PurchaseService,
        application: OpenApplication,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.purchases = purchases
        self.application = application
        self.state = QLabel()
        self.state.setObjectName("consentState")
        self.state.setWordWrap(True)
        self.layout_.addWidget(self.state)
        self.purchase = PurchaseFields(goods=True)
        body = QHBoxLayout()
        body.addWidget(self.purchase, 2)
        body.addStretch(1)
        self.layout_.addLayout(body)
        # The fields by name, as before the form was shared (tests and the scanner fill them).
        f = self.purchase
        self.category, self.sku, self.serial, self.description = f.category, f.sku, f.serial, f.description
        self.price, self.down, self.product, self.term = f.price, f.down, f.product, f.term
        buttons = QHBoxLayout()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        buttons.addWidget(self.notice, 1)
        self.save_button = QPushButton()
        self.save_button.setObjectName("primary")
        buttons.addWidget(self.save_button)
        self.layout_.addLayout(buttons)
        self.layout_.addStretch(1)
        self.save_button.clicked.connect(self.save)
        # Enter in a field goes to the next one that still needs something and records when none does; the
        # scanner's burst ends with Enter too (it never reaches the field: see show_text).
        for key in TEXT_FIELDS:
            line = self.purchase.fields[key]
            assert isinstance(line, QLineEdit)  # the form's text fields
            line.returnPressed.connect(lambda k=key: QTimer.singleShot(0, lambda: self._enter(k)))
        self.purchase.edited.connect(lambda: self.edited.emit(self.purchase.values()))
        controller.catalog_ready.connect(self.set_catalog)
        if controller.catalog is not None:
            self.set_catalog(controller.catalog)
        application.opened.connect(self._opened)
        application.purchase_changed.connect(self._purchase_changed)
        application.facts_changed.connect(self._facts_changed)
        application.draft_restored.connect(self._restore)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Purchase"))
        self.save_button.setText(self.tr("Record and &continue (Enter)"))
        self._show_state()

    def _show_state(self) -> None:
        self.state.setText(
            self.tr("Application {reference}: what the customer is buying.").format(
                reference=self.application.reference
            )
            if self.application.is_open
            else self.tr("No application is open. Start one on the New application page.")
        )

    def set_catalog(self, catalog: Catalog) -> None:
        """Offer the catalog's products."""
        self.purchase.set_catalog(catalog)

    def _opened(self, _resumed: bool) -> None:
        self.clear_fields()
        self._fix(False)
        self._show_state()

    def _facts_changed(self) -> None:
        # app.counter.flow decides what may still change: after signing the purchase is the one signed for.
        facts = self.application.facts
        fixed = facts is not None and facts.purchase_recorded and not may_change(facts, Step.PURCHASE)
        self._fix(fixed)
        if fixed:
            self.notice.setText(
                self.tr("The contract is signed: the purchase can no longer change. Cancel and start again.")
            )

    def _fix(self, fixed: bool) -> None:
        self.purchase.set_read_only(fixed)
        self.save_button.setEnabled(not fixed)

    def _purchase_changed(self) -> None:
        if self.application.purchase is not None:
            self.purchase.show_recorded(self.application.purchase)

    def _restore(self, step: str, values: dict[str, str]) -> None:
        if step == "purchase":
            self.purchase.restore(values)

    def show_text(self, text: str) -> None:
        """A wedge scanner's burst on this page: an IMEI (or whatever is scanned with the serial field focused)
        is the goods' serial; any other barcode is the SKU. Then on to the next field that needs something."""
        from app.scanning.payload import classify_payload

        code = text.strip()
        into = "serial" if classify_payload(code).kind == "imei" or self.serial.hasFocus() else "sku"
        field = self.serial if into == "serial" else self.sku
        field.setText(code)
        self.purchase.check()
        self.edited.emit(self.purchase.values())
        self._enter(into)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.application.is_open and self.save_button.isEnabled():
            QTimer.singleShot(0, lambda: self._enter(None, record=False))  # the first field to fill

    def _enter(self, after: str | None, record: bool = True) -> None:
        """Focus the next field after `after` that still needs something (wrapping round); with none, record.
        An empty down payment is offered at the product's minimum, selected, so Enter accepts it."""
        if not self.application.is_open or not self.save_button.isEnabled():
            return
        problems = self.purchase.problems()
        keys = list(self.purchase.fields)
        start = keys.index(after) + 1 if after in keys else 0
        ahead = [key for key in keys[start:] + keys[:start] if key in problems]
        if not ahead:
            if record and after is not None:
                self.save()
            return
        widget = self.purchase.fields[ahead[0]]
        if ahead[0] == "down_payment" and not self.down.text().strip():
            minimum = self.purchase.minimum_down_payment()
            if minimum is not None:
                self.down.setText(f"{minimum:.2f}")
                self.edited.emit(self.purchase.values())
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def next_action(self) -> bool:
        """Enter anywhere on the page, a dropdown included, records the purchase and goes on."""
        if not self.save_button.isEnabled():
            return False  # recorded and signed for: nothing to record, the flow moves on
        self.save()
        return True

    def save(self) -> None:
        """Check the fields (each problem beside its field); record them on the database thread."""
        application_id = self.application.application_id
        if application_id is None:
            self.notice.setText(self.tr("Start an application first."))
            return
        details = self.purchase.details()
        problems = self.purchase.problems()
        self.purchase.show_problems(problems)
        if problems:
            self.notice.setText(self.tr("Correct the marked fields."))
            return
        self.save_button.setEnabled(False)
        self.controller.call(
            self.purchases.record,
            application_id,
            details,
            self.purchase.catalog,
            on_done=self._recorded,
            on_error=self._failed,
        )

    def _recorded(self, recorded: RecordedPurchase) -> None:
        self.save_button.setEnabled(True)
        self.notice.setText(
            self.tr("Recorded. The price or plan changed, so pre-screen again and choose a new plan.")
            if recorded.plan_invalidated
            else self.tr("Recorded.")
        )
        self.recorded.emit(recorded)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, FenqiError):
            self.notice.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.notice.setText(self.tr("Recording failed unexpectedly; it has been logged. Nothing was saved."))

    def clear_fields(self) -> None:
        """Empty the fields."""
        self.purchase.clear()
        self.notice.clear()

    def clear_sensitive(self) -> None:
        self.save_button.setEnabled(True)
        self.clear_fields()
        self._show_state()
