"""The lender's signed policy on both sides, against the real reference server on loopback (SQLite and
PostgreSQL): the counter's pre-screen and the lender's decision judge by the same published document (a stricter
policy the lender signs and publishes declines at its new limits on the server and, once synced down, on the
counter); without a published policy nothing is decided automatically; and a new application within the policy's
cool-off after a decline of the same person is flagged `reapplied_after_decline` and referred."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.domain.catalog import load_catalog
from app.kernel.paths import resolve_paths
from app.kernel.settings import load_settings
from app.security.signing import sign_file
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.integration.test_lender_files import _publish
from tests.integration.test_sync_exchange import _cli, _customer, _queued, _state, _sync

REAPPLIED = "reapplied_after_decline"


@pytest.fixture
def activated(server, signed_files, capsys):
    """This PC activated as the counter of S001, whose roster at the lender holds the clerk the tests file as."""
    from app.cli import main

    base, db = server
    code = _central(db, "store", "add", "--store", "S001", "--region", "BJ")["activation_code"]
    put = ("staff", "put", "--store", "S001", "--login", "sales01", "--name", "王晓明", "--role", "sales")
    assert _cli(db, *put, stdin="135790\n")[0] == 0
    assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code, "--json"]) == 0
    capsys.readouterr()
    return base, db


def _policy(folder: Path, key, **changes: object) -> Path:
    """The shipped policy with `changes`, signed with `key` (the lender's, in these tests the fixture's)."""
    from app.domain.policy import shipped_policy_path

    doc = {**json.loads(shipped_policy_path().read_text(encoding="utf-8")), **changes}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "policy.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    sign_file(path, key)
    return path


def _publish_all_but_policy(db: str, signed_files) -> None:
    _publish(db, "catalog", signed_files.catalog)
    _publish(db, "model_card", signed_files.models / "model_card.json")
    _publish(db, "model", signed_files.models / "scorecard.onnx")
    _publish(db, "blacklist", signed_files.blacklist)


def _reasons(db: str, application_id) -> list[dict[str, str]]:
    from central.db import Decision, open_database

    with open_database(db)() as session:
        row = session.scalar(
            select(Decision.reasons).where(Decision.application_id == str(application_id)).order_by(Decision.seq.desc())
        )
    return json.loads(row)


def _review(db: str, application_id, decision: str) -> None:
    code, out = _cli(
        db, "applications", "review", "--application", str(application_id), "--decision", decision, "--reason", "t"
    )
    assert code == 0, out


def _refused(out: dict, kind: str) -> list[str]:
    """The refusals of `kind` in a sync's answer (the server lives for the module: files other tests published,
    signed with their own keys, are refused here too)."""
    return [r for r in out["downloads_refused"] if r.startswith(f"{kind}:")]


def _fresh_services():
    from app.services import build_services

    return build_services()


def test_counter_and_lender_judge_by_the_same_published_policy(activated, signed_files, services, capsys, tmp_path):
    base, db = activated
    catalog = load_catalog(signed_files.settings)
    _publish_all_but_policy(db, signed_files)
    person = _customer()
    # Without a published policy the lender decides nothing by itself (as without a model).
    before = _queued(services, catalog, person)
    services.close()
    assert _sync(base, capsys)["sent"] == 1
    assert _state(before) == "referred"
    # (and the customer did not confirm the signing with a code: a reviewer calls them)
    assert [r["code"] for r in _reasons(db, before)] == ["manual_review", "confirmation_pending"]

    # The lender signs a stricter policy and publishes it. An application the counter pre-screened under the old
    # one arrives after: the lender declines it at the new limits.
    stricter = _policy(tmp_path / "lender", signed_files.key, version=2, age_max=40, max_debt_service_percent=15)
    _publish(db, "policy", stricter)
    services = _fresh_services()
    queued = _queued(services, catalog, _customer())
    services.close()
    out = _sync(base, capsys)
    assert out["sent"] == 1 and "policy" in out["downloads"] and out["downloads_refused"] == []
    assert _state(queued) == "declined"
    server_reasons = {r["code"]: r["text"] for r in _reasons(db, queued)}
    assert {"age_out_of_range", "debt_service_too_high"} <= set(server_reasons)
    assert "18 to 40" in server_reasons["age_out_of_range"]
    assert "at most 15 percent" in server_reasons["debt_service_too_high"]

    # The counter installed the very document the lender published, verified, and pre-screens by it.
    settings = load_settings(resolve_paths().settings_file)
    assert settings.policy_file.startswith(os.environ["FENQI_HOME"])
    assert Path(settings.policy_file).read_bytes() == stricter.read_bytes()
    services = _fresh_services()
    try:
        assert services.prescreen.policy().version == 2
        from zoneinfo import ZoneInfo

        from app.scoring.request import PurchaseRequest, request_from_form

        moment = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=14)
        purchase = PurchaseRequest("GOODS", Decimal("4999.00"), Decimal("1000.00"), 12)
        result = services.prescreen.prescreen(request_from_form(person, purchase, moment, "sales01"), catalog)
    finally:
        services.close()
    counter_reasons = {f.code: f.text for f in result.reasons}
    assert result.decision == "decline"
    assert "18 to 40" in counter_reasons["age_out_of_range"]
    assert "at most 15 percent" in counter_reasons["debt_service_too_high"]


def test_an_older_policy_never_replaces_a_newer_one(activated, signed_files, services, capsys, tmp_path) -> None:
    """A signed policy with a lower version than the one in force is refused at sync and changes nothing."""
    base, db = activated
    services.close()
    _publish(db, "policy", _policy(tmp_path / "v3", signed_files.key, version=3))
    assert "policy" in _sync(base, capsys)["downloads"]
    installed = load_settings(resolve_paths().settings_file).policy_file
    content = Path(installed).read_bytes()
    _publish(db, "policy", _policy(tmp_path / "v2", signed_files.key, version=2, max_debt_service_percent=100))
    out = _sync(base, capsys)
    assert "policy" not in out["downloads"] and _refused(out, "policy")
    assert Path(installed).read_bytes() == content
    # And one changed after signing is refused like any tampered file.
    tampered = _policy(tmp_path / "v9", signed_files.key, version=9)
    tampered.write_text(tampered.read_text(encoding="utf-8").replace('"age_max": 60', '"age_max": 99'))
    _publish(db, "policy", tampered)
    out = _sync(base, capsys)
    assert "policy" not in out["downloads"] and _refused(out, "policy")
    assert Path(installed).read_bytes() == content


def test_a_new_application_within_the_cooloff_after_a_decline_is_referred(
    activated, signed_files, services, capsys, tmp_path
) -> None:
    base, db = activated
    catalog = load_catalog(signed_files.settings)
    person, other = _customer(), _customer()
    _publish_all_but_policy(db, signed_files)
    # The lender's policy at first has the applicant (46) too old: their first application is declined on arrival.
    _publish(db, "policy", _policy(tmp_path / "v10", signed_files.key, version=10, age_max=40))
    first = _queued(services, catalog, person)  # the counter still judges by the policy it has (18 to 60)
    services.close()
    assert _sync(base, capsys)["sent"] == 1
    assert _state(first) == "declined"
    # Then it is the usual 18 to 60 again, with 30 days of cool-off after a decline.
    _publish(db, "policy", _policy(tmp_path / "v11", signed_files.key, version=11))
    assert "policy" in _sync(base, capsys)["downloads"]
    # The same person applies again (a new application, not a revision), and someone else with the same figures.
    services = _fresh_services()
    again = _queued(services, catalog, person)
    control = _queued(services, catalog, other)
    services.close()
    assert _sync(base, capsys)["sent"] == 2
    assert _state(again) == "referred"
    flagged = {r["code"]: r["text"] for r in _reasons(db, again)}
    assert REAPPLIED in flagged and "30-day cool-off" in flagged[REAPPLIED]
    assert dt.datetime.now(dt.UTC).date().isoformat() in flagged[REAPPLIED]  # the day of the decline
    assert REAPPLIED not in {r["code"] for r in _reasons(db, control)}
    assert _state(control) in ("approved", "referred")

    # A decline older than the cool-off is not held against the person.
    from central.db import Decision, SubmittedApplication, open_database

    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
    with open_database(db).begin() as session:
        session.execute(update(Decision).where(Decision.application_id == str(first)).values(decided_at=long_ago))
        session.execute(
            update(SubmittedApplication)
            .where(SubmittedApplication.application_id == str(first))
            .values(received_at=long_ago)
        )
    services = _fresh_services()
    later = _queued(services, catalog, person)
    services.close()
    _sync(base, capsys)
    assert REAPPLIED not in {r["code"] for r in _reasons(db, later)}
    # The referred second application is declined by a reviewer now: that decline is within the cool-off.
    _review(db, again, "declined")
    services = _fresh_services()
    last = _queued(services, catalog, person)
    services.close()
    _sync(base, capsys)
    assert REAPPLIED in {r["code"] for r in _reasons(db, last)} and _state(last) == "referred"
