"""The pre-screen screen: the purchase beside the customer's details (from the customer page), and the offline
result — decision, score, probability of default, reasons, flags, model version — marked as preliminary. The
rules and the scorecard live in app/; the work runs on the database thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.domain.catalog import Catalog
from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.pages.base import Page
from ui.pages.customer import CustomerPage
from ui.widgets.products import offer_products, offer_terms
from ui.widgets.titled_lists import titled_lists

COLOURS = {"approve": "#1b5e20", "refer": "#8d5b00", "decline": "#b71c1c"}
BACKGROUNDS = {"approve": "#e8f5e9", "refer": "#fff4ce", "decline": "#ffebee"}


class PrescreenPage(Page):
    """Purchase fields and a Pre-screen button; the result below."""

    screened = Signal(object)  # PrescreenResult

    def __init__(self, controller: Controller, customer: CustomerPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.customer = customer
        self.catalog: Catalog | None = None
        self.result: object | None = None
        form = QFormLayout()
        self.product = QComboBox()
        self.product.setObjectName("product")
        self.price = QLineEdit()
        self.price.setObjectName("price")
        self.down = QLineEdit()
        self.down.setObjectName("downPayment")
        self.term = QComboBox()
        self.term.setObjectName("term")
        self.labels = [QLabel() for _ in range(4)]
        for label, field in zip(self.labels, (self.product, self.price, self.down, self.term), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        self.run_button = QPushButton()
        self.run_button.setObjectName("primary")
        top.addWidget(self.run_button)
        self.layout_.addLayout(top)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.layout_.addWidget(self.error)

        self.banner = QLabel()
        self.banner.setObjectName("preliminary")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #455a64;")
        self.layout_.addWidget(self.banner)
        self.decision = QLabel()
        self.decision.setObjectName("decision")
        self.layout_.addWidget(self.decision)
        self.figures = QLabel()
        self.figures.setObjectName("figures")
        self.layout_.addWidget(self.figures)
        lists, ((self.reasons_title, self.reasons), (self.flags_title, self.flags)) = titled_lists("reasons", "flags")
        self.layout_.addLayout(lists, 1)
        self.run_button.clicked.connect(self.run)
        self.product.currentIndexChanged.connect(self._fill_terms)
        controller.catalog_ready.connect(self.set_catalog)
        controller.model_failed.connect(self._model_refused)
        if controller.model_error is not None:
            self._model_refused(controller.model_error)
        if controller.catalog is not None:
            self.set_catalog(controller.catalog)
        self._clear_result()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Pre-screen"))
        for label, text in zip(
            self.labels,
            (self.tr("&Product"), self.tr("P&rice (CNY)"), self.tr("&Down payment (CNY)"), self.tr("&Term")),
            strict=True,
        ):
            label.setText(text)
        self.run_button.setText(self.tr("Pre-&screen (F5)"))
        self.run_button.setShortcut("F5")
        self.banner.setText(
            self.tr(
                "Preliminary offline result from this counter's rules and scorecard. The lender decides when the "
                "application arrives."
            )
        )
        self.reasons_title.setText(self.tr("Reasons"))
        self.flags_title.setText(self.tr("Flags for a reviewer"))
        if self.catalog is not None:
            self.set_catalog(self.catalog)

    def set_catalog(self, catalog: Any) -> None:
        """Offer the catalog's products."""
        self.catalog = catalog
        offer_products(self.product, catalog)
        self._fill_terms()

    def _fill_terms(self) -> None:
        offer_terms(self.term, self.catalog, self.product.currentData(), lambda n: self.tr("{n} months").format(n=n))

    def set_purchase(self, recorded: object | None) -> None:
        """Take the purchase as recorded on the purchase page (None: back to typing it here, for a what-if)."""
        locked = recorded is not None
        if recorded is not None:
            self.product.setCurrentIndex(max(0, self.product.findData(recorded.product)))  # type: ignore[attr-defined]
            self.price.setText(f"{recorded.price:.2f}")  # type: ignore[attr-defined]
            self.down.setText(f"{recorded.down_payment:.2f}")  # type: ignore[attr-defined]
            self.term.setCurrentIndex(max(0, self.term.findData(recorded.term)))  # type: ignore[attr-defined]
            self._clear_result()
        for field in (self.product, self.price, self.down, self.term):
            field.setEnabled(not locked)  # changed on the purchase page, where a change resets the plan

    # --- running ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        """Pre-screen the customer page's details with this purchase (on the database thread)."""
        import datetime as dt
        from zoneinfo import ZoneInfo

        from app.domain.money import parse_money
        from app.scoring.request import PurchaseRequest, request_from_form

        self.error.clear()
        services, catalog, actor = self.controller.services, self.catalog, self.controller.actor
        if services is None or catalog is None or actor is None:
            self.error.setText(self.tr("The product catalog is not loaded, so nothing can be pre-screened."))
            return
        if self.customer.form.reveal_all():
            self.error.setText(self.tr("Complete the customer details first: the customer page marks what is missing."))
            return
        try:
            purchase = PurchaseRequest(
                self.product.currentData(),
                parse_money(self.price.text()),
                parse_money(self.down.text() or "0"),
                int(self.term.currentData() or 0),
            )
            moment = dt.datetime.now(ZoneInfo(self.controller.settings.store_time_zone))
            request = request_from_form(
                self.customer.form.form(), purchase, moment, actor.login, dict(self.customer.form.cross_check)
            )
        except FenqiError as exc:
            self.error.setText(exc.message)
            return
        self.run_button.setEnabled(False)
        application_id = self.customer.application_id
        self.controller.call(
            lambda _actor: services.prescreen.prescreen(request, catalog, application_id),
            on_done=self.show_result,
            on_error=self._failed,
        )

    def _model_refused(self, error: BaseException) -> None:
        self.error.setText(error.message if isinstance(error, FenqiError) else str(error))

    def _failed(self, error: BaseException) -> None:
        self.run_button.setEnabled(True)
        if isinstance(error, FenqiError):
            self.error.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.error.setText(self.tr("The pre-screen failed unexpectedly; it has been logged."))

    def show_result(self, result: object) -> None:
        """Show a PrescreenResult: the decision large and coloured, then figures, reasons and flags."""
        self.run_button.setEnabled(True)
        self.result = result
        decision = result.decision  # type: ignore[attr-defined]
        words = {
            "approve": self.tr("Approve (preliminary)"),
            "refer": self.tr("Refer to a reviewer (preliminary)"),
            "decline": self.tr("Decline (preliminary)"),
        }
        self.decision.setText(words[decision])
        self.decision.setStyleSheet(
            f"font-size: 26px; font-weight: 600; padding: 10px 14px; border-radius: 6px; "
            f"color: {COLOURS[decision]}; background: {BACKGROUNDS[decision]};"
        )
        self.figures.setText(
            self.tr("Score {score} · probability of default {pd} · model {version}").format(
                score=f"{result.score:.0f}",  # type: ignore[attr-defined]
                pd=f"{result.pd:.1%}",  # type: ignore[attr-defined]
                version=result.model_version,  # type: ignore[attr-defined]
            )
        )
        self.reasons.clear()
        self.flags.clear()
        for finding in result.reasons:  # type: ignore[attr-defined]
            self.reasons.addItem(finding.text)
        for finding in result.flags:  # type: ignore[attr-defined]
            self.flags.addItem(finding.text)
        if not result.reasons:  # type: ignore[attr-defined]
            self.reasons.addItem(self.tr("None"))
        if not result.flags:  # type: ignore[attr-defined]
            self.flags.addItem(self.tr("None"))
        self.setFocus()  # Enter now continues to the plan; F5 runs it again
        self.screened.emit(result)

    def _clear_result(self) -> None:
        self.result = None
        self.decision.clear()
        self.decision.setStyleSheet("")
        self.figures.clear()
        self.reasons.clear()
        self.flags.clear()

    def clear_sensitive(self) -> None:
        self.run_button.setEnabled(True)  # work dropped by a lock never reports back
        self._clear_result()
        self.error.clear()
        self.price.clear()
        self.down.clear()
