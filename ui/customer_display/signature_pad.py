"""The signature pad: pen (with pressure, from QTabletEvent), touch and mouse. Strokes are kept as vectors —
points with time and pressure — and drawn as they come; `image()` renders them for the contract. Clear starts
again; Undo removes the last stroke. Whether a signature is enough is app/'s rule (`check_signature`)."""

from __future__ import annotations

import itertools
import time

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QWidget

Point = tuple[float, float, float, float]  # x, y, ms since the first point, pressure 0–1


class SignaturePad(QWidget):
    """A white box to sign in; `changed` fires as strokes are added or removed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[list[Point]] = []
        self._drawing = False
        self._t0: float | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setMinimumSize(QSize(560, 200))
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setObjectName("signaturePad")

    # --- input ------------------------------------------------------------------------------------------------

    def _now(self) -> float:
        now = time.monotonic() * 1000
        if self._t0 is None:
            self._t0 = now
        return round(now - self._t0, 1)

    def begin(self, pos: QPointF, pressure: float) -> None:
        """Start a stroke at `pos`."""
        self._drawing = True
        self.strokes.append([(round(pos.x(), 1), round(pos.y(), 1), self._now(), round(pressure, 3))])
        self.update()

    def extend(self, pos: QPointF, pressure: float) -> None:
        """Continue the current stroke."""
        if self._drawing and self.strokes:
            self.strokes[-1].append((round(pos.x(), 1), round(pos.y(), 1), self._now(), round(pressure, 3)))
            self.update()

    def end(self) -> None:
        """Finish the current stroke."""
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self.begin(event.position(), event.pressure())
        elif kind == QTabletEvent.Type.TabletMove:
            self.extend(event.position(), event.pressure())
        elif kind == QTabletEvent.Type.TabletRelease:
            self.end()
        event.accept()  # a pen's events must not come back as synthesized mouse events

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                point = points[0]
                pressure = point.pressure() or 0.5
                if event.type() == QTouchEvent.Type.TouchBegin:
                    self.begin(point.position(), pressure)
                elif event.type() == QTouchEvent.Type.TouchUpdate:
                    self.extend(point.position(), pressure)
                else:
                    self.end()
            event.accept()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin(event.position(), 0.5)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.extend(event.position(), 0.5)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.end()

    # --- editing ----------------------------------------------------------------------------------------------

    def clear(self) -> None:
        """Start the signature again."""
        self.strokes.clear()
        self._t0 = None
        self.update()
        self.changed.emit()

    def undo(self) -> None:
        """Take back the last stroke."""
        if self.strokes:
            self.strokes.pop()
            self.update()
            self.changed.emit()

    # --- drawing ----------------------------------------------------------------------------------------------

    def _paint(self, painter: QPainter, scale: float = 1.0) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y, _t, p = stroke[0]
                painter.setPen(
                    QPen(QColor("#0d1b3d"), (1.5 + 3 * p) * scale, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
                )
                painter.drawPoint(QPointF(x * scale, y * scale))
                continue
            for (x1, y1, _t1, p1), (x2, y2, _t2, p2) in itertools.pairwise(stroke):
                width = (1.5 + 3 * (p1 + p2) / 2) * scale  # the harder the pen, the wider the line
                painter.setPen(QPen(QColor("#0d1b3d"), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                painter.drawLine(QPointF(x1 * scale, y1 * scale), QPointF(x2 * scale, y2 * scale))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#90a4ae"), 1, Qt.PenStyle.DashLine))
        baseline = self.height() * 0.75
        painter.drawLine(QPointF(24, baseline), QPointF(self.width() - 24, baseline))
        path = QPainterPath()
        path.addRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.drawPath(path)
        self._paint(painter)
        painter.end()

    def image(self, scale: float = 2.0) -> QImage:
        """The signature on a transparent background, `scale` times the pad's size (sharper in print)."""
        image = QImage(int(self.width() * scale), int(self.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self._paint(painter, scale)
        painter.end()
        return image
