"""The customer's own window, for a second display or a tablet: large type, touch- and pen-friendly, with its
own language toggle. It shows the consents at the start, and at the end the one-time code sent to the customer's
phone (typed on large digit buttons), then the terms, the signing consents and the signature pad. Only the
customer acts here; the staff window mirrors its progress through signals and has no control that ticks or
signs for them. What the ticks and the signature mean is app/'s business.

The window never takes the keyboard from the staff window (it does not accept focus, and nothing on it takes
focus: the clerk's shortcuts keep working while the customer taps). Every refusal says why, in large type, in
the customer's language; declining asks once more before the staff side hears of it."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QTranslator, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QHideEvent, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.counter.consents import consent_text
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT
from app.kernel.config import resources_dir
from app.kernel.errors import FenqiError
from ui.customer_display.code_entry import CODE_LENGTH, CodePage
from ui.customer_display.consent_box import ConsentBox, consent_scroll
from ui.customer_display.signature_pad import SignaturePad
from ui.customer_display.texts import CONTEXT, SHARED_DONE_MS, SIGNATURE_REFUSALS, STYLE, TEXTS


class PageStack(QStackedWidget):
    """The window's pages: it needs the room of the page shown, not of the largest (a QStackedWidget asks for
    the tallest page's height at a given width), so the window fits a 1366×768 display with a message shown."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def hasHeightForWidth(self) -> bool:
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()


