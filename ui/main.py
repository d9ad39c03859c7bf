"""`fenqi-pos`: the window appears first; the store, keyring, logging and model runtime load behind it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ui.startup_probe  # noqa: F401 - imported first so its clock starts as early as possible

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

USAGE = """usage: fenqi-pos [--startup-probe]

  --startup-probe  print the milliseconds from process start to the first window shown, then exit"""


def _install_scanner(qt_app: QApplication, window: MainWindow) -> None:
    from ui.scanner import WedgeScannerFilter  # loaded by the database thread with the shell

    scanner = WedgeScannerFilter(window)
    scanner.scanned.connect(window.show_scan)
    qt_app.installEventFilter(scanner)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the GUI and run until the window closes; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--help" in args or "-h" in args:  # two options do not justify argparse's start-up cost
        print(USAGE)
        return 0
    probe = "--startup-probe" in args
    qt_args = [a for a in args if a != "--startup-probe"]

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.kernel.config import load_configuration
    from app.kernel.errors import FenqiError
    from app.kernel.i18n import current_language
    from ui.controller import Controller
    from ui.fonts import install_cjk_font
    from ui.main_window import MainWindow
    from ui.preload import preload_gui
    from ui.startup_probe import milliseconds_since_start
    from ui.style import STYLE

    qt_app = QApplication([sys.argv[0], *qt_args])
    qt_app.setApplicationName("Fenqi POS")
    install_cjk_font(qt_app)  # before the first paint: Chinese renders on a PC without Chinese fonts
    qt_app.setStyleSheet(STYLE)
    try:
        config = load_configuration(log=False)
    except FenqiError as exc:
        sys.stderr.write(exc.message + "\n")
        return exc.exit_status
    controller = Controller(config, preload=preload_gui)
    window = MainWindow(controller)
    window.apply_language(current_language())

    if probe:

        def report() -> None:
            print(f"{milliseconds_since_start():.1f}", flush=True)
            qt_app.quit()

        window.first_paint.connect(lambda: QTimer.singleShot(0, report))
    else:
        window.first_paint.connect(controller.start)
        window.first_paint.connect(lambda: qt_app.installEventFilter(window.idle))
        controller.services_ready.connect(lambda: _install_scanner(qt_app, window))
    window.show_fitted()
    try:
        return qt_app.exec()
    finally:
        controller.shutdown()
