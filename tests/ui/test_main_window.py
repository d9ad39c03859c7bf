"""The first window: opens the store off the GUI thread, shows it, says so when it cannot."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.overview import store_overview
from app.security.secret_store import KeyStoreUnavailable
from ui.main_window import MainWindow
from ui.tasks import TaskRunner
from ui.translation import install_translator


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def test_overview_loaded_on_db_thread_is_shown(qtbot, window, services) -> None:
    """The overview is computed by the DB worker and shown; no development banner with the OS keyring."""
    tasks = TaskRunner()
    try:
        tasks.run_db(store_overview, services, on_done=window.show_overview, on_error=window.show_error)
        qtbot.waitUntil(lambda: "ready" in window.status.text(), timeout=10_000)
    finally:
        tasks.shutdown()
    assert "S001" in window.store_label.text()
    assert window.banner.isHidden()


def test_development_key_store_shows_banner(qtbot, window, monkeypatch) -> None:
    """With the explicit key-file mode the window says so, visibly."""
    from app.services import build_services

    monkeypatch.setenv("FENQI_KEY_STORE", "file")
    services = build_services()
    try:
        window.show_overview(store_overview(services))
    finally:
        services.close()
    assert window.banner.isVisible()
    assert "Development mode" in window.banner.text()


def test_error_is_explained(qtbot, window) -> None:
    """An unusable key store is explained in the window, not a crash."""
    window.show_error(KeyStoreUnavailable("No usable OS keyring"))
    assert "could not be opened" in window.status.text()
    assert "No usable OS keyring" in window.status.text()


def test_chinese_widgets(qtbot) -> None:
    """With the zh_CN catalog installed, the window speaks Chinese."""
    translator = install_translator(QApplication.instance(), "zh_CN")
    try:
        w = MainWindow()
        qtbot.addWidget(w)
        assert w.windowTitle() == "分期 POS"
    finally:
        if translator is not None:
            QApplication.instance().removeTranslator(translator)
