"""One consent on the customer screen: its title, its whole text (a label that takes the height its lines need,
read in the page's scroll area, so the version line never covers the last line), its version and a large tick
box. What ticking means is app/'s business (`GivenConsent`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QScrollArea, QScroller, QVBoxLayout, QWidget

from app.counter.consents import ConsentText, GivenConsent
from app.domain.consent import ConsentKind


class ConsentBox(QWidget):
    """One consent: its title, text, version and an unticked box."""

    toggled = Signal()

    def __init__(self, kind: ConsentKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.text: ConsentText | None = None
        self.ticked_at: dt.datetime | None = None
        self.layout_ = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 16)
        layout.setSpacing(6)
        self.title = QLabel()
        self.title.setObjectName("big")
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("consentText")
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.version = QLabel()
        self.version.setObjectName("small")
        self.box = QCheckBox()
        self.box.setObjectName(f"agree_{kind.value}")
        for widget in (self.title, self.body, self.version, self.box):
            layout.addWidget(widget)
        self.box.toggled.connect(self._toggled)

    def show_text(self, text: ConsentText, agree: str, version: str) -> None:
        """Show `text` (a new language unticks the box: the customer agrees to what they read)."""
        self.text = text
        self.title.setText(text.title)
        self.body.setText(text.body)
        self.version.setText(version)
        self.box.setText(agree)
        self.box.setChecked(False)

    def _toggled(self, on: bool) -> None:
        self.ticked_at = dt.datetime.now(dt.UTC) if on else None
        self.toggled.emit()

    def given(self) -> GivenConsent | None:
        """The consent as given, or None while unticked."""
        if not self.box.isChecked() or self.text is None or self.ticked_at is None:
            return None
        return GivenConsent(self.kind, self.text, self.ticked_at)


def consent_scroll(boxes: list[ConsentBox]) -> QScrollArea:
    """The consents one under the other in a scroll area a finger can drag (the page's buttons stay below it)."""
    inner = QWidget()
    inner.setObjectName("consentColumn")
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(12, 8, 12, 8)
    for box in boxes:
        layout.addWidget(box)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setObjectName("consentScroll")
    scroll.setWidget(inner)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return scroll
