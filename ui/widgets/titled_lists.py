"""Lists side by side, each under its own title (reasons and flags; decisions and dead letters)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListView, QListWidget, QVBoxLayout


def titled_lists(*names: str) -> tuple[QHBoxLayout, list[tuple[QLabel, QListWidget]]]:
    """A row of equally wide columns, one per object name: a section title over a list whose items wrap to the
    list's width — a long reason is read whole, never behind a horizontal scroll bar."""
    row = QHBoxLayout()
    pairs = []
    for name in names:
        title, widget = QLabel(), QListWidget()
        title.setObjectName("formSection")
        widget.setObjectName(name)
        widget.setWordWrap(True)
        widget.setUniformItemSizes(False)
        widget.setSpacing(3)  # wrapped items apart from each other
        widget.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap when the column narrows or widens
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # a tall item scrolls smoothly
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(widget, 1)
        row.addLayout(column, 1)
        pairs.append((title, widget))
    return row, pairs
