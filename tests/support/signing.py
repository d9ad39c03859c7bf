"""Signing in UI tests that do not walk the Verify step: the clerk's Continue there, as the navigator takes it."""

from __future__ import annotations


def go_on_to_signing(qtbot, shell) -> None:
    """Once the plan is fixed and the counter shows Verify, go on as its Continue does: the navigator opens New
    application and begins signing (online, the one-time code first; offline, the terms at once). Nothing checks
    the live photo here: these tests are about what comes after it."""
    qtbot.waitUntil(lambda: shell.current_key() == "evidence", timeout=5_000)
    shell.pages["evidence"].continue_requested.emit()
