"""`fenqi-pos`: starts the desktop application. The window appears first; the store opens in the background."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Start the GUI and run until the window closes; returns the exit status."""
    from PySide6.QtWidgets import QApplication

    from app.config import load_configuration
    from app.errors import FenqiError
    from app.i18n import current_language
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner
    from ui.translation import install_translator

    qt_app = QApplication(list(sys.argv if argv is None else argv))
    qt_app.setApplicationName("Fenqi POS")
    try:
        config = load_configuration()
    except FenqiError as exc:
        sys.stderr.write(exc.message + "\n")
        return exc.exit_status
    install_translator(qt_app, current_language())

    window = MainWindow()
    window.show()
    tasks = TaskRunner()
    holder: dict[str, object] = {}

    def open_store() -> object:
        from app.overview import store_overview
        from app.services import build_services

        services = build_services(config)
        holder["services"] = services
        return store_overview(services)

    tasks.run_db(open_store, on_done=window.show_overview, on_error=window.show_error)
    tasks.failed.connect(window.show_error)
    try:
        return qt_app.exec()
    finally:
        services = holder.get("services")
        if services is not None:
            tasks.run_db(services.close)  # type: ignore[attr-defined]
        tasks.shutdown(wait=True)
