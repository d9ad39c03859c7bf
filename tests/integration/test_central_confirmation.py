"""The one-time code that confirms a signing on the applicant's own phone, at the lender (issue 20): sent through
the development SMS provider (its outbox file), typed back, and what an outsider gets — another store's PC, a
wrong application id, a replay, brute force of the code by threads at once (the tries are counted under a row
lock, on SQLite and PostgreSQL), too many codes for one phone, huge and malformed bodies (4xx, never 5xx). In
process (FastAPI's TestClient, or the service functions with a chosen clock) on the real database."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.domain.phone import normalize_mobile
from app.wire.evidence import CodeEntry, CodeRequest
from app.wire.keys import idempotency_key
from central import confirmations, roster
from central.api import create_app
from central.confirmations import MAX_TRIES, confirmed_for
from central.db import AuditEvent, ConfirmationCode, RateEvent, SubmittedApplication
from central.devices import activate, add_store, device_for_token
from central.sms import OUTBOX_NAME, UNAVAILABLE_PHONE, DevelopmentSms, SmsUnavailable, outbox_lines
from tests.support.central_db import KINDS, central_database
from tests.support.wire_bodies import submission_body

_phones = iter(range(10_000_000, 99_999_999, 7919))


def _phone() -> str:
    """A mainland mobile number no other test of the module uses (the per-phone limits are the module's)."""
    return normalize_mobile(f"139{next(_phones):08d}")


def _world(kind: str, folder: Path) -> Any:
    app = create_app(central_database(kind, folder))
    app.state.sms = DevelopmentSms(folder / "data")
    factory = app.state.factory
    tokens = {}
    for store in ("S001", "S002"):
        code = add_store(factory, store, "BJ")
        roster.put_member(factory, store, f"clerk{store.lower()}", "Clerk", "sales", "246810")
        tokens[store] = activate(factory, store, code).token
    devices = {store: device_for_token(factory, token) for store, token in tokens.items()}
    headers = {store: {"Authorization": f"Bearer {token}"} for store, token in tokens.items()}
    return SimpleNamespace(app=app, factory=factory, data=folder / "data", devices=devices, headers=headers)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The server in process on SQLite, with stores S001 and S002 of region BJ and a PC of each."""
    built = _world("sqlite", tmp_path_factory.mktemp("confirmation"))
    with TestClient(built.app) as client:
        built.client = client
        yield built


def _send(world: Any, application_id: str, phone: str, store: str = "S001") -> Any:
    return world.client.post(
        f"/v1/applications/{application_id}/confirmation-code", json={"phone": phone}, headers=world.headers[store]
    )


def _enter(world: Any, application_id: str, code: str, store: str = "S001") -> Any:
    return world.client.post(
        f"/v1/applications/{application_id}/confirmation", json={"code": code}, headers=world.headers[store]
    )


def _code_of(data: Path, application_id: str) -> str:
    """The newest code the development provider wrote for the application."""
    codes = [line["code"] for line in outbox_lines(data) if line["application_id"] == application_id]
    assert codes, f"no code in the outbox for {application_id}"
    return codes[-1]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _file(world: Any, application_id: str, phone: str, store: str = "S001") -> dict[str, Any]:
    body = submission_body(application_id, store=store, customer={"phone": phone})
    reply = world.client.put(
        f"/v1/applications/{application_id}",
        json=body,
        headers={**world.headers[store], "Idempotency-Key": idempotency_key(application_id, 1)},
    )
    assert reply.status_code == 201, reply.text
    return body


def _error(reply: Any, status: int, code: str) -> dict[str, Any]:
    assert reply.status_code == status, (reply.status_code, reply.text)
    body = reply.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return dict(body["error"])


def _send_at(world: Any, application_id: str, phone: str, at: dt.datetime | None = None) -> confirmations.Reply:
    request = CodeRequest(phone=phone)
    return confirmations.send_code(
        world.factory, world.app.state.sms, world.devices["S001"], application_id, request, at
    )


def _enter_at(world: Any, application_id: str, code: str, at: dt.datetime | None = None) -> confirmations.Reply:
    return confirmations.confirm(world.factory, world.devices["S001"], application_id, CodeEntry(code=code), at)


def _codes(world: Any, application_id: str) -> list[ConfirmationCode]:
    with world.factory() as session:
        return list(session.scalars(select(ConfirmationCode).where(ConfirmationCode.application_id == application_id)))


def _audit(world: Any, application_id: str) -> list[tuple[str, dict[str, Any]]]:
    with world.factory() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.object_id == application_id).order_by(AuditEvent.seq)
        ).all()
    return [(row.action, json.loads(row.detail)) for row in rows]


# --- The walk ------------------------------------------------------------------------------------------------


def test_a_code_is_sent_typed_and_confirms_the_signing(world) -> None:
    application_id, phone = str(uuid.uuid4()), _phone()
    before = dt.datetime.now(dt.UTC)
    reply = _send(world, application_id, f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}")  # any way it is written
    assert reply.status_code == 202, reply.text
    expires_at = dt.datetime.fromisoformat(reply.json()["expires_at"])
    assert dt.timedelta(minutes=4, seconds=59) < expires_at - before < dt.timedelta(minutes=5, seconds=5)
    [line] = [x for x in outbox_lines(world.data) if x["application_id"] == application_id]
    assert set(line) == {"phone", "code", "sent_at", "application_id"} and line["phone"] == phone
    assert len(line["code"]) == 6 and line["code"].isdigit()
    assert (world.data / OUTBOX_NAME).stat().st_mode & 0o777 == 0o600
    code = line["code"]

    wrong = _error(_enter(world, application_id, _wrong(code)), 422, "code_wrong")
    assert wrong["tries_left"] == MAX_TRIES - 1
    first = _enter(world, application_id, code)
    assert first.status_code == 200, first.text
    again = _enter(world, application_id, code)  # a replay of the right code: the same moment
    assert again.status_code == 200 and again.json() == first.json()
    confirmed_at = dt.datetime.fromisoformat(first.json()["confirmed_at"])

    with world.factory() as session:
        [row] = session.scalars(select(ConfirmationCode).where(ConfirmationCode.application_id == application_id))
        assert code not in row.code_hash and phone.encode() not in row.phone_digest
        assert row.phone_masked == f"{phone[:3]}****{phone[-4:]}" and row.tries == 2
        assert confirmed_for(session, application_id, phone) is None  # the application has not arrived yet
    _file(world, application_id, phone)
    with world.factory() as session:
        assert confirmed_for(session, application_id, f"+86{phone}") == confirmed_at
        assert confirmed_for(session, application_id, _phone()) is None  # another phone than the code's
        assert confirmed_for(session, application_id, "12345") is None
        assert confirmed_for(session, str(uuid.uuid4()), phone) is None

    actions = [(a, d) for a, d in _audit(world, application_id) if a.startswith("confirmation")]
    assert [a for a, _ in actions] == ["confirmation_code.sent", "confirmation.code_wrong", "confirmation.confirmed"]
    for _action, detail in actions:
        assert detail["phone"] == f"{phone[:3]}****{phone[-4:]}"
        assert phone not in json.dumps(detail) and code not in json.dumps(detail)


def test_a_new_code_replaces_the_earlier_and_a_code_expires(world) -> None:
    application_id, phone = str(uuid.uuid4()), _phone()
    t = dt.datetime.now(dt.UTC)
    assert _send_at(world, application_id, phone, t).status_code == 202
    first = _code_of(world.data, application_id)
    later = t + dt.timedelta(seconds=61)
    assert _send_at(world, application_id, phone, later).status_code == 202
    second = _code_of(world.data, application_id)
    assert len(_codes(world, application_id)) == 1
    if first != second:  # one in a million they are the same
        answer = _enter_at(world, application_id, first, later)
        assert answer.status_code == 422 and answer.body["error"]["code"] == "code_wrong"
    expired = later + confirmations.CODE_VALID
    answer = _enter_at(world, application_id, second, expired)
    assert answer.status_code == 410 and answer.body["error"]["code"] == "code_expired"
    just_in_time = expired - dt.timedelta(seconds=1)
    fine = _enter_at(world, application_id, second, just_in_time)
    assert fine.status_code == 200 and dt.datetime.fromisoformat(fine.body["confirmed_at"]) == just_in_time
    assert "confirmation.code_expired" in [a for a, _ in _audit(world, application_id)]


def test_five_wrong_codes_spend_the_code(world) -> None:
    application_id, phone = str(uuid.uuid4()), _phone()
    assert _send(world, application_id, phone).status_code == 202
    code = _code_of(world.data, application_id)
    left = [_error(_enter(world, application_id, _wrong(code)), 422, "code_wrong")["tries_left"] for _ in range(4)]
    assert left == [4, 3, 2, 1]
    spent = _enter(world, application_id, _wrong(code))
    _error(spent, 429, "too_many_tries")
    assert 1 <= int(spent.headers["Retry-After"]) <= 60  # until a new code may be sent to the phone
    _error(_enter(world, application_id, code), 429, "too_many_tries")  # the right code no longer confirms
    assert [row.tries for row in _codes(world, application_id)] == [MAX_TRIES]
    actions = [a for a, _ in _audit(world, application_id)]
    assert actions.count("confirmation.too_many_tries") == 2 and actions.count("confirmation.code_wrong") == 4


def test_codes_per_phone_are_limited(world) -> None:
    phone, t = _phone(), dt.datetime.now(dt.UTC)

    def send(at: dt.datetime) -> confirmations.Reply:
        return _send_at(world, str(uuid.uuid4()), phone, at)

    assert send(t).status_code == 202
    limited = send(t + dt.timedelta(seconds=30))  # a second code within the minute, for any application
    assert limited.status_code == 429 and limited.body["error"]["code"] == "rate_limited"
    assert limited.retry_after == 30
    for minute in range(1, 5):
        assert send(t + dt.timedelta(minutes=minute, seconds=1)).status_code == 202
    sixth = send(t + dt.timedelta(minutes=10))
    assert sixth.status_code == 429 and sixth.retry_after == 50 * 60
    assert send(t + dt.timedelta(hours=1, seconds=1)).status_code == 202
    # Through HTTP: the header.
    reply = _send(world, str(uuid.uuid4()), phone)
    assert _error(reply, 429, "rate_limited") and int(reply.headers["Retry-After"]) >= 1


def test_a_failing_provider_answers_sms_unavailable_and_counts_nothing(world) -> None:
    application_id = str(uuid.uuid4())
    for _ in range(2):  # not counted against the phone's one code a minute
        _error(_send(world, application_id, UNAVAILABLE_PHONE), 409, "sms_unavailable")
    assert _codes(world, application_id) == []
    with world.factory() as session:
        digest = confirmations.phone_digests(session, UNAVAILABLE_PHONE)[0]
        assert session.scalars(select(RateEvent).where(RateEvent.bucket == f"sms:phone:{digest.hex()}")).all() == []
    assert [a for a, _ in _audit(world, application_id)] == ["confirmation_code.sms_unavailable"] * 2
    _error(_enter(world, application_id, "123456"), 404, "not_found")

    class Broken:
        def send(self, *_args: object, **_kwargs: object) -> None:
            raise RuntimeError("the provider's library failed")

    world.app.state.sms = Broken()
    try:
        _error(_send(world, str(uuid.uuid4()), _phone()), 409, "sms_unavailable")  # never a 500
    finally:
        world.app.state.sms = DevelopmentSms(world.data)
    with pytest.raises(SmsUnavailable):
        DevelopmentSms(world.data).send(UNAVAILABLE_PHONE, "x", code="1", application_id="a", sent_at=dt.datetime.now())


# --- Outsiders -----------------------------------------------------------------------------------------------


def test_another_store_and_wrong_ids_learn_nothing(world) -> None:
    application_id, phone = str(uuid.uuid4()), _phone()
    assert _send(world, application_id, phone).status_code == 202
    code = _code_of(world.data, application_id)
    # S002's PC: no code of its store for this id; typing S001's code there spends none of S001's tries.
    _error(_enter(world, application_id, code, "S002"), 404, "not_found")
    _error(_enter(world, str(uuid.uuid4()), code), 404, "not_found")  # a wrong application id
    assert [row.tries for row in _codes(world, application_id)] == [0]
    _file(world, application_id, phone)
    _error(_send(world, application_id, _phone(), "S002"), 404, "not_found")  # arrived: it is S001's
    _error(_enter(world, application_id, code, "S002"), 404, "not_found")
    assert _enter(world, application_id, code).status_code == 200
    # A decided application takes no new code.
    with world.factory.begin() as session:
        session.execute(
            update(SubmittedApplication)
            .where(SubmittedApplication.application_id == application_id)
            .values(status="declined")
        )
    _error(_send(world, application_id, _phone()), 409, "already_decided")
    # No device token, a reviewer's or a made-up one: 401.
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        url = f"/v1/applications/{application_id}/confirmation"
        _error(world.client.post(url, json={"code": code}, headers=headers), 401, "unauthenticated")


def test_a_confirmation_of_another_store_does_not_count(world) -> None:
    """S002's PC asks a code for an id S001 files later, and has the customer type it: S001's application is
    not confirmed by it."""
    application_id, phone = str(uuid.uuid4()), _phone()
    assert _send(world, application_id, phone, "S002").status_code == 202
    assert _enter(world, application_id, _code_of(world.data, application_id), "S002").status_code == 200
    _file(world, application_id, phone)
    with world.factory() as session:
        assert confirmed_for(session, application_id, phone) is None


def test_a_code_confirms_only_its_own_application(world) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    assert _send(world, first, _phone()).status_code == 202 and _send(world, second, _phone()).status_code == 202
    code, other = _code_of(world.data, first), _code_of(world.data, second)
    if code != other:  # one in a million they are the same
        _error(_enter(world, second, code), 422, "code_wrong")
    assert _enter(world, first, code).status_code == 200


def test_each_device_is_limited(world, monkeypatch) -> None:
    """A stolen token cannot flood phones or guess across many applications (the limits made small here)."""
    hour = dt.timedelta(hours=1)
    monkeypatch.setattr(confirmations, "DEVICE_SEND_LIMITS", (confirmations.Limit(2, hour),))
    monkeypatch.setattr(confirmations, "DEVICE_ENTRY_LIMITS", (confirmations.Limit(3, hour),))
    device, t = world.devices["S002"], dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    sent = [
        confirmations.send_code(world.factory, world.app.state.sms, device, i, CodeRequest(phone=_phone()), t)
        for i in ids
    ]
    assert [r.status_code for r in sent] == [202, 202, 429] and sent[2].retry_after == 3600
    assert sent[2].body["error"]["code"] == "rate_limited"
    entries = [confirmations.confirm(world.factory, device, ids[n % 2], CodeEntry(code="000000"), t) for n in range(4)]
    assert [r.body["error"]["code"] for r in entries][3] == "rate_limited" and entries[3].retry_after == 3600
    assert {r.status_code for r in entries[:3]} <= {422}  # (a guess of 000000 is right once in a million)
    assert "confirmation.rate_limited" in [a for a, _ in _audit(world, ids[1])]
    assert "confirmation_code.rate_limited" in [a for a, _ in _audit(world, ids[2])]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("confirmation-code", {"phone": "12345"}, 422),
        ("confirmation-code", {"phone": "010 8888 8888"}, 422),  # a landline
        ("confirmation-code", {"phone": 13912345678}, 422),
        ("confirmation-code", {"phone": "139 1234 5678", "extra": 1}, 422),
        ("confirmation-code", {"phone": "1" * 5000}, 422),
        ("confirmation-code", {}, 422),
        ("confirmation", {"code": "12345"}, 422),
        ("confirmation", {"code": "12345a"}, 422),
        ("confirmation", {"code": "１２３４５６"}, 422),  # full-width digits
        ("confirmation", {"code": 123456}, 422),
        ("confirmation", {"code": "123456\x00"}, 422),
        ("confirmation", {"code": ["123456"]}, 422),
        ("confirmation", [], 422),
    ],
)
def test_malformed_bodies_are_refused(world, path, body, status) -> None:
    reply = world.client.post(f"/v1/applications/{uuid.uuid4()}/{path}", json=body, headers=world.headers["S001"])
    assert reply.status_code == status, reply.text
    error = reply.json()["error"]
    assert error["code"] in {"invalid", "bad_phone"}
    if error["code"] == "bad_phone":
        assert error["fields"][0]["field"] == "body.phone"


def test_huge_and_broken_bodies_get_4xx(world) -> None:
    headers = {**world.headers["S001"], "Content-Type": "application/json"}
    for path in ("confirmation-code", "confirmation"):
        url = f"/v1/applications/{uuid.uuid4()}/{path}"
        huge = b'{"code": "' + b"1" * (2 * 1024 * 1024) + b'"}'
        _error(world.client.post(url, content=huge, headers=headers), 413, "too_large")
        _error(world.client.post(url, content=b"{not json", headers=headers), 400, "bad_body")
        _error(world.client.post(url, content=b"[" * 20_000, headers=headers), 400, "bad_body")
        _error(world.client.post(f"/v1/applications/not-a-uuid/{path}", json={}, headers=headers), 422, "invalid")


# --- Several workers at once ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_workers_at_once_never_give_more_tries_or_codes(kind, tmp_path) -> None:
    """Threads on their own connections stand for workers: ten wrong codes at once take exactly the four
    code_wrong answers left (4, 3, 2, 1) and then too_many_tries; five codes for one phone at once send one."""
    world = _world(kind, tmp_path)
    try:
        application_id, phone = str(uuid.uuid4()), _phone()
        assert _send_at(world, application_id, phone).status_code == 202
        code = _code_of(world.data, application_id)
        wrong = [f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 11)]
        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(pool.map(lambda guess: _enter_at(world, application_id, guess), wrong))
        codes = sorted(a.body["error"]["code"] for a in answers)
        assert codes == ["code_wrong"] * 4 + ["too_many_tries"] * 6
        assert sorted(a.body["error"]["tries_left"] for a in answers if a.status_code == 422) == [1, 2, 3, 4]
        assert [row.tries for row in _codes(world, application_id)] == [MAX_TRIES]
        right = _enter_at(world, application_id, code)
        assert right.status_code == 429 and right.body["error"]["code"] == "too_many_tries"

        other = _phone()
        with ThreadPoolExecutor(max_workers=5) as pool:
            sent = list(pool.map(lambda _n: _send_at(world, str(uuid.uuid4()), other).status_code, range(5)))
        assert sorted(sent) == [202, 429, 429, 429, 429]
        assert len([x for x in outbox_lines(world.data) if x["phone"] == other]) == 1
    finally:
        world.factory.kw["bind"].dispose()
