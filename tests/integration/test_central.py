"""The reference central server, run for real (`fenqi-central` under uvicorn on loopback, on SQLite and on
PostgreSQL): activation, bearer tokens, and submissions that are exactly-once in effect — replayed, refused when
the body changes under the same key, one record under concurrent duplicates, each item of a batch judged on its
own."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from app.wire.keys import idempotency_key
from tests.support.central_db import KINDS, central_database
from tests.support.central_server import running_central
from tests.support.lender import store_with_roster
from tests.support.wire_bodies import submission_body


def _central(db: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", *args, "--db", db, "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=KINDS)
def server(request, tmp_path_factory):
    """The server on an empty database, once on SQLite and once on PostgreSQL (skipped, with the reason, when
    no PostgreSQL is set up: see tests/support/central_db.py)."""
    db = central_database(request.param, tmp_path_factory.mktemp("central"))
    with running_central(db) as (base, _process):
        yield base, db


def _device(server, store: str = "S001") -> dict[str, str]:
    base, db = server
    code = store_with_roster(db, store)  # a store is activated only once the lender has its roster
    activated = requests.post(f"{base}/v1/devices/activate", json={"store": store, "code": code}, timeout=5)
    assert activated.status_code == 201
    again = requests.post(f"{base}/v1/devices/activate", json={"store": store, "code": code}, timeout=5)
    assert again.status_code == 403 and again.json()["error"]["code"] == "activation_refused"
    return {"Authorization": f"Bearer {activated.json()['token']}"}


def _body(application_id: str, revision: int = 1, store: str = "S001", amount: str = "3999.00") -> dict:
    return submission_body(application_id, revision, store, financed=amount)


def _put(server, auth, body, key: str | None = None):
    base, _db = server
    key = key or idempotency_key(body["application_id"], body["revision"])
    return requests.put(
        f"{base}/v1/applications/{body['application_id']}",
        json=body,
        headers={**auth, "Idempotency-Key": key},
        timeout=10,
    )


def test_a_submission_is_replayed_and_a_changed_body_refused(server) -> None:
    auth = _device(server)
    body = _body(str(uuid.uuid4()))
    first = _put(server, auth, body)
    assert first.status_code == 201 and first.json()["status"] == "referred"
    again = _put(server, auth, body)
    assert again.status_code == 201 and again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    changed = _put(server, auth, {**body, "financed": "5000.00"})
    assert changed.status_code == 422 and changed.json()["error"]["code"] == "idempotency_key_reused"
    corrected = _put(server, auth, _body(body["application_id"], revision=2, amount="5000.00"))
    assert corrected.status_code == 200 and corrected.json()["revision"] == 2
    stale = _put(
        server,
        auth,
        _body(body["application_id"], revision=1, amount="1.00"),
        key=idempotency_key(body["application_id"], 1) + "x",
    )
    assert stale.status_code == 422  # a key that is not the revision's own


@pytest.mark.parametrize("decision", ["declined", "approved"])
def test_a_decided_application_is_never_judged_again(server, decision: str) -> None:
    """Decisions are final (issue 19): a revision of a declined (or approved) application is refused, whatever it
    changes, and the decision stands."""
    base, db = server
    auth = _device(server)
    body = _body(str(uuid.uuid4()))
    assert _put(server, auth, body).json()["status"] == "referred"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "central.cli", "applications", "review", "--db", db, "--json"),
            *("--application", body["application_id"], "--decision", decision, "--reason", "test"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    again = _put(server, auth, _body(body["application_id"], revision=2, amount="100.00"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "decision_final"
    status = requests.get(f"{base}/v1/applications/{body['application_id']}", headers=auth, timeout=10).json()
    assert status["status"] == decision and status["revision"] == 1


def test_concurrent_duplicates_make_one_record(server) -> None:
    auth = _device(server, "S002")
    body = _body(str(uuid.uuid4()), store="S002")
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _i: _put(server, auth, body).status_code, range(16)))
    assert set(codes) <= {201, 409} and 201 in codes
    base, db = server
    digest = _central(db, "applications", "digest")
    assert len([d for d in digest if d["application_id"] == body["application_id"]]) == 1
    status = requests.get(f"{base}/v1/applications/{body['application_id']}", headers=auth, timeout=5).json()
    assert status["revision"] == 1 and status["status"] == "referred"


def test_a_batch_judges_each_item_on_its_own(server) -> None:
    base, _db = server
    auth = _device(server, "S003")
    good, other_store = str(uuid.uuid4()), str(uuid.uuid4())
    items = [
        {"application_id": good, "idempotency_key": idempotency_key(good, 1), "body": _body(good, store="S003")},
        {
            "application_id": other_store,
            "idempotency_key": idempotency_key(other_store, 1),
            "body": _body(other_store, store="S999"),
        },
    ]
    results = requests.post(f"{base}/v1/applications/batch", json={"items": items}, headers=auth, timeout=10).json()
    assert [r["status_code"] for r in results["results"]] == [201, 422]
    assert results["results"][1]["body"]["error"]["code"] == "wrong_store"


def test_no_token_or_a_revoked_device_is_refused(server) -> None:
    from central.db import Device, open_database
    from central.devices import revoke

    _base, db = server
    body = _body(str(uuid.uuid4()))
    assert _put(server, {}, body).status_code == 401
    auth = _device(server, "S004")
    factory = open_database(db)
    with factory() as session:
        device_id = session.query(Device.id).filter(Device.store_code == "S004").scalar()
    revoke(factory, device_id, "counter PC replaced")
    refused = _put(server, auth, _body(str(uuid.uuid4()), store="S004"))
    assert refused.status_code == 403 and "counter PC replaced" in refused.json()["error"]["message"]


def test_digest_matches_the_body_as_submitted(server) -> None:
    import hashlib

    from app.kernel.canonical import canonical_json

    _base, db = server
    auth = _device(server, "S005")
    body = _body(str(uuid.uuid4()), store="S005")
    assert _put(server, auth, body).status_code == 201
    digest = {d["application_id"]: d["sha256"] for d in _central(db, "applications", "digest")}
    assert digest[body["application_id"]] == hashlib.sha256(canonical_json(body)).hexdigest()


def test_the_committed_openapi_schema_is_the_servers(tmp_path: Path) -> None:
    """resources/api/openapi.json is what the server describes (regenerate it when the API changes:
    scripts/openapi.py)."""
    from app.kernel.config import resources_dir
    from central.api import create_app

    schema = create_app(f"sqlite:///{tmp_path / 'c.db'}").openapi()
    committed = json.loads((resources_dir() / "api" / "openapi.json").read_text(encoding="utf-8"))
    assert schema == committed
