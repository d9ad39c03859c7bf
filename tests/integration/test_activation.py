"""Activation against the real reference server (issue 18, item 8): the one app/ call the CLI and the Sync page
make stores the token, remembers the server, writes the audit chain, and the next pass sends at once; a
refused code or a failure after the server answered leaves this PC as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.kernel.errors import Unavailable
from app.kernel.settings import load_settings
from app.storage.models import AuditEntry
from app.sync.client import TOKEN
from tests.integration.test_central import server  # noqa: F401 - the running server fixture
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.lender import store_with_roster
from tests.unit.test_settings_follow_file import ADMIN


def _queued(services, signed_files) -> None:
    application_id, terms = quoted_application(services, load_catalog(signed_files.settings))
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
    )
    services.submissions.queue(CLERK, application_id)


def test_activation_takes_effect_for_the_next_pass(server, signed_files, services) -> None:
    base, db = server
    _queued(services, signed_files)
    assert services.sync.run_once() is None  # not activated: nothing is sent, nothing fails
    code = store_with_roster(db, "S001")
    with pytest.raises(Unavailable) as refused:
        services.sync.activate(ADMIN, base, "S001", "000000")
    assert refused.value.code == "activation_refused" and services.secrets.get(TOKEN) is None
    assert services.settings.server_url == ""
    done = services.sync.activate(ADMIN, f"  {base} ", "s001 ", f" {code} ")
    assert done.store == "S001" and done.server == base and done.device_id
    assert services.secrets.get(TOKEN) is not None
    assert services.settings.server_url == base == load_settings(services.config.paths.settings_file).server_url
    with services.store.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "device.activated")).one()
        assert entry.actor.endswith("admin") and '"S001"' in entry.detail
    run = services.sync.run_once()
    assert run is not None and run.online and run.report.sent == 1
    overview = services.sync.overview(run.online)
    assert overview.configured and overview.pending == 0 and overview.last_success is not None


def test_a_failure_after_the_server_answered_puts_the_token_back(server, services, monkeypatch) -> None:
    base, db = server
    services.secrets.set(TOKEN, b"the-token-before")
    code = store_with_roster(db, "S102")

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.sync.service.update_settings", disk_full)
    with pytest.raises(OSError):
        services.sync.activate(ADMIN, base, "S102", code)
    assert services.secrets.get(TOKEN) == b"the-token-before" and services.settings.server_url == ""
    with services.store.read() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "device.activated")).first() is None
