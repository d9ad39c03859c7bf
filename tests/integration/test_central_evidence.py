"""Evidence at the lender (issue 20): which documents it lacks, an application naming one it lacks refused
without spending its key, the bank's check of the repayment card (the development bank's test cards), and the
judge that approves nothing the customer's phone did not confirm or the bank did not match — then what an
outsider gets: another store's PC, other ids, huge and malformed bodies (4xx in the error shape, never 5xx).
In process (FastAPI's TestClient) on the real database; the judge on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from app.domain.identity import make_resident_id
from app.domain.phone import normalize_mobile
from app.wire.keys import idempotency_key
from central import roster
from central.api import create_app
from central.bank import (
    TEST_CARD_HOLDER_MISMATCH,
    TEST_CARD_MATCH,
    TEST_CARD_NO_AUTO_DEBIT,
    TEST_CARD_PHONE_MISMATCH,
    TEST_CARD_UNAVAILABLE,
    DevelopmentBank,
)
from central.card_checks import APPLICATION_LIMITS, DEVICE_LIMITS, BankAnswers
from central.cli import main
from central.db import AuditEvent, CardCheck, Decision, StoredAttachment, SubmittedApplication, open_database
from central.demo_data import generate
from central.devices import activate, add_store
from central.judge import Evidence
from central.publications import publish
from central.sms import DevelopmentSms
from tests.support.central_db import KINDS, central_database
from tests.support.confirmation import client_poster, confirm_signing
from tests.support.wire_bodies import ID_NUMBER, submission_body

REPO = Path(__file__).resolve().parents[2]
_serial = itertools.count(1)


def _world(url: str, data: Path) -> Any:
    app = create_app(url)
    app.state.sms = DevelopmentSms(data)
    world = SimpleNamespace(app=app, factory=app.state.factory, data=data, headers={})
    for store in ("S001", "S002"):
        world.headers[store] = _device(world, store)
    return world


def _device(world: Any, store: str) -> dict[str, str]:
    """A new PC of `store` (added when new), as its Authorization header."""
    code = add_store(world.factory, store, "BJ")
    roster.put_member(world.factory, store, f"clerk{store.lower()}", "Clerk", "sales", "246810")
    return {"Authorization": f"Bearer {activate(world.factory, store, code).token}"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The server in process on SQLite, with stores S001 and S002 (region BJ) and a PC of each."""
    folder = tmp_path_factory.mktemp("evidence")
    built = _world(central_database("sqlite", folder), folder / "data")
    with TestClient(built.app) as client:
        built.client = client
        yield built


def _error(reply: Any, status: int, code: str) -> dict[str, Any]:
    assert reply.status_code == status, (reply.status_code, reply.text)
    body = reply.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return dict(body["error"])


def _upload(world: Any, content: bytes, store: str = "S001") -> str:
    sha = hashlib.sha256(content).hexdigest()
    reply = world.client.put(
        f"/v1/attachments/{sha}", content=content, headers={**world.headers[store], "Content-Type": "image/jpeg"}
    )
    assert reply.status_code in (200, 201), reply.text
    return sha


def _put(world: Any, body: dict[str, Any], store: str = "S001") -> Any:
    key = idempotency_key(body["application_id"], body["revision"])
    return world.client.put(
        f"/v1/applications/{body['application_id']}",
        json=body,
        headers={**world.headers[store], "Idempotency-Key": key},
    )


def _card_check(world: Any, application_id: str, card: str, store: str = "S001", **more: Any) -> Any:
    body = {"card_number": card, "name": "李四", "id_number": ID_NUMBER, "phone": "13800138000", **more}
    return world.client.post(f"/v1/applications/{application_id}/card-check", json=body, headers=world.headers[store])


def _audit(world: Any, application_id: str) -> list[tuple[str, dict[str, Any]]]:
    with world.factory() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.object_id == application_id).order_by(AuditEvent.seq)
        )
        return [(row.action, json.loads(row.detail)) for row in rows]


def _checks(world: Any, application_id: str) -> list[CardCheck]:
    with world.factory() as session:
        return list(
            session.scalars(select(CardCheck).where(CardCheck.application_id == application_id).order_by(CardCheck.id))
        )


