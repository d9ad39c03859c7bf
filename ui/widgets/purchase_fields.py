"""The purchase form, built once and used wherever a purchase is typed or shown: the purchase page (everything),
the pre-screen page (product, price, down payment, term: a what-if until the purchase is recorded) and the plan
page (product, price, down payment as an amount or a share: a quick quote). Once the open application's
purchase is recorded, the pre-screen and plan pages show it here as recorded, read-only.

As the clerk types, the purchase is checked — each field and the chosen product's limits from the catalog (the
amount financed, the minimum down payment, the terms), in app.counter.purchase.check_purchase — and each problem
shows under its field: under the fields the clerk has changed, and under every field once a save was tried."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.counter.purchase import CATEGORIES, PurchaseDetails, RecordedPurchase, check_purchase
from app.domain.catalog import Catalog
from app.domain.money import parse_money
from app.kernel.errors import FenqiError
from app.kernel.i18n import _
from ui.translation import QT_TRANSLATE_NOOP

LABELS: dict[str, str] = {
    "category": QT_TRANSLATE_NOOP("PurchaseFields", "&What is bought"),
    "sku": QT_TRANSLATE_NOOP("PurchaseFields", "S&KU"),
    "serial": QT_TRANSLATE_NOOP("PurchaseFields", "Serial / &IMEI"),
    "description": QT_TRANSLATE_NOOP("PurchaseFields", "D&escription"),
    "price": QT_TRANSLATE_NOOP("PurchaseFields", "P&rice (CNY)"),
    "down_payment": QT_TRANSLATE_NOOP("PurchaseFields", "&Down payment (CNY)"),
    "product": QT_TRANSLATE_NOOP("PurchaseFields", "&Product"),
    "term": QT_TRANSLATE_NOOP("PurchaseFields", "&Term"),
}
AMOUNT = QT_TRANSLATE_NOOP("PurchaseFields", "amount")
DEFAULT_TERM = 12  # months, where the product offers it
TEXT_FIELDS = ("sku", "serial", "description", "price", "down_payment")
AS_RECORDED = QT_TRANSLATE_NOOP("PurchaseFields", "As recorded on the Purchase page; change it there.")
MONTHS = QT_TRANSLATE_NOOP("PurchaseFields", "{n} months")
# New problems show once the clerk pauses (not at every keystroke of 4999); a fixed one goes at once.
CHECK_DELAY_MS = 300


def _tr(text: str) -> str:
    return QCoreApplication.translate("PurchaseFields", text)


class PurchaseFields(QWidget):
    """Labelled purchase fields with a problem line under each. `goods` adds what is bought, SKU, serial/IMEI and
    description; `term` the term; `down_share` lets the down payment be typed as a percentage of the price.
    `checked`: check as the clerk types — by default where the form carries the term and the down payment is an
    amount (the purchase page, the pre-screen's what-if); a quick quote compares every term in its own table."""

    edited = Signal()  # the clerk changed a value (typed or chosen)
    submitted = Signal()  # Enter in a text field

    def __init__(
        self,
        goods: bool = False,
        term: bool = True,
        down_share: bool = False,
        checked: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalog: Catalog | None = None
        self.checked = term and not down_share if checked is None else checked
        self.touched: set[str] = set()  # fields the clerk changed: their problems show as typed
        self.show_all = False  # a save was tried: every field's problems show
        self._read_only = False
        self.category = QComboBox()
        self.sku, self.serial, self.description = QLineEdit(), QLineEdit(), QLineEdit()
        self.price, self.down = QLineEdit(), QLineEdit()
        self.down_mode = QComboBox()
        self.down_mode.addItem("", "amount")
        self.down_mode.addItem("%", "percent")
        self.product, self.term = QComboBox(), QComboBox()
        self.fields: dict[str, QWidget] = {}
        if goods:
            self.fields.update(
                category=self.category, sku=self.sku, serial=self.serial, description=self.description
            )
        self.fields.update(price=self.price, down_payment=self.down, product=self.product)
        if term:
            self.fields["term"] = self.term
        names = {"down_payment": "downPayment"}
        for key, widget in self.fields.items():
            widget.setObjectName(names.get(key, key))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[str, QLabel] = {}
        self.problem_labels: dict[str, QLabel] = {}
        for key, widget in self.fields.items():
            label, problem = QLabel(), QLabel()
            label.setBuddy(widget)
            problem.setObjectName("error")
            problem.setWordWrap(True)
            problem.setVisible(False)
            self.labels[key], self.problem_labels[key] = label, problem
            if key == "down_payment" and down_share:
                row = QHBoxLayout()
                row.addWidget(self.down, 1)
                row.addWidget(self.down_mode)
                form.addRow(label, row)
            else:
                form.addRow(label, widget)
            form.addRow("", problem)
        self.note = QLabel()  # says where a purchase shown as recorded can be changed
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        form.addRow(self.note)
        self.down_mode.setVisible(down_share)
        self._recorded = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        lines = {"sku": self.sku, "serial": self.serial, "description": self.description}
        lines.update(price=self.price, down_payment=self.down)
        for key, line in lines.items():
            line.textEdited.connect(lambda _text, k=key: self._edited(k))
            line.textChanged.connect(lambda _text: self._changed())
            line.returnPressed.connect(self.submitted.emit)  # a wedge scanner's burst ends with Enter too
        combos = {"category": self.category, "product": self.product, "term": self.term}
        combos["down_payment"] = self.down_mode
        for key, combo in combos.items():
            combo.activated.connect(lambda _index, k=key: self._edited(k))
            combo.currentIndexChanged.connect(lambda _index: self._changed())
        self.product.currentIndexChanged.connect(lambda _index: self._fill_terms())
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for key, label in self.labels.items():
            label.setText(_tr(LABELS[key]))
        self.down_mode.setItemText(0, _tr(AMOUNT))
        self.note.setText(_tr(AS_RECORDED) if self._recorded else "")
        current = self.category.currentData()
        self.category.clear()
        for code, label_text in CATEGORIES.items():
            self.category.addItem(_(label_text), code)
        self.category.setCurrentIndex(max(0, self.category.findData(current)))
        if self.catalog is not None:
            self.set_catalog(self.catalog)
        if any(label.isVisibleTo(self) for label in self.problem_labels.values()):
            self.check()  # the problems in the new language

    # --- the catalog ----------------------------------------------------------------------------------------------

    def set_catalog(self, catalog: Catalog) -> None:
        """Offer the catalog's products by name, and the terms the chosen one allows."""
        self.catalog = catalog
        current = self.product.currentData()
        self.product.blockSignals(True)
        self.product.clear()
        for product in catalog.products:
            self.product.addItem(f"{product.name} ({product.code})", product.code)
        self.product.setCurrentIndex(max(0, self.product.findData(current)))
        self.product.blockSignals(False)
        self._fill_terms()

    def _fill_terms(self) -> None:
        code = self.product.currentData()
        if self.catalog is None or code is None:
            return
        current = self.term.currentData()
        self.term.clear()
        for months in self.catalog.product(code).terms:
            self.term.addItem(_tr(MONTHS).format(n=months), months)
        # The choice made stays where the product still offers it; otherwise a year, the most asked-for term.
        kept = self.term.findData(current)
        self.term.setCurrentIndex(kept if kept >= 0 else max(0, self.term.findData(DEFAULT_TERM)))

    # --- values -----------------------------------------------------------------------------------------------

    def details(self) -> PurchaseDetails:
        """The fields as typed."""
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

    def values(self) -> dict[str, str]:
        """The fields as typed, as text (what a draft keeps)."""
        details = self.details()
        return {key: str(getattr(details, key)) for key in PurchaseDetails.__dataclass_fields__}

    def show_recorded(self, recorded: RecordedPurchase) -> None:
        """Fill the fields from a recorded purchase (no `edited` signal: nothing was typed)."""
        self.category.setCurrentIndex(max(0, self.category.findData(recorded.category)))
        self.sku.setText(recorded.sku)
        self.serial.setText(recorded.serial)
        self.description.setText(recorded.description)
        self.product.setCurrentIndex(max(0, self.product.findData(recorded.product)))
        self.down_mode.setCurrentIndex(0)
        self.price.setText(_amount(recorded.price))
        self.down.setText(_amount(recorded.down_payment))
        self.term.setCurrentIndex(max(0, self.term.findData(recorded.term)))

    def restore(self, values: dict[str, str]) -> None:
        """Put back what was typed (a draft reopened): text as it was, choices where they still exist."""
        for key, line in (("sku", self.sku), ("serial", self.serial), ("description", self.description)):
            line.setText(values.get(key, ""))
        self.price.setText(values.get("price", ""))
        self.down.setText(values.get("down_payment", ""))
        self.category.setCurrentIndex(max(0, self.category.findData(values.get("category"))))
        self.product.setCurrentIndex(max(0, self.product.findData(values.get("product"))))
        term = values.get("term", "")
        if term.isdigit():
            self.term.setCurrentIndex(max(0, self.term.findData(int(term))))

    def follow(self, recorded: RecordedPurchase | None) -> None:
        """Show the open application's purchase as recorded, read-only, with a note saying where it changes;
        with none recorded, the fields are free to type in (a what-if, a quick quote)."""
        if recorded is not None:
            self.show_recorded(recorded)
        self._recorded = recorded is not None
        self.set_read_only(self._recorded)
        self.note.setText(_tr(AS_RECORDED) if self._recorded else "")

    def set_read_only(self, read_only: bool) -> None:
        """Shown as recorded (changed only on the purchase page, where a change resets the plan): nothing is
        checked and no problem shows."""
        self._read_only = read_only
        for widget in (*self.fields.values(), self.down_mode):
            widget.setEnabled(not read_only)
        if read_only:
            self._timer.stop()
            self._display({})

    # --- problems -------------------------------------------------------------------------------------------------

    def minimum_down_payment(self) -> Decimal | None:
        """The chosen product's smallest down payment on the price typed (None while either is missing)."""
        code = self.product.currentData()
        if self.catalog is None or code is None:
            return None
        try:
            price = parse_money(self.price.text())
        except FenqiError:
            return None
        return self.catalog.product(code).min_down_payment(price)

    def problems(self) -> dict[str, str]:
        """Every problem of the purchase as typed, keyed by field: each field's own and, once the catalog is set,
        the chosen product's limits (the amount financed, the minimum down payment, the term) — what must be
        right before the purchase is recorded, in the words the pre-screen would use."""
        return check_purchase(self.details(), self.catalog)

    def check(self) -> dict[str, str]:
        """Check now and show the problems under the fields the clerk changed (every field once a save was
        tried); the problems shown. Nothing while read-only or when this form does not check."""
        self._timer.stop()
        if not self.checked or self._read_only:
            return {}
        shown = {k: v for k, v in self.problems().items() if self.show_all or k in self.touched}
        self._display(shown)
        return shown

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each problem under its field (a save was tried: from now on every field's problems show as typed);
        focus goes to the first."""
        self._timer.stop()
        self.show_all = True
        self._display(problems)
        first = next((key for key in self.fields if key in problems), None)
        if first is not None:
            self.fields[first].setFocus()

    def _display(self, problems: dict[str, str]) -> None:
        for key, label in self.problem_labels.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)

    def _edited(self, key: str) -> None:
        self.touched.add(key)
        self._changed()
        self.edited.emit()

    def _changed(self) -> None:
        """A value changed (typed, chosen or filled in): a problem it fixed goes at once, new ones after a pause."""
        if not self.checked or self._read_only:
            return
        problems = self.problems()
        for key, label in self.problem_labels.items():
            if label.isVisibleTo(self) and key not in problems:
                label.clear()
                label.setVisible(False)
        self._timer.start()

    def clear(self) -> None:
        """Empty the text fields and the problems (choices stay: the next customer likely buys the same kind);
        nothing counts as touched any more."""
        for line in (self.sku, self.serial, self.description, self.price, self.down):
            line.clear()
        self._timer.stop()
        self.touched.clear()
        self.show_all = False
        self._display({})


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"
