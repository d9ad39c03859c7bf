"""Reading an identity document into the customer page: open a photo (ID card, passport page, barcode), capture
a camera frame, or take a wedge scanner's burst; every field read is listed with how sure the reader is and
whether it checks out, doubtful ones highlighted. Reading a photo takes about a second, so it runs off the GUI
thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.kernel.errors import FenqiError
from app.scanning.form_fill import doubtful_fields
from app.scanning.payload import ScanResult
from app.scanning.readers import IdReader
from ui.camera import CameraSource, QtCameraSource, camera_available
from ui.controller import Controller
from ui.translation import QT_TRANSLATE_NOOP

FIELD_LABELS = {
    "name": QT_TRANSLATE_NOOP("ScanFields", "Name"),
    "sex": QT_TRANSLATE_NOOP("ScanFields", "Sex"),
    "ethnicity": QT_TRANSLATE_NOOP("ScanFields", "Ethnicity"),
    "birth_date": QT_TRANSLATE_NOOP("ScanFields", "Birth date"),
    "address": QT_TRANSLATE_NOOP("ScanFields", "Address"),
    "id_number": QT_TRANSLATE_NOOP("ScanFields", "ID number"),
    "issuing_authority": QT_TRANSLATE_NOOP("ScanFields", "Issuing authority"),
    "valid_from": QT_TRANSLATE_NOOP("ScanFields", "Valid from"),
    "valid_until": QT_TRANSLATE_NOOP("ScanFields", "Valid until"),
    "document_number": QT_TRANSLATE_NOOP("ScanFields", "Document number"),
    "surname": QT_TRANSLATE_NOOP("ScanFields", "Surname"),
    "given_names": QT_TRANSLATE_NOOP("ScanFields", "Given names"),
    "nationality": QT_TRANSLATE_NOOP("ScanFields", "Nationality"),
    "expiry_date": QT_TRANSLATE_NOOP("ScanFields", "Expiry date"),
    "payload": QT_TRANSLATE_NOOP("ScanFields", "Content"),
}
KIND_LABELS = {
    "id_card_front": QT_TRANSLATE_NOOP("ScanFields", "ID card, front"),
    "id_card_back": QT_TRANSLATE_NOOP("ScanFields", "ID card, back"),
    "id_card_chip": QT_TRANSLATE_NOOP("ScanFields", "ID card chip"),
    "passport": QT_TRANSLATE_NOOP("ScanFields", "Passport"),
    "barcode": QT_TRANSLATE_NOOP("ScanFields", "Barcode"),
    "id_number": QT_TRANSLATE_NOOP("ScanFields", "ID number"),
    "imei": QT_TRANSLATE_NOOP("ScanFields", "IMEI"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("ScanFields", text)


class ScanPanel(QWidget):
    """Open a photo, capture a camera frame, or scan with a wedge scanner; the fields read are listed and
    `scanned` carries them to whoever fills a form."""

    scanned = Signal(object)  # ScanResult

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.result: ScanResult | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.open_button = QPushButton()
        self.open_button.setObjectName("primary")
        row.addWidget(self.open_button)
        self.camera_button = QPushButton()
        self.capture_button = QPushButton()
        self.reader_button = QPushButton()
        self.reader_button.hide()
        self.reader: IdReader | None = None  # a vendor card reader, when store IT has set one up
        self.capture_button.hide()
        row.addWidget(self.camera_button)
        row.addWidget(self.capture_button)
        row.addWidget(self.reader_button)
        self.state = QLabel()
        row.addWidget(self.state, 1)
        self.layout_.addLayout(row)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #455a64;")
        self.layout_.addWidget(self.hint)
        self.preview = QLabel()
        self.preview.setObjectName("cameraPreview")
        self.preview.setMinimumHeight(200)
        self.preview.setStyleSheet("background: #263238; qproperty-alignment: AlignCenter;")
        self.preview.hide()
        self.layout_.addWidget(self.preview)
        self.camera: CameraSource | None = None
        self.camera_factory: Callable[[], CameraSource] = QtCameraSource
        self._last_frame: QImage | None = None
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("scanFields")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the value gets the room
        # A long value (an address) wraps onto more lines instead of being cut; each row is as high as it needs.
        # A word too long for any line still ends in "…", and every row's tooltip holds the whole value.
        self.table.setWordWrap(True)
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())  # one line keeps the usual height
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The photo dialog opens where the last photo came from (for as long as the application runs).
        self.photo_folder: Path | None = None
        self.layout_.addWidget(self.table, 1)
        self.open_button.clicked.connect(self._open)
        self.reader_button.clicked.connect(self.read_card)
        self.camera_button.clicked.connect(self.toggle_camera)
        self.capture_button.clicked.connect(self.capture)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Open &photos…"))
        self.camera_button.setText(self.tr("Close &camera") if self.camera else self.tr("&Camera"))
        self.capture_button.setText(self.tr("Cap&ture"))
        self.reader_button.setText(self.tr("Read card (&R)"))
        self.hint.setText(
            self.tr(
                "Open a photo of either side of the ID card, a passport's data page or a barcode, "
                "or use the scanner. Highlighted fields need checking against the document."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Value"), self.tr("Certainty"), self.tr("Check")]
        )
        if self.result is not None:
            self.show_result(self.result)

    # --- camera ---------------------------------------------------------------------------------------------------

    def toggle_camera(self) -> None:
        """Open the camera's live preview, or close it."""
        if self.camera is not None:
            self.close_camera()
            return
        if self.camera_factory is QtCameraSource and not camera_available():
            self.state.setText(self.tr("No camera was found on this PC: open a photo instead."))
            return
        try:
            self.camera = self.camera_factory()
        except Exception as exc:  # no multimedia back end on this PC
            self.state.setText(self.tr("The camera cannot be opened: {reason}").format(reason=exc))
            return
        self.camera.frame.connect(self._frame)
        self.camera.failed.connect(lambda text: self.state.setText(text))
        self.preview.show()
        self.capture_button.show()
        self.camera.start()
        self.retranslate()

    def close_camera(self) -> None:
        """Stop the camera and forget its last frame."""
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
        self.camera, self._last_frame = None, None
        self.preview.clear()
        self.preview.hide()
        self.capture_button.hide()
        self.retranslate()

    def _frame(self, image: QImage) -> None:
        self._last_frame = image
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio))

    def capture(self) -> None:
        """Read the current frame (in memory) in the background."""
        if self._last_frame is None:
            return
        from app.scanning.images import scan_image
        from ui.camera import to_pil

        frame = to_pil(self._last_frame)
        self.state.setText(self.tr("Reading…"))
        self.capture_button.setEnabled(False)
        self.controller.run_io(scan_image, frame, on_done=self._captured, on_error=self._capture_failed)

    def _captured(self, result: ScanResult) -> None:
        self.capture_button.setEnabled(True)
        self.show_result(result)

    def _capture_failed(self, error: BaseException) -> None:
        self.capture_button.setEnabled(True)
        self._failed(error)

    # --- card reader ----------------------------------------------------------------------------------------------

    def set_reader(self, reader: IdReader | None) -> None:
        """Offer "Read card" for this reader (None hides it)."""
        self.reader = reader
        self.reader_button.setVisible(reader is not None)

    def read_card(self) -> None:
        """Wait (off the GUI thread) for a card on the reader and read its chip."""
        if self.reader is None:
            return
        from app.kernel.clock import store_today
        from app.scanning.readers import chip_result

        reader, today = self.reader, store_today(self.controller.settings.store_time_zone)

        def read() -> ScanResult | None:
            card = reader.read(5.0)
            return None if card is None else chip_result(card, today)

        self.state.setText(self.tr("Place the card on the reader…"))
        self.reader_button.setEnabled(False)
        self.controller.run_io(read, on_done=self._card_read, on_error=self._card_failed)

    def _card_read(self, result: ScanResult | None) -> None:
        self.reader_button.setEnabled(True)
        if result is None:
            self.state.setText(self.tr("No card was found on the reader."))
        else:
            self.show_result(result)

    def _card_failed(self, error: BaseException) -> None:
        self.reader_button.setEnabled(True)
        self._failed(error)

    def clear_sensitive(self) -> None:
        self.close_camera()
        self.result = None
        self.table.setRowCount(0)
        self.state.clear()

    def start_folder(self) -> Path:
        """Where the photo dialog opens: the folder of the last photo opened, while it exists; else home."""
        if self.photo_folder is not None and self.photo_folder.is_dir():
            return self.photo_folder
        return Path.home()

    def _open(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Open photos"), str(self.start_folder()), self.tr("Images (*.png *.jpg *.jpeg *.bmp)")
        )
        if paths:
            self.photo_folder = Path(paths[0]).parent
            self.scan_files([Path(path) for path in paths])

    def scan_file(self, path: Path) -> None:
        """Read `path` in the background and show what it holds."""
        self.scan_files([path])

    def scan_files(self, paths: list[Path]) -> None:
        """Read the photos in the background, one after the other (an ID card's front and back chosen together
        in the dialog), and show what each holds as it is read."""
        from app.scanning.images import scan_image

        if not paths:
            return
        first, rest = paths[0], paths[1:]
        self.state.setText(self.tr("Reading…"))
        self.open_button.setEnabled(False)

        def done(result: ScanResult) -> None:
            self._done(result)
            self.scan_files(rest)

        self.controller.run_io(scan_image, first, on_done=done, on_error=self._failed)

    def show_text(self, text: str) -> None:
        """Show what a wedge scanner read."""
        from app.scanning.payload import classify_payload

        self.show_result(classify_payload(text))

    def _done(self, result: ScanResult) -> None:
        self.open_button.setEnabled(True)
        self.show_result(result)

    def _failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.state.setText(error.message if isinstance(error, FenqiError) else str(error))

    def show_result(self, result: ScanResult) -> None:
        """List every field, doubtful ones (low certainty or a failed check) highlighted, and pass it on."""
        self.result = result
        self.state.setText(_t(KIND_LABELS.get(result.kind, result.kind)))
        rows = [(k, v) for k, v in result.fields.items() if v is not None]
        self.table.setRowCount(len(rows))
        doubtful_keys = doubtful_fields(result)
        for r, (key, value) in enumerate(rows):
            certainty = result.confidence.get(key)
            check = result.validation.get(key)
            doubtful = key in doubtful_keys
            if key == "sex":
                value = {"M": self.tr("Male"), "F": self.tr("Female")}.get(str(value), value)
            shown = str(value)
            if key == "id_number" and len(shown) == 18:
                # Area, birth date, sequence and check: easier to hold against the card, and it can wrap there.
                shown = f"{shown[:6]} {shown[6:14]} {shown[14:]}"
            cells = [
                _t(FIELD_LABELS.get(key, key)),
                shown,
                "" if certainty is None else f"{certainty:.0%}",
                "" if check is None else (self.tr("passed") if check else self.tr("failed")),
            ]
            tip = f"{cells[0]}: {value}"  # the whole value as read, however narrow the panel
            if doubtful:
                tip += "\n" + self.tr("Check this against the document")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if doubtful:
                    item.setBackground(QBrush(QColor("#fff3c4")))
                self.table.setItem(r, c, item)
        self.scanned.emit(result)