# --- Documents ------------------------------------------------------------------------------------------------


def test_the_lender_says_which_documents_it_lacks_and_keeps_their_sizes(world) -> None:
    held = _upload(world, b"\xff\xd8 a held photo " + uuid.uuid4().bytes)
    lacking = [hashlib.sha256(uuid.uuid4().bytes).hexdigest() for _ in range(2)]
    reply = world.client.post(
        "/v1/attachments/missing",
        json={"sha256": [lacking[0], held, lacking[1], lacking[0]]},
        headers=world.headers["S002"],  # held by hash for every store: knowing the hash means having had the bytes
    )
    assert reply.status_code == 200 and reply.json() == {"missing": lacking}
    with world.factory() as session:
        assert session.get(StoredAttachment, held).size == len(b"\xff\xd8 a held photo ") + 16
    assert world.client.post("/v1/attachments/missing", json={"sha256": []}, headers=world.headers["S001"]).json() == {
        "missing": []
    }


@pytest.mark.parametrize(
    "body",
    [
        {"sha256": ["A" * 64]},  # upper case: not the hex a hash is written in
        {"sha256": ["0" * 63]},
        {"sha256": ["0" * 64] * 501},  # more than a query may ask
        {"sha256": "0" * 64},
        {"sha256": [64]},
        {},
        {"sha256": [], "extra": 1},
    ],
)
def test_a_malformed_hash_query_is_refused(world, body) -> None:
    reply = world.client.post("/v1/attachments/missing", json=body, headers=world.headers["S001"])
    _error(reply, 422, "invalid")


def test_an_application_naming_a_missing_document_is_refused_without_spending_its_key(world) -> None:
    photo = b"\xff\xd8 live photo " + uuid.uuid4().bytes
    front = b"\xff\xd8 id front " + uuid.uuid4().bytes
    front_sha = _upload(world, front)
    photo_sha = hashlib.sha256(photo).hexdigest()
    evidence = [{"kind": "id_front", "sha256": front_sha}, {"kind": "live_photo", "sha256": photo_sha}]
    body = submission_body(evidence=evidence, live_photo_check="passed")
    refused = _error(_put(world, body), 409, "attachments_missing")
    assert refused["missing"] == [photo_sha]
    assert _error(_put(world, body), 409, "attachments_missing")["missing"] == [photo_sha]  # not replayed: asked again
    assert ("evidence.missing", {"missing": [photo_sha], "revision": 1}) in _audit(world, body["application_id"])
    _upload(world, photo)
    taken = _put(world, body)  # the same key, now that the documents are there
    assert taken.status_code == 201, taken.text
    replay = _put(world, body)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == taken.json()


def test_a_batch_refuses_the_item_that_names_a_missing_document_and_takes_the_others(world) -> None:
    photo = b"\xff\xd8 batch photo " + uuid.uuid4().bytes
    lacking = submission_body(evidence=[{"kind": "live_photo", "sha256": hashlib.sha256(photo).hexdigest()}])
    plain = submission_body()
    items = [
        {"application_id": b["application_id"], "idempotency_key": idempotency_key(b["application_id"], 1), "body": b}
        for b in (lacking, plain)
    ]
    reply = world.client.post("/v1/applications/batch", json={"items": items}, headers=world.headers["S001"])
    results = reply.json()["results"]
    assert [r["status_code"] for r in results] == [409, 201]
    assert results[0]["body"]["error"]["code"] == "attachments_missing"
    _upload(world, photo)
    again = world.client.post("/v1/applications/batch", json={"items": items}, headers=world.headers["S001"])
    assert [(r["status_code"], r["replayed"]) for r in again.json()["results"]] == [(201, False), (201, True)]


def test_two_documents_of_one_kind_are_refused(world) -> None:
    sha = _upload(world, b"\xff\xd8 twice " + uuid.uuid4().bytes)
    body = submission_body(evidence=[{"kind": "id_front", "sha256": sha}, {"kind": "id_front", "sha256": sha}])
    _error(_put(world, body), 422, "duplicate_evidence")
    assert _audit(world, body["application_id"]) == [
        ("evidence.duplicate", {"kinds": ["id_front", "id_front"], "revision": 1})
    ]
    too_many = [{"kind": "id_front", "sha256": sha}] * 17
    bad = {**submission_body(), "evidence": too_many}
    _error(_put(world, bad), 422, "invalid")
    unknown_kind = {**submission_body(), "evidence": [{"kind": "selfie", "sha256": sha}]}
    _error(_put(world, unknown_kind), 422, "invalid")


