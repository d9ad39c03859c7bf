"""New application, the staff side of the customer screen: start an application (the customer gives the first
consents on their screen), fix the chosen plan, begin signing (online, the customer first types the code sent to
their phone), then save or print the contract. The staff window only mirrors what the customer does; it has no
control that ticks, types the code or signs for them."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from app.counter.consents import ConsentService, GivenConsent, StartedApplication
from app.counter.contract import ContractService, Point
from app.domain.actor import Actor
from app.domain.application import ApplicationState, state_label
from app.domain.consent import ConsentKind
from app.domain.masking import mask_phone
from app.kernel.errors import FenqiError
from app.sync.submission import SubmissionService
from ui.controller import Controller
from ui.customer_display.signature_pad import SignaturePad
from ui.customer_display.window import CustomerWindow
from ui.open_application import OpenApplication
from ui.pages.base import Page
from ui.signing import Signature, SignedCopy, sign_contract
from ui.widgets.signing_code import SigningCode

if TYPE_CHECKING:
    from app.counter.verification import VerificationService

# Still being filled in or signed but not yet sent: starting another one asks first.
_BEFORE_SENDING = (
    ApplicationState.DRAFT,
    ApplicationState.PRESCREENED,
    ApplicationState.QUOTED,
    ApplicationState.SIGNED,
)


class SigningServices(Protocol):
    """What the page works with (app.services.Services provides it)."""

    consents: ConsentService
    contracts: ContractService
    submissions: SubmissionService
    verification: VerificationService


class NewApplicationPage(Page):
    """Start, send for signing, submit to the lender, and output the contract; the customer's progress is
    mirrored here."""

    start_requested = Signal()  # a new application is starting: whatever was open is put aside
    continue_requested = Signal()  # the clerk chose to go on with the open application
    started = Signal(object)  # StartedApplication: the customer gave the first consents
    ended = Signal()  # the customer declined: the application ended and nothing was kept
    submitted = Signal(object)  # application id, queued for the lender
    progressed = Signal()  # the plan was fixed, or the contract signed: the flow moved on

    def __init__(
        self,
        controller: Controller,
        services: SigningServices,
        application: OpenApplication,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.consents, self.contracts, self.submissions = services.consents, services.contracts, services.submissions
        self.verification = services.verification
        self.application = application
        self.window_: CustomerWindow | None = None
        self.terms: dict[str, Any] | None = None
        self.signed: SignedCopy | None = None  # the contract signed for the open application
        self._reader_warm = False
        self.state = QLabel()
        self.state.setObjectName("consentState")
        self.state.setWordWrap(True)
        self.layout_.addWidget(self.state)
        self.start_button = QPushButton()
        self.start_button.setObjectName("primary")
        self.code = SigningCode(controller, self.verification)  # shown while the code is sent, typed, checked
        self.layout_.addWidget(self.code)
        self.layout_.addWidget(self.start_button)
        self._signing_begun: uuid.UUID | None = None  # the application whose signing began (code, then terms)
        self.put_aside_box: QMessageBox | None = None  # asks what to do with the open application first
        self._signing = False  # a plan is with the customer for signing
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
        self.save_pdf_button.clicked.connect(self._save_pdf)
        self.print_button.clicked.connect(lambda: self._print(customer_copy=False))
        self.copy_button.clicked.connect(lambda: self._print(customer_copy=True))
        self.submit_button.clicked.connect(self.submit)
        self.code.said.connect(self.message.setText)
        self.code.finished.connect(lambda confirmed: self._show_terms(pending=not confirmed))
        application.opened.connect(self._opened)
        application.facts_changed.connect(self._facts_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("New application"))
        self.start_button.setText(self.tr("&Start on the customer screen"))
        self.save_pdf_button.setText(self.tr("Save contract PDF…"))
        self.print_button.setText(self.tr("&Print contract"))
        self.copy_button.setText(self.tr("Print &customer copy"))
        self.submit_button.setText(self.tr("Send to the &lender"))
        self.code.retranslate()
        self._show_state(self.window_.stack.currentIndex() if self.window_ else 0)

    @property
    def application_id(self) -> uuid.UUID | None:
        return self.application.application_id

    @property
    def reference(self) -> str:
        return self.application.reference

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
            self.window_.code_entered.connect(self.code.entered)
            self.window_.progress.connect(lambda _state: self._show_state())
        if show:
            self.place_customer_window()
        return self.window_

    def place_customer_window(self) -> None:
        """Show the customer window full screen on the chosen display (or, with none chosen, on a display other
        than the staff window's), or fitted beside the staff window on a single display; the keyboard stays here."""
        from ui.customer_display.placement import place_customer_window

        assert self.window_ is not None
        place_customer_window(self.window_, self.controller.settings.customer_screen, self)

    def _show_state(self, _index: int | None = None) -> None:
        window = self.window_
        page = window.stack.currentWidget() if window else None
        facts = self.application.facts
        if facts is not None and facts.state not in (ApplicationState.DRAFT, *_BEFORE_SENDING):
            text = self._sent_text(facts.state)
        elif window is None or page is window.idle:
            text = (
                self.tr("Application {reference} is open.").format(reference=self.reference)
                if self.application_id
                else self.tr("No application is open. Start one: the customer gives their consents on their screen.")
            )
        elif page is window.consents_page:
            text = self.tr("The customer is reading the consents on their screen…")
        elif page is window.code_page:
            text = self.tr("Application {reference}: the customer is typing the code sent to their phone…").format(
                reference=self.reference
            )
        elif page is window.terms_page and window.confirmation_pending:
            text = self.tr(
                "Application {reference}: the customer is reading the terms and signing; the confirmation by SMS "
                "is pending (the lender will call the customer)."
            ).format(reference=self.reference)
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

    def _sent_text(self, state: ApplicationState) -> str:
        reference = self.reference
        if state is ApplicationState.QUEUED:
            return self.tr("Application {reference}: waiting to send.").format(reference=reference)
        if state in (ApplicationState.SUBMITTED, ApplicationState.REFERRED):
            return self.tr("Application {reference} is with the lender: the decision shows on the Sync page.").format(
                reference=reference
            )
        if state is ApplicationState.APPROVED:
            return self.tr("Application {reference} is approved: hand the goods over on the Delivery page.").format(
                reference=reference
            )
        return self.tr("Application {reference} is finished ({state}).").format(
            reference=reference, state=state_label(state)
        )

    # --- starting -------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Ask the customer for the first consents on their screen. With an application still being filled in,
        first ask whether to go on with it or put it aside in Drafts: nothing starts by accident."""
        facts = self.application.facts
        if self.application.is_open and facts is not None and facts.state in _BEFORE_SENDING:
            self._ask_put_aside()
            return
        self._start()

    def _ask_put_aside(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("An application is open"))
        box.setText(
            self.tr(
                "Application {reference} is not finished. Go on with it, or put it aside in Drafts (nothing is "
                "lost) and start a new one?"
            ).format(reference=self.reference)
        )
        go_on = box.addButton(self.tr("Go on with it"), QMessageBox.ButtonRole.RejectRole)
        new = box.addButton(self.tr("Put it aside and start a new one"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(go_on)  # Enter never starts over
        box.setEscapeButton(go_on)
        self.put_aside_box = box

        def answered(button: object) -> None:
            self.put_aside_box = None
            if button is new:
                self._start()
            else:
                self.continue_requested.emit()

        box.buttonClicked.connect(answered)
        box.open()

    def _start(self) -> None:
        # The previous customer's details must not wait on screen for this one, nor land in their application.
        self.start_requested.emit()
        self._forget_contract()
        self.message.clear()
        self.customer_window().ask_first_consents()
        self._show_state()
        if not self._reader_warm:  # while the customer reads the consents, not when the clerk scans the ID
            from app.scanning.ocr import warm_up

            self._reader_warm = True
            self.controller.run_io(warm_up, on_error=self.controller.log_background_error)

    def _first_consents_given(self, given: list[GivenConsent]) -> None:
        self.controller.call(self.consents.begin_application, given, on_done=self._started, on_error=self._start_failed)

    def _start_failed(self, error: BaseException) -> None:
        if self.window_ is not None and isinstance(error, FenqiError):
            self.window_.show_error(error.message)
            self.window_.ready_again()
        self._failed(error)

    def _started(self, started: StartedApplication) -> None:
        self.started.emit(started)
        assert self.window_ is not None
        self.window_.finish("started", started.reference)
        self._show_state()

    def _declined(self, kind: ConsentKind) -> None:
        assert self.window_ is not None
        self.controller.call(self.consents.record_declined, kind, on_error=self._failed)
        self.ended.emit()
        self.window_.finish("declined")
        self._show_state()

    # --- signing --------------------------------------------------------------------------------------------

    def send_for_signing(self, goods: str) -> None:
        """Fix the plan chosen on the plan page, for the purchase as recorded and the goods as described there,
        as the terms the customer will sign (begin_signing shows them)."""
        catalog, purchase, schedule = self.controller.catalog, self.application.purchase, self.application.plan
        application_id = self.application.application_id
        if application_id is None or catalog is None:
            self.message.setText(self.tr("Start an application first."))
            return
        if self._signing:
            self.message.setText(self.tr("The customer is signing the plan already sent; wait for them to finish."))
            return
        if purchase is None:
            self.message.setText(self.tr("Record the purchase first."))
            return
        if schedule is None:
            self.message.setText(self.tr("Choose a plan on the plan page first."))
            return
        if not goods.strip():
            self.message.setText(self.tr("Describe the goods first."))
            return
        from app.kernel.clock import store_today

        self.controller.call(
            self.contracts.choose_plan,
            application_id,
            catalog,
            purchase.product,
            goods.strip(),
            purchase.price,
            purchase.price - schedule.terms.principal,
            schedule.terms.term,
            store_today(self.controller.settings.store_time_zone),
            on_done=self._terms_ready,
            on_error=self._failed,
        )

    def _terms_ready(self, terms: dict[str, Any]) -> None:
        self.terms = terms
        self.progressed.emit()
        self.message.clear()
        window = self.window_
        if window is not None and window.stack.currentWidget() is window.terms_page and self._signing_begun:
            self._show_terms(window.confirmation_pending)  # a new plan while the customer reads the last one
        self._show_state()

    def begin_signing(self) -> None:
        """Begin signing the plan fixed for the open application (when the clerk goes on from verifying the
        customer). Online, a code goes to the customer's phone first and they type it on their screen; the terms
        and the signature pad follow — at once, with the confirmation pending, when the counter is offline or the
        lender cannot send an SMS, and whenever the clerk goes on without the code."""
        application_id = self.application.application_id
        if application_id is None:
            self.message.setText(self.tr("Start an application first."))
            return
        if self.signed is not None or self._signing:
            return
        if self._signing_begun == application_id:
            self.customer_window()  # under way already: the customer's screen comes back to the front
            return
        terms, contracts = self.terms, self.contracts
        if terms is None or terms.get("application_id") != str(application_id):  # the counter was reopened
            self.controller.call(
                lambda _actor: contracts.terms(application_id),
                on_done=lambda loaded: self._terms_loaded(application_id, loaded),
                on_error=self._failed,
            )
            return
        self._signing_begun = application_id
        customer = self.application.customer
        phone = mask_phone(customer.form.phone) if customer is not None else ""
        self.code.start(application_id, self.customer_window(), phone)
        self._show_state()

    def _terms_loaded(self, application_id: uuid.UUID, terms: dict[str, Any]) -> None:
        if application_id == self.application.application_id:
            self.terms = terms
            self.begin_signing()

    def _show_terms(self, pending: bool) -> None:
        """The terms to sign on the customer's screen, the product named in their language; `pending`: signed
        without a confirmed code (the customer is told the lender will call)."""
        terms = self.terms
        if terms is None:
            return
        catalog, code = self.controller.catalog, terms["product"]["code"]
        known = {product.code: product.names for product in catalog.products} if catalog is not None else {}
        self.customer_window().show_terms(terms, known.get(code), pending=pending)
        self._show_state()

    def _signing_done(self, given: list[GivenConsent], strokes: list[list[Point]], pad: SignaturePad) -> None:
        """Check the signature on the customer's screen at once, then render and sign in one trip off the GUI
        thread. The terms signed are the ones the customer's window showed, whatever the clerk does meanwhile."""
        from app.counter.contract import check_signature

        window, application_id = self.window_, self.application.application_id
        assert window is not None and application_id is not None and window.terms is not None
        try:
            check_signature(strokes, pad.width())
        except FenqiError as exc:
            window.show_error(exc.message)
            window.ready_again()
            return
        signature = Signature(
            application_id=application_id,
            terms=window.terms,
            given=given,
            strokes=strokes,
            pad_width=float(pad.width()),
            image=pad.image(),  # drawn here; encoded with the contract off the GUI thread (~30 ms as PNG)
            language=window.language,
            time_zone=self.controller.settings.store_time_zone,
        )
        self.message.clear()  # what the code came to stays in the state line; from now on the signing's outcome
        self._signing = True  # no new plan while this one is being signed
        consents, contracts, verification = self.consents, self.contracts, self.verification
        self.controller.call(
            lambda actor: sign_contract(actor, consents, contracts, verification, signature),
            on_done=self._signed,
            on_error=self._sign_failed,
        )

    def _signed(self, copy: SignedCopy) -> None:
        self.signed = copy
        self._signing = False
        assert self.window_ is not None
        self.window_.finish("signed", copy.signed.reference)
        for button in (self.save_pdf_button, self.print_button, self.copy_button, self.submit_button):
            button.setEnabled(True)
        self.submit_button.setFocus()  # Enter sends it
        self.progressed.emit()
        if copy.confirmation is None:
            self.message.setText(
                self.tr(
                    "Contract signed; its confirmation by SMS is pending, so the lender will call the customer. Send "
                    "it to the lender (Enter)."
                )
            )
        else:
            self.message.setText(self.tr("Contract signed. Send it to the lender (Enter)."))
        self._show_state()

    def _sign_failed(self, error: BaseException) -> None:
        self._signing = False
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

    def _opened(self, _resumed: bool) -> None:
        """Another application (or none) is open: nothing signed here belongs to it."""
        self._forget_contract()
        self.message.clear()
        self._show_state()

    def _facts_changed(self) -> None:
        facts = self.application.facts
        self.submit_button.setEnabled(facts is not None and facts.state is ApplicationState.SIGNED)
        self._show_state()

    def next_action(self) -> bool:
        """Enter sends a signed application to the lender."""
        if not self.submit_button.isEnabled():
            return False
        self.submit()
        return True

    def submit(self) -> None:
        """Queue the signed application for the lender: it goes with the next sync, at once when online."""
        application_id, submissions = self.application.application_id, self.submissions
        if application_id is None:
            return
        self.submit_button.setEnabled(False)
        self.controller.call(
            lambda actor: submissions.queue(actor, application_id),
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
        application_id, contracts = self.application.application_id, self.contracts
        assert application_id is not None

        def save(actor: Actor) -> Path:
            path.write_bytes(contracts.contract_pdf(application_id))
            contracts.record_output(actor, application_id, "saved")
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

    def print_to(self, printer: QPrinter, customer_copy: bool) -> None:
        """Print the contract (or the customer's copy, marked as such) on `printer`; noted in the audit log."""
        from app.counter.contract_document import contract_html
        from ui.contract_pdf import print_contract

        copy = self.signed
        if copy is None:
            return  # nothing signed to print (the buttons are off then)
        html = copy.html
        if customer_copy:
            zone = self.controller.settings.store_time_zone
            html = contract_html(
                copy.terms, copy.records, copy.signed_at, copy.language, zone, copy.confirmation, customer_copy=True
            )
        print_contract(html, copy.resources, printer)
        what = "copy_printed" if customer_copy else "printed"
        self.controller.call(self.contracts.record_output, copy.signed.application_id, what, on_error=self._failed)

    def _print(self, customer_copy: bool) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            self.print_to(printer, customer_copy)

    def _forget_contract(self) -> None:
        self.terms, self.signed = None, None
        self._signing = False
        self._signing_begun = None
        self.code.stop()
        self.submit_button.setEnabled(False)
        for button in (self.save_pdf_button, self.print_button, self.copy_button):
            button.setEnabled(False)

    def clear_sensitive(self) -> None:
        self._forget_contract()
        self.message.clear()
        if self.put_aside_box is not None:
            self.put_aside_box.reject()
        if self.window_ is not None:
            self.window_.pad.clear()
            self.window_.show_idle()
        self._show_state()

    def close_customer_window(self) -> None:
        """The counter application is closing."""
        if self.window_ is not None:
            self.window_.close_for_good()

