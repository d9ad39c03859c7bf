"""Activation and server changes take effect at once, against the real reference server (issue 18, item 8):
`fenqi device activate` run while the counter window is open, store IT's "Activate this PC" on the Sync page,
and a new server address saved in Settings all count for the very next sync, without a restart; before
activation the Sync page and the status bar show what waits to be sent. Item 9: the Sync page's times are the
store's, written for the language."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.kernel.i18n import set_language
from app.kernel.settings import update_settings
from app.storage.models import Application, Meta
from app.sync.client import TOKEN
from app.sync.service import LAST_SUCCESS
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.counter import signed_in_window
from tests.support.lender import DEMO_ROSTER, store_with_roster

SHOTS = Path("/tmp/reshape/shots-activation-times")


def _queue_one(services, signed_files):
    application_id, terms = quoted_application(services, load_catalog(signed_files.settings))
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
    )
    services.submissions.queue(CLERK, application_id)
    return application_id


def _sync_page(window):
    window.shell.open_page("sync")
    page = window.shell.pages["sync"]
    page.refresh()
    return page


def _synced(qtbot, page) -> None:
    page.sync_now()
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=15_000)


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_activating_with_the_cli_while_the_counter_runs_needs_no_restart(
    qtbot, server, signed_files, subprocess_env, python
) -> None:
    base, db = server
    code = store_with_roster(db, "S001")
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        services = window.controller.services
        _queue_one(services, signed_files)
        page = _sync_page(window)
        assert page.activate_button.isHidden()  # a clerk does not activate the PC
        qtbot.waitUntil(lambda: "Waiting to send: 1" in page.summary.text(), timeout=5_000)
        assert "not connected" in page.summary.text() and "Store IT activates this PC." in page.summary.text()
        _synced(qtbot, page)  # not activated: nothing goes, nothing fails
        assert "Waiting to send: 1" in page.summary.text() and "Sent" not in page.message.text()
        _shot(window, "sync-before-activation-en")
        # Store IT activates this PC from a terminal while the window stays open.
        subprocess.run(
            [python, "-m", "app", "device", "activate", "--server", base, "--store", "S001", "--code", code],
            env=subprocess_env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        _synced(qtbot, page)
        assert "Sent 1" in page.message.text()
        qtbot.waitUntil(lambda: "online" in page.summary.text() and "Waiting to send: 0" in page.summary.text())
        assert services.settings.server_url == base


def test_the_status_bar_shows_what_waits_before_activation(qtbot, signed_files) -> None:
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        _queue_one(window.controller.services, signed_files)
        page = _sync_page(window)
        qtbot.waitUntil(lambda: "Waiting to send: 1" in page.summary.text(), timeout=5_000)
        qtbot.waitUntil(lambda: "1 waiting to send" in window.network_label.text(), timeout=5_000)


def test_store_it_activates_on_the_sync_page(qtbot, server, signed_files, fenqi_home) -> None:
    base, db = server
    code = store_with_roster(db, "S002", name="徐汇店")
    update_settings(fenqi_home / "config" / "settings.json", store_code="S002")  # the store the code is for
    with signed_in_window(qtbot, login="admin", secret="Fenqi2026admin", wait_for_catalog=True) as window:
        services = window.controller.services
        _queue_one(services, signed_files)
        page = _sync_page(window)
        qtbot.waitUntil(lambda: "Waiting to send: 1" in page.summary.text(), timeout=5_000)
        assert not page.activate_button.isHidden()
        assert "Activate this PC with the store's one-time code" in page.summary.text()
        _shot(window, "sync-store-it-before-activation-en")
        qtbot.mouseClick(page.activate_button, Qt.MouseButton.LeftButton)
        dialog = page.activation_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.store.text() == "S002" and dialog.server.text() == ""
        dialog.server.setText(base)
        dialog.code.setText("000000")
        _shot(dialog, "activation-dialog-en")
        qtbot.mouseClick(dialog.activate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10_000)
        assert "refused" in dialog.error.text() and dialog.isVisible()
        assert services.secrets.get(TOKEN) is None and services.settings.server_url == ""  # nothing changed
        dialog.code.setText(code)
        qtbot.mouseClick(dialog.activate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.activation_dialog is None, timeout=10_000)
        # The PC is now S002's counter, whose accounts are the lender's staff list: the demo admin is signed out.
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=10_000)
        assert window.sign_in.store_label.text() == "Store S002 · 徐汇店"  # the lender's name for it
        _shot(window, "sign-in-after-activation-en")
        window.sign_in.login.setText("mgr-s002")
        window.sign_in.secret.setText("482613")
        qtbot.keyClick(window.sign_in.secret, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.shell, timeout=10_000)
        page = _sync_page(window)
        _synced(qtbot, page)
        assert "Sent 1" in page.message.text()
        qtbot.waitUntil(lambda: "online" in page.summary.text())
        assert services.settings.server_url == base and services.settings.store_name == "徐汇店"


def test_a_new_server_address_in_settings_counts_for_the_next_sync(qtbot, server, signed_files, fenqi_home) -> None:
    base, db = server
    code = store_with_roster(db, "S003", members=DEMO_ROSTER)  # the manager signs in after activation
    update_settings(fenqi_home / "config" / "settings.json", store_code="S003")
    assert main(["device", "activate", "--server", base, "--store", "S003", "--code", code, "--json"]) == 0
    with signed_in_window(qtbot, login="manager", secret="482613", wait_for_catalog=True) as window:
        services = window.controller.services
        settings_page = window.shell.pages["settings"]

        def save_server(url: str) -> None:
            window.shell.open_page("settings")
            settings_page.server.setText(url)
            with qtbot.waitSignal(window.controller.settings_changed, timeout=5_000):
                settings_page.save()
            assert services.settings.server_url == url

        save_server("http://127.0.0.1:9")  # nobody listens there
        page = _sync_page(window)
        _synced(qtbot, page)
        qtbot.waitUntil(lambda: "offline" in page.summary.text(), timeout=5_000)
        _queue_one(services, signed_files)
        save_server(base)
        page = _sync_page(window)
        assert page.online is None  # what was known about the old address is gone
        qtbot.waitUntil(lambda: "not tried yet" in page.summary.text(), timeout=5_000)
        _synced(qtbot, page)
        assert "Sent 1" in page.message.text()
        qtbot.waitUntil(lambda: "online" in page.summary.text() and "Waiting to send: 0" in page.summary.text())


def test_the_sync_page_shows_store_time_for_the_language(qtbot, signed_files, fenqi_home) -> None:
    """2026-12-07 18:23:44 UTC is 02:23 on the 8th in Shanghai: never the raw UTC text."""
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        services = window.controller.services
        update_settings(fenqi_home / "config" / "settings.json", server_url="https://lender.example")
        services.secrets.set(TOKEN, b"device-token")  # activated (no server is asked: the overview reads locally)
        application_id = _queue_one(services, signed_files)
        moment = dt.datetime(2026, 12, 7, 18, 23, 44, 638755, tzinfo=dt.UTC)
        with services.store.write() as session:
            session.merge(Meta(key=LAST_SUCCESS, value=moment.isoformat()))
            application = session.scalars(select(Application).where(Application.id == application_id)).one()
            application.state, application.state_changed_at = "referred", moment
        page = _sync_page(window)
        qtbot.waitUntil(lambda: "Last success: 8 Dec 2026, 02:23." in page.summary.text(), timeout=5_000)
        assert page.decisions.count() == 1 and page.decisions.item(0).text().endswith("8 Dec 2026, 02:23")
        assert "18:23" not in page.summary.text() and "+00:00" not in page.summary.text()
        _shot(window, "sync-times-en")
        set_language("zh_CN")  # app/'s texts, then the widgets' catalog, as the settings page does
        window.apply_language("zh_CN")
        qtbot.waitUntil(lambda: "2026-12-08 02:23" in page.summary.text(), timeout=5_000)
        assert page.decisions.item(0).text().endswith("2026-12-08 02:23")
        assert "Dec" not in page.summary.text() and "18:23" not in page.summary.text()
        _shot(window, "sync-times-zh_CN")
