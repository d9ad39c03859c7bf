"""Who may call what on the reference central server (issue 19): every route × every kind of caller — none, a
device of this store, a device of another store of the same region, a revoked device, a reviewer and a regional
manager of this region and of another, and an expired session — on SQLite and PostgreSQL, through the API in
process (FastAPI's TestClient on the real database). An application of another store or region is answered as if
it did not exist (404). The test fails when the server has a route without a row here."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.wire.keys import idempotency_key, outbox_key
from central import accounts, roster
from central.api import create_app
from central.devices import activate, add_store, revoke
from tests.support.central_db import KINDS, central_database
from tests.support.wire_bodies import submission_body

PASSWORD = "Access2026x"
CALLERS = (
    "none",
    "device",
    "device_other_store",
    "device_revoked",
    "reviewer",
    "reviewer_other_region",
    "manager",
    "manager_other_region",
    "expired_session",
)
_serial = itertools.count(1)


@pytest.fixture(scope="module", params=KINDS)
def world(request, tmp_path_factory):
    """Stores S001 and S002 in region BJ, S101 in SH; a device of each; people of both regions."""
    url = central_database(request.param, tmp_path_factory.mktemp("access"))
    app = create_app(url)
    factory = app.state.factory
    tokens: dict[str, str] = {}
    for store, region in (("S001", "BJ"), ("S002", "BJ"), ("S101", "SH"), ("S003", "BJ")):
        code = add_store(factory, store, region)
        roster.put_member(factory, store, f"clerk{store.lower()}", "Clerk", "sales", "246810")
        tokens[store] = activate(factory, store, code).token
    revoked = activate(factory, "S003", add_store(factory, "S003", "BJ"))
    revoke(factory, str(revoked.device_id), "stolen")
    for name, role, region in (
        ("rev_bj", "reviewer", "BJ"),
        ("rev_sh", "reviewer", "SH"),
        ("man_bj", "regional_manager", "BJ"),
        ("man_sh", "regional_manager", "SH"),
    ):
        accounts.add_account(factory, name, role, region, PASSWORD)
    people = {
        "reviewer": accounts.sign_in(factory, "rev_bj", PASSWORD).token,
        "reviewer_other_region": accounts.sign_in(factory, "rev_sh", PASSWORD).token,
        "manager": accounts.sign_in(factory, "man_bj", PASSWORD).token,
        "manager_other_region": accounts.sign_in(factory, "man_sh", PASSWORD).token,
        "expired_session": accounts.sign_in(
            factory, "rev_bj", PASSWORD, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
        ).token,
    }
    headers = {
        "none": {},
        "device": {"Authorization": f"Bearer {tokens['S001']}"},
        "device_other_store": {"Authorization": f"Bearer {tokens['S002']}"},
        "device_revoked": {"Authorization": f"Bearer {revoked.token}"},
        **{caller: {"Authorization": f"Bearer {token}"} for caller, token in people.items()},
    }
    with TestClient(app) as client:
        yield SimpleNamespace(client=client, headers=headers, factory=factory, app=app)


def _filed(world: Any) -> str:
    """A new application of store S001, referred (no model is published, so every arrival is referred)."""
    body = submission_body(store="S001")
    key = idempotency_key(body["application_id"], 1)
    reply = world.client.put(
        f"/v1/applications/{body['application_id']}",
        json=body,
        headers={**world.headers["device"], "Idempotency-Key": key},
    )
    assert reply.status_code == 201 and reply.json()["status"] == "referred", reply.text
    return str(body["application_id"])


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    headers: dict[str, str] | None = None
    content: bytes | None = None


def _store(caller: str) -> str:
    """The store a device caller's body names: its own (the attack is a body naming the attacker's store)."""
    return "S002" if caller == "device_other_store" else "S001"


def _revision(world: Any, caller: str) -> Call:
    application_id = _filed(world)
    body = submission_body(application_id, 2, _store(caller), financed="9999.00")
    return Call(
        "PUT", f"/v1/applications/{application_id}", body, {"Idempotency-Key": idempotency_key(application_id, 2)}
    )


def _batch(world: Any, caller: str) -> Call:
    application_id = _filed(world)
    body = submission_body(application_id, 2, _store(caller), financed="9999.00")
    item = {"application_id": application_id, "idempotency_key": idempotency_key(application_id, 2), "body": body}
    return Call("POST", "/v1/applications/batch", {"items": [item]})


def _cancellation(world: Any, _caller: str) -> Call:
    application_id = _filed(world)
    key = str(outbox_key(application_id, "cancel", dt.datetime.now(dt.UTC).isoformat()))
    return Call("POST", f"/v1/applications/{application_id}/cancellation", {"reason": "x"}, {"Idempotency-Key": key})


def _withdrawal(world: Any, _caller: str) -> Call:
    application_id = _filed(world)
    at = dt.datetime.now(dt.UTC).isoformat()
    key = str(outbox_key(application_id, "withdraw", f"auto_debit:{at}"))
    body = {"application_id": application_id, "kind": "auto_debit", "at": at}
    return Call("POST", "/v1/consent-withdrawals", body, {"Idempotency-Key": key})


def _attachment(_world: Any, _caller: str) -> Call:
    content = uuid.uuid4().bytes * 64
    return Call(
        "PUT",
        f"/v1/attachments/{hashlib.sha256(content).hexdigest()}",
        headers={"Content-Type": "application/pdf"},
        content=content,
    )


_mobiles = itertools.count(13_900_000_001)


def _code_request(world: Any, _caller: str) -> Call:
    """A code for an application of S001, to a phone no other call used (each phone takes one code a minute)."""
    return Call("POST", f"/v1/applications/{_filed(world)}/confirmation-code", {"phone": str(next(_mobiles))})


def _code_entry(world: Any, _caller: str) -> Call:
    """The right code, sent by S001's PC for its application (read from the development SMS provider's outbox)."""
    from central.sms import outbox_lines

    sent = _code_request(world, "device")
    reply = world.client.post(sent.path, json=sent.json, headers=world.headers["device"])
    assert reply.status_code == 202, reply.text
    application_id = sent.path.split("/")[3]
    lines = outbox_lines(world.app.state.sms.path.parent)
    code = [line["code"] for line in lines if line["application_id"] == application_id][-1]
    return Call("POST", f"/v1/applications/{application_id}/confirmation", {"code": code})


def _missing(world: Any, _caller: str) -> Call:
    """Which of two documents the lender lacks: one S001's PC uploaded, one nobody did."""
    held = _attachment(world, "device")
    reply = world.client.put(
        held.path, content=held.content, headers={**world.headers["device"], **(held.headers or {})}
    )
    assert reply.status_code == 201, reply.text
    world.lacking = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    return Call("POST", "/v1/attachments/missing", {"sha256": [held.path.split("/")[-1], world.lacking]})


