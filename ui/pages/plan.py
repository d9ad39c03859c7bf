"""The plan screen: every allowed term side by side as the clerk types, the chosen schedule below, the
annualised rate larger than any monthly figure. Quotes are pure arithmetic (well under a millisecond per
term), so they run as the fields change; exporting writes the file in the background."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.catalog import Catalog, TermQuote
from app.domain.money import format_money, parse_money, share_of
from app.domain.schedule import Schedule, format_rate, method_label
from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.open_application import OpenApplication
from ui.pages.base import Page
from ui.widgets.purchase_fields import PurchaseFields


class PlanPage(Page):
    """Every term of the purchase compared; the selected schedule; CSV export. With an application open, the
    purchase as recorded; with none, a quick quote typed here."""

    plan_chosen = Signal(object)  # Schedule | None: the term selected
    signing_requested = Signal(str)  # the goods as described: send the chosen plan to the customer to sign

    def __init__(self, controller: Controller, application: OpenApplication, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.application = application
        self.catalog: Catalog | None = None
        self.rows: list[TermQuote] = []
        self.schedule: Schedule | None = None
        self.purchase = PurchaseFields(term=False, down_share=True)
        f = self.purchase
        self.product, self.price, self.down, self.down_mode = f.product, f.price, f.down, f.down_mode
        self.layout_.addWidget(self.purchase)
        self.recorded_note = self.purchase.note
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.layout_.addWidget(self.error)

        self.compare = QTableWidget(0, 5)
        self.compare.setObjectName("compareTable")
        self.compare.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.compare.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.verticalHeader().setVisible(False)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(self.compare)

        summary = QHBoxLayout()
        self.apr_label = QLabel()
        self.apr_label.setObjectName("apr")
        self.apr_label.setStyleSheet("font-size: 30px; font-weight: 700; color: #b71c1c;")
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("font-size: 15px; color: #37474f;")
        self.export_button = QPushButton()
        summary.addWidget(self.apr_label)
        summary.addWidget(self.detail_label, 1)
        summary.addWidget(self.export_button)
        self.layout_.addLayout(summary)

        self.schedule_table = QTableWidget(0, 7)
        self.schedule_table.setObjectName("scheduleTable")
        self.schedule_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.schedule_table.verticalHeader().setVisible(False)
        self.schedule_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(self.schedule_table, 1)
        signing = QHBoxLayout()  # the page's next action: the chosen plan goes to the customer to sign
        self.goods_label = QLabel()
        self.goods = QLineEdit()
        self.goods.setObjectName("goods")
        self.goods_label.setBuddy(self.goods)
        self.send_button = QPushButton()
        self.send_button.setObjectName("primary")
        signing.addWidget(self.goods_label)
        signing.addWidget(self.goods, 1)
        signing.addWidget(self.send_button)
        self.layout_.addLayout(signing)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self.send_button.clicked.connect(self.request_signing)
        self.goods.returnPressed.connect(self.request_signing)

        self.product.currentIndexChanged.connect(self.requote)
        self.price.textChanged.connect(self.requote)
        self.down.textChanged.connect(self.requote)
        self.down_mode.currentIndexChanged.connect(self.requote)
        self.compare.itemSelectionChanged.connect(self._select)
        self.export_button.clicked.connect(self._export)
        controller.catalog_ready.connect(self.set_catalog)
        controller.catalog_failed.connect(self._catalog_failed)
        application.opened.connect(lambda _resumed: self._show_purchase())
        application.purchase_changed.connect(self._show_purchase)
        if controller.catalog is not None:
            self.set_catalog(controller.catalog)
        elif controller.catalog_error is not None:
            self._catalog_failed(controller.catalog_error)
        self.retranslate()
        self._update_send()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Installment plans"))
        self.price.setPlaceholderText(self.tr("e.g. 4999"))
        self.down.setPlaceholderText(self.tr("minimum if empty"))
        self.compare.setHorizontalHeaderLabels(
            [
                self.tr("Term"),
                self.tr("Monthly payment"),
                self.tr("Total repayable"),
                self.tr("Total cost"),
                self.tr("Annualised rate (APR)"),
            ]
        )
        self.schedule_table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Due date"),
                self.tr("Principal"),
                self.tr("Interest"),
                self.tr("Fee"),
                self.tr("Installment"),
                self.tr("Balance"),
            ]
        )
        self.export_button.setText(self.tr("&Export CSV…"))
        self.goods_label.setText(self.tr("&Goods (model, serial)"))
        self.send_button.setText(self.tr("&Send the plan for signing (Enter)"))
        self.requote()

    def set_catalog(self, catalog: Catalog) -> None:
        """Offer the catalog's products."""
        self.catalog = catalog
        self.purchase.set_catalog(catalog)
        self._show_purchase()
        self.requote()

    def _catalog_failed(self, error: BaseException) -> None:
        self.error.setText(error.message if isinstance(error, FenqiError) else str(error))
        self.error.show()

    def clear_sensitive(self) -> None:
        self.purchase.clear()
        self.goods.clear()

    def _today(self) -> dt.date:
        return dt.datetime.now(self.controller.settings.time_zone).date()

    def _down_payment(self, price: Decimal) -> Decimal:
        code = self.product.currentData()
        text = self.down.text().strip()
        if not text:
            assert self.catalog is not None
            return self.catalog.product(code).min_down_payment(price)
        if self.down_mode.currentData() == "percent":
            return share_of(price, text)
        return parse_money(text)

    def _show_purchase(self) -> None:
        """Quote the purchase as recorded, read-only (none recorded: the page is a quick quote again)."""
        recorded = self.application.purchase
        if recorded is not None:
            fields = (self.product, self.down_mode, self.price, self.down)
            for field in fields:
                field.blockSignals(True)  # one quote for the four values, not one per field
            self.purchase.follow(recorded)
            parts = (recorded.description, recorded.sku, recorded.serial)  # nothing typed twice
            self.goods.setText(" ".join(p for p in parts if p))
            for field in fields:
                field.blockSignals(False)
            self.requote()
            for r, row in enumerate(self.rows):
                if row.term == recorded.term and row.schedule is not None:
                    self.compare.selectRow(r)
        else:
            self.purchase.follow(None)
            self.goods.clear()
        self._update_send()

    def _update_send(self) -> None:
        # Only an open application's recorded purchase can be signed for; a quick quote has nothing to sign.
        recorded = self.application.purchase is not None
        for widget in (self.goods_label, self.goods, self.send_button):
            widget.setVisible(recorded)
        self.send_button.setEnabled(recorded and self.schedule is not None)

    def next_action(self) -> bool:
        """Enter sends the chosen plan for signing (only for an open application's recorded purchase)."""
        if self.application.purchase is None:
            return False
        self.request_signing()
        return True

    def request_signing(self) -> None:
        """Send the chosen plan to the customer to sign (what Enter does on this page)."""
        if self.application.purchase is None:
            self.message.setText(self.tr("Record the purchase of an open application first."))
            return
        if self.schedule is None:
            self.message.setText(self.tr("Choose one of the terms offered first."))
            return
        self.message.clear()
        self.signing_requested.emit(self.goods.text())

    def requote(self) -> None:
        """Recompute every term for the fields as they are now."""
        self.rows, self.schedule = [], None
        self.error.clear()
        self.error.hide()
        if self.catalog is None or self.product.currentData() is None or not self.price.text().strip():
            self._show()
            return
        try:
            price = parse_money(self.price.text())
            down = self._down_payment(price)
            self.rows = self.catalog.quote_all_terms(self.product.currentData(), price, down, self._today())
        except FenqiError as exc:
            self.error.setText(exc.message)
            self.error.show()
        self._show()

    def _show(self) -> None:
        selected = self.compare.currentRow()
        self.compare.blockSignals(True)
        self.compare.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            term = self.tr("{n} months").format(n=row.term) + ("  " + self.tr("0% offer") if row.promotion else "")
            if row.schedule is None:
                cells = [term, row.refusal.message if row.refusal else "", "", "", ""]
            else:
                s = row.schedule
                cells = [
                    term,
                    format_money(s.first_payment),
                    format_money(s.total_repayable),
                    format_money(s.total_cost),
                    f"{format_rate(s.apr)}%",
                ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.compare.setItem(r, c, item)
        self.compare.blockSignals(False)
        self._fit_compare()
        offered = [r for r, row in enumerate(self.rows) if row.schedule is not None]
        if offered:
            self.compare.selectRow(selected if selected in offered else offered[-1])
        self._select()

    def _fit_compare(self) -> None:
        # Show every term without a scroll bar: the comparison is the point of the screen.
        height = self.compare.horizontalHeader().height() + 2 * self.compare.frameWidth()
        height += sum(self.compare.rowHeight(r) for r in range(self.compare.rowCount()))
        self.compare.setFixedHeight(max(height, 80))

    def _select(self) -> None:
        row = self.compare.currentRow()
        self.schedule = self.rows[row].schedule if 0 <= row < len(self.rows) else None
        self.plan_chosen.emit(self.schedule)
        self.send_button.setEnabled(self.application.purchase is not None and self.schedule is not None)
        s = self.schedule
        self.export_button.setEnabled(s is not None)
        if s is None:
            self.apr_label.clear()
            self.detail_label.clear()
            self.schedule_table.setRowCount(0)
            return
        self.apr_label.setText(self.tr("APR {rate}%").format(rate=format_rate(s.apr)))
        self.detail_label.setText(
            self.tr(
                "{method} · {n} months · first installment {first} · total repayable {total} · effective "
                "annual rate {ear}%"
            ).format(
                method=method_label(s.terms.method),
                n=s.terms.term,
                first=format_money(s.first_payment),
                total=format_money(s.total_repayable),
                ear=format_rate(s.effective_annual_rate),
            )
        )
        self.schedule_table.setRowCount(len(s.installments))
        for r, i in enumerate(s.installments):
            values = [
                str(i.n),
                i.due_date.isoformat(),
                format_money(i.principal),
                format_money(i.interest),
                format_money(i.fee),
                format_money(i.total),
                format_money(i.balance),
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.schedule_table.setItem(r, c, item)

    def _export(self) -> None:
        if self.schedule is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export schedule"), str(Path.home() / "schedule.csv"), "CSV (*.csv)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the selected schedule as CSV in the background."""
        schedule = self.schedule
        if schedule is None:
            return

        def write() -> Path:
            from app.counter.schedule_export import schedule_csv

            partial = path.with_name(path.name + ".part")  # never leave half a file under the real name
            partial.write_text(schedule_csv(schedule), encoding="utf-8")
            partial.replace(path)
            return path

        self.controller.run_io(
            write,
            on_done=lambda p: self.message.setText(self.tr("Schedule saved to {path}").format(path=p)),
            on_error=lambda e: self.message.setText(str(e)),
        )
