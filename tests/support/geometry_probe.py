"""Where the counter's windows land on given screens: run in a process of its own with Qt's offscreen platform
told which screens exist (`QT_QPA_PLATFORM=offscreen:configfile=…`), sign in, open every page and the customer
window, and print what a person would see as JSON: each window's frame, the status bar, whether each page's
content fits, and whether the customer window's buttons are on a screen.

    python -m tests.support.geometry_probe   (FENQI_HOME and FENQI_KEY_STORE=file set by the caller)
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


def _wait(app: QApplication, condition: Callable[[], bool], seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _global(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def main() -> int:
    from app.kernel.config import load_configuration
    from ui.controller import Controller
    from ui.main_window import MainWindow
    from ui.preload import preload_gui

    app = QApplication(sys.argv[:1])
    controller = Controller(load_configuration(), preload=preload_gui)
    window = MainWindow(controller)
    window.show_fitted()
    controller.start()
    _wait(app, lambda: window.sign_in.button.isEnabled())
    window.sign_in.login.setText("sales01")
    window.sign_in.secret.setText("135790")
    window.sign_in.button.click()
    _wait(app, lambda: window.shell is not None and window.stack.currentWidget() is window.shell)
    shell = window.shell
    assert shell is not None
    pages = {}
    for key in shell.visible_keys():
        shell.open_page(key)
        app.processEvents()
        page = shell.pages[key]
        needed = page.minimumSizeHint()
        pages[key] = {"needed": [needed.width(), needed.height()], "given": [page.width(), page.height()]}
    new = shell.new_application
    customer = new.customer_window()
    app.processEvents()
    customer.ask_first_consents()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)
    buttons = [b for b in customer.findChildren(QAbstractButton) if b.isVisible()]
    report = {
        "screens": {s.name(): _rect(s.availableGeometry()) for s in app.screens()},
        "staff": {
            "frame": _rect(window.frameGeometry()),
            "screen": window.screen().name(),
            "status_bar": _rect(_global(window.statusBar())),
        },
        "pages": pages,
        "customer": {
            "frame": _rect(customer.frameGeometry()),
            "screen": customer.screen().name(),
            "buttons": {b.text(): _rect(_global(b)) for b in buttons},
        },
    }
    print(json.dumps(report))
    new.close_customer_window()
    controller.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
