"""Dead letters fixed and resent: an application the central server refused for good is sent again, from the
data as it is now, as the next revision with its own idempotency key — in the same transaction the refused item
is marked "resent" (no longer a dead letter) and the audit chain records revision and body hash only. Anything
else is refused with a translated message and changes nothing. End to end against the reference server: the
refused revision 1 (this PC activated for the wrong store) is parked, the cause corrected, revision 2 accepted."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.actor import Actor
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT, ConsentKind
from app.domain.roles import PermissionDenied, Role
from app.kernel.canonical import canonical_json
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.storage.audit import AuditLog
from app.storage.models import Application, AuditEntry, OutboxItem
from app.storage.outbox import outbox_status, payload_of
from app.storage.repositories import CustomerRepository
from app.sync.client import CentralClient
from app.sync.service import DeadLetter
from app.sync.submission import SubmissionService
from app.wire.keys import idempotency_key
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.lender import store_with_roster

MANAGER = Actor(login="manager", role=Role.STORE_MANAGER, display_name="Manager", staff_id=None)
STORE_IT = Actor(login="admin", role=Role.ADMIN, display_name="Store IT", staff_id=None)
REFUSAL = "wrong_store: The application names another store than this device's."
SHOWN = "The application names another store than the one this PC is activated for."  # the code, translated


def _signed(services, signed_files) -> uuid.UUID:
    application_id, terms = quoted_application(services, load_catalog(signed_files.settings))
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
    )
    return application_id


def _queued(services, signed_files) -> uuid.UUID:
    application_id = _signed(services, signed_files)
    SubmissionService(services.store).queue(CLERK, application_id)
    return application_id


def _park(services, application_id: uuid.UUID, reason: str = REFUSAL) -> None:
    """What the sender does with a 422: the newest item becomes a dead letter with its reason."""
    with services.store.write() as session:
        item = session.scalar(
            select(OutboxItem).where(OutboxItem.application_id == application_id, OutboxItem.kind == "application")
        )
        item.status, item.last_error = "dead", reason
        item.attempts += 1


def _items(services, application_id: uuid.UUID) -> list[tuple[str, str, dict]]:
    """(key, status, body) of the application's submissions, oldest first."""
    with services.store.read() as session:
        rows = session.scalars(
            select(OutboxItem)
            .where(OutboxItem.application_id == application_id, OutboxItem.kind == "application")
            .order_by(OutboxItem.created_at)
        ).all()
        return [(str(r.idempotency_key), r.status, payload_of(services.store, r)) for r in rows]


def _audit_count(services) -> int:
    with services.store.read() as session:
        return session.scalar(select(func.count(AuditEntry.seq)))


def test_a_dead_letter_is_resent_as_the_next_revision_with_the_data_as_it_is_now(signed_files, services) -> None:
    application_id = _queued(services, signed_files)
    _park(services, application_id)
    overview = services.sync.overview()
    with services.store.read() as session:
        reference = session.get(Application, application_id).reference
    assert overview.dead_letters == [DeadLetter(application_id, reference, SHOWN, 1)]
    assert overview.dead_letters[0].resendable
    # The cause is corrected first: here a manager corrects the customer's address.
    with services.store.write() as session:
        customers = CustomerRepository(services.store.cipher)
        customer_id = session.get(Application, application_id).customer_id
        details = customers.get(session, customer_id)
        customers.save(session, dataclasses.replace(details, address="上海市徐汇区漕溪北路88号"), utc_now())

    key = services.sync.resend(MANAGER, application_id)

    assert key == idempotency_key(application_id, 2)
    (old_key, old_status, old_body), (new_key, new_status, new_body) = _items(services, application_id)
    assert (old_key, old_status) == (idempotency_key(application_id, 1), "resent")
    assert (new_key, new_status) == (key, "pending")
    assert new_body["revision"] == 2 and old_body["revision"] == 1
    assert new_body["customer"]["address"] == "上海市徐汇区漕溪北路88号" != old_body["customer"]["address"]
    status = outbox_status(services.store, utc_now())
    assert status.dead_letters == 0 and status.pending == 1
    assert services.sync.overview().dead_letters == []
    with services.store.read() as session:
        assert session.get(Application, application_id).state == "queued"
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert AuditLog.for_store(services.store).verify(session).intact
    assert (entry.action, entry.object_id) == ("application.resent", str(application_id))
    assert json.loads(entry.detail) == {
        "revision": 2,
        "body_sha256": hashlib.sha256(canonical_json(new_body)).hexdigest(),
    }


