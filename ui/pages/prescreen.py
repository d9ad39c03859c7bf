"""The pre-screen screen: the customer as typed on the customer page and the purchase as recorded (or, with no
purchase recorded yet, typed here for a what-if), and the offline result — decision, score, probability of
default, reasons, flags, model version — marked as preliminary. The rules and the scorecard live in app/; the
work runs on the database thread."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.counter.prescreen import PrescreenService
from app.domain.catalog import Catalog
from app.domain.customer_form import check_customer_form
from app.domain.money import parse_money
from app.kernel.errors import FenqiError
from app.scoring.decision import PrescreenResult
from app.scoring.request import PurchaseRequest, request_from_form
from ui.controller import Controller
from ui.open_application import OpenApplication
from ui.pages.base import Page
from ui.widgets.purchase_fields import PurchaseFields
from ui.widgets.titled_lists import titled_lists

COLOURS = {"approve": "#1b5e20", "refer": "#8d5b00", "decline": "#b71c1c"}
BACKGROUNDS = {"approve": "#e8f5e9", "refer": "#fff4ce", "decline": "#ffebee"}


class PrescreenPage(Page):
    """The purchase as recorded and a Pre-screen button; the result below."""

    screened = Signal(object)  # PrescreenResult
    customer_incomplete = Signal()  # the customer page should mark what is missing

    def __init__(
        self,
        controller: Controller,
        prescreen: PrescreenService,
        application: OpenApplication,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.prescreen = prescreen
        self.application = application
        self.catalog: Catalog | None = None
        self.result: PrescreenResult | None = None
        self.purchase = PurchaseFields(term=True)
        f = self.purchase
        self.product, self.price, self.down, self.term = f.product, f.price, f.down, f.term
        top = QHBoxLayout()
        top.addWidget(self.purchase, 1)
        self.run_button = QPushButton()
        self.run_button.setObjectName("primary")
        top.addWidget(self.run_button)
        self.layout_.addLayout(top)
        self.recorded_note = self.purchase.note
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
        controller.catalog_ready.connect(self.set_catalog)
        controller.model_failed.connect(self._model_refused)
        if controller.model_error is not None:
            self._model_refused(controller.model_error)
        if controller.catalog is not None:
            self.set_catalog(controller.catalog)
        application.opened.connect(lambda _resumed: self._show_purchase())
        application.purchase_changed.connect(self._show_purchase)
        self._clear_result()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Pre-screen"))
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

    def set_catalog(self, catalog: Catalog) -> None:
        """Offer the catalog's products."""
        self.catalog = catalog
        self.purchase.set_catalog(catalog)
        self._show_purchase()

    def _show_purchase(self) -> None:
        """The purchase as recorded, read-only; with none recorded, the fields are for a what-if."""
        recorded = self.application.purchase
        self.purchase.follow(recorded)
        if recorded is not None:
            self._clear_result()

    # --- running ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        """Pre-screen the customer as typed with this purchase (on the database thread)."""
        self.error.clear()
        catalog, actor, customer = self.catalog, self.controller.actor, self.application.customer
        if catalog is None or actor is None:
            self.error.setText(self.tr("The product catalog is not loaded, so nothing can be pre-screened."))
            return
        zone = ZoneInfo(self.controller.settings.store_time_zone)
        moment = dt.datetime.now(zone)
        if customer is None or check_customer_form(customer.form, moment.date(), customer.cross_check or None):
            self.customer_incomplete.emit()
            self.error.setText(self.tr("Complete the customer details first: the customer page marks what is missing."))
            return
        try:
            purchase = PurchaseRequest(
                self.product.currentData(),
                parse_money(self.price.text()),
                parse_money(self.down.text() or "0"),
                int(self.term.currentData() or 0),
            )
            request = request_from_form(customer.form, purchase, moment, actor.login, dict(customer.cross_check))
        except FenqiError as exc:
            self.error.setText(exc.message)
            return
        self.run_button.setEnabled(False)
        application_id, service = self.application.application_id, self.prescreen
        self.controller.call(
            lambda _actor: service.prescreen(request, catalog, application_id),
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

    def show_result(self, result: PrescreenResult) -> None:
        """Show a PrescreenResult: the decision large and coloured, then figures, reasons and flags."""
        self.run_button.setEnabled(True)
        self.result = result
        decision = result.decision
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
                score=f"{result.score:.0f}", pd=f"{result.pd:.1%}", version=result.model_version
            )
        )
        self.reasons.clear()
        self.flags.clear()
        for finding in result.reasons:
            self.reasons.addItem(finding.text)
        for finding in result.flags:
            self.flags.addItem(finding.text)
        if not result.reasons:
            self.reasons.addItem(self.tr("None"))
        if not result.flags:
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
        self.purchase.clear()
