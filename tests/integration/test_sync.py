"""The counter's sync against the real reference server on loopback: activation by CLI, signed applications
queued with their keys, drained in batches, each byte-identical on both sides, a resend replayed, an
unacknowledged send reconciled by asking, and a refused item parked as a dead letter."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from sqlalchemy import select

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.kernel.canonical import canonical_json
from app.storage.models import Application, OutboxItem
from app.storage.outbox import payload_of
from app.sync.submission import SubmissionService
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.lender import DEMO_ROSTER, store_with_roster


def _signed_and_queued(services, catalog) -> uuid.UUID:
    application_id, terms = quoted_application(services, catalog)
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF-1.4"
    )
    SubmissionService(services.store).queue(CLERK, application_id)
    return application_id


@pytest.fixture
def activated(server, signed_files, capsys):
    """This PC activated as the counter of S001, whose roster at the lender has the demo accounts' logins and PINs
    (the tests file as sales01)."""
    base, db = server
    code = store_with_roster(db, "S001", members=DEMO_ROSTER)
    assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code, "--json"]) == 0
    capsys.readouterr()
    return base, db


def _server_digest(db) -> dict[str, str]:
    return {d["application_id"]: d["sha256"] for d in _central(db, "applications", "digest")}


def test_queued_applications_arrive_once_and_identical(activated, signed_files, services, capsys) -> None:
    base, db = activated
    catalog = load_catalog(signed_files.settings)
    ids = [_signed_and_queued(services, catalog) for _ in range(3)]
    with services.store.read() as session:
        bodies = {
            str(item.application_id): hashlib.sha256(canonical_json(payload_of(services.store, item))).hexdigest()
            for item in session.scalars(select(OutboxItem).where(OutboxItem.kind == "application"))
        }
        assert {session.get(Application, i).state for i in ids} == {"queued"}
    services.close()
    assert main(["sync", "--server", base, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sent"] == 3 and out["pending"] == 0 and out["dead_letters"] == 0
    digest = _server_digest(db)
    assert all(digest[str(i)] == bodies[str(i)] for i in ids)
    assert main(["applications", "digest", "--json"]) == 0
    client_digest = {d["application_id"]: d["sha256"] for d in json.loads(capsys.readouterr().out)}
    assert client_digest == {i: digest[i] for i in client_digest} and set(map(str, ids)) <= set(client_digest)
    assert main(["sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["online"] is True and status["pending"] == 0 and status["last_success"]


def test_an_unacknowledged_send_is_reconciled_and_a_changed_body_is_parked(
    activated, signed_files, services, capsys
) -> None:
    base, db = activated
    catalog = load_catalog(signed_files.settings)
    first, second = (_signed_and_queued(services, catalog) for _ in range(2))
    assert main(["sync", "--server", base, "--once", "--json"]) == 0
    capsys.readouterr()
    with services.store.write() as session:
        items = {
            i.application_id: i for i in session.scalars(select(OutboxItem).where(OutboxItem.kind == "application"))
        }
        # The first: the server has it, but pretend its acknowledgement was lost.
        items[first].status, items[first].last_error = "pending", "unacknowledged"
        # The second: same key, changed body (what a bug or tampering would look like): refused for good.
        body = payload_of(services.store, items[second])
        body["financed"] = "1.00"
        items[second].status = "pending"
        items[second].payload_enc = services.store.cipher.seal(
            "outbox", "payload", items[second].id, canonical_json(body)
        )
    services.close()
    assert main(["sync", "--server", base, "--once", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reconciled"] == 1 and out["dead"] == 1 and out["dead_letters"] == 1 and out["pending"] == 0
    assert len([a for a in _server_digest(db) if a in (str(first), str(second))]) == 2


def test_a_reviewers_decision_comes_back_to_the_counter(activated, signed_files, services, capsys) -> None:
    """Arrival refers it; a reviewer approves on the central server; the next sync brings both decisions back."""
    base, db = activated
    application_id = _signed_and_queued(services, load_catalog(signed_files.settings))
    services.close()
    assert main(["sync", "--server", base, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert {"reference": first["decisions"][0]["reference"], "decision": "referred"} in first["decisions"]
    _central(
        db,
        "applications",
        "review",
        "--application",
        str(application_id),
        "--decision",
        "approved",
        "--reason",
        "income verified",
    )
    assert main(["sync", "--server", base, "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert [d["decision"] for d in second["decisions"]] == ["approved"]
    from app.services import build_services

    again = build_services()
    try:
        with again.store.read() as session:
            assert session.get(Application, application_id).state == "approved"
    finally:
        again.close()


def test_a_consent_withdrawal_reaches_the_lender_once(activated, signed_files, services, capsys) -> None:
    """A withdrawal recorded at the counter is sent with its key; the server keeps it once; the outbox empties."""
    from central.db import ConsentWithdrawal, open_database

    base, db = activated
    application_id = _signed_and_queued(services, load_catalog(signed_files.settings))
    from app.domain.consent import ConsentKind

    services.consents.withdraw(CLERK, application_id, ConsentKind.CREDIT_INQUIRY)
    services.close()
    assert main(["sync", "--server", base, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pending"] == 0 and out["dead_letters"] == 0 and out["sent"] == 2
    with open_database(db)() as session:
        rows = session.query(ConsentWithdrawal).filter(ConsentWithdrawal.application_id == str(application_id)).all()
    assert [r.kind for r in rows] == ["credit_inquiry"]