class CustomerWindow(QWidget):
    """The customer screen. Signals carry what the customer did; the staff side acts on them through app/."""

    first_consents_given = Signal(object)  # list[GivenConsent]
    declined = Signal(object)  # ConsentKind
    signing_done = Signal(object, object, object)  # list[GivenConsent], strokes, SignaturePad
    code_entered = Signal(str)  # the six digits the customer typed and confirmed
    progress = Signal(str)  # a short state name for the staff window: idle, consents, code, terms, done

    closed = Signal()  # the window went away (closed or hidden): the staff window comes back to the front

    def __init__(self, language: str = "zh_CN", parent: QWidget | None = None) -> None:
        # Never the active window: the clerk's keyboard stays with the staff window whatever the customer taps.
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.focus_home: QWidget | None = None  # the staff window, given back the keyboard if a platform insists
        self._last_focus: QWindow | None = None  # the window that had the keyboard before (when no home is set)
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            self._last_focus = QGuiApplication.focusWindow()
            application.focusWindowChanged.connect(self._note_focus)
        self.setObjectName("customerWindow")
        self.setStyleSheet(STYLE)
        self.language = language
        self._translator: QTranslator | None = None
        self.terms: dict[str, Any] | None = None
        self.product_names: Mapping[str, str] = {}
        self.shares_screen = False  # placed on the staff's own display: steps aside when the customer is done
        self._sent = False  # Continue or Sign was accepted: one tap, one application / one signature
        self.confirmation_pending = False  # the terms shown without a confirmed code: the lender will call
        self._code_problem: tuple[str, int | None] | None = None  # the refusal shown, said again in a new language
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
        self.stack = PageStack()
        outer.addWidget(self.stack, 1)
        self.error = QLabel()  # below the page's buttons, across the window
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error_row = QVBoxLayout()
        self.error_row.setContentsMargins(32, 0, 32, 4)
        self.error_row.addWidget(self.error)
        outer.addLayout(self.error_row)
        self.error.hide()

        self.idle, idle_layout = self._page()
        self.idle_title, self.idle_body = QLabel(), QLabel()
        self.idle_title.setObjectName("big")
        idle_layout.addWidget(self.idle_title)
        idle_layout.addWidget(self.idle_body)
        idle_layout.addStretch(1)
        self._build_consents_page()
        self.code_page = CodePage(self.t)
        self.stack.addWidget(self.code_page)
        self.code_entry = self.code_page.entry
        self._build_terms_page()
        self.done_page, done_layout = self._page()
        self.done_title, self.done_body = QLabel(), QLabel()
        self.done_title.setObjectName("big")
        self.done_body.setWordWrap(True)
        done_layout.addWidget(self.done_title)
        done_layout.addWidget(self.done_body)
        done_layout.addStretch(1)

        for box in (*self.first_boxes, *self.signing_boxes):
            box.toggled.connect(self._changed)
        self.pad.changed.connect(self._changed)
        self.continue_button.clicked.connect(self._continue)
        self.decline_button.clicked.connect(self._ask_decline)
        self.decline_yes_button.clicked.connect(self._decline)
        self.go_back_button.clicked.connect(self._go_back)
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.sign_button.clicked.connect(self._sign)
        self.code_page.entry.submitted.connect(self._code_submitted)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for child in self.findChildren(QWidget):  # taps, pen and touch work without focus; keys are the clerk's
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.resize(1280, 800)
        self.set_language(language)
        self.show_idle()

    def _build_consents_page(self) -> None:
        """The first consents, read in a scroll area, with Continue / I do not agree below; or, after "I do not
        agree", the question whether they really do not."""
        self.consents_page, layout = self._page()
        self.consent_title, self.consent_body = QLabel(), QLabel()
        self.consent_title.setObjectName("big")
        self.consent_body.setWordWrap(True)
        self.first_boxes = [ConsentBox(kind) for kind in FIRST_MOMENT]
        self.first_scroll = consent_scroll(self.first_boxes)
        self.consent_flip = QStackedWidget()
        self.reading = QWidget()
        reading = QVBoxLayout(self.reading)
        reading.setContentsMargins(0, 0, 0, 0)
        reading.addWidget(self.consent_body)
        reading.addWidget(self.first_scroll, 1)
        row = QHBoxLayout()
        self.decline_button, self.continue_button = QPushButton(), QPushButton()
        self.continue_button.setObjectName("primary")
        row.addWidget(self.decline_button)
        row.addStretch(1)
        row.addWidget(self.continue_button)
        reading.addLayout(row)
        self.confirm_decline = QWidget()
        confirm = QVBoxLayout(self.confirm_decline)
        self.decline_title, self.decline_body = QLabel(), QLabel()
        self.decline_title.setObjectName("big")
        self.decline_body.setWordWrap(True)
        self.go_back_button, self.decline_yes_button = QPushButton(), QPushButton()
        self.go_back_button.setObjectName("primary")
        confirm.addStretch(1)
        confirm.addWidget(self.decline_title)
        confirm.addWidget(self.decline_body)
        confirm.addSpacing(24)
        buttons = QHBoxLayout()
        buttons.addWidget(self.decline_yes_button)
        buttons.addStretch(1)
        buttons.addWidget(self.go_back_button)
        confirm.addLayout(buttons)
        confirm.addStretch(2)
        self.consent_flip.addWidget(self.reading)
        self.consent_flip.addWidget(self.confirm_decline)
        layout.addWidget(self.consent_title)
        layout.addWidget(self.consent_flip, 1)

    def _build_terms_page(self) -> None:
        """Two columns for a tablet: the terms on the left; the signing consents (scrolled), the pad and its
        buttons on the right, all within a 1366×768 display's window."""
        self.terms_page, terms_layout = self._page()
        self.terms_title, self.apr_label, self.apr_value, self.summary = QLabel(), QLabel(), QLabel(), QLabel()
        self.terms_title.setObjectName("big")
        self.apr_value.setObjectName("apr")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 19px;")
        self.terms_note = QLabel()  # the signing goes on without a confirmed code: the lender will call
        self.terms_note.setObjectName("note")
        self.terms_note.setWordWrap(True)
        self.terms_note.hide()
        self.schedule = QTableWidget(0, 2)
        self.schedule.verticalHeader().setVisible(False)
        self.schedule.horizontalHeader().setStretchLastSection(True)
        self.schedule.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.schedule.setMinimumHeight(160)
        self.signing_boxes = [ConsentBox(kind) for kind in SIGNING_MOMENT]
        for box in self.signing_boxes:
            box.title.setObjectName("medium")
        self.signing_scroll = consent_scroll(self.signing_boxes)
        self.signing_scroll.setMinimumHeight(150)
        self.sign_here = QLabel()
        self.pad = SignaturePad()
        pad_row = QHBoxLayout()
        self.clear_button, self.undo_button, self.sign_button = QPushButton(), QPushButton(), QPushButton()
        self.sign_button.setObjectName("primary")
        for button in (self.clear_button, self.undo_button):
            pad_row.addWidget(button)
        pad_row.addStretch(1)
        pad_row.addWidget(self.sign_button)
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        apr_row = QHBoxLayout()
        apr_row.addWidget(self.apr_label)
        apr_row.addWidget(self.apr_value)
        apr_row.addStretch(1)
        left.addWidget(self.terms_title)
        left.addLayout(apr_row)
        left.addWidget(self.summary)
        left.addWidget(self.terms_note)
        left.addWidget(self.schedule, 1)
        right.addWidget(self.signing_scroll, 3)
        right.addWidget(self.sign_here)
        right.addWidget(self.pad, 2)
        right.addLayout(pad_row)
        columns.addLayout(left, 5)
        columns.addLayout(right, 7)
        terms_layout.addLayout(columns)

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
        self.decline_title.setText(self.t("decline_title"))
        self.decline_body.setText(self.t("decline_body"))
        self.decline_yes_button.setText(self.t("decline_yes"))
        self.go_back_button.setText(self.t("go_back"))
        self.code_page.retranslate()
        self.terms_note.setText(self.t("code_pending"))
        code_problem = self._code_problem
        self.show_error("")  # a refusal in the other language; the boxes are unticked anyway
        if code_problem is not None and self.stack.currentWidget() is self.code_page:
            self.code_problem(*code_problem)  # what went wrong with the code, said in the new language
        for box in (*self.first_boxes, *self.signing_boxes):
            text = consent_text(box.kind, language)
            box.show_text(text, self.t("agree"), self.t("version").format(version=text.version))
        if self.terms is not None:
            self._show_terms_text()
        self.schedule.setHorizontalHeaderLabels([self.t("due"), self.t("amount")])
        self._update_buttons()

    # --- moments ----------------------------------------------------------------------------------------------

    def show_idle(self) -> None:
        """Nothing to do for the customer (on the staff's own display the window steps aside)."""
        self.code_entry.clear()
        self.stack.setCurrentWidget(self.idle)
        self.progress.emit("idle")
        if self.shares_screen and self.isVisible():
            self.hide()

    def ask_first_consents(self) -> None:
        """Show the first-moment consents, unticked."""
        self.show_error("")
        for box in self.first_boxes:
            box.box.setChecked(False)
        self.consent_flip.setCurrentWidget(self.reading)
        self.first_scroll.verticalScrollBar().setValue(0)
        self._sent = False
        self._update_buttons()
        self.stack.setCurrentWidget(self.consents_page)
        self.progress.emit("consents")

    def show_code_sending(self, phone: str = "") -> None:
        """The code page while the code is on its way to `phone` (masked; "" when not known): nothing to type
        yet."""
        self.show_error("")
        self.code_page.sending(phone)
        self.stack.setCurrentWidget(self.code_page)
        self.progress.emit("code")

    def ask_code(self, phone: str = "", resent: bool = False) -> None:
        """The code was sent to `phone` (masked; "" when not known): the customer types it on the pad (`resent`:
        a new code replaced an earlier one)."""
        self.show_error("")
        self.code_page.ask(phone, resent)
        self.stack.setCurrentWidget(self.code_page)
        self.progress.emit("code")

    def code_problem(self, key: str, tries_left: int | None = None) -> None:
        """Say what went wrong with the code, in large type: code_wrong (typed again from empty, with the tries
        left), code_use_last (no new code yet: the one received still works), code_busy (tap Confirm again), or
        code_expired, code_too_many, code_wait (the pad stays off: the sales consultant sends a new code or goes
        on)."""
        self.show_error(self.t(key).format(n=tries_left if tries_left is not None else "?"))
        self._code_problem = (key, tries_left)
        self.code_page.refused(key)

    def show_terms(
        self, terms: dict[str, Any], product_names: Mapping[str, str] | None = None, pending: bool = False
    ) -> None:
        """Show the terms with the signing consents and an empty signature pad. `product_names` are the
        catalog's names of the terms' product by language (the terms carry the name in the counter's
        language only); the customer reads the one in their language. `pending`: the signing was not confirmed
        with a code, and the customer is told the lender will call."""
        self.terms = terms
        self.confirmation_pending = pending
        self.terms_note.setVisible(pending)
        self.code_entry.clear()
        self.product_names = dict(product_names or {})
        self.show_error("")
        self.pad.clear()
        for box in self.signing_boxes:
            box.box.setChecked(False)
        self.signing_scroll.verticalScrollBar().setValue(0)
        self._sent = False
        self._update_buttons()
        self._show_terms_text()
        self.stack.setCurrentWidget(self.terms_page)
        self.progress.emit("terms")

    def _show_terms_text(self) -> None:
        terms = self.terms
        assert terms is not None
        product = self.product_names.get(self.language) or terms["product"]["name"]
        self.apr_value.setText(f"{terms['apr']}%")
        lines = [
            f"{self.t('product')}: {product} · {self.t('goods')}: {terms['goods']}",
            f"{self.t('price')}: {terms['price']} · {self.t('down')}: {terms['down_payment']} · "
            f"{self.t('financed')}: {terms['financed']}",
            f"{self.t('term')}: {self.t('months').format(n=terms['term'])} · {self.t('total')}: "
            f"{terms['total_repayable']} · {self.t('cost')}: {terms['total_cost']}",
        ]
        self.summary.setText("\n".join(lines))
        self.schedule.setRowCount(len(terms["installments"]))
        for r, row in enumerate(terms["installments"]):
            self.schedule.setItem(r, 0, QTableWidgetItem(row["due_date"]))
            self.schedule.setItem(r, 1, QTableWidgetItem(row["amount"]))

    def finish(self, kind: str, reference: str = "") -> None:
        """The closing page: `kind` is started, signed or declined. On the staff's own display the window steps
        aside after a moment, and the staff window comes back."""
        self._done_text = kind
        self.done_body.setText(self.t(f"done_{kind}").format(reference=reference))
        self.stack.setCurrentWidget(self.done_page)
        self.progress.emit("done")
        if self.shares_screen:
            QTimer.singleShot(SHARED_DONE_MS, self, self._step_aside)

    def _step_aside(self) -> None:
        if self.shares_screen and self.stack.currentWidget() is self.done_page and self.isVisible():
            self.hide()

    def show_error(self, message: str) -> None:
        """Say what is wrong, in large type (a message from app/, or the window's own refusal), or nothing for
        ""."""
        self._refusal = ""
        self._code_problem = None
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- the customer's actions -----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        """Continue and Sign always answer a tap (with what is missing, if anything); they look ready when all is
        there, and stay disabled only while what they sent is being handled."""
        first = all(b.given() is not None for b in self.first_boxes)
        signing = all(b.given() is not None for b in self.signing_boxes) and bool(self.pad.strokes)
        for button, ready in ((self.continue_button, first), (self.sign_button, signing)):
            button.setEnabled(not self._sent)
            if button.property("ready") != ready:
                button.setProperty("ready", ready)
                button.style().unpolish(button)
                button.style().polish(button)

    def ready_again(self) -> None:
        """Let the customer act again (what they did was refused; the message says why)."""
        self._sent = False
        self._update_buttons()

    def _changed(self) -> None:
        """A box ticked or a stroke drawn: a refusal on screen says what is still missing, or goes."""
        self._update_buttons()
        if self._refusal:
            which = self._refusal
            problems = self._problems(which)
            self.show_error("\n".join(problems))
            self._refusal = which if problems else ""

    def _problems(self, which: str) -> list[str]:
        """Why Continue ("first") or Sign ("signing") cannot go on, in the customer's language; [] if it can."""
        boxes = self.first_boxes if which == "first" else self.signing_boxes
        missing = [b for b in boxes if b.given() is None]
        problems = []
        if missing:
            lead = self.t("missing_first" if which == "first" else "missing_signing")
            names = functools.reduce(
                lambda first, then: self.t("list").format(first=first, then=then), [b.title.text() for b in missing]
            )
            problems.append(lead.format(consents=names))
        if which == "signing":
            from app.counter.contract import check_signature  # app/'s rule; its words in the customer's language

            try:
                check_signature(self.pad.strokes, self.pad.width())
            except FenqiError as exc:
                problems.append(self.t(exc.code) if exc.code in SIGNATURE_REFUSALS else exc.message)
        return problems

    def _refuse(self, which: str, problems: Sequence[str], boxes: list[ConsentBox], scroll: QScrollArea) -> None:
        self.show_error("\n".join(problems))
        self._refusal = which
        missing = next((b for b in boxes if b.given() is None), None)
        if missing is not None:
            scroll.ensureWidgetVisible(missing.box)

    def _continue(self) -> None:
        problems = self._problems("first")
        given = [g for b in self.first_boxes if (g := b.given()) is not None]
        if problems or len(given) < len(self.first_boxes):
            self._refuse("first", problems, self.first_boxes, self.first_scroll)
            return
        self.show_error("")
        self._sent = True  # one tap, one application
        self._update_buttons()
        self.first_consents_given.emit(given)

    def _ask_decline(self) -> None:
        """The customer tapped "I do not agree": ask once more; nothing is sent yet."""
        self.show_error("")
        self.consent_flip.setCurrentWidget(self.confirm_decline)

    def _go_back(self) -> None:
        self.consent_flip.setCurrentWidget(self.reading)

    def _decline(self) -> None:
        """The customer confirmed they do not agree: the staff side ends the application."""
        unticked = next((b.kind for b in self.first_boxes if b.given() is None), FIRST_MOMENT[0])
        self.consent_flip.setCurrentWidget(self.reading)
        self.declined.emit(unticked)

    def _code_submitted(self, code: str) -> None:
        """Confirm tapped on the pad: six digits go to the staff side to be checked; fewer are refused here."""
        if len(code) != CODE_LENGTH:
            self.show_error(self.t("code_incomplete"))
            return
        self.show_error("")
        self.code_page.checking()  # one tap, one check
        self.code_entered.emit(code)

    def _sign(self) -> None:
        problems = self._problems("signing")
        given = [g for b in self.signing_boxes if (g := b.given()) is not None]
        if problems or len(given) < len(self.signing_boxes):
            self._refuse("signing", problems, self.signing_boxes, self.signing_scroll)
            return
        self.show_error("")
        self._sent = True  # one tap, one signature
        self._update_buttons()
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

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():  # closed, or stepped aside (not minimised by the window system)
            self.closed.emit()

    def _note_focus(self, window: QWindow | None) -> None:
        if window is not None and window is not self.windowHandle():
            self._last_focus = window

    def _keyboard_home(self) -> QWidget | None:
        """The staff window the keyboard belongs to: the one placement named, or the one that had it before."""
        if self.focus_home is not None:
            return self.focus_home
        last = self._last_focus
        return next((w for w in QApplication.topLevelWidgets() if last is not None and w.windowHandle() is last), None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A platform that activates every window shown (offscreen, some window managers): the keyboard goes back.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            home = self._keyboard_home()
            if home is not None and home is not self and home.isVisible():
                QTimer.singleShot(0, home, home.activateWindow)
