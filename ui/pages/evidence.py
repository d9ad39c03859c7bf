"""Verify: who signs is checked before the terms go to the customer. A live photo of the customer at the counter
(a camera frame, or a photo file where the PC has no camera) beside the ID photo scanned for this application,
the photo's check said in plain words; the repayment card checked with the bank through the lender as soon as the
page opens (ui/widgets/card_check.py). Continue (Enter) goes on to signing once a photo is kept and the card does
not block it. The rules are app/'s (app.counter.evidence, app.counter.verification); this page shows their answers.

Photos are shown from memory to the person filing the application while they file it; once it is sent, or after
the counter reopens, only the store manager sees them, through Reveal (audited by app/)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.counter.evidence import EvidenceEntry, EvidenceService, LivePhotoRefused
from app.counter.verification import VerificationService
from app.domain.application import EDITABLE_STATES, ApplicationState
from app.domain.roles import Permission
from app.kernel.errors import FenqiError
from app.scanning.face_check import FaceVerdict
from app.wire.evidence import ID_IMAGE_KINDS, EvidenceKind
from ui.camera import CameraSource, QtCameraSource, camera_available
from ui.controller import Controller
from ui.open_application import OpenApplication
from ui.pages.base import Page
from ui.translation import QT_TRANSLATE_NOOP
from ui.widgets.card_check import OK_STYLE, REFUSED_STYLE, WARN_STYLE, CardCheck

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
PHOTO_STYLE = "background: #263238; color: #eceff1; border-radius: 4px; padding: 8px;"


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
        self.camera_factory = camera_factory  # None: this PC has no camera, photos are chosen as files
        self.camera: CameraSource | None = None
        self._camera_here: bool | None = None  # whether a camera can be opened (asked when the page opens)
        self._last_frame: QImage | None = None
        self._pictures: dict[QLabel, QImage] = {}  # what each picture shows, unscaled (scaled again on resize)
        self.photo: bytes | None = None  # the live photo kept in this session, shown while filing
        self.revealed: dict[EvidenceKind, bytes] = {}  # shown to the store manager through Reveal
        self.items: list[EvidenceEntry] = []
        self.verdict: FaceVerdict | None = None
        self.refusal: str | None = None  # why the last photo was refused, in plain words
        self.checking_photo = False

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: #455a64;")
        self.layout_.addWidget(self.intro)
        photos = QGridLayout()
        photos.setHorizontalSpacing(24)
        photos.setVerticalSpacing(8)
        self.live_title, self.id_title = QLabel(), QLabel()
        self.preview, self.id_preview = QLabel(), QLabel()
        self.preview.setObjectName("livePhoto")
        self.id_preview.setObjectName("idPhoto")
        for column, (title, picture) in enumerate(((self.live_title, self.preview), (self.id_title, self.id_preview))):
            title.setObjectName("formSection")
            picture.setMinimumSize(200, 150)
            picture.setStyleSheet(PHOTO_STYLE)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setWordWrap(True)
            photos.addWidget(title, 0, column)
            photos.addWidget(picture, 1, column)
        live_row = QHBoxLayout()
        self.take_button = QPushButton()
        self.take_button.setObjectName("primary")
        self.choose_button = QPushButton()
        self.retake_button = QPushButton()
        for button in (self.take_button, self.choose_button, self.retake_button):
            live_row.addWidget(button)
        live_row.addStretch(1)
        photos.addLayout(live_row, 2, 0)
        id_row = QHBoxLayout()
        self.id_state = QLabel()
        self.id_state.setWordWrap(True)
        self.reveal_button = QPushButton()
        id_row.addWidget(self.id_state, 1)
        id_row.addWidget(self.reveal_button)
        photos.addLayout(id_row, 2, 1)
        self.photo_state = QLabel()
        self.photo_state.setObjectName("photoVerdict")
        self.photo_state.setWordWrap(True)
        photos.addWidget(self.photo_state, 3, 0, 1, 2)
        photos.setColumnStretch(0, 1)
        photos.setColumnStretch(1, 1)
        photos.setRowStretch(1, 1)
        self.layout_.addLayout(photos, 1)
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

        self.take_button.clicked.connect(self.take_photo)
        self.choose_button.clicked.connect(self._choose)
        self.retake_button.clicked.connect(self.retake)
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
        self.live_title.setText(self.tr("Live photo"))
        self.id_title.setText(self.tr("ID photo"))
        self.take_button.setText(self.tr("&Take photo"))
        self.choose_button.setText(self.tr("C&hoose photo…"))
        self.retake_button.setText(self.tr("&Retake"))
        self.reveal_button.setText(self.tr("Re&veal (audited)"))
        self.continue_button.setText(self.tr("&Continue to signing (Enter)"))
        for button in (self.take_button, self.choose_button, self.retake_button, self.continue_button):
            # The focus ring is a 2 px border where the size was measured with 1 px: room for it, not a cut letter.
            button.ensurePolished()
            button.setMinimumWidth(button.sizeHint().width() + 4)
        self._show_photo()
        self._show_id()

    # --- the open application ---------------------------------------------------------------------------------

    @property
    def application_id(self) -> uuid.UUID | None:
        return self.application.application_id

    def _state(self) -> ApplicationState | None:
        facts = self.application.facts
        return None if facts is None else facts.state

    def _filing(self) -> bool:
        """Still being filed: its photos may be shown from memory to the person filing it."""
        state = self._state()
        return state is not None and state in _FILING_STATES

    def _before_signing(self) -> bool:
        """The plan is fixed and the customer has not signed: photos are taken and the card checked now."""
        return self._state() is ApplicationState.QUOTED

    def _opened(self) -> None:
        """Another application (or none): nothing shown here belongs to it."""
        self._forget()
        if self.isVisible():
            self._arrive()

    def _facts_changed(self) -> None:
        facts = self.application.facts
        self.card.blocked_before = facts is not None and facts.card_blocks_signing
        self._show_photo()  # once sent, the photos in memory are no longer shown
        self._show_id()
        if self.isVisible():
            self._arrive()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._arrive(again=True)

    def hideEvent(self, event: QHideEvent) -> None:
        self.close_camera()  # the camera is on only while its picture is on screen
        super().hideEvent(event)

    def _arrive(self, again: bool = False) -> None:
        """The page is shown for the open application: what it holds is loaded, the camera opens for a photo still
        to take, and the card is checked (once; `again`, as the page opens, also after no answer last time)."""
        application_id = self.application_id
        if application_id is None or self.controller.actor is None:
            self._update()
            return
        if self._camera_here is None:
            self._camera_here = self.camera_factory is not None and (
                self.camera_factory is not QtCameraSource or camera_available()
            )
        self._load_items(application_id)
        before = self._before_signing()
        if before and self.photo is None and not self.checking_photo:
            self.open_camera()
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
            self._show_photo()
            self._show_id()

    def _kept(self, kind: EvidenceKind) -> bool:
        return any(item.kind == kind for item in self.items)

    # --- the live photo ---------------------------------------------------------------------------------------

    def has_camera(self) -> bool:
        """Whether photos are taken with a camera here (else they are chosen as files)."""
        return bool(self._camera_here) and self.camera_factory is not None

    def open_camera(self) -> None:
        """Show the camera's picture, ready to take the photo (no camera: the page offers a file instead)."""
        if self.camera is not None or self.camera_factory is None or not self.has_camera():
            self._show_photo()
            return
        try:
            self.camera = self.camera_factory()
        except Exception as exc:  # no multimedia back end on this PC: a file will do
            self._no_camera(self.tr("The camera cannot be opened: {reason}").format(reason=exc))
            return
        self.camera.frame.connect(self._frame)
        self.camera.failed.connect(
            lambda text: self._no_camera(self.tr("The camera stopped: {reason}").format(reason=text))
        )
        self.camera.start()
        self._show_photo()
        self._update()
        self.take_button.setFocus()  # Enter takes the photo

    def _no_camera(self, why: str) -> None:
        self.close_camera()
        self._camera_here = False
        self.message.setText(why + " " + self.tr("Choose a photo file instead."))
        self._show_photo()
        self._update()

    def close_camera(self) -> None:
        """Stop the camera and forget its last frame."""
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
        self.camera, self._last_frame = None, None
        self._show_photo()

    def _frame(self, image: QImage) -> None:
        if self.checking_photo:
            return  # the photo taken stays on screen while it is checked
        self._last_frame = image
        self._show_image(self.preview, image)
        self.take_button.setEnabled(True)

    def take_photo(self) -> None:
        """Check the camera's current frame and keep it if it shows the customer clearly (off the GUI thread)."""
        frame = self._last_frame
        if frame is None or self.checking_photo:
            return
        from ui.camera import to_jpeg

        taken = frame.copy()
        self._show_image(self.preview, taken)
        self._keep(lambda: to_jpeg(taken))

    def choose_file(self, path: Path) -> None:
        """Check the photo in `path` and keep it if it shows the customer clearly (read off the GUI thread)."""
        self._keep(path.read_bytes)

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose the customer's photo"), str(Path.home()), self.tr("Images (*.jpg *.jpeg *.png)")
        )
        if path:
            self.choose_file(Path(path))

    def _keep(self, image: Callable[[], bytes]) -> None:
        application_id, actor, evidence = self.application_id, self.controller.actor, self.evidence
        if application_id is None or actor is None:
            return
        self.checking_photo, self.refusal = True, None
        self.message.clear()

        def keep() -> tuple[bytes, FaceVerdict]:
            data = image()
            return data, evidence.keep_live_photo(actor, application_id, data)

        self._show_photo()
        self._update()
        # The face check takes a moment: on the I/O pool, not the database thread the clerk's saves wait on.
        self.controller.run_io(
            keep,
            on_done=lambda kept: self._photo_kept(application_id, *kept),
            on_error=lambda error: self._photo_refused(application_id, error),
        )

    def _photo_kept(self, application_id: uuid.UUID, data: bytes, verdict: FaceVerdict) -> None:
        if application_id != self.application_id:
            return
        self.checking_photo, self.photo, self.verdict = False, data, verdict
        self.close_camera()
        self._load_items(application_id)
        self.kept.emit()
        self._update()
        if self.continue_button.isEnabled():
            self.continue_button.setFocus()  # Enter goes on to signing

    def _photo_refused(self, application_id: uuid.UUID, error: BaseException) -> None:
        if application_id != self.application_id:
            return
        self.checking_photo = False
        if isinstance(error, LivePhotoRefused):
            # What is wrong and what to do, a line each, in plain words; the clerk retakes.
            self.refusal = "\n".join("• " + line for line in error.verdict.messages())
        elif isinstance(error, FenqiError):
            self.refusal = error.message
        else:
            self.controller.log_background_error(error)
            self.refusal = self.tr("The photo could not be checked; the error has been logged. Take it again.")
        self._show_photo()
        self._update()
        if self.take_button.isVisible():
            self.take_button.setFocus()

    def retake(self) -> None:
        """Take another photo: the camera opens again (the photo kept stays until another is kept)."""
        self.photo, self.verdict, self.refusal = None, None, None
        self.open_camera()
        self._show_photo()
        self._update()

    def _show_photo(self) -> None:
        if self.photo is not None and self._filing():
            self._show_bytes(self.preview, self.photo)
        elif EvidenceKind.LIVE_PHOTO in self.revealed:
            self._show_bytes(self.preview, self.revealed[EvidenceKind.LIVE_PHOTO])
        elif self._last_frame is None or self.camera is None:
            self._clear_picture(self.preview, self._photo_placeholder())
        if self.checking_photo:
            style, text = WARN_STYLE, self.tr("Checking the photo…")
        elif self.refusal is not None:
            style, text = REFUSED_STYLE, self.tr("Photo refused:") + "\n" + self.refusal
        elif self.verdict is not None and self.verdict.checked:
            style, text = OK_STYLE, self.tr("✓ Photo passed: one face, clear and light enough. It is kept.")
        elif self.verdict is not None:
            style, text = WARN_STYLE, " ".join(self.verdict.messages())  # kept unchecked, and the lender is told
        else:
            style, text = "", self._photo_hint()
        self.photo_state.setStyleSheet(style)
        self.photo_state.setText(text)

    def _photo_placeholder(self) -> str:
        if self._kept(EvidenceKind.LIVE_PHOTO):
            if self.controller.may(REVEAL) and not self._filing():
                return self.tr("A live photo is kept. Reveal shows it (the reveal is audited).")
            return self.tr("A live photo is kept with the application.")
        if not self._before_signing():
            return self.tr("No live photo")
        if self.has_camera():
            return self.tr("Opening the camera…")
        return self.tr("No camera on this PC: choose a photo of the customer taken here today.")

    def _photo_hint(self) -> str:
        if not self._before_signing() or self._kept(EvidenceKind.LIVE_PHOTO):
            return ""
        if self.has_camera():
            return self.tr("Ask the customer to look at the camera, face uncovered, then take the photo (Enter).")
        return self.tr("Choose a photo of the customer's face, taken here today.")

    # --- the ID photo -----------------------------------------------------------------------------------------

    def _show_id(self) -> None:
        shown = self._id_image()
        if shown is not None:
            self._show_bytes(self.id_preview, shown)
        else:
            self._clear_picture(self.id_preview, self._id_placeholder())
        kept = [kind for kind in ID_IMAGE_KINDS if self._kept(kind)]
        if kept:
            names = "  ".join("✓ " + QCoreApplication.translate("EvidencePage", KIND_LABELS[kind]) for kind in kept)
            self.id_state.setText(self.tr("Kept with the application: {kinds}").format(kinds=names))
        elif self.application_id is not None:
            self.id_state.setText(self.tr("None kept: scan the ID card on Customer details to keep its photo."))
        else:
            self.id_state.clear()
        self._update()

    def _id_image(self) -> bytes | None:
        if self._filing():
            for kind in _ID_SHOWN:
                if kind.value in self.application.id_images:
                    return self.application.id_images[kind.value]
        return next((self.revealed[kind] for kind in _ID_SHOWN if kind in self.revealed), None)

    def _id_placeholder(self) -> str:
        if any(self._kept(kind) for kind in ID_IMAGE_KINDS):
            if self.controller.may(REVEAL):
                return self.tr("The ID photo is kept. Reveal shows it (the reveal is audited).")
            return self.tr("The ID photo is kept with the application; the store manager can reveal it.")
        return self.tr("No ID photo")

    def reveal(self) -> None:
        """Show the kept ID photo and live photo: the store manager only (app/ checks the role and audits each)."""
        application_id, evidence = self.application_id, self.evidence
        if application_id is None:
            return
        id_kind = next((kind for kind in _ID_SHOWN if self._kept(kind)), None)
        live = EvidenceKind.LIVE_PHOTO if self._kept(EvidenceKind.LIVE_PHOTO) else None
        for kind in (id_kind, live):  # one ID side beside the live photo: what the comparison needs
            if kind is not None and kind not in self.revealed:
                self._reveal(evidence, application_id, kind)

    def _reveal(self, evidence: EvidenceService, application_id: uuid.UUID, kind: EvidenceKind) -> None:
        def revealed(image: bytes) -> None:
            if application_id == self.application_id:
                self.revealed[kind] = image
                self._show_id()
                self._show_photo()

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
        return self.photo is not None or self._kept(EvidenceKind.LIVE_PHOTO) or bool(facts and facts.has_live_photo)

    def may_continue(self) -> bool:
        """Whether the terms may go to the customer: a photo kept, the card not refused, no check running."""
        return (
            self._before_signing()
            and self.photo_kept()
            and not self.checking_photo
            and not self.card.checking
            and not self.card.blocks()
        )

    def continue_to_signing(self) -> None:
        """On to signing (what Enter does once the photo is kept and the card allows it)."""
        if not self.may_continue():
            self.message.setText(self._what_is_missing())
            return
        self.message.clear()
        self.close_camera()
        self.continue_requested.emit()

    def _what_is_missing(self) -> str:
        if not self._before_signing():
            return self.tr("Nothing to verify now: the customer is verified once the plan is fixed, before signing.")
        if self.checking_photo or self.card.checking:
            return self.tr("Wait for the check to finish.")
        if not self.photo_kept():
            return self.tr("Take a live photo of the customer first.")
        return self.tr("The bank refused the repayment card: type another card of the customer's and press Enter.")

    def next_action(self) -> bool:
        """Enter: on to signing when all is there; else take the photo (camera on), or say what is missing."""
        if not self._before_signing():
            return False
        if self.may_continue():
            self.continue_to_signing()
        elif not self.photo_kept() and self._last_frame is not None:
            self.take_photo()
        else:
            self.message.setText(self._what_is_missing())
        return True

    def _update(self) -> None:
        """Which controls apply now."""
        before = self._before_signing()
        taking = before and self.photo is None
        camera = self.has_camera()
        self.take_button.setVisible(taking and camera)
        self.take_button.setEnabled(self._last_frame is not None and not self.checking_photo)
        self.choose_button.setVisible(taking and not camera)
        self.choose_button.setEnabled(not self.checking_photo)
        self.retake_button.setVisible(before and self.photo is not None)
        hidden = [k for k in (*_ID_SHOWN, EvidenceKind.LIVE_PHOTO) if self._kept(k) and k not in self.revealed]
        shown_from_memory = self._filing() and (self.photo is not None or bool(self.application.id_images))
        self.reveal_button.setVisible(self.controller.may(REVEAL) and bool(hidden) and not shown_from_memory)
        self.card.setVisible(self.application_id is not None)
        self.continue_button.setVisible(before)
        self.continue_button.setEnabled(self.may_continue())

    # --- pictures ---------------------------------------------------------------------------------------------

    def _show_image(self, label: QLabel, image: QImage) -> None:
        self._pictures[label] = image
        size = label.contentsRect().size()
        scaled = QPixmap.fromImage(image).scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        label.setPixmap(scaled)

    def _show_bytes(self, label: QLabel, data: bytes) -> None:
        image = QImage.fromData(QByteArray(data))
        if image.isNull():
            self._clear_picture(label)
        else:
            self._show_image(label, image)

    def _clear_picture(self, label: QLabel, text: str = "") -> None:
        self._pictures.pop(label, None)
        label.clear()
        label.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for label, image in list(self._pictures.items()):
            self._show_image(label, image)

    # --- errors and forgetting --------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, FenqiError):
            self.message.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.message.setText(self.tr("Something went wrong; it has been logged."))

    def _forget(self) -> None:
        self.close_camera()
        self.photo, self.verdict, self.refusal, self.checking_photo = None, None, None, False
        self.items, self.revealed = [], {}
        self._pictures.clear()
        self.card.clear()
        self.message.clear()
        self._show_photo()
        self._show_id()

    def clear_sensitive(self) -> None:
        self._forget()
