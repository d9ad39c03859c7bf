"""Reports across PCs and stores, against the real reference server on loopback: a counter's store report
includes the store's other PCs as far as sync has brought them (and follows the lender's later decisions);
a regional manager reads the region's report with `fenqi login` and `fenqi report region`, which opens from
its saved copy when the server cannot be reached; a reviewer is refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
import requests
from sqlalchemy import select

from app.cli import main
from app.domain.catalog import load_catalog
from app.storage.models import Staff
from app.wire.keys import idempotency_key
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.integration.test_sync import activated  # noqa: F401 - this PC activated for S001
from tests.integration.test_sync_exchange import _cli, _customer, _queued, _sync
from tests.support.wire_bodies import submission_body


def _other_pc(base: str, db: str) -> str:
    code = _central(db, "store", "add", "--store", "S001", "--region", "BJ")["activation_code"]
    return requests.post(f"{base}/v1/devices/activate", json={"store": "S001", "code": code}, timeout=5).json()["token"]


def _submit(base: str, token: str, staff_id: uuid.UUID, created: dt.datetime, price: str) -> str:
    application_id = str(uuid.uuid4())
    person = _customer()
    body = submission_body(
        application_id,
        staff_id=str(staff_id),
        created_at=created.isoformat(),
        financed="3000.00",
        price=price,
        customer={"id_number": person.id_number, "phone": person.phone},
    )
    reply = requests.put(
        f"{base}/v1/applications/{application_id}",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": idempotency_key(application_id, 1)},
        timeout=10,
    )
    assert reply.status_code == 201, reply.text
    return application_id


def _store_report(capsys, day: dt.date) -> dict:
    assert main(["report", "store", "--from", day.isoformat(), "--to", day.isoformat(), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_store_report_includes_the_other_pcs_as_far_as_sync_brought_them(
    activated, signed_files, services, capsys
) -> None:
    base, db = activated
    today = dt.datetime.now(dt.UTC)
    day = services.reports.today()
    with services.store.read() as session:
        sales02 = session.scalar(select(Staff.id).where(Staff.login == "sales02"))
    own = _queued(services, load_catalog(signed_files.settings))
    services.close()
    token = _other_pc(base, db)
    theirs = [_submit(base, token, sales02, today, price) for price in ("4000.00", "6000.00")]
    before = _store_report(capsys, day)
    assert before["applications"] == 1 and before["other_pcs_as_of"] is None  # only this PC's, not yet synced

    _sync(base, capsys)  # sends ours, brings theirs
    report = _store_report(capsys, day)
    assert report["applications"] == 3 and report["other_pcs_as_of"] is not None
    assert report["by_state"]["referred"] == 3  # no model published: the lender refers every arrival
    mine = {s["staff"]: s["applications"] for s in report["staff"]}
    assert mine["sales02"] == 2
    goods = next(p for p in report["products"] if p["product"] == "GOODS")
    assert goods["applications"] == 3

    _cli(db, "account", "add", "--role", "reviewer", "--region", "BJ", "--username", "rev9", stdin="Review2026z\n")
    auth = requests.post(f"{base}/v1/sessions", json={"username": "rev9", "password": "Review2026z"}, timeout=5)
    headers = {"Authorization": f"Bearer {auth.json()['token']}"}
    for application_id, decision in ((theirs[0], "declined"), (str(own), "approved")):
        reply = requests.post(f"{base}/v1/reviews/{application_id}", json={"decision": decision}, headers=headers)
        assert reply.status_code == 200
    _sync(base, capsys)
    report = _store_report(capsys, day)
    assert report["applications"] == 3  # nothing counted twice
    assert (report["by_state"]["referred"], report["by_state"]["declined"], report["by_state"]["approved"]) == (1, 1, 1)
    assert report["approval_rate"] == "50.00"


def test_a_regional_manager_reads_the_region_and_keeps_a_copy_for_offline(activated, monkeypatch, capsys) -> None:
    base, db = activated
    _cli(
        db, "account", "add", "--role", "regional_manager", "--region", "BJ", "--username", "rm9", stdin="Region2026z\n"
    )
    _cli(db, "account", "add", "--role", "reviewer", "--region", "BJ", "--username", "rev8", stdin="Review2026w\n")
    day = dt.datetime.now(dt.UTC).date().isoformat()
    period = ["--from", "2026-01-01", "--to", day]

    assert main(["report", "region", *period, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "not_signed_in"

    monkeypatch.setattr("sys.stdin", io.StringIO("Review2026w\n"))
    assert main(["login", "--server", base, "--username", "rev8", "--json"]) == 0
    capsys.readouterr()
    assert main(["report", "region", *period, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "region_refused"  # reviewers have no region report

    monkeypatch.setattr("sys.stdin", io.StringIO("Region2026z\n"))
    assert main(["login", "--server", base, "--username", "rm9", "--json"]) == 0
    capsys.readouterr()
    assert main(["report", "region", *period, "--json"]) == 0
    online = json.loads(capsys.readouterr().out)
    assert online["region"] == "BJ" and online["from_cache"] is False
    assert "S001" in [s["store"] for s in online["stores"]]

    from app.domain.actor import Actor
    from app.domain.roles import Role
    from app.reports.period import Period
    from app.reports.region import SESSION, NotSignedIn
    from app.services import build_services

    services = build_services()
    try:  # the session is store IT's, who signed in at the command line: nobody else at the counter uses it
        clerk = Actor("sales01", Role.SALES, "王晓明", uuid.uuid4())
        assert services.region_reports.session(clerk) is None
        with pytest.raises(NotSignedIn):
            services.region_reports.report(clerk, Period(dt.date(2026, 1, 1), dt.date.fromisoformat(day)))
        services.region_reports.sign_out(clerk)  # not theirs to end
        assert services.region_reports.session(Actor.command_line()) is not None
        # The server goes away: the session now points at a port nobody listens on.
        kept = json.loads(services.secrets.get(SESSION))
        services.secrets.set(SESSION, json.dumps({**kept, "server": "http://127.0.0.1:9"}).encode())
    finally:
        services.close()
    assert main(["report", "region", *period, "--json"]) == 0
    offline = json.loads(capsys.readouterr().out)
    assert offline["from_cache"] is True and offline["as_of"] == online["as_of"]
    assert offline["stores"] == online["stores"]
    assert main(["report", "region", *period, "--online", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "region_offline"
    assert main(["report", "region", "--from", "2025-01-01", "--to", "2025-01-31", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "region_offline"  # never fetched: no copy
