"""Lists side by side, each under its own title (reasons and flags; decisions and dead letters)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QVBoxLayout


def titled_lists(*names: str) -> tuple[QHBoxLayout, list[tuple[QLabel, QListWidget]]]:
    """A row of equally wide columns, one per object name: a section title over a list."""
    row = QHBoxLayout()
    pairs = []
    for name in names:
        title, widget = QLabel(), QListWidget()
        title.setObjectName("formSection")
        widget.setObjectName(name)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(widget, 1)
        row.addLayout(column, 1)
        pairs.append((title, widget))
    return row, pairs