def _card_check(world: Any, _caller: str) -> Call:
    """The development bank's matching test card for an application of S001."""
    from central.bank import TEST_CARD_MATCH

    body = {"card_number": TEST_CARD_MATCH, "name": "李四", "id_number": "110105198001010024", "phone": "13800138000"}
    return Call("POST", f"/v1/applications/{_filed(world)}/card-check", body)


def _lacks_only_the_unsent(reply: Any, world: Any) -> bool:
    return reply.status_code == 200 and reply.json() == {"missing": [world.lacking]}


# What each caller gets: a status, or a check of the answer. Device routes: 401 for anyone without a device
# token (people's session tokens are not device tokens), 403 for a revoked device.
Check = int | Callable[[Any, Any], bool]
DEVICE_ONLY = {"none": 401, "device_revoked": 403, "reviewer": 401, "reviewer_other_region": 401, "manager": 401,
               "manager_other_region": 401, "expired_session": 401}  # fmt: skip
PEOPLE_ONLY = {"none": 401, "device": 401, "device_other_store": 401, "device_revoked": 401, "expired_session": 401}


def _item_status(status: int) -> Callable[[Any, Any], bool]:
    return lambda reply, _world: reply.status_code == 200 and reply.json()["results"][0]["status_code"] == status


def _lists(present: bool, key: str) -> Callable[[Any, Any], bool]:
    def check(reply: Any, world: Any) -> bool:
        ids = {row["application_id"] for row in reply.json()[key]}
        return reply.status_code == 200 and (world.last_id in ids) == present

    return check