def test_the_evidence_command_lists_kinds_hashes_and_sizes(world, capsys) -> None:
    front, contract = b"\xff\xd8 front " + uuid.uuid4().bytes, b"%PDF-1.4 " + uuid.uuid4().bytes
    evidence = [
        {"kind": "id_front", "sha256": _upload(world, front)},
        {"kind": "contract", "sha256": _upload(world, contract)},
    ]
    body = submission_body(evidence=evidence)
    assert _put(world, body).status_code == 201
    db = world.factory.kw["bind"].url.render_as_string(hide_password=False)

    def cli(*args: str) -> tuple[int, str]:
        code = main(["applications", "evidence", "--db", db, *args])
        return code, capsys.readouterr().out

    code, out = cli("--application", body["application_id"], "--json")
    assert code == 0, out
    assert json.loads(out) == {
        "application_id": body["application_id"],
        "items": [
            {"kind": "id_front", "sha256": evidence[0]["sha256"], "size": len(front)},
            {"kind": "contract", "sha256": evidence[1]["sha256"], "size": len(contract)},
        ],
    }
    code, out = cli("--application", body["application_id"])
    assert code == 0 and out.split() == [
        "id_front",
        evidence[0]["sha256"],
        str(len(front)),
        "contract",
        evidence[1]["sha256"],
        str(len(contract)),
    ]
    for unknown in (str(uuid.uuid4()), "not-an-id"):
        code, out = cli("--application", unknown, "--json")
        assert code == 1 and json.loads(out)["error"]["code"] == "not_found"
    with pytest.raises(SystemExit):
        cli("--help")
    assert "Error codes: not_found." in capsys.readouterr().out


# --- The card check -------------------------------------------------------------------------------------------


def test_the_development_bank_answers_each_test_card_and_the_rest_by_the_luhn_rule() -> None:
    bank = DevelopmentBank()
    answers = {
        card: bank.verify(card, "李四", ID_NUMBER, "13800138000").value
        for card in (TEST_CARD_MATCH, TEST_CARD_PHONE_MISMATCH, TEST_CARD_NO_AUTO_DEBIT, TEST_CARD_HOLDER_MISMATCH)
    }
    assert answers == {
        TEST_CARD_MATCH: "match",
        TEST_CARD_PHONE_MISMATCH: "phone_mismatch",
        TEST_CARD_NO_AUTO_DEBIT: "no_auto_debit",
        TEST_CARD_HOLDER_MISMATCH: "holder_mismatch",
    }
    assert bank.verify("6222020200000000006", "王芳", ID_NUMBER, "13812345678").value == "match"  # Luhn-valid
    assert bank.verify("6222020200000000007", "王芳", ID_NUMBER, "13812345678").value == "holder_mismatch"
    from app.domain.customer_form import check_bank_card

    for card in (TEST_CARD_MATCH, TEST_CARD_PHONE_MISMATCH, TEST_CARD_NO_AUTO_DEBIT, TEST_CARD_HOLDER_MISMATCH):
        assert check_bank_card(card) == card  # a clerk can type every test card at the counter


def test_a_card_is_checked_kept_as_a_digest_and_audited_with_its_last_four_digits(world) -> None:
    application_id = str(uuid.uuid4())  # not arrived yet: the card is checked before signing
    results = {}
    for card in (TEST_CARD_PHONE_MISMATCH, TEST_CARD_NO_AUTO_DEBIT, TEST_CARD_HOLDER_MISMATCH, TEST_CARD_MATCH):
        reply = _card_check(world, application_id, card, phone="+86 138 0013 8000")
        assert reply.status_code == 200, reply.text
        results[card] = reply.json()["result"]
        assert dt.datetime.fromisoformat(reply.json()["checked_at"]).tzinfo is not None
    assert list(results.values()) == ["phone_mismatch", "no_auto_debit", "holder_mismatch", "match"]
    checks = _checks(world, application_id)
    assert [(c.result, c.source, c.store_code) for c in checks] == [(r, "counter", "S001") for r in results.values()]
    assert all(TEST_CARD_MATCH[:12].encode() not in c.elements_digest for c in checks)
    audit = _audit(world, application_id)
    assert [a for a, _ in audit] == ["card_check.checked"] * 4
    assert [d["card_last4"] for _a, d in audit] == [card[-4:] for card in results]
    for card in results:
        assert card not in json.dumps(audit) and "13800138000" not in json.dumps(audit)


