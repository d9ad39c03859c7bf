"""The customer's own window, for a second display or a tablet: large type, touch- and pen-friendly, with its
own language toggle. It shows the consents at the start, and the terms, the signing consents and the signature
pad at the end. Only the customer acts here; the staff window mirrors its progress through signals and has no
control that ticks or signs for them. What the ticks and the signature mean is app/'s business."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTranslator, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.counter.consents import ConsentText, GivenConsent, consent_text
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT, ConsentKind
from app.kernel.config import resources_dir
from ui.customer_display.signature_pad import SignaturePad
from ui.translation import QT_TRANSLATE_NOOP

CONTEXT = "CustomerWindow"
STYLE = """
QWidget#customerWindow { background: #f7f9fc; }
QWidget#customerWindow QLabel, QWidget#customerWindow QCheckBox { font-size: 22px; }
QWidget#customerWindow QLabel#big { font-size: 30px; font-weight: 600; color: #1d3557; }
QWidget#customerWindow QLabel#apr { font-size: 48px; font-weight: 700; color: #0d47a1; }
QWidget#customerWindow QLabel#error { color: #b71c1c; font-size: 22px; }
QWidget#customerWindow QLabel#medium { font-size: 24px; font-weight: 600; color: #1d3557; }
QWidget#customerWindow QLabel#small { font-size: 16px; color: #546e7a; }
QHeaderView::section { font-size: 17px; }
QCheckBox::indicator { width: 36px; height: 36px; }
QPushButton { font-size: 22px; min-height: 56px; padding: 6px 24px; }
QPushButton#primary { background: #1565c0; color: white; }
QTextBrowser { font-size: 19px; background: white; }
QTableWidget { font-size: 19px; }
"""
TEXTS = {
    "welcome": QT_TRANSLATE_NOOP("CustomerWindow", "Welcome"),
    "welcome_body": QT_TRANSLATE_NOOP("CustomerWindow", "The sales consultant will start your application here."),
    "consent_title": QT_TRANSLATE_NOOP("CustomerWindow", "Before we begin: your consent"),
    "consent_body": QT_TRANSLATE_NOOP(
        "CustomerWindow",
        "Please read each text. Each consent is separate and up to you; without both, the application ends and "
        "nothing about you is kept.",
    ),
    "agree": QT_TRANSLATE_NOOP("CustomerWindow", "I have read this and agree"),
    "version": QT_TRANSLATE_NOOP("CustomerWindow", "Version {version}"),
    "continue": QT_TRANSLATE_NOOP("CustomerWindow", "Continue"),
    "decline": QT_TRANSLATE_NOOP("CustomerWindow", "I do not agree"),
    "terms_title": QT_TRANSLATE_NOOP("CustomerWindow", "Your installment plan"),
    "apr": QT_TRANSLATE_NOOP("CustomerWindow", "Annualised rate (APR)"),
    "sign_here": QT_TRANSLATE_NOOP("CustomerWindow", "Sign here with the pen or your finger"),
    "clear": QT_TRANSLATE_NOOP("CustomerWindow", "Clear"),
    "undo": QT_TRANSLATE_NOOP("CustomerWindow", "Undo"),
    "sign": QT_TRANSLATE_NOOP("CustomerWindow", "Sign"),
    "done": QT_TRANSLATE_NOOP("CustomerWindow", "Thank you"),
    "done_started": QT_TRANSLATE_NOOP("CustomerWindow", "Your application {reference} has started."),
    "done_signed": QT_TRANSLATE_NOOP("CustomerWindow", "Your contract {reference} is signed. You will receive a copy."),
    "done_declined": QT_TRANSLATE_NOOP("CustomerWindow", "The application has ended. Nothing about you has been kept."),
    "due": QT_TRANSLATE_NOOP("CustomerWindow", "Due date"),
    "amount": QT_TRANSLATE_NOOP("CustomerWindow", "Amount (CNY)"),
    "financed": QT_TRANSLATE_NOOP("CustomerWindow", "Amount financed"),
    "price": QT_TRANSLATE_NOOP("CustomerWindow", "Price"),
    "down": QT_TRANSLATE_NOOP("CustomerWindow", "Down payment"),
    "term": QT_TRANSLATE_NOOP("CustomerWindow", "Term"),
    "months": QT_TRANSLATE_NOOP("CustomerWindow", "{n} months"),
    "total": QT_TRANSLATE_NOOP("CustomerWindow", "Total repayable"),
    "cost": QT_TRANSLATE_NOOP("CustomerWindow", "Total cost"),
    "product": QT_TRANSLATE_NOOP("CustomerWindow", "Product"),
    "goods": QT_TRANSLATE_NOOP("CustomerWindow", "Goods"),
}


class ConsentBox(QWidget):
    """One consent: its title, text, version and an unticked box."""

    toggled = Signal()

    def __init__(self, kind: ConsentKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.text: ConsentText | None = None
        self.ticked_at: dt.datetime | None = None
        self.layout_ = layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("big")
        self.title.setWordWrap(True)
        self.body = QTextBrowser()
        self.body.setMinimumHeight(150)
        self.version = QLabel()
        self.version.setObjectName("small")
        self.box = QCheckBox()
        self.box.setObjectName(f"agree_{kind.value}")
        layout.addWidget(self.title)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.version)
        layout.addWidget(self.box)
        self.box.toggled.connect(self._toggled)

    def show_text(self, text: ConsentText, agree: str, version: str) -> None:
        """Show `text` (a new language unticks the box: the customer agrees to what they read)."""
        self.text = text
        self.title.setText(text.title)
        self.body.setPlainText(text.body)
        self.version.setText(version)
        self.box.setText(agree)
        self.box.setChecked(False)

    def _toggled(self, on: bool) -> None:
        self.ticked_at = dt.datetime.now(dt.UTC) if on else None
        self.toggled.emit()

    def given(self) -> GivenConsent | None:
        """The consent as given, or None while unticked."""
        if not self.box.isChecked() or self.text is None or self.ticked_at is None:
            return None
        return GivenConsent(self.kind, self.text, self.ticked_at)


class CustomerWindow(QWidget):
    """The customer screen. Signals carry what the customer did; the staff side acts on them through app/."""

    first_consents_given = Signal(object)  # list[GivenConsent]
    declined = Signal(object)  # ConsentKind
    signing_done = Signal(object, object, object)  # list[GivenConsent], strokes, SignaturePad
    progress = Signal(str)  # a short state name for the staff window: idle, consents, terms, done

    def __init__(self, language: str = "zh_CN", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerWindow")
        self.setStyleSheet(STYLE)
        self.language = language
        self._translator: QTranslator | None = None
        self.terms: dict[str, Any] | None = None
        self._done_text = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        top.addStretch(1)
        self.zh_button, self.en_button = QPushButton("中文"), QPushButton("English")
        for button, code in ((self.zh_button, "zh_CN"), (self.en_button, "en")):
            button.setCheckable(True)
            button.setStyleSheet("min-height: 40px; font-size: 18px;")
            button.clicked.connect(lambda _checked, c=code: self.set_language(c))
            top.addWidget(button)
        outer.addLayout(top)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        self.error.hide()

        self.idle, idle_layout = self._page()
        self.idle_title, self.idle_body = QLabel(), QLabel()
        self.idle_title.setObjectName("big")
        idle_layout.addWidget(self.idle_title)
        idle_layout.addWidget(self.idle_body)
        idle_layout.addStretch(1)

        self.consents_page, layout = self._page()
        self.consent_title, self.consent_body = QLabel(), QLabel()
        self.consent_title.setObjectName("big")
        self.consent_body.setWordWrap(True)
        self.first_boxes = [ConsentBox(kind) for kind in FIRST_MOMENT]
        row = QHBoxLayout()
        self.decline_button, self.continue_button = QPushButton(), QPushButton()
        self.continue_button.setObjectName("primary")
        row.addWidget(self.decline_button)
        row.addStretch(1)
        row.addWidget(self.continue_button)
        for widget in (self.consent_title, self.consent_body, *self.first_boxes):
            layout.addWidget(widget)
        layout.addLayout(row)

        self.terms_page, terms_layout = self._page()
        self.terms_title, self.apr_label, self.apr_value, self.summary = QLabel(), QLabel(), QLabel(), QLabel()
        self.terms_title.setObjectName("big")
        self.apr_value.setObjectName("apr")
        self.summary.setWordWrap(True)
        self.schedule = QTableWidget(0, 2)
        self.schedule.verticalHeader().setVisible(False)
        self.schedule.horizontalHeader().setStretchLastSection(True)
        self.schedule.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.schedule.setMinimumHeight(160)
        self.signing_boxes = [ConsentBox(kind) for kind in SIGNING_MOMENT]
        self.sign_here = QLabel()
        self.pad = SignaturePad()
        pad_row = QHBoxLayout()
        self.clear_button, self.undo_button, self.sign_button = QPushButton(), QPushButton(), QPushButton()
        self.sign_button.setObjectName("primary")
        for button in (self.clear_button, self.undo_button):
            pad_row.addWidget(button)
        pad_row.addStretch(1)
        pad_row.addWidget(self.sign_button)
        # Two columns for a 1280×800 tablet: the terms on the left, consents and signature on the right.
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        apr_row = QHBoxLayout()
        apr_row.addWidget(self.apr_label)
        apr_row.addWidget(self.apr_value)
        apr_row.addStretch(1)
        left.addWidget(self.terms_title)
        left.addLayout(apr_row)
        left.addWidget(self.summary)
        left.addWidget(self.schedule, 1)
        for box in self.signing_boxes:
            box.body.setMinimumHeight(70)
            box.body.setMaximumHeight(100)
            box.title.setObjectName("medium")
            box.layout_.setContentsMargins(0, 0, 0, 0)
            right.addWidget(box)
        right.addWidget(self.sign_here)
        right.addWidget(self.pad, 1)
        right.addLayout(pad_row)
        columns.addLayout(left, 5)
        columns.addLayout(right, 7)
        terms_layout.addLayout(columns)

        self.done_page, done_layout = self._page()
        self.done_title, self.done_body = QLabel(), QLabel()
        self.done_title.setObjectName("big")
        self.done_body.setWordWrap(True)
        done_layout.addWidget(self.done_title)
        done_layout.addWidget(self.done_body)
        done_layout.addStretch(1)

        for box in (*self.first_boxes, *self.signing_boxes):
            box.toggled.connect(self._update_buttons)
        self.pad.changed.connect(self._update_buttons)
        self.continue_button.clicked.connect(self._continue)
        self.decline_button.clicked.connect(self._decline)
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.sign_button.clicked.connect(self._sign)
        self.resize(1280, 800)
        self.set_language(language)
        self.show_idle()

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        """A new page of the stack and its column."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 8, 32, 8)
        self.stack.addWidget(page)
        return page, layout

    # --- language ---------------------------------------------------------------------------------------------

    def t(self, key: str) -> str:
        """A text of this window in the customer's language (independent of the staff window's)."""
        source = TEXTS[key]
        if self._translator is None:
            return source
        return self._translator.translate(CONTEXT, source) or source

    def set_language(self, language: str) -> None:
        """Switch this window's language; consent boxes are unticked (agreement is to the words shown)."""
        self.language = language
        self._translator = None
        if language != "en":
            translator = QTranslator(self)
            if translator.load(str(resources_dir() / "i18n" / f"fenqi_{language}.qm")):
                self._translator = translator
        self.zh_button.setChecked(language == "zh_CN")
        self.en_button.setChecked(language == "en")
        self.idle_title.setText(self.t("welcome"))
        self.idle_body.setText(self.t("welcome_body"))
        self.consent_title.setText(self.t("consent_title"))
        self.consent_body.setText(self.t("consent_body"))
        self.continue_button.setText(self.t("continue"))
        self.decline_button.setText(self.t("decline"))
        self.terms_title.setText(self.t("terms_title"))
        self.apr_label.setText(self.t("apr"))
        self.sign_here.setText(self.t("sign_here"))
        self.clear_button.setText(self.t("clear"))
        self.undo_button.setText(self.t("undo"))
        self.sign_button.setText(self.t("sign"))
        self.done_title.setText(self.t("done"))
        for box in (*self.first_boxes, *self.signing_boxes):
            text = consent_text(box.kind, language)
            box.show_text(text, self.t("agree"), self.t("version").format(version=text.version))
        if self.terms is not None:
            self._show_terms_text()
        self.schedule.setHorizontalHeaderLabels([self.t("due"), self.t("amount")])
        self._update_buttons()

    # --- moments ----------------------------------------------------------------------------------------------

    def show_idle(self) -> None:
        """Nothing to do for the customer."""
        self.stack.setCurrentWidget(self.idle)
        self.progress.emit("idle")

    def ask_first_consents(self) -> None:
        """Show the first-moment consents, unticked."""
        self.show_error("")
        for box in self.first_boxes:
            box.box.setChecked(False)
        self.stack.setCurrentWidget(self.consents_page)
        self.progress.emit("consents")

    def show_terms(self, terms: dict[str, Any]) -> None:
        """Show the terms with the signing consents and an empty signature pad."""
        self.terms = terms
        self.show_error("")
        self.pad.clear()
        for box in self.signing_boxes:
            box.box.setChecked(False)
        self._show_terms_text()
        self.stack.setCurrentWidget(self.terms_page)
        self.progress.emit("terms")

    def _show_terms_text(self) -> None:
        terms = self.terms
        assert terms is not None
        self.apr_value.setText(f"{terms['apr']}%")
        lines = [
            f"{self.t('product')}: {terms['product']['name']} · {self.t('goods')}: {terms['goods']}",
            f"{self.t('price')}: {terms['price']} · {self.t('down')}: {terms['down_payment']} · "
            f"{self.t('financed')}: {terms['financed']}",
            f"{self.t('term')}: {self.t('months').format(n=terms['term'])} · {self.t('total')}: "
            f"{terms['total_repayable']} · {self.t('cost')}: {terms['total_cost']}",
        ]
        self.summary.setText("\n".join(lines))
        self.summary.setStyleSheet("font-size: 19px;")
        self.schedule.setRowCount(len(terms["installments"]))
        for r, row in enumerate(terms["installments"]):
            self.schedule.setItem(r, 0, QTableWidgetItem(row["due_date"]))
            self.schedule.setItem(r, 1, QTableWidgetItem(row["amount"]))

    def finish(self, kind: str, reference: str = "") -> None:
        """The closing page: `kind` is started, signed or declined."""
        self._done_text = kind
        self.done_body.setText(self.t(f"done_{kind}").format(reference=reference))
        self.stack.setCurrentWidget(self.done_page)
        self.progress.emit("done")

    def show_error(self, message: str) -> None:
        """Say what is wrong (a message from app/, in the counter's language), or nothing for ""."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- the customer's actions -----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        self.continue_button.setEnabled(all(b.given() is not None for b in self.first_boxes))
        self.sign_button.setEnabled(all(b.given() is not None for b in self.signing_boxes) and bool(self.pad.strokes))

    def ready_again(self) -> None:
        """Let the customer act again (what they did was refused; the message says why)."""
        self._update_buttons()

    def _continue(self) -> None:
        given = [b.given() for b in self.first_boxes]
        if all(given):
            self.continue_button.setEnabled(False)  # one tap, one application
            self.first_consents_given.emit(given)

    def _decline(self) -> None:
        unticked = next((b.kind for b in self.first_boxes if b.given() is None), FIRST_MOMENT[0])
        self.declined.emit(unticked)

    def _sign(self) -> None:
        given = [b.given() for b in self.signing_boxes]
        if all(given) and self.pad.strokes:
            self.show_error("")
            self.sign_button.setEnabled(False)  # one tap, one signature
            self.signing_done.emit(given, [list(s) for s in self.pad.strokes], self.pad)

    def close_for_good(self) -> None:
        """Close with the counter application (the customer cannot close it)."""
        self._may_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if getattr(self, "_may_close", False):
            event.accept()
        else:
            event.ignore()  # the customer screen stays up while the counter runs
