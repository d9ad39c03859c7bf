"""The "Reveal" button beside a masked ID number: enabled for those whose role may reveal it (the store
manager), disabled with a tooltip saying who may for everyone else. Pressing it only asks; the page asks app/
(RevealService), which checks the role again and audits the reveal."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QPushButton, QWidget


class RevealButton(QPushButton):
    """A small button; `clicked` means "show the full number"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revealIdNumber")
        self.allowed = False
        self.revealed = False
        self.retranslate()

    def set_allowed(self, allowed: bool) -> None:
        """Whether the signed-in person's role may reveal ID numbers."""
        self.allowed = allowed
        self._update()

    def set_revealed(self, revealed: bool) -> None:
        """The full number is shown (nothing more to reveal) or masked again."""
        self.revealed = revealed
        self._update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setText(self.tr("Revealed") if self.revealed else self.tr("Reveal"))
        if self.revealed:
            tip = self.tr("The full number is shown; revealing it was recorded in the audit log.")
        elif self.allowed:
            tip = self.tr("Show the full ID number. This is recorded in the audit log.")
        else:
            tip = self.tr("Only a store manager may reveal a full ID number.")
        self.setToolTip(tip)

    def _update(self) -> None:
        self.setEnabled(self.allowed and not self.revealed)
        self.retranslate()