def test_a_bank_that_cannot_answer_is_409_and_audited(world) -> None:
    application_id = str(uuid.uuid4())
    _error(_card_check(world, application_id, TEST_CARD_UNAVAILABLE), 409, "bank_unavailable")
    assert _checks(world, application_id) == []
    assert _audit(world, application_id) == [
        ("card_check.refused", {"outcome": "bank_unavailable", "card_last4": TEST_CARD_UNAVAILABLE[-4:]})
    ]


def test_another_stores_or_a_decided_application_gets_no_card_check(world) -> None:
    body = submission_body()
    assert _put(world, body).status_code == 201
    application_id = body["application_id"]
    _error(_card_check(world, application_id, TEST_CARD_MATCH, store="S002"), 404, "not_found")
    assert _card_check(world, application_id, TEST_CARD_MATCH).status_code == 200  # referred: still open
    cancelled = world.client.post(
        f"/v1/applications/{application_id}/cancellation",
        json={"reason": "changed their mind"},
        headers={**world.headers["S001"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert cancelled.status_code == 200
    _error(_card_check(world, application_id, TEST_CARD_MATCH), 409, "already_decided")
    checks = [(c.source, c.store_code) for c in _checks(world, application_id)]
    assert checks == [("arrival", "S001"), ("counter", "S001")]  # none for the other store's PC
    refused = [d["outcome"] for a, d in _audit(world, application_id) if a == "card_check.refused"]
    assert refused == ["not_found", "already_decided"]


def test_card_checks_are_limited_per_application_and_per_device(world) -> None:
    headers = _device(world, "S001")  # a PC of its own: the limits count per device
    world.headers["limited"] = headers
    application_id = str(uuid.uuid4())
    per_application = APPLICATION_LIMITS[0].count
    for _ in range(per_application):
        assert _card_check(world, application_id, TEST_CARD_MATCH, store="limited").status_code == 200
    limited = _card_check(world, application_id, TEST_CARD_MATCH, store="limited")
    _error(limited, 429, "rate_limited")
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    others = (str(uuid.uuid4()) for _ in itertools.count())
    for _ in range(DEVICE_LIMITS[0].count - per_application - 1):
        assert _card_check(world, next(others), TEST_CARD_MATCH, store="limited").status_code == 200
    limited = _card_check(world, next(others), TEST_CARD_MATCH, store="limited")
    _error(limited, 429, "rate_limited")
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert _card_check(world, next(others), TEST_CARD_MATCH).status_code == 200  # the store's other PC is not held


@pytest.mark.parametrize("kind", KINDS)
def test_workers_at_once_never_take_more_card_checks_than_the_limit(kind, tmp_path) -> None:
    """Sixteen checks of one application at once (threads, each its own connection, as workers would): exactly
    the application's limit is answered by the bank, the rest get 429."""
    from app.wire.evidence import CardCheckRequest
    from central.auth import Refused
    from central.card_checks import check_at_counter
    from central.db import Device
    from central.devices import device_for_token

    world = _world(central_database(kind, tmp_path), tmp_path / "data")
    device: Device | None = device_for_token(world.factory, world.headers["S001"]["Authorization"].split()[-1])
    assert device is not None
    request = CardCheckRequest(card_number=TEST_CARD_MATCH, name="李四", id_number=ID_NUMBER, phone="13800138000")
    application_id = str(uuid.uuid4())

    def check(_n: int) -> str:
        try:
            now = dt.datetime.now(dt.UTC)
            return check_at_counter(world.factory, DevelopmentBank(), device, application_id, request, now).result.value
        except Refused as refused:
            return refused.code

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(check, range(16)))
    assert sorted(answers) == ["match"] * APPLICATION_LIMITS[0].count + ["rate_limited"] * (
        16 - APPLICATION_LIMITS[0].count
    )
    assert len(_checks(world, application_id)) == APPLICATION_LIMITS[0].count
    world.factory.kw["bind"].dispose()


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"card_number": "6222-0000-0000-0017"}, 422, "invalid"),
        ({"card_number": "1" * 20}, 422, "invalid"),
        ({"card_number": 6222000000000017}, 422, "invalid"),
        ({"id_number": "11010519800101002"}, 422, "invalid"),
        ({"name": ""}, 422, "invalid"),
        ({"name": "李\u0000四"}, 422, "invalid"),
        ({"phone": "12345"}, 422, "bad_phone"),
        ({"phone": "1" * 30}, 422, "invalid"),
        ({"extra": "field"}, 422, "invalid"),
    ],
)
def test_a_malformed_card_check_is_refused(world, change, status, code) -> None:
    body = {"card_number": TEST_CARD_MATCH, "name": "李四", "id_number": ID_NUMBER, "phone": "13800138000", **change}
    reply = world.client.post(f"/v1/applications/{uuid.uuid4()}/card-check", json=body, headers=world.headers["S002"])
    _error(reply, status, code)


