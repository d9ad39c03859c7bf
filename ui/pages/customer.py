"""The customer page: the details form beside the scan panel. A photo, a camera frame, a barcode or a scanner
burst fills the form; the clerk checks what is highlighted; Save keeps the details only if the application
holds the customer's first-moment consents (app/ refuses otherwise and nothing is written)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QWidget

from app.counter.evidence import EvidenceService
from app.counter.intake import CustomerIntake, SavedCustomer
from app.counter.returning import ReturningCustomers
from app.counter.reveal import RevealService, SavedCustomerForm
from app.domain.consent import ConsentKind
from app.domain.customer_form import check_customer_form
from app.kernel.errors import FenqiError
from app.scanning.payload import ScanResult
from app.wire.evidence import EvidenceKind
from ui.controller import Controller
from ui.open_application import CustomerOnScreen, OpenApplication
from ui.pages.base import Page
from ui.widgets.customer_form import FIELD_KEYS, CustomerFormWidget
from ui.widgets.returning_customer import ReturningCustomerBanner
from ui.widgets.scan_panel import ScanPanel


def _complete_mobile(text: str) -> bool:
    digits = text.strip().replace(" ", "")
    return len(digits) == 11 and digits.isdigit() and digits.startswith("1")


class CustomerServices(Protocol):
    """What the customer page works with (app.services.Services provides it)."""

    intake: CustomerIntake
    reveal: RevealService
    returning: ReturningCustomers
    evidence: EvidenceService


class CustomerPage(Page):
    """Customer details for the open application, filled by typing or scanning."""

    saved = Signal(object)  # SavedCustomer: the flow continues to the purchase
    edited = Signal(object)  # CustomerOnScreen: the details as they stand now (typed or scanned)
    id_image_kept = Signal(str, bytes)  # an ID photo (kind, JPEG) kept with the application

    def __init__(
        self,
        controller: Controller,
        services: CustomerServices,
        application: OpenApplication,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from app.kernel.clock import store_today

        self.controller = controller
        self.intake, self.reveal = services.intake, services.reveal
        self.services = services
        self.application_id: uuid.UUID | None = None
        # ID photos scanned and not yet kept: kept once the application holds the consents (kind → image).
        self.id_images: dict[str, bytes] = {}
        self.reference = ""
        self.missing: list[str] | None = None  # consent labels still needed; None = not asked yet
        self.consent_state = QLabel()
        self.consent_state.setObjectName("consentState")
        self.consent_state.setWordWrap(True)
        self.layout_.addWidget(self.consent_state)
        body = QHBoxLayout()
        self.form = CustomerFormWidget(store_today(controller.settings.store_time_zone))
        consented = lambda: self.application_id if self.missing == [] else None  # noqa: E731
        self.returning = ReturningCustomerBanner(controller, services.returning, self.form, consented, self)
        self.layout_.addWidget(self.returning)
        self.scroller = scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body.addWidget(scroll, 3)
        self.scan = ScanPanel(controller)
        body.addWidget(self.scan, 2)
        self.layout_.addLayout(body, 1)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        self.clear_button = QPushButton()
        self.save_button = QPushButton()
        self.save_button.setObjectName("primary")
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        self.layout_.addLayout(buttons)
        self.scan.scanned.connect(self.apply_scan)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear_form)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.form.reveal_requested.connect(self.reveal_id_number)
        self.form.changed.connect(self._edited)
        # Enter in a field (or a choice made) goes to the next field that still needs something; when nothing
        # does, it saves. A mobile number moves on by itself once it is complete.
        for key, editor in self.form.inputs.items():
            if isinstance(editor, QLineEdit):
                editor.returnPressed.connect(lambda k=key: QTimer.singleShot(0, lambda: self._enter(k)))
            else:
                editor.activated.connect(lambda _index, k=key: self._enter(k))
        for key in ("phone", "emergency_phone"):
            line = self.form.inputs[key]
            assert isinstance(line, QLineEdit)  # a text field, by the form's SECTIONS
            line.textEdited.connect(lambda text, k=key: self._enter(k) if _complete_mobile(text) else None)
        controller.signed_in.connect(lambda _actor: self._update_may_reveal())
        application.opened.connect(lambda resumed: self._opened(application, resumed))
        application.draft_restored.connect(self._restore)
        self._update_may_reveal()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Customer details"))
        self.save_button.setText(self.tr("&Save (Ctrl+S)"))
        self.clear_button.setText(self.tr("C&lear"))
        self._show_consent_state()

    # --- the open application --------------------------------------------------------------------------------

    def _opened(self, application: OpenApplication, resumed: bool) -> None:
        if application.application_id is None:
            self.clear_sensitive()
        elif resumed:
            self.clear_form()
            self.show_saved_customer(application.application_id, application.reference)
        else:
            self.set_application(application.application_id, application.reference)

    def _edited(self) -> None:
        self.edited.emit(CustomerOnScreen(self.form.form(), dict(self.form.cross_check)))

    def _restore(self, step: str, values: dict[str, str]) -> None:
        if step == "customer":
            self.form.set_values(values)

    def reveal_problems(self) -> None:
        """Mark every problem of the form (another step found the details incomplete)."""
        self.form.reveal_all()

    def values(self) -> dict[str, str]:
        """The details as typed, as text (what a draft keeps)."""
        return {key: str(value) for key, value in dataclasses.asdict(self.form.form()).items()}

    def set_application(self, application_id: uuid.UUID | None, reference: str = "") -> None:
        """Work on this application (the counter flow opens it once the customer screen has started it)."""
        self.application_id, self.reference, self.missing = application_id, reference, None
        self._show_consent_state()
        if application_id is not None:
            intake = self.intake
            self.controller.call(
                lambda _actor: intake.missing_consents(application_id),
                on_done=self._consents_known,
                on_error=self._failed,
            )

    def _consents_known(self, missing: list[ConsentKind]) -> None:
        from app.domain.consent import consent_label

        self.missing = [consent_label(kind) for kind in missing]
        self._show_consent_state()
        self.returning.recheck()
        self._keep_id_images()

    def _show_consent_state(self) -> None:
        if self.application_id is None:
            text = self.tr(
                "No application is open. The customer starts one on the customer screen by giving their "
                "consents; until then what is typed here stays on this screen and is not saved."
            )
        elif self.missing is None:
            text = self.tr("Application {reference}: checking the customer's consents…").format(
                reference=self.reference
            )
        elif self.missing:
            text = self.tr("Application {reference}: waiting for the customer's consent to {kinds}.").format(
                reference=self.reference, kinds="; ".join(self.missing)
            )
        else:
            text = self.tr("Application {reference}: the customer has given the consents needed.").format(
                reference=self.reference
            )
        self.consent_state.setText(text)

    # --- a saved customer, shown again with the ID number masked -----------------------------------------------

    def _update_may_reveal(self) -> None:
        from app.domain.roles import Permission

        self.form.set_may_reveal(self.controller.may(Permission.REVEAL_ID_NUMBER))

    def show_saved_customer(self, application_id: uuid.UUID, reference: str = "") -> None:
        """Open this application with its saved customer in the form (a resumed application): the ID number is
        shown masked, with Reveal for the store manager."""
        self.set_application(application_id, reference)
        self.controller.call(
            self.reveal.saved_form,
            application_id,
            on_done=lambda shown: self._show_saved(application_id, shown),
            on_error=self._failed,
        )

    def _show_saved(self, application_id: uuid.UUID, shown: SavedCustomerForm | None) -> None:
        if shown is None or application_id != self.application_id:
            return  # nothing saved yet, or another application was opened meanwhile
        self._update_may_reveal()
        self.form.show_saved(shown.form, shown.id_number_masked)

    def reveal_id_number(self) -> None:
        """Ask app/ for the full number (it checks the role and records the reveal in the audit log)."""
        if self.application_id is None or self.form.saved_id_number is None:
            return
        self.controller.call(
            self.reveal.reveal_id_number,
            self.application_id,
            on_done=self.form.show_revealed,
            on_error=self._reveal_failed,
        )

    def _reveal_failed(self, error: BaseException) -> None:
        if isinstance(error, FenqiError):
            self.notice.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.notice.setText(self.tr("The ID number could not be revealed; the error has been logged."))

    # --- scanning ---------------------------------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        """A wedge scanner's burst: recognised and put into the form, never typed into the focused field."""
        self.scan.show_text(text)

    def apply_scan(self, result: ScanResult) -> None:
        """Fill the form from what was read; the clerk checks the highlighted fields."""
        from app.scanning.form_fill import fill_from_scan

        fill = fill_from_scan(result)
        if result.document is not None and result.document_image is not None:
            self.id_images[result.document] = result.document_image
            self._keep_id_images()
        self.form.cross_check.update(fill.cross_check)
        if fill.values:
            self.form.set_values(fill.values, fill.doubtful)
        else:
            self._edited()  # what the scan read to check against changed
        self.notice.setText(fill.notice)
        self._enter(None)  # on to the first field the scan left to the clerk

    def _keep_id_images(self) -> None:
        """Keep the ID photos scanned with the application, off the GUI thread, once it holds the consents; a
        failure is said but never stops the form being filled."""
        application_id, evidence = self.application_id, self.services.evidence
        if application_id is None or self.missing != []:
            return  # nothing about the customer is kept before their consents
        images, self.id_images = self.id_images, {}
        for document, image in images.items():
            self._keep_id_image(evidence, application_id, EvidenceKind(document), image)

    def _keep_id_image(
        self, evidence: EvidenceService, application_id: uuid.UUID, kind: EvidenceKind, image: bytes
    ) -> None:
        def kept(_entry: object) -> None:
            if application_id == self.application_id:
                self.id_image_kept.emit(kind.value, image)

        self.controller.call(
            lambda actor: evidence.keep_id_image(actor, application_id, kind, image),
            on_done=kept,
            on_error=self._id_image_failed,
        )

    def _id_image_failed(self, error: BaseException) -> None:
        if isinstance(error, FenqiError):
            reason = error.message
        else:
            self.controller.log_background_error(error)
            reason = self.tr("the error has been logged")
        note = self.tr("The ID photo could not be kept with the application: {reason}").format(reason=reason)
        self.notice.setText(f"{self.notice.text()}\n{note}".strip())

    def _enter(self, after: str | None) -> None:
        """Focus the next field after `after` that still has a problem (wrapping round); save when none has."""
        from app.kernel.clock import store_today

        zone = self.controller.settings.store_time_zone
        problems = check_customer_form(self.form.form(), store_today(zone), self.form.cross_check or None)
        fields = [key for key in FIELD_KEYS if any(p.field == key for p in problems)]
        if not fields:
            if after is not None:
                self.save()
            return
        start = FIELD_KEYS.index(after) + 1 if after is not None else 0
        ordered = [key for key in FIELD_KEYS[start:] + FIELD_KEYS[:start] if key in fields]
        editor = self.form.inputs[ordered[0]]
        editor.setFocus()
        self.scroller.ensureWidgetVisible(editor)

    def next_action(self) -> bool:
        """Enter on the page (a choice list focused, or the page itself): the next field that needs something,
        or save."""
        focused = QApplication.focusWidget()
        after = next((key for key, editor in self.form.inputs.items() if editor is focused), None)
        self._enter(after)
        if after is None and not self.form.reveal_all():
            self.save()
        return True

    # --- saving -----------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Check everything; if it is right and the application may hold it, keep it (on the DB thread)."""
        if self.application_id is None:
            self.notice.setText(
                self.tr("Nothing was saved: no application is open, so the customer has not given consent yet.")
            )
            return
        if self.form.reveal_all():
            self.notice.setText(self.tr("Correct the marked fields, then save again."))
            return
        self.save_button.setEnabled(False)
        self.controller.call(
            self.intake.save,
            self.application_id,
            self.form.form(),
            dict(self.form.cross_check),
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, saved: SavedCustomer) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(saved)
        self.notice.setText(self.tr("Saved for application {reference}.").format(reference=saved.reference))

    def _failed(self, error: BaseException) -> None:
        from app.counter.intake import FormInvalid

        self.save_button.setEnabled(True)
        if isinstance(error, FormInvalid):
            self.form.show_problems(error.problems)
        if isinstance(error, FenqiError):
            self.notice.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.notice.setText(self.tr("Saving failed unexpectedly; it has been logged. Nothing was saved."))

    def clear_form(self) -> None:
        """Empty the form and the scan panel (the open application stays open)."""
        self.save_button.setEnabled(True)  # work dropped by a lock never reports back
        self.id_images = {}
        self.scan.clear_sensitive()
        self.form.clear()
        self.notice.clear()

    def clear_sensitive(self) -> None:
        self.clear_form()
        self.set_application(None)
