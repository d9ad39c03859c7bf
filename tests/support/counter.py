"""A counter window in UI tests: started on this test's FENQI_HOME and signed in, closed down afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.kernel.config import load_configuration
from ui.controller import Controller
from ui.main_window import MainWindow
from ui.preload import preload_gui


@contextmanager
def signed_in_window(
    qtbot, login: str = "sales01", secret: str = "135790", wait_for_catalog: bool = False
) -> Iterator[MainWindow]:
    """The main window with `login` signed in (typed, then Enter), as a clerk would."""
    controller = Controller(load_configuration(), preload=preload_gui)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    controller.start()
    qtbot.waitUntil(lambda: window.sign_in.button.isEnabled(), timeout=20_000)
    window.sign_in.login.setText(login)
    window.sign_in.secret.setText(secret)
    qtbot.keyClick(window.sign_in.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.shell, timeout=10_000)
    if wait_for_catalog:
        qtbot.waitUntil(lambda: controller.catalog is not None, timeout=10_000)
    try:
        yield window
    finally:
        if window.shell is not None:
            window.shell.pages["new"].close_customer_window()
        controller.shutdown()
        if window._translator is not None:
            QApplication.instance().removeTranslator(window._translator)
