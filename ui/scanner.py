"""Keyboard-wedge scanners: their bursts become a scan instead of text in whatever field has focus.

Printable keys are held back for a few tens of milliseconds. If more keep coming that fast and they add up to
a burst, they are taken as one scan (its closing Enter too, so it cannot advance the flow) and `scanned` is
emitted; otherwise the held keys are handed to the focused widget unchanged, so a person's typing is only
delayed by that moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

from app.scanning.wedge import BurstDetector

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class WedgeScannerFilter(QObject):
    """An application-wide event filter that turns scanner bursts into `scanned(text)`."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, clock: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self.detector = BurstDetector()
        self._clock = clock or (lambda: time.monotonic() * 1000)
        self._held: list[tuple[QObject, QKeyEvent | QInputMethodEvent]] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.settle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying:
            return False
        if event.type() == QEvent.Type.InputMethod:
            assert isinstance(event, QInputMethodEvent)  # PySide6 hands an InputMethod event over as its subclass
            return self._input_method(watched, event)
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        key = "\n" if event.key() in _ENTER else event.text()
        if not key or (key != "\n" and not key.isprintable()):
            return False
        if key == "\n" and not self._held:
            return False  # an Enter on its own belongs to the person
        self._hold(key, watched, QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))
        return True

    def _input_method(self, watched: QObject, event: QInputMethodEvent) -> bool:
        # With a Chinese input method on, a scanner's digits arrive as committed text (often full-width).
        text = event.commitString()
        if not text or event.preeditString() or len(text) != 1:
            return False
        copy = QInputMethodEvent()
        copy.setCommitString(text)
        self._hold(text, watched, copy)
        return True

    def _hold(self, key: str, target: QObject, replay: QKeyEvent | QInputMethodEvent) -> None:
        burst, release = self.detector.feed(key, self._clock())
        self._finish(burst, release)
        self._held.append((target, replay))
        self._timer.start(int(self.detector.gap_ms) + 5)

    def settle(self) -> None:
        """Decide the held keys once they stop coming (called by the timer; tests may call it)."""
        if self.detector.pending:
            self._finish(*self.detector.decide())

    def _finish(self, burst: str | None, release: list[str]) -> None:
        if burst is not None:
            self._held.clear()
            self.scanned.emit(burst)
        elif release:
            held, self._held = self._held[: len(release)], self._held[len(release) :]
            self._replaying = True
            try:
                for target, event in held:
                    QApplication.sendEvent(target, event)
            finally:
                self._replaying = False
