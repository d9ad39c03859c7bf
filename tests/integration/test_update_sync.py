"""An update manifest the lender publishes reaches the counter at sync, verified against the shipped keys: the
sync screen's overview offers it, `fenqi update check` reports it, and applications still waiting block it."""

from __future__ import annotations

import json

from app.cli import main
from app.domain.catalog import load_catalog
from app.security.signing import sign_file
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.integration.test_sync import activated  # noqa: F401 - this PC activated for S001
from tests.integration.test_sync_exchange import _queued, _sync
from tests.unit.test_updates import _release


def test_a_published_update_manifest_is_offered_after_sync(activated, signed_files, services, tmp_path, capsys) -> None:
    base, db = activated
    manifest = _release(tmp_path / "rel", "0.2.0")
    sign_file(manifest, signed_files.key)
    _central(db, "publish", "--kind", "update_manifest", "--file", str(manifest))
    _queued(services, load_catalog(signed_files.settings))
    services.close()

    assert main(["update", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["blocked_by"] == ["no_manifest", "outbox_not_empty"]
    _sync(base, capsys)  # sends the application and downloads the manifest
    assert main(["update", "check", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["latest"], out["verified"], out["blocked_by"]) == ("0.2.0", True, [])

    from app.services import build_services

    services = build_services()
    try:
        offer = services.sync.overview().update
        assert offer is not None and offer.latest == "0.2.0"
    finally:
        services.close()
