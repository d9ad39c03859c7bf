"""New application, the staff side of the customer screen: start an application (the customer gives the first
consents on their screen), send the chosen plan for signing, then save or print the contract. The staff window
only mirrors what the customer does; it has no control that ticks or signs for them."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.customer_display.window import CustomerWindow
from ui.pages.base import Page
from ui.pages.customer import CustomerPage
from ui.pages.plan import PlanPage


class NewApplicationPage(Page):
    """Start, send for signing, submit to the lender, and output the contract; the customer's progress is
    mirrored here."""

    application_opened = Signal(object, str)  # application id (None when it ended), reference
    submitted = Signal(object)  # application id, queued for the lender
    progressed = Signal()  # the plan was fixed, or the contract signed: the flow moved on

    def __init__(self, controller: Controller, pages: dict[str, Page], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._pages = pages  # the shell's pages; the customer and plan pages are made after this one
        self.window_: CustomerWindow | None = None
        self.application_id: uuid.UUID | None = None
        self.reference = ""
        self.terms: dict[str, Any] | None = None
        self.signed: Any = None
        # (html, images, consent records, language, signing time) of the signed contract, and of one in signing
        self._contract: tuple[Any, ...] | None = None
        self._pending: tuple[Any, ...] | None = None
        self._reader_warm = False
        self.state = QLabel()
        self.state.setObjectName("consentState")
        self.state.setWordWrap(True)
        self.layout_.addWidget(self.state)
        self.start_button = QPushButton()
        self.start_button.setObjectName("primary")
        self.layout_.addWidget(self.start_button)
        goods_row = QHBoxLayout()
        self.goods_label = QLabel()
        self.goods = QLineEdit()
        self.goods.setObjectName("goods")
        self.goods_label.setBuddy(self.goods)
        goods_row.addWidget(self.goods_label)
        goods_row.addWidget(self.goods, 1)
        self.send_button = QPushButton()
        goods_row.addWidget(self.send_button)
        self.layout_.addLayout(goods_row)
        outputs = QHBoxLayout()
        self.save_pdf_button, self.print_button, self.copy_button = QPushButton(), QPushButton(), QPushButton()
        for button in (self.save_pdf_button, self.print_button, self.copy_button):
            outputs.addWidget(button)
            button.setEnabled(False)
        outputs.addStretch(1)
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("primary")
        self.submit_button.setEnabled(False)
        outputs.addWidget(self.submit_button)
        self.layout_.addLayout(outputs)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)
        self.start_button.clicked.connect(self.start)
        self.send_button.clicked.connect(self.send_for_signing)
        self.save_pdf_button.clicked.connect(self._save_pdf)
        self.print_button.clicked.connect(lambda: self._print(customer_copy=False))
        self.copy_button.clicked.connect(lambda: self._print(customer_copy=True))
        self.submit_button.clicked.connect(self.submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("New application"))
        self.start_button.setText(self.tr("&Start on the customer screen"))
        self.goods_label.setText(self.tr("&Goods (model, serial)"))
        self.send_button.setText(self.tr("Send the &plan for signing"))
        self.save_pdf_button.setText(self.tr("Save contract PDF…"))
        self.print_button.setText(self.tr("&Print contract"))
        self.copy_button.setText(self.tr("Print &customer copy"))
        self.submit_button.setText(self.tr("Send to the &lender"))
        self._show_state(self.window_.stack.currentIndex() if self.window_ else 0)

    @property
    def customer_page(self) -> CustomerPage:
        return self._pages["customer"]  # type: ignore[return-value]

    @property
    def plan_page(self) -> PlanPage:
        return self._pages["plan"]  # type: ignore[return-value]

    # --- the customer window ------------------------------------------------------------------------------------

    def prepare_customer_window(self) -> None:
        """Build the customer screen ahead of the first customer (it takes ~80 ms), while the counter is idle."""
        if self.window_ is None:
            self.customer_window(show=False)

    def customer_window(self, show: bool = True) -> CustomerWindow:
        """The customer screen, made on first use and placed on the display the settings name."""
        if self.window_ is None:
            from app.kernel.i18n import current_language

            self.window_ = CustomerWindow(current_language())
            self.window_.first_consents_given.connect(self._first_consents_given)
            self.window_.declined.connect(self._declined)
            self.window_.signing_done.connect(self._signing_done)
            self.window_.progress.connect(lambda _state: self._show_state())
        if show:
            self.place_customer_window()
        return self.window_

    def place_customer_window(self) -> None:
        """Show the customer window full screen on the chosen display, or as a window on this one."""
        assert self.window_ is not None
        wanted = self.controller.settings.customer_screen
        screen = next((s for s in QGuiApplication.screens() if s.name() == wanted), None) if wanted else None
        if screen is not None and screen is not QGuiApplication.primaryScreen():
            self.window_.setScreen(screen)
            self.window_.setGeometry(screen.geometry())
            self.window_.showFullScreen()
        else:
            self.window_.show()

    def _show_state(self, _index: int | None = None) -> None:
        window = self.window_
        page = window.stack.currentWidget() if window else None
        if window is None or page is window.idle:
            text = (
                self.tr("Application {reference} is open.").format(reference=self.reference)
                if self.application_id
                else self.tr("No application is open. Start one: the customer gives their consents on their screen.")
            )
        elif page is window.consents_page:
            text = self.tr("The customer is reading the consents on their screen…")
        elif page is window.terms_page:
            text = self.tr("Application {reference}: the customer is reading the terms and signing…").format(
                reference=self.reference
            )
        else:
            text = (
                self.tr("Application {reference}: signed.").format(reference=self.reference)
                if self.signed
                else self.tr("Application {reference}: consents given. Fill in the customer details.").format(
                    reference=self.reference
                )
                if self.application_id
                else self.tr("The customer declined: the application ended and nothing was kept.")
            )
        self.state.setText(text)

    # --- starting -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Ask the customer for the first consents on their screen."""
        self.application_id, self.reference, self.terms, self.signed, self._contract = None, "", None, None, None
        for button in (self.save_pdf_button, self.print_button, self.copy_button):
            button.setEnabled(False)
        self.message.clear()
        # The previous customer's details must not wait on screen for this one, nor land in their application.
        for key in ("customer", "prescreen"):
            self._pages[key].clear_sensitive()
        self.customer_window().ask_first_consents()
        self._show_state()
        if not self._reader_warm:  # while the customer reads the consents, not when the clerk scans the ID
            from app.scanning.ocr import warm_up

            self._reader_warm = True
            self.controller.run_io(warm_up, on_error=self.controller.log_background_error)

    def _first_consents_given(self, given: list) -> None:  # type: ignore[type-arg]
        services = self.controller.services
        assert services is not None
        self.controller.call(
            services.consents.begin_application, given, on_done=self._started, on_error=self._start_failed
        )

    def _start_failed(self, error: BaseException) -> None:
        if self.window_ is not None and isinstance(error, FenqiError):
            self.window_.show_error(error.message)
            self.window_.ready_again()
        self._failed(error)

    def _started(self, started: Any) -> None:
        self.application_id, self.reference = started.application_id, started.reference
        self.customer_page.set_application(started.application_id, started.reference)
        self.application_opened.emit(started.application_id, started.reference)
        assert self.window_ is not None
        self.window_.finish("started", started.reference)
        self._show_state()

    def _declined(self, kind: Any) -> None:
        services = self.controller.services
        assert services is not None and self.window_ is not None
        self.controller.call(services.consents.record_declined, kind, on_error=self._failed)
        self.application_id, self.reference = None, ""
        self.customer_page.clear_sensitive()
        self.window_.finish("declined")
        self._show_state()

    # --- signing --------------------------------------------------------------------------------------------

    def send_for_signing(self) -> None:
        """Fix the plan chosen on the plan page as the terms, and show them to the customer to sign."""
        services, catalog, schedule = self.controller.services, self.controller.catalog, self.plan_page.schedule
        if self.application_id is None or services is None or catalog is None:
            self.message.setText(self.tr("Start an application first."))
            return
        if schedule is None:
            self.message.setText(self.tr("Choose a plan on the plan page first."))
            return
        if not self.goods.text().strip():
            self.message.setText(self.tr("Describe the goods first."))
            return
        from app.domain.money import parse_money
        from app.kernel.clock import store_today

        try:
            price = parse_money(self.plan_page.price.text())
        except FenqiError as exc:
            self.message.setText(exc.message)
            return
        self.controller.call(
            services.contracts.choose_plan,
            self.application_id,
            catalog,
            self.plan_page.product.currentData(),
            self.goods.text(),
            price,
            price - schedule.terms.principal,
            schedule.terms.term,
            store_today(self.controller.settings.store_time_zone),
            on_done=self._terms_ready,
            on_error=self._failed,
        )

    def _terms_ready(self, terms: dict[str, Any]) -> None:
        self.terms = terms
        self.progressed.emit()
        self.message.clear()
        self.customer_window().show_terms(terms)
        self._show_state()

    def _signing_done(self, given: list, strokes: list, pad: Any) -> None:  # type: ignore[type-arg]
        """Check the signature on the customer's screen at once, then fetch the consents for the contract. The
        terms signed are the ones the customer's window showed, whatever the clerk does meanwhile."""
        from app.counter.contract import check_signature

        services, window = self.controller.services, self.window_
        assert services is not None and window is not None and self.application_id is not None
        try:
            check_signature(strokes, pad.width())
        except FenqiError as exc:
            window.show_error(exc.message)
            window.ready_again()
            return
        application_id, language, shown = self.application_id, window.language, window.terms
        self.send_button.setEnabled(False)  # no new plan while this one is being signed
        self.controller.call(
            lambda _actor: services.consents.held_records(application_id, language),
            on_done=lambda held: self._render_and_sign(held, given, strokes, pad, application_id, shown),
            on_error=self._sign_failed,
        )

    def _render_and_sign(
        self, held: list, given: list, strokes: list, pad: Any, application_id: uuid.UUID, terms: dict[str, Any]
    ) -> None:  # type: ignore[type-arg]
        """Render the contract with the signature off the GUI thread (the first render loads fonts: ~150 ms),
        then hand everything to app/ to check and keep."""
        from app.counter.contract_document import ConsentRecord

        window = self.window_
        assert window is not None
        records = [ConsentRecord(*row) for row in held] + [
            ConsentRecord(g.text.title, g.text.stored_version, g.text.sha256, g.at) for g in given
        ]
        image = pad.image()  # drawn here; encoded with the contract off the GUI thread (~30 ms as PNG)
        language, zone, width = window.language, self.controller.settings.store_time_zone, float(pad.width())
        self.controller.run_io(
            _render_contract,
            terms,
            records,
            language,
            zone,
            image,
            on_done=lambda rendered: self._sign(
                rendered[:4], records, language, given, strokes, width, rendered[4], application_id, terms
            ),
            on_error=self._sign_failed,
        )

    def _sign(
        self,
        rendered: tuple,  # type: ignore[type-arg]
        records: list,  # type: ignore[type-arg]
        language: str,
        given: list,  # type: ignore[type-arg]
        strokes: list,  # type: ignore[type-arg]
        width: float,
        png: bytes,
        application_id: uuid.UUID,
        terms: dict[str, Any],
    ) -> None:
        from app.counter.contract import terms_sha256

        services = self.controller.services
        assert services is not None
        html, resources, pdf, signed_at = rendered
        self._pending = (html, resources, records, language, signed_at, terms)
        self.controller.call(
            services.contracts.sign,
            application_id,
            terms_sha256(terms),
            given,
            strokes,
            width,
            png,
            pdf,
            on_done=self._signed,
            on_error=self._sign_failed,
        )

    def _signed(self, signed: Any) -> None:
        self.signed = signed
        self._contract = self._pending  # type: ignore[assignment]
        self.send_button.setEnabled(True)
        assert self.window_ is not None
        self.window_.finish("signed", signed.reference)
        for button in (self.save_pdf_button, self.print_button, self.copy_button, self.submit_button):
            button.setEnabled(True)
        self.submit_button.setFocus()  # Enter sends it
        self.progressed.emit()
        self.message.setText(
            self.tr("Contract signed. PDF SHA-256 {pdf}; signature strokes SHA-256 {strokes}.").format(
                pdf=signed.pdf_sha256[:16] + "…", strokes=signed.strokes_sha256[:16] + "…"
            )
        )
        self._show_state()

    def _sign_failed(self, error: BaseException) -> None:
        self.send_button.setEnabled(True)
        if self.window_ is not None and isinstance(error, FenqiError):
            self.window_.show_error(error.message)
            self.window_.ready_again()
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, FenqiError):
            self.message.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.message.setText(self.tr("Something went wrong; it has been logged."))

    # --- submitting ---------------------------------------------------------------------------------------------

    def open_application(self, application_id: uuid.UUID, reference: str, signed: bool) -> None:
        """Continue an application opened elsewhere (a draft resumed, the counter reopened after a crash)."""
        self.application_id, self.reference = application_id, reference
        self.submit_button.setEnabled(signed)
        self._show_state()

    def set_purchase(self, recorded: Any) -> None:
        """Describe the goods from the purchase as recorded (model, SKU, serial): nothing is typed twice."""
        parts = [recorded.description, recorded.sku, recorded.serial] if recorded is not None else []
        self.goods.setText(" ".join(p for p in parts if p))

    def submit(self) -> None:
        """Queue the signed application for the lender: it goes with the next sync, at once when online."""
        from app.sync.submission import SubmissionService

        services, application_id = self.controller.services, self.application_id
        if services is None or application_id is None:
            return
        self.submit_button.setEnabled(False)
        self.controller.call(
            lambda actor: SubmissionService(services.store).queue(actor, application_id),
            on_done=lambda _key: self._submitted(application_id),
            on_error=self._submit_failed,
        )

    def _submitted(self, application_id: uuid.UUID) -> None:
        self.message.setText(
            self.tr(
                "Application {reference} is waiting to send: it goes to the lender with the next sync, at once "
                "when the network is up. Nothing more to do now."
            ).format(reference=self.reference)
        )
        self.submitted.emit(application_id)

    def _submit_failed(self, error: BaseException) -> None:
        self.submit_button.setEnabled(True)
        self._failed(error)

    # --- output -----------------------------------------------------------------------------------------------

    def save_pdf_to(self, path: Path) -> None:
        """Write the signed contract (as stored) to `path`, and note it in the audit log."""
        services, application_id = self.controller.services, self.application_id
        assert services is not None and application_id is not None

        def save(actor: Any) -> Path:
            path.write_bytes(services.contracts.contract_pdf(application_id))
            services.contracts.record_output(actor, application_id, "saved")
            return path

        self.controller.call(
            save, on_done=lambda p: self.message.setText(self.tr("Saved {path}.").format(path=p)), on_error=self._failed
        )

    def _save_pdf(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save contract"), str(Path.home() / f"{self.reference}.pdf"), "PDF (*.pdf)"
        )
        if name:
            self.save_pdf_to(Path(name))

    def print_to(self, printer: Any, customer_copy: bool) -> None:
        """Print the contract (or the customer's copy, marked as such) on `printer`; noted in the audit log."""
        from app.counter.contract_document import contract_html
        from ui.contract_pdf import print_contract

        services = self.controller.services
        if services is None or self._contract is None:
            return  # nothing signed to print (the buttons are off then)
        html, resources, records, language, signed_at, terms = self._contract
        if customer_copy:
            html = contract_html(
                terms, records, signed_at, language, self.controller.settings.store_time_zone, customer_copy=True
            )
        print_contract(html, resources, printer)
        what = "copy_printed" if customer_copy else "printed"
        self.controller.call(services.contracts.record_output, self.application_id, what, on_error=self._failed)

    def _print(self, customer_copy: bool) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            self.print_to(printer, customer_copy)

    def clear_sensitive(self) -> None:
        self.send_button.setEnabled(True)
        self.submit_button.setEnabled(False)
        self.goods.clear()
        self.message.clear()
        self.terms, self.signed, self._contract = None, None, None
        self.application_id, self.reference = None, ""
        for button in (self.save_pdf_button, self.print_button, self.copy_button):
            button.setEnabled(False)
        if self.window_ is not None:
            self.window_.pad.clear()
            self.window_.show_idle()
        self._show_state()

    def close_customer_window(self) -> None:
        """The counter application is closing."""
        if self.window_ is not None:
            self.window_.close_for_good()


def _png(image: Any) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _render_contract(
    terms: dict[str, Any],
    records: list,  # type: ignore[type-arg]
    language: str,
    zone: str,
    image: Any,
) -> tuple[str, dict[str, bytes], bytes, dt.datetime, bytes]:
    """The contract's HTML, images and PDF, and the signature as PNG (runs on the I/O pool: QImage, Qt's text
    layout and PDF writer are reentrant)."""
    from app.counter.contract_document import QR_RESOURCE, SIGNATURE_RESOURCE, contract_html, qr_png
    from app.kernel.clock import utc_now
    from ui.contract_pdf import contract_pdf

    png = _png(image)
    resources = {QR_RESOURCE: qr_png(terms), SIGNATURE_RESOURCE: png}
    signed_at = utc_now()
    html = contract_html(terms, records, signed_at, language, zone)
    return html, resources, contract_pdf(html, resources, terms["reference"]), signed_at, png
