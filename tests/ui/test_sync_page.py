"""The sync screen against the real reference server: a clerk's signed application goes out, a reviewer
approves it on the central server, and the clerk's window shows the decision (and the new version the lender
offers)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import requests

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.security.signing import sign_file
from app.sync.submission import SubmissionService
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.support.applications import given, quoted_application, signature
from tests.support.counter import signed_in_window
from tests.support.lender import DEMO_ROSTER, store_with_roster
from tests.unit.test_updates import _release


def test_the_clerk_sees_the_reviewers_decision(qtbot, server, signed_files, tmp_path) -> None:
    base, db = server
    code = store_with_roster(db, "S001", members=DEMO_ROSTER)  # the clerk signs in as sales01 after activation
    manifest = _release(tmp_path / "release", "0.2.0")  # the lender offers a new version too
    sign_file(manifest, signed_files.key)
    _central(db, "publish", "--kind", "update_manifest", "--file", str(manifest))
    assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code]) == 0
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        controller = window.controller
        services, clerk = controller.services, controller.actor
        # The activation wrote the server's address to the settings file after this counter had read it; a
        # counter started now would read it (store IT activates before the first start).
        services.settings_service._settings = dataclasses.replace(services.settings, server_url=base)
        application_id, terms = quoted_application(services, load_catalog(signed_files.settings), actor=clerk)
        services.contracts.sign(
            clerk, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
        )
        SubmissionService(services.store).queue(clerk, application_id)
        page = window.shell.pages["sync"]
        window.shell.open_page("sync")
        page.sync_now()
        qtbot.waitUntil(lambda: page.sync_button.isEnabled() and "Sent 1" in page.message.text(), timeout=10_000)
        qtbot.waitUntil(lambda: page.decisions.count() == 1, timeout=5_000)
        assert "sent to a reviewer" in page.decisions.item(0).text()
        assert "online" in page.summary.text() and "0 waiting" in window.network_label.text()
        assert "Version 0.2.0 is ready" in page.summary.text()
        # A reviewer signs in to the central server with their account and approves it there.
        subprocess.run(
            [
                *(sys.executable, "-m", "central.cli", "account", "add", "--db", db, "--role", "reviewer"),
                *("--region", "BJ", "--username", "reviewer1"),
            ],
            input="Review2026z\n",
            text=True,
            check=True,
            capture_output=True,
        )
        signed = requests.post(
            f"{base}/v1/sessions", json={"username": "reviewer1", "password": "Review2026z"}, timeout=10
        )
        approved = requests.post(
            f"{base}/v1/reviews/{application_id}",
            json={"decision": "approved", "reason": "收入已核实"},
            headers={"Authorization": f"Bearer {signed.json()['token']}"},
            timeout=10,
        )
        assert approved.status_code == 200
        page.sync_now()
        qtbot.waitUntil(lambda: "approved" in window.statusBar().currentMessage(), timeout=10_000)
        qtbot.waitUntil(lambda: "approved" in page.decisions.item(0).text(), timeout=5_000)
        assert terms["reference"] in window.statusBar().currentMessage()