def test_outsiders_get_4xx_in_the_error_shape_never_5xx(world) -> None:
    good = {"card_number": TEST_CARD_MATCH, "name": "李四", "id_number": ID_NUMBER, "phone": "13800138000"}
    huge = b'{"sha256": ["' + b"0" * (2 * 1024 * 1024) + b'"]}'
    calls = [
        ("POST", "/v1/attachments/missing", {"json": {"sha256": []}}, {}, 401, "unauthenticated"),
        ("POST", f"/v1/applications/{uuid.uuid4()}/card-check", {"json": good}, {}, 401, "unauthenticated"),
        (
            "POST",
            f"/v1/applications/{uuid.uuid4()}/card-check",
            {"json": good},
            {"Authorization": "Bearer not-a-token"},
            401,
            "unauthenticated",
        ),
        ("POST", "/v1/applications/not-a-uuid/card-check", {"json": good}, world.headers["S001"], 422, "invalid"),
        (
            "POST",
            "/v1/attachments/missing",
            {"content": huge, "headers": {"Content-Type": "application/json"}},
            world.headers["S001"],
            413,
            "too_large",
        ),
        (
            "POST",
            "/v1/attachments/missing",
            {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
            world.headers["S001"],
            400,
            "bad_body",
        ),
        ("POST", "/v1/attachments/missing", {"json": [1, 2]}, world.headers["S001"], 422, "invalid"),
        (
            "POST",
            f"/v1/applications/{uuid.uuid4()}/card-check",
            {"json": {"a": {"b": [[[[[]]]]]}}},
            world.headers["S001"],
            422,
            "invalid",
        ),
        ("GET", "/v1/attachments/missing", {}, world.headers["S001"], 405, "method_not_allowed"),
    ]
    for method, path, kwargs, headers, status, code in calls:
        extra = kwargs.pop("headers", {})
        reply = world.client.request(method, path, headers={**headers, **extra}, **kwargs)
        assert reply.status_code < 500, (path, reply.text)
        _error(reply, status, code)


# --- The judge ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=KINDS)
def lender(request, tmp_path_factory):
    """The server in process with the shipped catalog, policy, scorecard and blacklist published, so arrivals
    are decided automatically; on SQLite and PostgreSQL."""
    folder = tmp_path_factory.mktemp("judge")
    built = _world(central_database(request.param, folder), folder / "data")
    for kind, path, signature in (
        ("catalog", REPO / "resources" / "catalog" / "products.json", b"signed"),
        ("policy", REPO / "resources" / "policy" / "policy.json", b"signed"),
        ("model_card", REPO / "models_onnx" / "model_card.json", b"signed"),
        ("model", REPO / "models_onnx" / "scorecard.onnx", None),
        ("blacklist", REPO / "resources" / "blacklist" / "demo.json", b"signed"),
    ):
        publish(built.factory, kind, path.read_bytes(), signature)
    with TestClient(built.app) as client:
        built.client = client
        yield built


def _applicant(card: str | None = TEST_CARD_MATCH, **more: Any) -> dict[str, Any]:
    """A good applicant the scorecard approves, a new person and phone each time (no velocity, no phone limit)."""
    n = next(_serial)
    customer = {
        "id_number": make_resident_id("110105", dt.date(1984, 1, 1) + dt.timedelta(days=n), 20 + n % 900),
        "phone": f"1391234{n:04d}",
        "job_type": "employee",
        "housing": "own",
        "years_at_job": 5,
        "monthly_expenses": "2000.00",
        "assets": "50000.00",
        "overdue_records": 0,
        "id_valid_until": "2036-01-01",
        "bank_card": card,
        **more,
    }
    return submission_body(customer=customer)


def _confirm(world: Any, body: dict[str, Any], phone: str | None = None) -> None:
    poster = client_poster(world.client, world.headers["S001"])
    confirm_signing(poster, world.data, body["application_id"], phone or body["customer"]["phone"])


def _decision(world: Any, application_id: str) -> tuple[str, list[str]]:
    with world.factory() as session:
        row = session.scalars(
            select(Decision).where(Decision.application_id == application_id).order_by(Decision.seq.desc())
        ).first()
        assert row is not None
        return row.decision, [r["code"] for r in json.loads(row.reasons)]


def _check_card(world: Any, body: dict[str, Any], card: str) -> str:
    customer = body["customer"]
    reply = world.client.post(
        f"/v1/applications/{body['application_id']}/card-check",
        json={
            "card_number": card,
            "name": customer["name"],
            "id_number": customer["id_number"],
            "phone": customer["phone"],
        },
        headers=world.headers["S001"],
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["result"])


def test_an_application_is_approved_only_when_confirmed_and_its_card_matches(lender) -> None:
    confirmed = _applicant()
    _confirm(lender, confirmed)
    assert _put(lender, confirmed).json()["status"] == "approved"
    assert _decision(lender, confirmed["application_id"]) == ("approved", [])
    [check] = _checks(lender, confirmed["application_id"])  # no counter check: the bank was asked on arrival
    assert (check.result, check.source) == ("match", "arrival")

    pending = _applicant()
    assert _put(lender, pending).json()["status"] == "referred"
    assert _decision(lender, pending["application_id"]) == ("referred", ["confirmation_pending"])

    elsewhere = _applicant()
    _confirm(lender, elsewhere, phone=_applicant()["customer"]["phone"])  # a code sent to another phone
    assert _decision_of_put(lender, elsewhere) == ("referred", ["confirmation_pending"])


def test_a_batch_approves_what_was_confirmed_and_matched(lender) -> None:
    confirmed, unconfirmed = _applicant(), _applicant()
    _confirm(lender, confirmed)
    items = [
        {"application_id": b["application_id"], "idempotency_key": idempotency_key(b["application_id"], 1), "body": b}
        for b in (confirmed, unconfirmed)
    ]
    reply = lender.client.post("/v1/applications/batch", json={"items": items}, headers=lender.headers["S001"])
    assert [r["body"]["status"] for r in reply.json()["results"]] == ["approved", "referred"]
    assert _decision(lender, unconfirmed["application_id"]) == ("referred", ["confirmation_pending"])


def _decision_of_put(world: Any, body: dict[str, Any]) -> tuple[str, list[str]]:
    reply = _put(world, body)
    assert reply.status_code in (200, 201), reply.text
    return _decision(world, body["application_id"])


@pytest.mark.parametrize("card", [TEST_CARD_PHONE_MISMATCH, TEST_CARD_NO_AUTO_DEBIT, TEST_CARD_UNAVAILABLE, None])
def test_a_card_the_bank_did_not_match_refers_a_confirmed_application(lender, card) -> None:
    body = _applicant(card)
    _confirm(lender, body)
    assert _decision_of_put(lender, body) == ("referred", ["card_unverified"])
    sources = [(c.result, c.source) for c in _checks(lender, body["application_id"])]
    expected = {TEST_CARD_PHONE_MISMATCH: "phone_mismatch", TEST_CARD_NO_AUTO_DEBIT: "no_auto_debit"}
    assert sources == ([(expected[card], "arrival")] if card in expected else [])


def test_the_counters_check_counts_and_another_card_is_checked_again(lender) -> None:
    body = _applicant(TEST_CARD_PHONE_MISMATCH)
    _confirm(lender, body)
    assert _check_card(lender, body, TEST_CARD_PHONE_MISMATCH) == "phone_mismatch"
    assert _decision_of_put(lender, body) == ("referred", ["card_unverified"])
    assert [c.source for c in _checks(lender, body["application_id"])] == ["counter"]  # the bank not asked again
    # The clerk gives another card, the bank matches it, and the corrected revision is approved.
    assert _check_card(lender, body, "6222020200000000006") == "match"
    corrected = submission_body(
        body["application_id"], 2, customer={**body["customer"], "bank_card": "6222020200000000006"}
    )
    assert _decision_of_put(lender, corrected) == ("approved", [])
    # A revision naming a card the counter checked under another phone is asked about again on arrival.
    other = _applicant(TEST_CARD_MATCH)
    _confirm(lender, other)
    assert (
        _check_card(lender, {**other, "customer": {**other["customer"], "phone": "13912340000"}}, TEST_CARD_MATCH)
        == "match"
    )
    assert _decision_of_put(lender, other) == ("approved", [])
    assert [c.source for c in _checks(lender, other["application_id"])] == ["counter", "arrival"]


def test_a_decline_stays_a_decline_and_the_bank_is_not_asked(lender) -> None:
    body = _applicant(monthly_income="0.00")
    decision, codes = _decision_of_put(lender, body)
    assert decision == "declined" and "no_income" in codes
    assert "confirmation_pending" not in codes and "card_unverified" not in codes
    assert _checks(lender, body["application_id"]) == []


def test_a_referral_for_other_reasons_names_the_pending_confirmation_and_the_card_too(lender) -> None:
    body = _applicant(TEST_CARD_HOLDER_MISMATCH, id_valid_until=None)  # the ID card's back was never scanned
    decision, codes = _decision_of_put(lender, body)
    assert decision == "referred"
    assert codes == ["confirmation_pending", "id_validity_unknown", "card_unverified"]  # reasons, then flags


# --- The evidence rules in a batch, and the bank asked with no database lock held --------------------------------


class _WatchingBank(DevelopmentBank):
    """The development bank, noting how many database connections are checked out each time it is asked: the
    arrival's transaction would hold one (and on SQLite the write lock) if the bank were asked inside it."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.held = engine, []

    def verify(self, card_number: str, name: str, id_number: str, phone: str) -> Any:
        self.held.append(self.engine.pool.checkedout())
        return super().verify(card_number, name, id_number, phone)


@contextmanager
def _bank(world: Any) -> Iterator[_WatchingBank]:
    """The server's bank watched for the length of the block."""
    kept = world.app.state.bank
    world.app.state.bank = bank = _WatchingBank(world.factory.kw["bind"])
    try:
        yield bank
    finally:
        world.app.state.bank = kept


def _batch(world: Any, bodies: list[dict[str, Any]]) -> list[str]:
    items = [
        {
            "application_id": b["application_id"],
            "idempotency_key": idempotency_key(b["application_id"], b["revision"]),
            "body": b,
        }
        for b in bodies
    ]
    reply = world.client.post("/v1/applications/batch", json={"items": items}, headers=world.headers["S001"])
    assert reply.status_code == 200, reply.text
    return [r["body"].get("status") or r["body"]["error"]["code"] for r in reply.json()["results"]]


def test_the_bank_is_asked_with_no_database_connection_held(lender) -> None:
    one, unchecked, unavailable = _applicant(), _applicant(), _applicant(TEST_CARD_UNAVAILABLE)
    declined = _applicant(monthly_income="0.00")
    for body in (one, unchecked, unavailable):
        _confirm(lender, body)
    with _bank(lender) as bank:
        assert _put(lender, one).json()["status"] == "approved"
        assert _batch(lender, [unchecked, unavailable, declined]) == ["approved", "referred", "declined"]
    assert bank.held == [0, 0, 0]  # the decline's card is not asked about
    assert _decision(lender, unavailable["application_id"]) == ("referred", ["card_unverified"])
    assert ("card_check.refused", {"source": "arrival", "card_last4": "0058", "outcome": "bank_unavailable"}) in _audit(
        lender, unavailable["application_id"]
    )
    assert [(c.result, c.source) for c in _checks(lender, unchecked["application_id"])] == [("match", "arrival")]


def test_two_revisions_in_one_batch_ask_the_bank_once(lender) -> None:
    first = _applicant()
    second = submission_body(first["application_id"], 2, customer=first["customer"])
    with _bank(lender) as bank:
        assert _batch(lender, [first, second]) == ["referred", "referred"]  # not confirmed
    assert len(bank.held) == 1
    assert [(c.result, c.source) for c in _checks(lender, first["application_id"])] == [("match", "arrival")]
    assert _decision(lender, first["application_id"]) == ("referred", ["confirmation_pending"])


def _statements(world: Any, run: Any) -> Counter[str]:
    """What `run` has the database do, counted: each statement's first words up to its table."""
    seen: Counter[str] = Counter()

    def note(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        table = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("FROM", "INTO", "UPDATE")), "")
        seen[f"{words[0]} {table}"] += 1

    engine = world.factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_batch_looks_up_the_evidence_once_not_per_item(world) -> None:
    """Without a published model every arrival is referred and nothing else flushes per item: a batch of eight
    looks up confirmations and card checks, and writes its arrivals, in as many statements as a batch of two
    (each card asked about between two passes, one a query of each)."""
    counted = ("SELECT confirmation_codes", "SELECT card_checks", "INSERT applications", "INSERT velocity_marks")
    counts = []
    for size in (2, 8):
        bodies = [submission_body() for _i in range(size)]
        with _bank(world) as bank:
            seen = _statements(world, lambda bodies=bodies: _batch(world, bodies))
        assert len(bank.held) == size and set(bank.held) == {0}
        counts.append([seen[what] for what in counted])
    assert counts == [[2, 2, 1, 1], [2, 2, 1, 1]]


