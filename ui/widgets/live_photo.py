"""The live photo of the customer at the counter, for the Verify page (ui/pages/evidence.py): the camera's picture,
or a photo file where the PC has no camera; Take, Choose and Retake; the face check's answer in plain words
(app.counter.evidence checks and keeps the photo). The page says when a photo is taken and what the application
holds (PhotoPage); the ID photo it is compared with sits beside it, the check's answer under both (place_beside).
Picture: a photo shown as large as its label allows, for the live photo and the ID photo alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFileDialog, QGridLayout, QHBoxLayout, QLabel, QLayout, QPushButton, QWidget

from app.counter.evidence import EvidenceService, LivePhotoRefused
from app.kernel.errors import FenqiError
from app.scanning.face_check import FaceVerdict
from app.wire.evidence import EvidenceKind
from ui.camera import CameraSource, QtCameraSource, camera_available
from ui.controller import Controller
from ui.widgets.card_check import OK_STYLE, REFUSED_STYLE, WARN_STYLE

PHOTO_STYLE = "background: #263238; color: #eceff1; border-radius: 4px; padding: 8px;"


class Picture(QLabel):
    """A photo shown whole and as large as the label allows (scaled again whenever the label is resized: the
    picture row shrinks when a longer check answer or the card's field takes room below it), or a text in its
    place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None  # what is shown, unscaled
        self.setMinimumSize(200, 150)
        self.setStyleSheet(PHOTO_STYLE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)

    def show_image(self, image: QImage) -> None:
        """Show `image`, scaled to fit the label with its proportions kept."""
        self.image = image
        scaled = QPixmap.fromImage(image).scaled(
            self.contentsRect().size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.setPixmap(scaled)

    def show_bytes(self, data: bytes) -> None:
        """Show the picture encoded in `data` (JPEG, PNG); nothing when it cannot be read."""
        image = QImage.fromData(QByteArray(data))
        if image.isNull():
            self.show_text()
        else:
            self.show_image(image)

    def show_text(self, text: str = "") -> None:
        """Show `text` (or nothing) where the picture was."""
        self.image = None
        self.clear()
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.image is not None:
            self.show_image(self.image)


class PhotoPage(Protocol):
    """What the live photo asks of the page it is on, each time it is shown (the flow's rules are the page's)."""

    revealed: dict[EvidenceKind, bytes]  # kept photos shown to the store manager through Reveal

    @property
    def application_id(self) -> uuid.UUID | None: ...

    def before_signing(self) -> bool: ...  # a photo is taken now

    def filing(self) -> bool: ...  # the photo taken now may be shown from memory

    def is_kept(self, kind: EvidenceKind) -> bool: ...  # the application holds a document of `kind`

    def may_reveal(self) -> bool: ...  # the person signed in may see a filed application's photos


class LivePhoto(QWidget):
    """The camera's picture or the photo kept, the buttons that take it, and the face check's answer."""

    changed = Signal()  # a check began or ended, the camera opened or closed: what the page allows may change
    kept = Signal()  # a photo was kept with the open application
    said = Signal(str)  # for the page's message line ("" clears it)

    def __init__(
        self,
        controller: Controller,
        evidence: EvidenceService,
        page: PhotoPage,
        camera_factory: Callable[[], CameraSource] | None = QtCameraSource,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.evidence = evidence
        self.page = page
        self.camera_factory = camera_factory  # None: this PC has no camera, photos are chosen as files
        self.camera: CameraSource | None = None
        self._camera_here: bool | None = None  # whether a camera can be opened (asked when the page opens)
        self._last_frame: QImage | None = None
        self.photo: bytes | None = None  # the live photo kept in this session, shown while filing
        self.verdict: FaceVerdict | None = None
        self.refusal: str | None = None  # why the last photo was refused, in plain words
        self.checking_photo = False

        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("formSection")
        self.preview = Picture()
        self.preview.setObjectName("livePhoto")
        self.grid.addWidget(self.title, 0, 0)
        self.grid.addWidget(self.preview, 1, 0)
        row = QHBoxLayout()
        self.take_button = QPushButton()
        self.take_button.setObjectName("primary")
        self.choose_button = QPushButton()
        self.retake_button = QPushButton()
        for button in (self.take_button, self.choose_button, self.retake_button):
            row.addWidget(button)
        row.addStretch(1)
        self.grid.addLayout(row, 2, 0)
        self.state = QLabel()
        self.state.setObjectName("photoVerdict")
        self.state.setWordWrap(True)
        self.grid.addWidget(self.state, 3, 0, 1, 2)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(1, 1)

        self.take_button.clicked.connect(self.take_photo)
        self.choose_button.clicked.connect(self._choose)
        self.retake_button.clicked.connect(self.retake)
        self.retranslate()

    def place_beside(self, title: QWidget, picture: QWidget, below: QLayout) -> None:
        """Put the photo it is compared with beside it, row for row (title, picture, what is below the picture),
        so both pictures have one size; the check's answer runs under both."""
        self.grid.addWidget(title, 0, 1)
        self.grid.addWidget(picture, 1, 1)
        self.grid.addLayout(below, 2, 1)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible text in the current language."""
        self.title.setText(self.tr("Live photo"))
        self.take_button.setText(self.tr("&Take photo"))
        self.choose_button.setText(self.tr("C&hoose photo…"))
        self.retake_button.setText(self.tr("&Retake"))
        for button in (self.take_button, self.choose_button, self.retake_button):
            # The focus ring is a 2 px border where the size was measured with 1 px: room for it, not a cut letter.
            button.ensurePolished()
            button.setMinimumWidth(button.sizeHint().width() + 4)
        self.refresh()

    # --- the camera -------------------------------------------------------------------------------------------

    def use_camera(self, camera_factory: Callable[[], CameraSource] | None) -> None:
        """Take photos with the cameras `camera_factory` makes (None: photos are chosen as files); whether one
        can be opened is asked again when the page opens."""
        self.camera_factory, self._camera_here = camera_factory, None

    def has_camera(self) -> bool:
        """Whether photos are taken with a camera here (else they are chosen as files)."""
        return bool(self._camera_here) and self.camera_factory is not None

    def has_frame(self) -> bool:
        """Whether the camera's picture is on screen, ready to be taken."""
        return self._last_frame is not None

    def arrive(self, taking: bool) -> None:
        """The page opened for the open application: whether a camera is here is asked (once); with `taking` (a
        photo is taken now), the camera opens unless a photo is kept in this session or being checked."""
        if self._camera_here is None:
            self._camera_here = self.camera_factory is not None and (
                self.camera_factory is not QtCameraSource or camera_available()
            )
        if taking and self.photo is None and not self.checking_photo:
            self.open_camera()

    def open_camera(self) -> None:
        """Show the camera's picture, ready to take the photo (no camera: a file is offered instead)."""
        if self.camera is not None or self.camera_factory is None or not self.has_camera():
            self.refresh()
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
        self.refresh()
        self._changed()
        self.take_button.setFocus()  # Enter takes the photo

    def _no_camera(self, why: str) -> None:
        self.close_camera()
        self._camera_here = False
        self.said.emit(why + " " + self.tr("Choose a photo file instead."))
        self.refresh()
        self._changed()

    def close_camera(self) -> None:
        """Stop the camera and forget its last frame."""
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
        self.camera, self._last_frame = None, None
        self.refresh()

    def _frame(self, image: QImage) -> None:
        if self.checking_photo:
            return  # the photo taken stays on screen while it is checked
        self._last_frame = image
        self.preview.show_image(image)
        self.take_button.setEnabled(True)

    # --- taking the photo -------------------------------------------------------------------------------------

    def take_photo(self) -> None:
        """Check the camera's current frame and keep it if it shows the customer clearly (off the GUI thread)."""
        frame = self._last_frame
        if frame is None or self.checking_photo:
            return
        from ui.camera import to_jpeg

        taken = frame.copy()
        self.preview.show_image(taken)
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
        application_id, actor, evidence = self.page.application_id, self.controller.actor, self.evidence
        if application_id is None or actor is None:
            return
        self.checking_photo, self.refusal = True, None
        self.said.emit("")

        def keep() -> tuple[bytes, FaceVerdict]:
            data = image()
            return data, evidence.keep_live_photo(actor, application_id, data)

        self.refresh()
        self._changed()
        # The face check takes a moment: on the I/O pool, not the database thread the clerk's saves wait on.
        self.controller.run_io(
            keep,
            on_done=lambda kept: self._photo_kept(application_id, *kept),
            on_error=lambda error: self._photo_refused(application_id, error),
        )

    def _photo_kept(self, application_id: uuid.UUID, data: bytes, verdict: FaceVerdict) -> None:
        if application_id != self.page.application_id:
            return
        self.checking_photo, self.photo, self.verdict = False, data, verdict
        self.close_camera()
        self.update_controls()
        self.kept.emit()

    def _photo_refused(self, application_id: uuid.UUID, error: BaseException) -> None:
        if application_id != self.page.application_id:
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
        self.refresh()
        self._changed()
        if self.take_button.isVisible():
            self.take_button.setFocus()

    def retake(self) -> None:
        """Take another photo: the camera opens again (the photo kept stays until another is kept)."""
        self.photo, self.verdict, self.refusal = None, None, None
        self.open_camera()
        self.refresh()
        self._changed()

    def forget(self) -> None:
        """Another application, or the counter locks: the camera stops and the photo and its check are forgotten."""
        self.close_camera()
        self.photo, self.verdict, self.refusal, self.checking_photo = None, None, None, False
        self.refresh()

    # --- what is shown ----------------------------------------------------------------------------------------

    def _changed(self) -> None:
        self.update_controls()
        self.changed.emit()

    def update_controls(self) -> None:
        """Which of its buttons apply now."""
        before = self.page.before_signing()
        taking = before and self.photo is None
        camera = self.has_camera()
        self.take_button.setVisible(taking and camera)
        self.take_button.setEnabled(self._last_frame is not None and not self.checking_photo)
        self.choose_button.setVisible(taking and not camera)
        self.choose_button.setEnabled(not self.checking_photo)
        self.retake_button.setVisible(before and self.photo is not None)

    def refresh(self) -> None:
        """Show the photo (or what stands in its place) and its check as they stand now."""
        page = self.page
        if self.photo is not None and page.filing():
            self.preview.show_bytes(self.photo)
        elif EvidenceKind.LIVE_PHOTO in page.revealed:
            self.preview.show_bytes(page.revealed[EvidenceKind.LIVE_PHOTO])
        elif self._last_frame is None or self.camera is None:
            self.preview.show_text(self._placeholder())
        if self.checking_photo:
            style, text = WARN_STYLE, self.tr("Checking the photo…")
        elif self.refusal is not None:
            style, text = REFUSED_STYLE, self.tr("Photo refused:") + "\n" + self.refusal
        elif self.verdict is not None and self.verdict.checked:
            style, text = OK_STYLE, self.tr("✓ Photo passed: one face, clear and light enough. It is kept.")
        elif self.verdict is not None:
            style, text = WARN_STYLE, " ".join(self.verdict.messages())  # kept unchecked, and the lender is told
        else:
            style, text = "", self._hint()
        self.state.setStyleSheet(style)
        self.state.setText(text)

    def _placeholder(self) -> str:
        page = self.page
        if page.is_kept(EvidenceKind.LIVE_PHOTO):
            if page.may_reveal() and not page.filing():
                return self.tr("A live photo is kept. Reveal shows it (the reveal is audited).")
            return self.tr("A live photo is kept with the application.")
        if not page.before_signing():
            return self.tr("No live photo")
        if self.has_camera():
            return self.tr("Opening the camera…")
        return self.tr("No camera on this PC: choose a photo of the customer taken here today.")

    def _hint(self) -> str:
        if not self.page.before_signing() or self.page.is_kept(EvidenceKind.LIVE_PHOTO):
            return ""
        if self.has_camera():
            return self.tr("Ask the customer to look at the camera, face uncovered, then take the photo (Enter).")
        return self.tr("Choose a photo of the customer's face, taken here today.")
