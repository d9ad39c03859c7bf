"""The settings in effect follow the settings file while the application runs (issue 18, item 8): what
`fenqi device activate` or another tool writes there takes effect at once, is never overwritten by a change made
at the counter afterwards, and a file that cannot be taken leaves the settings in effect as they were. Activation
refuses what it must and then changes nothing on this PC."""

from __future__ import annotations

import json
import logging

import pytest

from app.domain.actor import Actor
from app.domain.roles import PermissionDenied, Role
from app.kernel.errors import FenqiError, InvalidInput, Unavailable
from app.kernel.settings import load_settings, update_settings
from app.sync.client import TOKEN

ADMIN = Actor(login="admin", role=Role.ADMIN, display_name="Store IT")
MANAGER = Actor(login="manager", role=Role.STORE_MANAGER, display_name="Manager")
SALES = Actor(login="sales01", role=Role.SALES, display_name="Clerk")


def test_a_change_written_by_another_program_takes_effect_at_once(services) -> None:
    path = services.config.paths.settings_file
    assert services.settings.server_url == "" and not services.sync.configured()
    update_settings(path, server_url="https://lender.example")  # what `fenqi device activate` does, elsewhere
    assert services.settings.server_url == "https://lender.example"
    assert not services.sync.configured()  # no token yet
    services.secrets.set(TOKEN, b"device-token")  # the other program's token, in the shared secret store
    assert services.sync.configured()


def test_a_change_at_the_counter_keeps_what_was_written_outside(services) -> None:
    path = services.config.paths.settings_file
    update_settings(path, server_url="https://lender.example")
    new = services.settings_service.change(MANAGER, idle_lock_minutes=12)
    assert new.server_url == "https://lender.example" and new.idle_lock_minutes == 12
    on_disk = load_settings(path)
    assert on_disk.server_url == "https://lender.example" and on_disk.idle_lock_minutes == 12
    assert services.settings == on_disk


def test_a_file_that_cannot_be_taken_leaves_the_settings_in_effect(services, caplog) -> None:
    path = services.config.paths.settings_file
    update_settings(path, server_url="https://lender.example")
    assert services.settings.server_url == "https://lender.example"
    path.write_text("{ damaged", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="fenqi.settings"):
        assert services.settings.server_url == "https://lender.example"
        assert services.settings.server_url == "https://lender.example"
    assert len([r for r in caplog.records if "cannot be taken" in r.getMessage()]) == 1  # logged once
    path.write_text(json.dumps({"schema_version": 2, "server_url": "https://other.example"}), encoding="utf-8")
    assert services.settings.server_url == "https://other.example"


def _nothing_changed(services, file_before: bytes | None) -> None:
    path = services.config.paths.settings_file
    assert services.secrets.get(TOKEN) is None
    assert services.settings.server_url == ""
    assert (path.read_bytes() if path.exists() else None) == file_before
    assert not services.sync.configured()


@pytest.mark.parametrize(
    ("actor", "server", "store", "code", "error", "code_name"),
    [
        (SALES, "http://127.0.0.1:9", "S001", "123456", PermissionDenied, "permission_denied"),
        (ADMIN, "  ", "S001", "123456", InvalidInput, "no_server"),
        (ADMIN, "http://127.0.0.1:9", " ", "123456", InvalidInput, "no_store"),
        (ADMIN, "http://127.0.0.1:9", "S001", "", InvalidInput, "no_code"),
        (ADMIN, "http://lender.example", "S001", "123456", Unavailable, "insecure_server_url"),
        (ADMIN, "http://127.0.0.1:9", "S001", "123456", Unavailable, "server_unreachable"),
    ],
)
def test_a_refused_activation_changes_nothing(services, actor, server, store, code, error, code_name) -> None:
    path = services.config.paths.settings_file
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(error) as raised:
        services.sync.activate(actor, server, store, code)
    assert raised.value.code == code_name and raised.value.message
    _nothing_changed(services, before)


def test_a_settings_file_from_a_newer_version_refuses_before_the_server_is_asked(services) -> None:
    path = services.config.paths.settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema_version": 99}), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(FenqiError) as raised:
        # An unreachable server: had it been asked, the error would be server_unreachable.
        services.sync.activate(ADMIN, "http://127.0.0.1:9", "S001", "123456")
    assert raised.value.code == "settings_too_new"
    assert services.secrets.get(TOKEN) is None and path.read_bytes() == before


def test_what_waits_is_counted_before_activation(signed_files, services) -> None:
    from app.counter.contract import terms_sha256
    from app.domain.catalog import load_catalog
    from app.domain.consent import SIGNING_MOMENT
    from tests.support.applications import CLERK, given, quoted_application, signature

    application_id, terms = quoted_application(services, load_catalog(signed_files.settings))
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
    )
    services.submissions.queue(CLERK, application_id)
    overview = services.sync.overview()
    assert not overview.configured and services.sync.run_once() is None
    assert overview.pending == 1 and overview.dead_letters == [] and overview.last_success is None