def _report_has_s001(present: bool) -> Callable[[Any, Any], bool]:
    return lambda reply, _w: (
        reply.status_code == 200 and ("S001" in {s["store"] for s in reply.json()["stores"]}) == present
    )


ROWS: dict[tuple[str, str], tuple[Callable[[Any, str], Call], dict[str, Check]]] = {
    ("PUT", "/v1/applications/{application_id}"): (
        _revision,
        {**DEVICE_ONLY, "device": 200, "device_other_store": 404},
    ),
    ("POST", "/v1/applications/batch"): (
        _batch,
        {**DEVICE_ONLY, "device": _item_status(200), "device_other_store": _item_status(404)},
    ),
    ("GET", "/v1/applications/{application_id}"): (
        lambda w, _c: Call("GET", f"/v1/applications/{_filed(w)}"),
        {**DEVICE_ONLY, "device": 200, "device_other_store": 404},
    ),
    ("GET", "/v1/decisions"): (
        lambda w, _c: Call("GET", f"/v1/decisions?since=0&_={_filed(w)}"),
        {**DEVICE_ONLY, "device": _lists(True, "decisions"), "device_other_store": _lists(False, "decisions")},
    ),
    ("POST", "/v1/applications/{application_id}/cancellation"): (
        _cancellation,
        {**DEVICE_ONLY, "device": 200, "device_other_store": 404},
    ),
    ("POST", "/v1/consent-withdrawals"): (_withdrawal, {**DEVICE_ONLY, "device": 201, "device_other_store": 404}),
    ("POST", "/v1/devices/activate"): (
        lambda _w, _c: Call("POST", "/v1/devices/activate", {"store": "S001", "code": "WRONG-CODE"}),
        dict.fromkeys(CALLERS, 403),  # anyone may try; only a store's one-time code activates
    ),
    ("POST", "/v1/sessions"): (
        lambda _w, _c: Call("POST", "/v1/sessions", {"username": "rev_bj", "password": "not-the-one-1A"}),
        dict.fromkeys(CALLERS, 401),  # anyone may try; only the password signs in
    ),
    ("GET", "/v1/reviews"): (
        lambda w, _c: Call("GET", f"/v1/reviews?_={_filed(w)}"),
        {
            **PEOPLE_ONLY,
            "reviewer": _lists(True, "referred"),
            "reviewer_other_region": _lists(False, "referred"),
            "manager": 403,
            "manager_other_region": 403,
        },
    ),
    ("POST", "/v1/reviews/{application_id}"): (
        lambda w, _c: Call("POST", f"/v1/reviews/{_filed(w)}", {"decision": "declined", "reason": "x"}),
        {**PEOPLE_ONLY, "reviewer": 200, "reviewer_other_region": 404, "manager": 403, "manager_other_region": 403},
    ),
    ("GET", "/v1/reports/region"): (
        lambda w, _c: Call("GET", f"/v1/reports/region?from=2026-01-01&to=2026-12-31&_={_filed(w)}"),
        {
            **PEOPLE_ONLY,
            "reviewer": 403,
            "reviewer_other_region": 403,
            "manager": _report_has_s001(True),
            "manager_other_region": _report_has_s001(False),
        },
    ),
    ("GET", "/v1/store/figures"): (
        lambda _w, _c: Call("GET", "/v1/store/figures"),
        {**DEVICE_ONLY, "device": 200, "device_other_store": 200},
    ),
    ("POST", "/v1/devices/heartbeat"): (
        lambda _w, _c: Call("POST", "/v1/devices/heartbeat", {"pending": 0, "dead_letters": 0}),
        {**DEVICE_ONLY, "device": 200, "device_other_store": 200},
    ),
    ("GET", "/v1/roster"): (
        lambda _w, _c: Call("GET", "/v1/roster"),
        {
            **DEVICE_ONLY,
            "device": lambda r, _w: r.status_code == 200 and r.json()["store"] == "S001",
            "device_other_store": lambda r, _w: r.status_code == 200 and r.json()["store"] == "S002",
        },
    ),
    ("GET", "/v1/downloads/{kind}"): (
        lambda _w, _c: Call("GET", "/v1/downloads/catalog"),
        {**DEVICE_ONLY, "device": 404, "device_other_store": 404},  # nothing published in this world
    ),
    ("PUT", "/v1/attachments/{sha256}"): (_attachment, {**DEVICE_ONLY, "device": 201, "device_other_store": 201}),
    # Documents are held by hash for every store (knowing the hash means having had the bytes).
    ("POST", "/v1/attachments/missing"): (
        _missing,
        {**DEVICE_ONLY, "device": _lacks_only_the_unsent, "device_other_store": _lacks_only_the_unsent},
    ),
    ("POST", "/v1/applications/{application_id}/card-check"): (
        _card_check,
        {
            **DEVICE_ONLY,
            "device": lambda r, _w: r.status_code == 200 and r.json()["result"] == "match",
            "device_other_store": 404,
        },
    ),
    ("POST", "/v1/applications/{application_id}/confirmation-code"): (
        _code_request,
        {**DEVICE_ONLY, "device": 202, "device_other_store": 404},
    ),
    ("POST", "/v1/applications/{application_id}/confirmation"): (
        _code_entry,
        {**DEVICE_ONLY, "device": 200, "device_other_store": 404},
    ),
}


