"""Verify: who signs is checked before the terms go to the customer. A live photo of the customer at the counter
(ui/widgets/live_photo.py: a camera frame, or a photo file where the PC has no camera, its check said in plain
words) beside the ID photo scanned for this application; the repayment card checked with the bank through the
lender as soon as the page opens (ui/widgets/card_check.py). Continue (Enter) goes on to signing once a photo is
kept and the card does not block it. The rules are app/'s (app.counter.evidence, app.counter.verification); this
page shows their answers.

Photos are shown from memory to the person filing the application while they file it; once it is sent, or after
the counter reopens, only the store manager sees them, through Reveal (audited by app/)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.counter.evidence import EvidenceEntry, EvidenceService
from app.counter.verification import VerificationService
from app.domain.application import EDITABLE_STATES, ApplicationState
from app.domain.roles import Permission
from app.kernel.errors import FenqiError
from app.wire.evidence import ID_IMAGE_KINDS, EvidenceKind
from ui.camera import CameraSource, QtCameraSource
from ui.controller import Controller
from ui.open_application import OpenApplication
from ui.pages.base import Page
from ui.translation import QT_TRANSLATE_NOOP
from ui.widgets.card_check import CardCheck
from ui.widgets.live_photo import LivePhoto, Picture

# Until the application is sent, the person filing it sees its photos; afterwards only through Reveal.
_FILING_STATES = EDITABLE_STATES | {ApplicationState.SIGNED}
REVEAL = Permission.REVEAL_ID_NUMBER  # the store manager's: who may see a filed application's photos
# The ID photo shown beside the live photo: the side with the portrait first.
_ID_SHOWN = (EvidenceKind.ID_FRONT, EvidenceKind.PASSPORT, EvidenceKind.ID_BACK)
KIND_LABELS = {
    EvidenceKind.ID_FRONT: QT_TRANSLATE_NOOP("EvidencePage", "ID card front"),
    EvidenceKind.ID_BACK: QT_TRANSLATE_NOOP("EvidencePage", "ID card back"),
    EvidenceKind.PASSPORT: QT_TRANSLATE_NOOP("EvidencePage", "passport page"),
}


class EvidenceServices(Protocol):
    """What the page works with (app.services.Services provides it)."""

    evidence: EvidenceService
    verification: VerificationService


class EvidencePage(Page):
    """The live photo beside the ID photo, the photo's check, and the repayment card's check with the bank."""

    continue_requested = Signal()  # a photo is kept and the card does not block: on to signing
    kept = Signal()  # a photo was kept or the card checked: the flow's facts changed
    card_changed = Signal()  # the customer's repayment card was replaced by the one typed here

    def __init__(
        self,
        controller: Controller,
        services: EvidenceServices,
        application: OpenApplication,
        camera_factory: Callable[[], CameraSource] | None = QtCameraSource,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.evidence = services.evidence
        self.application = application
        self.revealed: dict[EvidenceKind, bytes] = {}  # shown to the store manager through Reveal
        self.items: list[EvidenceEntry] = []

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: #455a64;")
        self.layout_.addWidget(self.intro)
        self.live = LivePhoto(controller, services.evidence, self, camera_factory)
        self.id_title = QLabel()
        self.id_title.setObjectName("formSection")
        self.id_preview = Picture()
        self.id_preview.setObjectName("idPhoto")
        id_row = QHBoxLayout()
        self.id_state = QLabel()
        self.id_state.setWordWrap(True)
        self.reveal_button = QPushButton()
        id_row.addWidget(self.id_state, 1)
        id_row.addWidget(self.reveal_button)
        self.live.place_beside(self.id_title, self.id_preview, id_row)
        self.layout_.addWidget(self.live, 1)
        self.card = CardCheck(controller, services.verification, lambda: self.application.application_id)
        self.layout_.addWidget(self.card)
        bottom = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        bottom.addWidget(self.message, 1)
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("primary")
        bottom.addWidget(self.continue_button)
        self.layout_.addLayout(bottom)

        self.live.changed.connect(self._update)
        self.live.kept.connect(self._live_photo_kept)
        self.live.said.connect(self.message.setText)
        self.reveal_button.clicked.connect(self.reveal)
        self.continue_button.clicked.connect(self.continue_to_signing)
        self.card.changed.connect(self._card_answered)
        self.card.card_changed.connect(self.card_changed.emit)
        application.opened.connect(lambda _resumed: self._opened())
        application.facts_changed.connect(self._facts_changed)
        application.id_images_changed.connect(self._show_id)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Verify the customer"))
        self.intro.setText(
            self.tr(
                "Take a photo of the customer here at the counter and compare it with the ID photo; the bank checks "
                "the repayment card. Then the customer reads and signs the terms."
            )
        )
        self.id_title.setText(self.tr("ID photo"))
        self.reveal_button.setText(self.tr("Re&veal (audited)"))
        self.continue_button.setText(self.tr("&Continue to signing (Enter)"))
        # The focus ring is a 2 px border where the size was measured with 1 px: room for it, not a cut letter.
        self.continue_button.ensurePolished()
        self.continue_button.setMinimumWidth(self.continue_button.sizeHint().width() + 4)
        self._show_id()

    # --- the open application ---------------------------------------------------------------------------------

    @property
    def application_id(self) -> uuid.UUID | None:
        return self.application.application_id

    def _state(self) -> ApplicationState | None:
        facts = self.application.facts
        return None if facts is None else facts.state

    def filing(self) -> bool:
        """Still being filed: its photos may be shown from memory to the person filing it."""
        state = self._state()
        return state is not None and state in _FILING_STATES

    def before_signing(self) -> bool:
        """The plan is fixed and the customer has not signed: photos are taken and the card checked now."""
        return self._state() is ApplicationState.QUOTED

    def may_reveal(self) -> bool:
        """Whether the person signed in may see a filed application's photos (app/ checks again and audits)."""
        return self.controller.may(REVEAL)

    def is_kept(self, kind: EvidenceKind) -> bool:
        """Whether the open application holds a document of `kind` (as last loaded)."""
        return any(item.kind == kind for item in self.items)

    def _opened(self) -> None:
        """Another application (or none): nothing shown here belongs to it."""
        self._forget()
        if self.isVisible():
            self._arrive()

    def _facts_changed(self) -> None:
        facts = self.application.facts
        self.card.blocked_before = facts is not None and facts.card_blocks_signing
        self.live.refresh()  # once sent, the photos in memory are no longer shown
        self._show_id()
        if self.isVisible():
            self._arrive()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._arrive(again=True)

    def hideEvent(self, event: QHideEvent) -> None:
        self.live.close_camera()  # the camera is on only while its picture is on screen
        super().hideEvent(event)

    def _arrive(self, again: bool = False) -> None:
        """The page is shown for the open application: what it holds is loaded, the camera opens for a photo still
        to take, and the card is checked (once; `again`, as the page opens, also after no answer last time)."""
        application_id = self.application_id
        if application_id is None or self.controller.actor is None:
            self._update()
            return
        self._load_items(application_id)
        before = self.before_signing()
        self.live.arrive(before)
        customer = self.application.customer
        self.card.check_once("" if customer is None else customer.form.bank_card, before, again)
        self._update()

    def _load_items(self, application_id: uuid.UUID) -> None:
        evidence = self.evidence
        self.controller.call(
            lambda _actor: evidence.items(application_id),
            on_done=lambda items: self._items_loaded(application_id, items),
            on_error=self._failed,
        )

    def _items_loaded(self, application_id: uuid.UUID, items: list[EvidenceEntry]) -> None:
        if application_id == self.application_id:
            self.items = items
            self.live.refresh()
            self._show_id()

    def _live_photo_kept(self) -> None:
        application_id = self.application_id
        if application_id is not None:
            self._load_items(application_id)
        self.kept.emit()
        self._update()
        if self.continue_button.isEnabled():
            self.continue_button.setFocus()  # Enter goes on to signing

    # --- the ID photo -----------------------------------------------------------------------------------------

    def _show_id(self) -> None:
        shown = self._id_image()
        if shown is not None:
            self.id_preview.show_bytes(shown)
        else:
            self.id_preview.show_text(self._id_placeholder())
        kept = [kind for kind in ID_IMAGE_KINDS if self.is_kept(kind)]
        if kept:
            names = "  ".join("✓ " + QCoreApplication.translate("EvidencePage", KIND_LABELS[kind]) for kind in kept)
            self.id_state.setText(self.tr("Kept with the application: {kinds}").format(kinds=names))
        elif self.application_id is not None:
            self.id_state.setText(self.tr("None kept: scan the ID card on Customer details to keep its photo."))
        else:
            self.id_state.clear()
        self._update()

    def _id_image(self) -> bytes | None:
        if self.filing():
            for kind in _ID_SHOWN:
                if kind.value in self.application.id_images:
                    return self.application.id_images[kind.value]
        return next((self.revealed[kind] for kind in _ID_SHOWN if kind in self.revealed), None)

    def _id_placeholder(self) -> str:
        if any(self.is_kept(kind) for kind in ID_IMAGE_KINDS):
            if self.may_reveal():
                return self.tr("The ID photo is kept. Reveal shows it (the reveal is audited).")
            return self.tr("The ID photo is kept with the application; the store manager can reveal it.")
        return self.tr("No ID photo")

    def reveal(self) -> None:
        """Show the kept ID photo and live photo: the store manager only (app/ checks the role and audits each)."""
        application_id, evidence = self.application_id, self.evidence
        if application_id is None:
            return
        id_kind = next((kind for kind in _ID_SHOWN if self.is_kept(kind)), None)
        live = EvidenceKind.LIVE_PHOTO if self.is_kept(EvidenceKind.LIVE_PHOTO) else None
        for kind in (id_kind, live):  # one ID side beside the live photo: what the comparison needs
            if kind is not None and kind not in self.revealed:
                self._reveal(evidence, application_id, kind)

    def _reveal(self, evidence: EvidenceService, application_id: uuid.UUID, kind: EvidenceKind) -> None:
        def revealed(image: bytes) -> None:
            if application_id == self.application_id:
                self.revealed[kind] = image
                self._show_id()
                self.live.refresh()

        self.controller.call(
            lambda actor: evidence.reveal(actor, application_id, kind), on_done=revealed, on_error=self._failed
        )

    # --- going on ---------------------------------------------------------------------------------------------

    def _card_answered(self) -> None:
        if not self.card.checking:
            self.kept.emit()  # the bank's answer is a fact of the flow now
        self._update()
        if not self.card.checking and self.continue_button.isEnabled():
            self.continue_button.setFocus()

    def photo_kept(self) -> bool:
        """A live photo is kept with the application (taken now, or before)."""
        facts = self.application.facts
        kept_here = self.live.photo is not None or self.is_kept(EvidenceKind.LIVE_PHOTO)
        return kept_here or bool(facts and facts.has_live_photo)

    def may_continue(self) -> bool:
        """Whether the terms may go to the customer: a photo kept, the card not refused, no check running."""
        return (
            self.before_signing()
            and self.photo_kept()
            and not self.live.checking_photo
            and not self.card.checking
            and not self.card.blocks()
        )

    def continue_to_signing(self) -> None:
        """On to signing (what Enter does once the photo is kept and the card allows it)."""
        if not self.may_continue():
            self.message.setText(self._what_is_missing())
            return
        self.message.clear()
        self.live.close_camera()
        self.continue_requested.emit()

    def _what_is_missing(self) -> str:
        if not self.before_signing():
            return self.tr("Nothing to verify now: the customer is verified once the plan is fixed, before signing.")
        if self.live.checking_photo or self.card.checking:
            return self.tr("Wait for the check to finish.")
        if not self.photo_kept():
            return self.tr("Take a live photo of the customer first.")
        return self.tr("The bank refused the repayment card: type another card of the customer's and press Enter.")

    def next_action(self) -> bool:
        """Enter: on to signing when all is there; else take the photo (camera on), or say what is missing."""
        if not self.before_signing():
            return False
        if self.may_continue():
            self.continue_to_signing()
        elif not self.photo_kept() and self.live.has_frame():
            self.live.take_photo()
        else:
            self.message.setText(self._what_is_missing())
        return True

    def _update(self) -> None:
        """Which controls apply now."""
        before = self.before_signing()
        self.live.update_controls()
        hidden = [k for k in (*_ID_SHOWN, EvidenceKind.LIVE_PHOTO) if self.is_kept(k) and k not in self.revealed]
        shown_from_memory = self.filing() and (self.live.photo is not None or bool(self.application.id_images))
        self.reveal_button.setVisible(self.may_reveal() and bool(hidden) and not shown_from_memory)
        self.card.setVisible(self.application_id is not None)
        self.continue_button.setVisible(before)
        self.continue_button.setEnabled(self.may_continue())

    # --- errors and forgetting --------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, FenqiError):
            self.message.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.message.setText(self.tr("Something went wrong; it has been logged."))

    def _forget(self) -> None:
        self.items, self.revealed = [], {}
        self.live.forget()
        self.card.clear()
        self.message.clear()
        self._show_id()

    def clear_sensitive(self) -> None:
        self._forget()
