"""The lender's signed files and its decision on arrival, against the real reference server on loopback: the
catalog, blacklist and scorecard the lender publishes reach the counter only after their signatures check out
(a tampered file changes nothing), and the lender's automatic decision is the counter's own assessment plus
what only the lender knows (here: a blacklist the counter does not have yet)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import select

from app.domain.catalog import load_catalog
from app.kernel.paths import resolve_paths
from app.kernel.settings import load_settings
from app.scoring.blacklist import blacklist_digest
from app.security.signing import sign_file
from app.storage.models import PrescreenLog
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.integration.test_sync_exchange import _cli, _customer, _queued, _state, _sync, activated  # noqa: F401
from tests.support.central_server import data_dir_of
from tests.support.confirmation import confirm_signing, counter_headers, http_poster


def _publish(db: str, kind: str, path) -> dict:
    code, out = _cli(db, "publish", "--kind", kind, "--file", str(path))
    assert code == 0, out
    return out


def _settings():
    return load_settings(resolve_paths().settings_file)


def test_signed_files_are_verified_before_they_are_installed(activated, signed_files, services, capsys, tmp_path):
    base, db = activated
    services.close()
    _publish(db, "catalog", signed_files.catalog)
    _publish(db, "policy", signed_files.policy)
    _publish(db, "model_card", signed_files.models / "model_card.json")
    _publish(db, "model", signed_files.models / "scorecard.onnx")
    _publish(db, "blacklist", signed_files.blacklist)
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text("{}", encoding="utf-8")
    refused = _cli(db, "publish", "--kind", "update_manifest", "--file", str(unsigned))
    assert refused[0] == 1 and refused[1]["error"]["code"] == "not_publishable"
    out = _sync(base, capsys)
    assert out["downloads"] == ["catalog", "policy", "blacklist", "model_card"] and out["downloads_refused"] == []
    home = os.environ["FENQI_HOME"]
    settings = _settings()
    assert settings.catalog_file.startswith(home) and settings.model_dir.startswith(home)
    assert settings.policy_file.startswith(home)
    assert load_catalog(settings).products  # the installed copy verifies
    from app.scoring.model import Scorecard

    assert Scorecard.load(settings).version
    assert _sync(base, capsys)["downloads"] == []  # nothing changed: nothing fetched
    # A catalog changed after signing (its old signature beside it) is refused and changes nothing.
    tampered = tmp_path / "products.json"
    doc = json.loads(signed_files.catalog.read_text(encoding="utf-8"))
    doc["products"][0]["annual_rate"] = "0.01"
    tampered.write_text(json.dumps(doc), encoding="utf-8")
    shutil.copy(signed_files.catalog.with_name("products.json.sig"), tmp_path / "products.json.sig")
    _publish(db, "catalog", tampered)
    installed = Path(settings.catalog_file).read_bytes()
    out = _sync(base, capsys)
    assert out["downloads"] == [] and out["downloads_refused"][0].startswith("catalog:")
    assert _settings().catalog_file == settings.catalog_file
    assert Path(settings.catalog_file).read_bytes() == installed


def test_the_lender_decides_on_arrival_as_the_counter_would(activated, signed_files, services, capsys, tmp_path):
    base, db = activated
    catalog = load_catalog(signed_files.settings)
    _publish(db, "catalog", signed_files.catalog)
    _publish(db, "policy", signed_files.policy)  # without the lender's policy every arrival goes to a reviewer
    _publish(db, "model_card", signed_files.models / "model_card.json")
    _publish(db, "model", signed_files.models / "scorecard.onnx")
    listed_person = _customer()
    blacklist = tmp_path / "lender-blacklist.json"
    key = os.urandom(32)
    blacklist.write_text(
        json.dumps(
            {
                "format": "fenqi-blacklist-1",
                "version": f"test-{uuid.uuid4().hex[:6]}",
                "hmac_key": base64.b64encode(key).decode(),
                "entries": [{"kind": "phone", "digest": blacklist_digest(key, "phone", listed_person.phone).hex()}],
            }
        ),
        encoding="utf-8",
    )
    sign_file(blacklist, signed_files.key)
    _publish(db, "blacklist", blacklist)
    listed = _queued(services, catalog, listed_person)  # this counter has no blacklist yet
    services.prescreen.blacklist.import_file(blacklist, signed_files.settings)
    services.prescreen._blacklist_key = None
    plain_person = _customer()
    plain = _queued(services, catalog, plain_person)  # the counter now knows what the lender knows
    # The customer confirms the signing with the code sent to their phone, as at the counter: without it the
    # lender approves nothing automatically (its card is one the development bank matches).
    confirm_signing(http_poster(base, counter_headers(services)), data_dir_of(base), str(plain), plain_person.phone)
    with services.store.read() as session:
        counter = {
            a: session.scalar(
                select(PrescreenLog.decision).where(PrescreenLog.application_id == a).order_by(PrescreenLog.at.desc())
            )
            for a in (plain, listed)
        }
    services.close()
    assert counter[listed] != "decline"
    out = _sync(base, capsys)
    expected = {"approve": "approved", "refer": "referred"}[counter[plain]]
    assert _state(plain) == expected
    assert _state(listed) == "declined"
    declined = [d for d in out["decisions"] if d["decision"] == "declined"]
    assert len(declined) == 1
    from central.db import Decision, open_database

    with open_database(db)() as session:
        reasons = json.loads(session.scalar(select(Decision.reasons).where(Decision.application_id == str(listed))))
    assert [r["code"] for r in reasons][:1] == ["blacklisted_phone"]
