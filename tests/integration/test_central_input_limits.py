"""Bad and huge input to the running reference server (issue 19): each kind that used to answer 500 or be stored
now gets a 4xx with the documented error shape and changes nothing — non-UUID ids, revisions and cursors out of
range, NaN, infinities and 1e300 as money, wrong JSON types, lone surrogates, JSON nested 20,000 deep, a 12 MB
body, an attachment over 20 MiB. And one store's PC cannot touch another store's application."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import uuid

import pytest
import requests

from app.wire.keys import idempotency_key, outbox_key
from tests.support.central_server import running_central
from tests.support.wire_bodies import submission_body


def _central(db: str, *args: str, stdin: str = "") -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", *args, "--db", db, "--json"],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('limits') / 'central.db'}"
    tokens = {}
    for store in ("S001", "S002"):
        code = _central(db, "store", "add", "--store", store, "--region", "BJ")["activation_code"]
        _central(db, "staff", "put", "--store", store, "--login", f"c{store}", "--name", "Clerk", "--role", "sales",
                 stdin="246810\n")  # fmt: skip
        tokens[store] = code
    with running_central(db) as (base, _process):
        auth = {}
        for store, code in tokens.items():
            reply = requests.post(f"{base}/v1/devices/activate", json={"store": store, "code": code}, timeout=10)
            assert reply.status_code == 201, reply.text
            auth[store] = {"Authorization": f"Bearer {reply.json()['token']}"}
        yield base, db, auth


def _refused(reply: requests.Response, *statuses: int) -> dict:
    assert reply.status_code in statuses, (reply.status_code, reply.text[:300])
    body = reply.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return body["error"]


def _put_raw(base: str, auth: dict, application_id: str, data: bytes, key: str | None = None) -> requests.Response:
    headers = {**auth, "Content-Type": "application/json", "Idempotency-Key": key or str(uuid.uuid4())}
    return requests.put(f"{base}/v1/applications/{application_id}", data=data, headers=headers, timeout=30)


def _put(base: str, auth: dict, body: dict) -> requests.Response:
    key = idempotency_key(body["application_id"], body["revision"])
    return _put_raw(base, auth, body["application_id"], json.dumps(body).encode(), key)


def test_bad_values_are_refused_with_the_field_named(server) -> None:
    base, _db, auth = server
    good = submission_body()
    application_id = good["application_id"]
    cases = {
        "revision 10^30": {**good, "revision": 10**30},
        "revision as text": {**good, "revision": "1"},
        "purchase as a string": {**good, "purchase": "phone"},
        "price 1e300": {**good, "purchase": {**good["purchase"], "price": 1e300}},
        "price as a number": {**good, "purchase": {**good["purchase"], "price": 4999}},
        "lone surrogate in the name": {**good, "customer": {**good["customer"], "name": "李\ud800"}},
        "control character in the name": {**good, "customer": {**good["customer"], "name": "李\x07四"}},
        "unknown key": {**good, "bonus": True},
        "a name of 10,000 characters": {**good, "customer": {**good["customer"], "name": "李" * 10_000}},
    }
    for what, body in cases.items():
        error = _refused(_put_raw(base, auth["S001"], application_id, json.dumps(body).encode()), 422)
        assert error["code"] == "invalid" and error["fields"], what
    for text in ("NaN", "Infinity", "-Infinity"):
        raw = json.dumps(good).replace('"4999.00"', text).encode()
        _refused(_put_raw(base, auth["S001"], application_id, raw), 400, 422)
    error = _refused(_put_raw(base, auth["S001"], "not-a-uuid", json.dumps(good).encode()), 422)
    assert any("application_id" in f["field"] for f in error["fields"])
    status = requests.get(f"{base}/v1/applications/{application_id}", headers=auth["S001"], timeout=10)
    assert status.status_code == 404  # nothing of the above was stored


def test_deep_nesting_and_huge_bodies_are_refused_before_they_cost_anything(server) -> None:
    base, db, auth = server
    application_id = str(uuid.uuid4())
    _refused(_put_raw(base, auth["S001"], application_id, b"[" * 20_000 + b"]" * 20_000), 400, 422)
    deep: dict = {"x": 1}
    for _ in range(500):
        deep = {"x": deep}
    body = submission_body(application_id)
    _refused(_put_raw(base, auth["S001"], application_id, json.dumps({**body, "purchase": deep}).encode()), 422)
    huge = submission_body(application_id)
    huge["customer"]["address"] = "路" * (4 * 1024 * 1024)  # 12 MB of UTF-8
    error = _refused(_put_raw(base, auth["S001"], application_id, json.dumps(huge, ensure_ascii=False).encode()), 413)
    assert error["code"] == "too_large"
    batch = requests.post(f"{base}/v1/applications/batch", json={"items": 5}, headers=auth["S001"], timeout=10)
    _refused(batch, 422)
    assert application_id not in {d["application_id"] for d in _central(db, "applications", "digest")}


def test_query_and_heartbeat_types_are_checked(server) -> None:
    base, _db, auth = server
    _refused(requests.get(f"{base}/v1/decisions", params={"since": 2**70}, headers=auth["S001"], timeout=10), 422)
    _refused(requests.get(f"{base}/v1/decisions", params={"since": -1}, headers=auth["S001"], timeout=10), 422)
    for body in ({"pending": "many"}, {"pending": -1}, {"oldest_pending_age_s": "soon"}, {"audit_head": 5}):
        reply = requests.post(f"{base}/v1/devices/heartbeat", json=body, headers=auth["S001"], timeout=10)
        _refused(reply, 422)
    reply = requests.post(
        f"{base}/v1/devices/heartbeat",
        data=b'{"oldest_pending_age_s": NaN}',
        headers={**auth["S001"], "Content-Type": "application/json"},
        timeout=10,
    )
    _refused(reply, 400, 422)


def test_attachments_go_as_raw_bytes_up_to_20_mib(server) -> None:
    base, _db, auth = server
    content = b"%PDF-1.7 " + uuid.uuid4().bytes * 1024
    sha = hashlib.sha256(content).hexdigest()
    headers = {**auth["S001"], "Content-Type": "application/pdf"}
    assert requests.put(f"{base}/v1/attachments/{sha}", data=content, headers=headers, timeout=30).status_code == 201
    assert requests.put(f"{base}/v1/attachments/{sha}", data=content, headers=headers, timeout=30).status_code == 200
    wrong = requests.put(f"{base}/v1/attachments/{'0' * 64}", data=content, headers=headers, timeout=30)
    assert _refused(wrong, 422)["code"] == "hash_mismatch"
    big = b"\0" * (20 * 1024 * 1024 + 1)
    too_big = requests.put(f"{base}/v1/attachments/{hashlib.sha256(big).hexdigest()}", data=big, headers=headers)
    assert _refused(too_big, 413)["code"] == "too_large"
    chunks = (b"\0" * (1024 * 1024) for _ in range(21))  # streamed without a declared length
    streamed = requests.put(f"{base}/v1/attachments/{'1' * 64}", data=chunks, headers=headers, timeout=60)
    assert _refused(streamed, 413)["code"] == "too_large"
    json_chunks = (b" " * (256 * 1024) for _ in range(5))
    streamed = requests.post(
        f"{base}/v1/devices/heartbeat", data=json_chunks, headers={**headers, "Content-Type": "application/json"}
    )
    assert _refused(streamed, 413)["code"] == "too_large"


def test_another_stores_pc_cannot_touch_an_application(server) -> None:
    """The reproduction from the issue: S002's PC sends revision 2 of an S001 application a reviewer declined,
    naming S002 and a higher income; and records a consent withdrawal on it. Both are 404, nothing changes."""
    base, db, auth = server
    body = submission_body(store="S001")
    assert _put(base, auth["S001"], body).status_code == 201
    application_id = body["application_id"]
    _central(db, "applications", "review", "--application", application_id, "--decision", "declined", "--reason", "x")
    attack = submission_body(application_id, 2, "S002", customer={"monthly_income": "90000.00"})
    assert _refused(_put(base, auth["S002"], attack), 404)["code"] == "not_found"
    at = "2026-12-07T10:00:00+00:00"
    withdrawal = {"application_id": application_id, "kind": "auto_debit", "at": at}
    key = str(outbox_key(application_id, "withdraw", f"auto_debit:{at}"))
    reply = requests.post(
        f"{base}/v1/consent-withdrawals", json=withdrawal, headers={**auth["S002"], "Idempotency-Key": key}, timeout=10
    )
    assert _refused(reply, 404)["code"] == "not_found"
    status = requests.get(f"{base}/v1/applications/{application_id}", headers=auth["S001"], timeout=10).json()
    assert status["status"] == "declined" and status["revision"] == 1
    assert _refused(requests.get(f"{base}/v1/applications/{application_id}", headers=auth["S002"], timeout=10), 404)