def test_every_route_has_a_row(tmp_path) -> None:
    """Every operation the server publishes (FastAPI lists the included routers' routes in its schema; no route
    is hidden from it) has a row above, and every row an operation."""
    app = create_app(f"sqlite:///{tmp_path / 'c.db'}")
    routes = {(method.upper(), path) for path, operations in app.openapi()["paths"].items() for method in operations}
    assert routes == set(ROWS), f"without a row: {routes - set(ROWS)}; rows without a route: {set(ROWS) - routes}"


@pytest.mark.parametrize("route", list(ROWS), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_caller_gets_what_the_route_allows(world, route) -> None:
    build, expected = ROWS[route]
    assert set(expected) == set(CALLERS), f"{route}: a row must say what every caller gets"
    wrong = []
    for caller in CALLERS:
        call = build(world, caller)
        world.last_id = _last_filed(call)
        reply = world.client.request(
            call.method,
            call.path,
            json=call.json,
            content=call.content,
            headers={**world.headers[caller], **(call.headers or {})},
        )
        want = expected[caller]
        ok = reply.status_code == want if isinstance(want, int) else want(reply, world)
        assert reply.status_code < 500, f"{route} {caller}: {reply.status_code} {reply.text}"
        if reply.status_code >= 400:
            assert set(reply.json()) == {"error"} and {"code", "message"} <= set(reply.json()["error"])
        if not ok:
            wrong.append(f"{caller}: got {reply.status_code} {reply.text[:200]}")
    assert not wrong, f"{route}:\n" + "\n".join(wrong)


def _last_filed(call: Call) -> str | None:
    for part in (call.path.split("_=")[-1], call.path.split("/")[-1], call.path.split("/")[-2]):
        try:
            return str(uuid.UUID(part[:36]))
        except ValueError:
            continue
    return None
