"""Everything a sync does besides sending applications, against the real reference server on loopback: the
lender's signed files downloaded, verified and installed (a tampered one refused); the lender's decision on
arrival, which is the counter's own assessment plus what only the lender knows; reviewers who sign in and
decide; rosters synced down; sync health and the audit head anchored (a deleted tail raises an alarm);
velocity counted across the store's PCs; attachments by SHA-256; cancellations; a revoked PC told why."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
import requests
from sqlalchemy import select

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.storage.models import Application, Attachment, OutboxItem
from app.storage.outbox import payload_of
from app.sync.submission import SubmissionService
from app.wire.keys import idempotency_key
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.integration.test_sync import activated  # noqa: F401 - this PC activated for S001
from tests.support.applications import CLERK, GOOD, given, quoted_application, signature
from tests.support.wire_bodies import submission_body


def _cli(db: str, *args: str, stdin: str = "") -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", *args, "--db", db, "--json"], input=stdin, capture_output=True, text=True
    )
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}


def _queued(services, catalog, form=None) -> uuid.UUID:
    application_id, terms = quoted_application(services, catalog, form or _customer())
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF-1.4 x"
    )
    SubmissionService(services.store).queue(CLERK, application_id)
    return application_id


def _sync(base: str, capsys) -> dict:
    assert main(["sync", "--server", base, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _state(application_id: uuid.UUID) -> str:
    from app.services import build_services

    services = build_services()
    try:
        with services.store.read() as session:
            return session.get(Application, application_id).state
    finally:
        services.close()


_people = iter(range(1, 10_000))


def _customer():
    """A different valid customer each time: the server lives for the module, and one person applying in every
    test would soon trip the velocity flags."""
    import dataclasses

    from app.domain.identity import make_resident_id

    i = next(_people) + 300
    return dataclasses.replace(
        GOOD,
        id_number=make_resident_id("440305", dt.date(1980, 1, 1) + dt.timedelta(days=i), 100 + i % 800),
        phone=f"1377{i:07d}",
        birth_date="",
    )


def test_a_reviewer_signs_in_and_decides_and_the_counter_hears(activated, signed_files, services, capsys) -> None:
    base, db = activated
    application_id = _queued(services, load_catalog(signed_files.settings))
    services.close()
    assert _sync(base, capsys)["sent"] == 1
    assert _state(application_id) == "referred"  # no model published: every arrival goes to a reviewer
    assert (
        _cli(db, "account", "add", "--role", "reviewer", "--region", "BJ", "--username", "rev1", stdin="Review2026x\n")[
            0
        ]
        == 0
    )
    assert (
        _cli(
            db,
            "account",
            "add",
            "--role",
            "regional_manager",
            "--region",
            "BJ",
            "--username",
            "rm1",
            stdin="Region2026x\n",
        )[0]
        == 0
    )
    weak = _cli(db, "account", "add", "--role", "reviewer", "--region", "BJ", "--username", "rev2", stdin="short\n")
    assert weak[0] == 1 and weak[1]["error"]["code"] == "bad_account"
    wrong = requests.post(f"{base}/v1/sessions", json={"username": "rev1", "password": "nope"}, timeout=5)
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "sign_in_refused"
    manager = requests.post(f"{base}/v1/sessions", json={"username": "rm1", "password": "Region2026x"}, timeout=5)
    refused = requests.post(
        f"{base}/v1/reviews/{application_id}",
        json={"decision": "approved"},
        headers={"Authorization": f"Bearer {manager.json()['token']}"},
        timeout=5,
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_a_reviewer"
    session = requests.post(f"{base}/v1/sessions", json={"username": "rev1", "password": "Review2026x"}, timeout=5)
    assert session.status_code == 201 and session.json()["role"] == "reviewer"
    auth = {"Authorization": f"Bearer {session.json()['token']}"}
    queue = requests.get(f"{base}/v1/reviews", headers=auth, timeout=5).json()["referred"]
    assert str(application_id) in [q["application_id"] for q in queue]
    decided = requests.post(
        f"{base}/v1/reviews/{application_id}",
        json={"decision": "declined", "reason": "收入无法核实"},
        headers=auth,
        timeout=5,
    )
    assert decided.status_code == 200 and decided.json()["status"] == "declined"
    again = requests.post(f"{base}/v1/reviews/{application_id}", json={"decision": "approved"}, headers=auth, timeout=5)
    assert again.status_code == 409  # decided once
    out = _sync(base, capsys)
    assert [d["decision"] for d in out["decisions"]] == ["declined"]
    assert _state(application_id) == "declined"


def test_fenqi_login_keeps_a_short_lived_token_in_the_secret_store(activated, monkeypatch, capsys) -> None:
    import io

    base, db = activated
    _cli(
        db, "account", "add", "--role", "regional_manager", "--region", "GD", "--username", "rm2", stdin="Region2026y\n"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-password\n"))
    assert main(["login", "--server", base, "--username", "rm2", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "sign_in_refused"
    monkeypatch.setattr("sys.stdin", io.StringIO("Region2026y\n"))
    assert main(["login", "--server", base, "--username", "rm2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["username"], out["role"], out["region"]) == ("rm2", "regional_manager", "GD")
    expires = dt.datetime.fromisoformat(out["expires_at"])
    assert dt.timedelta(0) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=1)
    from app.services import build_services

    services = build_services()
    try:
        kept = json.loads(services.secrets.get("central-session"))
    finally:
        services.close()
    assert kept["token"] and kept["server"] == base and "Region2026y" not in json.dumps(kept)


def test_the_roster_is_kept_centrally_and_synced_down(activated, services, capsys) -> None:
    from app.office.staff import SignInRefused

    base, db = activated
    member = ("staff", "put", "--store", "S001", "--login", "sales09", "--name", "王九", "--role", "sales")
    code, out = _cli(db, *member, stdin="246813\n")
    assert code == 0 and out["roster_version"] >= 1
    assert _sync(base, capsys)["roster_members"] >= 1
    assert services.staff.sign_in("sales09", "246813").role.value == "sales"
    _cli(db, *member, "--inactive", "--keep-secret")
    assert _sync(base, capsys)["roster_members"] >= 1
    with pytest.raises(SignInRefused):
        services.staff.sign_in("sales09", "246813")
    assert _sync(base, capsys)["roster_members"] is None  # unchanged roster: not fetched again


def test_sync_health_and_the_audit_head_are_anchored_and_a_deleted_tail_is_caught(
    activated, signed_files, services, capsys
) -> None:
    base, db = activated
    _queued(services, load_catalog(signed_files.settings))
    with services.store.read() as session:
        from app.storage.models import AuditEntry

        head = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    assert _sync(base, capsys)["audit_alarm"] is None
    devices = _central(db, "device", "list")
    mine = [d for d in devices if d["audit_seq"] is not None and d["audit_seq"] >= head]
    assert mine and mine[-1]["pending"] == 0 and mine[-1]["dead_letters"] == 0 and mine[-1]["audit_alarm"] is None
    with services.store.engine.begin() as conn:  # someone removes the log's last entries
        conn.exec_driver_sql("DELETE FROM audit_log WHERE seq > ?", (head - 2,))
    out = _sync(base, capsys)
    assert out["audit_alarm"] and out["audit_alarm"].startswith("audit_tail_deleted")
    assert main(["sync", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["audit_alarm"].startswith("audit_tail_deleted")
    assert any((d["audit_alarm"] or "").startswith("audit_tail_deleted") for d in _central(db, "device", "list"))


def _other_pc_submits(base: str, db: str, id_number: str, phone: str) -> None:
    """Another counter PC of the same store files an application with this ID number and phone."""
    code = _central(db, "store", "add", "--store", "S001", "--region", "BJ")["activation_code"]
    token = requests.post(f"{base}/v1/devices/activate", json={"store": "S001", "code": code}, timeout=5).json()[
        "token"
    ]
    application_id = str(uuid.uuid4())
    body = submission_body(application_id, financed=None, customer={"id_number": id_number, "phone": phone})
    reply = requests.put(
        f"{base}/v1/applications/{application_id}",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": idempotency_key(application_id, 1)},
        timeout=10,
    )
    assert reply.status_code == 201


def test_velocity_counts_cover_every_pc_of_the_store(activated, signed_files, services, capsys) -> None:
    from zoneinfo import ZoneInfo

    from app.scoring.request import PurchaseRequest, request_from_form

    base, db = activated
    person = _customer()
    catalog = load_catalog(signed_files.settings)
    moment = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=14)
    request = request_from_form(person, PurchaseRequest("GOODS", GOOD_PRICE, GOOD_DOWN, 12), moment, None)
    before = services.prescreen.prescreen(request, catalog, record=False)
    assert "phone_velocity" not in [f.code for f in before.flags]
    for _ in range(2):
        _other_pc_submits(base, db, person.id_number, person.phone)
    _sync(base, capsys)
    services.prescreen._shared_key_checked = -1e9  # as a minute later
    after = services.prescreen.prescreen(request, catalog, record=False)
    assert {"phone_velocity", "id_velocity"} <= {f.code for f in after.flags}


def test_attachments_reach_the_lender_by_their_hash(activated, signed_files, services, capsys) -> None:
    from central.db import StoredAttachment, open_database

    base, db = activated
    application_id = _queued(services, load_catalog(signed_files.settings))
    with services.store.read() as session:
        body = payload_of(
            services.store,
            session.scalar(select(OutboxItem).where(OutboxItem.application_id == application_id)),
        )
    _sync(base, capsys)
    with open_database(db)() as session:
        stored = {row.sha256: row.content for row in session.scalars(select(StoredAttachment))}
    for kind in ("contract_sha256", "signature_strokes_sha256", "terms_sha256"):
        assert hashlib.sha256(stored[body[kind]]).hexdigest() == body[kind]
    assert stored[body["contract_sha256"]] == b"%PDF-1.4 x"
    with services.store.read() as session:
        assert all(
            a.sent_at is not None
            for a in session.scalars(select(Attachment).where(Attachment.application_id == application_id))
        )
    other = b"other"
    bad = requests.put(
        f"{base}/v1/attachments/{hashlib.sha256(other).hexdigest()}",
        data=other,
        headers={"Authorization": "Bearer nope"},
        timeout=5,
    )
    assert bad.status_code == 401


def test_a_cancellation_is_asked_of_the_lender_and_confirmed(activated, signed_files, services, capsys) -> None:
    base, db = activated
    catalog = load_catalog(signed_files.settings)
    waiting, decided = _queued(services, catalog), _queued(services, catalog)
    with services.store.read() as session:
        refs = {i: session.get(Application, i).reference for i in (waiting, decided)}
    services.close()
    _sync(base, capsys)
    _central(db, "applications", "review", "--application", str(decided), "--decision", "approved")
    assert main(["applications", "cancel", refs[waiting], "--reason", "客户改变主意", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"reference": refs[waiting], "cancelled": False, "requested": True}
    assert main(["applications", "cancel", refs[waiting], "--reason", "again", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "already_requested"
    assert main(["applications", "cancel", refs[decided], "--reason", "too late", "--json"]) == 0  # not yet heard
    capsys.readouterr()
    out = _sync(base, capsys)
    assert _state(waiting) == "cancelled"
    assert _state(decided) == "approved" and out["dead_letters"] == 1  # the lender refused: already approved
    assert main(["applications", "cancel", refs[waiting], "--reason", "x", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "not_cancellable"


def test_a_revoked_pc_stops_syncing_and_is_told_why(activated, signed_files, services, capsys) -> None:
    base, db = activated
    _queued(services, load_catalog(signed_files.settings))
    services.close()
    devices = _central(db, "device", "list")
    newest = max(devices, key=lambda d: d["reported_at"] or "")  # not this one: it has not synced yet
    mine = [d for d in devices if d["reported_at"] is None][-1]
    assert newest["device_id"] != mine["device_id"]
    _central(db, "device", "revoke", "--device", mine["device_id"], "--reason", "PC reported stolen")
    assert main(["sync", "--server", base, "--json"]) == 3
    out = json.loads(capsys.readouterr().out)
    assert out["error"]["code"] == "device_revoked" and "PC reported stolen" in out["error"]["message"]
    assert main(["sync", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pending"] == 1  # nothing lost


GOOD_PRICE, GOOD_DOWN = Decimal("4999.00"), Decimal("1000.00")
