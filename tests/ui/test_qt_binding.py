"""The pinned PySide6 keeps Python's reference counts straight (6.12.0 did not: each void call dropped a
reference to None, and a counter that runs all day would crash with "none_dealloc")."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_void_methods_do_not_drop_references_to_none(qtbot) -> None:
    """Thousands of setText/update/processEvents calls leave None's reference count where it was."""
    label = QLabel("x")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("y")
        label.update()
        QApplication.processEvents()
    assert sys.getrefcount(None) - before > -100
