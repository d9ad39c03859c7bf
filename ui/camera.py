"""Camera sources for the scan page: the PC's camera through QtMultimedia, or a simulated camera for tests and
for PCs without one. Frames stay in memory; nothing a camera sees is written to disk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

if TYPE_CHECKING:
    from PIL import Image


class CameraSource(QObject):
    """Emits `frame(QImage)` while running."""

    frame = Signal(QImage)
    failed = Signal(str)

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class QtCameraSource(CameraSource):
    """The PC's default camera (QtMultimedia is loaded only when a camera is opened)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoSink

        device = QMediaDevices.defaultVideoInput()
        self._camera = QCamera(device, self)
        self._session = QMediaCaptureSession(self)
        self._sink = QVideoSink(self)
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(lambda video: self.frame.emit(video.toImage()))
        self._camera.errorOccurred.connect(lambda _error, text: self.failed.emit(text))

    def start(self) -> None:
        self._camera.start()

    def stop(self) -> None:
        self._camera.stop()


class SimulatedCameraSource(CameraSource):
    """Plays the given images as frames, ten a second, round and round."""

    def __init__(self, images: list[QImage], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._images = images
        self._index = 0
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._next)

    def _next(self) -> None:
        if self._images:
            self.frame.emit(self._images[self._index % len(self._images)])
            self._index += 1

    def start(self) -> None:
        self._next()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()


def camera_available() -> bool:
    """Whether the PC has a camera QtMultimedia can open."""
    from PySide6.QtMultimedia import QMediaDevices

    return bool(QMediaDevices.videoInputs())


def to_pil(image: QImage) -> Image.Image:
    """A QImage as a PIL image, through an in-memory PNG."""
    import io

    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageWriter

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # QImageWriter rather than QImage.save: PySide6's stubs want the format as bytes, its binding takes only str.
    QImageWriter(buffer, QByteArray(b"PNG")).write(image)
    return Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")


def to_jpeg(image: QImage, quality: int = 90) -> bytes:
    """A frame as JPEG bytes, in memory (app/ re-encodes what it keeps, so this only has to be faithful)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageWriter

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"JPEG"))
    writer.setQuality(quality)
    writer.write(image.convertToFormat(QImage.Format.Format_RGB888))
    return bytes(buffer.data().data())
