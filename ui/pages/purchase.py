"""The purchase page: what the customer buys (category, SKU, serial/IMEI, description), its price and down
payment, and the product and term asked for. Enter records it and continues to the pre-screen, which — like the
plan — takes these values as recorded: nothing is typed twice."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.pages.base import Page
from ui.widgets.products import offer_products, offer_terms


class PurchasePage(Page):
    """The open application's purchase."""

    recorded = Signal(object)  # RecordedPurchase

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.application_id: uuid.UUID | None = None
        self.reference = ""
        self.catalog: Any = None
        self.state = QLabel()
        self.state.setObjectName("consentState")
        self.state.setWordWrap(True)
        self.layout_.addWidget(self.state)
        form = QFormLayout()
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.sku, self.serial, self.description = QLineEdit(), QLineEdit(), QLineEdit()
        self.price, self.down = QLineEdit(), QLineEdit()
        self.product, self.term = QComboBox(), QComboBox()
        for name, widget in (
            ("sku", self.sku),
            ("serial", self.serial),
            ("description", self.description),
            ("price", self.price),
            ("downPayment", self.down),
            ("product", self.product),
            ("term", self.term),
        ):
            widget.setObjectName(name)
        self.fields = {
            "category": self.category,
            "sku": self.sku,
            "serial": self.serial,
            "description": self.description,
            "price": self.price,
            "down_payment": self.down,
            "product": self.product,
            "term": self.term,
        }
        self.labels: dict[str, QLabel] = {}
        self.problems: dict[str, QLabel] = {}
        for key, widget in self.fields.items():
            label, problem = QLabel(), QLabel()
            label.setBuddy(widget)
            problem.setObjectName("error")
            problem.setVisible(False)
            self.labels[key], self.problems[key] = label, problem
            form.addRow(label, widget)
            form.addRow("", problem)
        body = QHBoxLayout()
        body.addLayout(form, 2)
        body.addStretch(1)
        self.layout_.addLayout(body)
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
        for line in (self.sku, self.serial, self.description, self.price, self.down):
            line.returnPressed.connect(self.save)  # Enter continues (a wedge scanner's burst ends with Enter too)
        self.product.currentIndexChanged.connect(self._fill_terms)
        controller.catalog_ready.connect(self.set_catalog)
        if controller.catalog is not None:
            self.set_catalog(controller.catalog)
        self.retranslate()

    def retranslate(self) -> None:
        from app.counter.purchase import CATEGORIES
        from app.kernel.i18n import _

        self.title.setText(self.tr("Purchase"))
        texts = {
            "category": self.tr("&What is bought"),
            "sku": self.tr("S&KU"),
            "serial": self.tr("Serial / &IMEI"),
            "description": self.tr("D&escription"),
            "price": self.tr("P&rice (CNY)"),
            "down_payment": self.tr("&Down payment (CNY)"),
            "product": self.tr("&Product"),
            "term": self.tr("&Term"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        current = self.category.currentData()
        self.category.clear()
        for code, label in CATEGORIES.items():
            self.category.addItem(_(label), code)
        self.category.setCurrentIndex(max(0, self.category.findData(current)))
        self.save_button.setText(self.tr("Record and &continue (Enter)"))
        self._show_state()
        if self.catalog is not None:
            self.set_catalog(self.catalog)

    def _show_state(self) -> None:
        self.state.setText(
            self.tr("Application {reference}: what the customer is buying.").format(reference=self.reference)
            if self.application_id
            else self.tr("No application is open. Start one on the New application page.")
        )

    def set_catalog(self, catalog: Any) -> None:
        """Offer the catalog's products."""
        self.catalog = catalog
        offer_products(self.product, catalog)
        self._fill_terms()

    def _fill_terms(self) -> None:
        offer_terms(self.term, self.catalog, self.product.currentData(), lambda n: self.tr("{n} months").format(n=n))

    def set_application(self, application_id: uuid.UUID | None, reference: str = "") -> None:
        """Work on this application (None: none open); shows its purchase if one was recorded."""
        self.application_id, self.reference = application_id, reference
        self.clear_fields()
        self._show_state()
        services = self.controller.services
        if application_id is not None and services is not None:
            from app.counter.purchase import PurchaseService

            self.controller.call(
                lambda _actor: PurchaseService(services.store).recorded(application_id),
                on_done=lambda found: self.show_recorded(found) if found is not None else None,
            )

    def show_recorded(self, recorded: Any) -> None:
        """Fill the fields from a recorded purchase."""
        self.category.setCurrentIndex(max(0, self.category.findData(recorded.category)))
        self.sku.setText(recorded.sku)
        self.serial.setText(recorded.serial)
        self.description.setText(recorded.description)
        self.price.setText(f"{recorded.price:.2f}")
        self.down.setText(f"{recorded.down_payment:.2f}")
        self.product.setCurrentIndex(max(0, self.product.findData(recorded.product)))
        self.term.setCurrentIndex(max(0, self.term.findData(recorded.term)))

    def restore(self, values: dict[str, str]) -> None:
        """Put back what was typed (a draft reopened): text as it was, choices where they still exist."""
        for key in ("sku", "serial", "description", "price"):
            self.fields[key].setText(values.get(key, ""))  # type: ignore[attr-defined]
        self.down.setText(values.get("down_payment", ""))
        self.category.setCurrentIndex(max(0, self.category.findData(values.get("category"))))
        self.product.setCurrentIndex(max(0, self.product.findData(values.get("product"))))
        term = values.get("term", "")
        if term.isdigit():
            self.term.setCurrentIndex(max(0, self.term.findData(int(term))))

    def details(self) -> Any:
        """The fields as typed."""
        from app.counter.purchase import PurchaseDetails

        return PurchaseDetails(
            category=self.category.currentData() or "",
            sku=self.sku.text(),
            serial=self.serial.text(),
            description=self.description.text(),
            price=self.price.text(),
            down_payment=self.down.text(),
            product=self.product.currentData() or "",
            term=int(self.term.currentData() or 0),
        )

    def save(self) -> None:
        """Check the fields (each problem beside its field); record them on the database thread."""
        from app.counter.purchase import PurchaseService, check_purchase

        services = self.controller.services
        if self.application_id is None or services is None:
            self.notice.setText(self.tr("Start an application first."))
            return
        details = self.details()
        problems = check_purchase(details)
        for key, label in self.problems.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
        if problems:
            self.notice.setText(self.tr("Correct the marked fields."))
            self.fields[next(iter(problems))].setFocus()
            return
        self.save_button.setEnabled(False)
        application_id = self.application_id
        self.controller.call(
            PurchaseService(services.store).record,
            application_id,
            details,
            on_done=self._recorded,
            on_error=self._failed,
        )

    def _recorded(self, recorded: Any) -> None:
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
        for line in (self.sku, self.serial, self.description, self.price, self.down):
            line.clear()
        for label in self.problems.values():
            label.setVisible(False)
        self.notice.clear()

    def clear_sensitive(self) -> None:
        self.save_button.setEnabled(True)
        self.clear_fields()
        self.application_id, self.reference = None, ""
        self._show_state()
