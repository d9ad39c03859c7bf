"""Where the clerk is in the counter flow: the steps in order, those done ticked, the current one marked,
with the application's reference. It only shows what app.counter.flow says. Where the steps' names do not fit
the window's width (English at 1280 px, late in the flow), the steps done show only their tick, named in their
tooltip: the bar never makes the window wider than the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QWidget

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
        self.row = layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 8, 32, 0)
        layout.setSpacing(6)
        self.reference = QLabel()
        self.reference.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.reference)
        self.steps = {step: QLabel() for step in ORDER}
        for label in self.steps.values():
            layout.addWidget(label)
        layout.addStretch(1)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # its width never sets the window's
        self.current: Step | None = None
        self._done: dict[Step, str] = {}  # the steps done, with their names (shown, or only ticked when narrow)
        self.setVisible(False)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

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
        self._done = {}
        for index, (step, label) in enumerate(self.steps.items()):
            done = index < at
            if done:
                self._done[step] = step_label(step)
            label.setText(step_label(step))
            label.setToolTip("")
            label.setStyleSheet(DONE_STYLE if done else CURRENT_STYLE if index == at else AHEAD_STYLE)
        self._fit()
        self.setVisible(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The steps done named in full when they fit the bar's width, else only ticked (named in the tooltip)."""
        for step, name in self._done.items():
            self.steps[step].setText("✓ " + name)
            self.steps[step].setToolTip("")
        self.row.invalidate()
        if self.row.sizeHint().width() <= self.width():
            return
        for step, name in self._done.items():
            self.steps[step].setText("✓")
            self.steps[step].setToolTip(name)
