"""What every page shares: a title and re-translation when the language changes (no restart needed)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class Page(QWidget):
    """A page of the shell. Subclasses set every visible text in `retranslate()`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(32, 24, 32, 24)
        self.layout_.setSpacing(14)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.layout_.addWidget(self.title)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible text in the current language."""

    def clear_sensitive(self) -> None:
        """Forget anything about people shown on the page (called when the counter locks)."""

    def next_action(self) -> bool:
        """Do the page's own next step (what Enter does when no field or button takes it); False when the page
        has none now and the flow should simply move on."""
        return False