def test_a_resend_while_the_new_revision_waits_is_refused_and_writes_nothing(signed_files, services) -> None:
    application_id = _queued(services, signed_files)
    _park(services, application_id)
    SubmissionService(services.store).resend(CLERK, application_id)
    before, audit = _items(services, application_id), _audit_count(services)
    with pytest.raises(InvalidInput) as refused:
        SubmissionService(services.store).resend(CLERK, application_id)
    assert refused.value.code == "not_dead_lettered" and "nothing to send again" in refused.value.message
    assert _items(services, application_id) == before and _audit_count(services) == audit


def test_only_a_dead_lettered_application_can_be_resent(signed_files, services) -> None:
    queued = _queued(services, signed_files)  # waiting to send, never refused
    signed = _signed(services, signed_files)  # never queued
    audit = _audit_count(services)
    for application_id in (queued, signed):
        with pytest.raises(InvalidInput) as refused:
            services.sync.resend(CLERK, application_id)
        assert refused.value.code == "not_dead_lettered"
    assert "Signed" in str(refused.value.message)
    with pytest.raises(InvalidInput) as unknown:
        services.sync.resend(CLERK, uuid.uuid4())
    assert unknown.value.code == "not_found"
    assert [s for _k, s, _b in _items(services, queued)] == ["pending"] and _items(services, signed) == []
    assert _audit_count(services) == audit


def test_store_it_may_not_resend_an_application(signed_files, services) -> None:
    """Resending files a customer's application with their personal data: sales and store managers do that."""
    application_id = _queued(services, signed_files)
    _park(services, application_id)
    with pytest.raises(PermissionDenied):
        services.sync.resend(STORE_IT, application_id)
    assert [s for _k, s, _b in _items(services, application_id)] == ["dead"]


def test_a_dead_withdrawal_is_listed_but_not_offered_for_resending(signed_files, services) -> None:
    application_id = _queued(services, signed_files)
    services.consents.withdraw(CLERK, application_id, ConsentKind.CREDIT_INQUIRY)
    with services.store.write() as session:
        item = session.scalar(select(OutboxItem).where(OutboxItem.kind == "consent_withdrawal"))
        item.status, item.last_error = "dead", "bad_body: refused"
    (letter,) = services.sync.overview().dead_letters
    assert letter.revision is None and letter.application_id is None and not letter.resendable


# --- end to end against the reference server -------------------------------------------------------------------


@pytest.fixture
def wrong_store(server, signed_files, services, capsys):
    """An application queued at this PC (store S001), which is then activated by mistake for store S009: the
    server refuses that application, which names S001, for good."""
    base, db = server
    application_id = _queued(services, signed_files)
    code = store_with_roster(db, "S009")
    assert main(["device", "activate", "--server", base, "--store", "S009", "--code", code, "--json"]) == 0
    capsys.readouterr()
    return base, db, application_id


def test_a_refused_application_is_parked_corrected_and_accepted_as_revision_2(
    wrong_store, signed_files, services
) -> None:
    base, db, application_id = wrong_store
    first = services.sync.run_once()
    assert first is not None and first.report.dead == 1 and first.report.sent == 0
    (letter,) = services.sync.overview().dead_letters
    assert letter.application_id == application_id and letter.revision == 1 and letter.reason == SHOWN
    # Sent again unchanged under revision 1's key, the server would replay its refusal; the cause is corrected
    # first (store IT activates this PC for its own store), then the application goes as revision 2.
    code = store_with_roster(db, "S001")
    CentralClient(base, services.settings, services.secrets).activate("S001", code)
    services.sync.resend(CLERK, application_id)

    second = services.sync.run_once()

    assert second is not None and second.report.sent == 1 and second.report.dead == 0 and second.online
    (_k1, s1, _b1), (_k2, s2, body) = _items(services, application_id)
    assert (s1, s2) == ("resent", "sent")
    digest = {d["application_id"]: d["sha256"] for d in _central(db, "applications", "digest")}
    assert digest[str(application_id)] == hashlib.sha256(canonical_json(body)).hexdigest()
    with services.store.read() as session:
        assert session.get(Application, application_id).state in ("submitted", "referred", "approved", "declined")
    overview = services.sync.overview()
    assert overview.dead_letters == [] and overview.pending == 0
