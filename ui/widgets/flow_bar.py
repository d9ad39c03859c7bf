"""Where the clerk is in the counter flow: the steps in order, those done ticked, the current one marked,
with the application's reference. It only shows what app.counter.flow says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

if TYPE_CHECKING:
    from app.counter.flow import FlowFacts, Step

DONE_STYLE = "color: #2e7d32;"
CURRENT_STYLE = "color: white; background: #1565c0; border-radius: 4px; padding: 2px 8px; font-weight: 600;"
AHEAD_STYLE = "color: #90a4ae;"


class FlowBar(QWidget):
    """The steps of one application's flow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from app.counter.flow import ORDER

        super().__init__(parent)
        self.setObjectName("flowBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 8, 32, 0)
        layout.setSpacing(6)
        self.reference = QLabel()
        self.reference.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.reference)
        self.steps = {step: QLabel() for step in ORDER}
        for label in self.steps.values():
            layout.addWidget(label)
        layout.addStretch(1)
        self.current: Step | None = None
        self.setVisible(False)

    def show_flow(self, reference: str, facts: FlowFacts | None) -> None:
        """Show the flow of the application with these FlowFacts (None hides the bar)."""
        from app.counter.flow import ORDER, current_step, step_label

        if facts is None:
            self.current = None
            self.setVisible(False)
            return
        self.current = current_step(facts)
        self.reference.setText(reference)
        at = ORDER.index(self.current)
        for index, (step, label) in enumerate(self.steps.items()):
            done = index < at
            label.setText(("✓ " if done else "") + step_label(step))
            label.setStyleSheet(DONE_STYLE if done else CURRENT_STYLE if index == at else AHEAD_STYLE)
        self.setVisible(True)