@pytest.mark.parametrize("kind", KINDS)
def test_the_demo_datas_decisions_follow_the_evidence_rules(kind, tmp_path) -> None:
    """central.demo_data decides as the judge would: an automatic approval has a confirmation for the customer's
    phone and the bank's match of the card on file, which the judge's own lookups find; a referral names the
    pending confirmation and the unverified card exactly when they are; some of each are in the demo."""
    factory = open_database(central_database(kind, tmp_path))
    try:
        generate(factory, 1500, stores=2, regions=["EAST"], seed=11)
        seen: Counter[tuple[str, ...]] = Counter()
        with factory() as session:
            applications = list(session.scalars(select(SubmittedApplication)))
            answers = BankAnswers(_NoBank())
            found = Evidence([a.application_id for a in applications], answers)
            for application in applications:
                decision, codes = _first_decision(session, application.application_id)
                if decision == "declined":
                    continue
                customer = json.loads(application.body)["customer"]
                phone = normalize_mobile(customer["phone"])
                confirmed = found.confirmed_at(session, application, phone)
                card = found.cards.result(
                    session, application, customer["bank_card"], customer["name"], customer["id_number"], phone
                )
                expected = ("confirmation_pending",) * (confirmed is None) + ("card_unverified",) * (card != "match")
                assert tuple(c for c in codes if c in ("confirmation_pending", "card_unverified")) == expected
                assert decision == "referred" or not expected
                seen[(decision, *expected)] += 1
            answers.ask()  # a card the lookups did not find on file would be asked of _NoBank here, and fail
    finally:
        factory.kw["bind"].dispose()
    assert {("approved",), ("referred",), ("referred", "confirmation_pending")} <= seen.keys()
    assert seen[("referred", "confirmation_pending", "card_unverified")] > 0


class _NoBank:
    def verify(self, card_number: str, name: str, id_number: str, phone: str) -> Any:
        raise AssertionError("the demo's checks are all on file")


def _first_decision(session: Any, application_id: str) -> tuple[str, list[str]]:
    row = session.scalars(
        select(Decision).where(Decision.application_id == application_id, Decision.automatic.is_(True))
    ).first()
    return row.decision, [r["code"] for r in json.loads(row.reasons)]
