"""The documents an application names reach the lender before it, through the counter's own sender and client
against the real reference server in process: asked about by hash first, each content uploaded once however many
applications name it, the lender's evidence list equal to the counter's hash for hash; a 409 attachments_missing
has the named documents sent again and the application retried soon on the same key; a document the lender
refuses holds back only its own application, which is never parked as a dead letter; one whose document is gone
from this PC is parked for a person, and goes when sent again."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import uuid

import pytest
from PIL import Image
from sqlalchemy import select

from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.storage.attachments import AttachmentRepository
from app.storage.models import Attachment, OutboxItem
from app.sync.sender import BASE_DELAY_S, Sender
from app.sync.submission import SubmissionService
from app.wire.evidence import EvidenceKind
from central.evidence import items_of
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.central_db import KINDS, central_database
from tests.support.in_process import counter_of, lender_in_process

MISSING, PUT = ("POST", "/v1/attachments/missing"), ("PUT", "/v1/attachments")


class Clock:
    """The sender's clock: the real time, moved on by the test past a backoff."""

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def later(self, seconds: float) -> None:
        self.offset += dt.timedelta(seconds=seconds)


def _photo() -> bytes:
    """A small photo of noise (JPEG), different each time."""
    out = io.BytesIO()
    Image.frombytes("RGB", (320, 200), os.urandom(320 * 200 * 3)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _queued_with_photos(services, catalog) -> uuid.UUID:
    """A signed, queued application with both sides of the ID card kept; its signature (strokes and image) and
    contract are the same bytes as every other's made here (so they are one content at the lender)."""
    application_id, terms = quoted_application(services, catalog)
    services.evidence.keep_id_image(CLERK, application_id, EvidenceKind.ID_FRONT, _photo())
    services.evidence.keep_id_image(CLERK, application_id, EvidenceKind.ID_BACK, _photo())
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF-1.4"
    )
    SubmissionService(services.store).queue(CLERK, application_id)
    return application_id


@pytest.fixture
def world(request, tmp_path, services, signed_files):
    """The lender in process (SQLite, or PostgreSQL when parametrised so), this PC activated as its S001, and a
    sender on a clock the test moves."""
    kind = getattr(request, "param", "sqlite")
    with lender_in_process(central_database(kind, tmp_path), tmp_path / "central-data") as lender:
        lender.clock = Clock()
        lender.sender = Sender(services.store, counter_of(lender, services)(), lender.clock)
        lender.catalog = load_catalog(signed_files.settings)
        yield lender


def _outbox(services, application_id) -> OutboxItem:
    with services.store.read() as session:
        return session.scalar(
            select(OutboxItem).where(OutboxItem.application_id == application_id, OutboxItem.kind == "application")
        )


def _contents(services, *application_ids) -> set[str]:
    with services.store.read() as session:
        return set(session.scalars(select(Attachment.sha256).where(Attachment.application_id.in_(application_ids))))


@pytest.mark.parametrize("world", KINDS, indirect=True)
def test_documents_go_first_once_per_content_and_match_hash_for_hash(world, services) -> None:
    first, second = (_queued_with_photos(services, world.catalog) for _ in range(2))
    report = world.sender.drain_once()
    assert (report.sent, report.dead, report.retrying) == (2, 0, 0)
    distinct = _contents(services, first, second)
    assert len(distinct) == 2 * 6 - 3  # the same signature (strokes and image) and contract bytes for both
    assert world.http.requests[MISSING] == 1 and world.http.requests[PUT] == len(distinct)
    for application_id in (first, second):
        ours = [(e.kind.value, e.sha256, e.size, e.sent) for e in services.evidence.items(application_id)]
        theirs = [(i.kind, i.sha256, i.size, True) for i in items_of(world.factory, str(application_id))]
        assert ours == theirs and len(ours) == 6
    # A third application with the same signature and contract: only its terms and photos go.
    third = _queued_with_photos(services, world.catalog)
    assert world.sender.drain_once().sent == 1
    assert world.http.requests[MISSING] == 2 and world.http.requests[PUT] == len(distinct) + 3
    world.sender.drain_once()  # nothing due, nothing unsent: nothing asked
    assert world.http.requests[MISSING] == 2 and _outbox(services, third).status == "sent"


def test_the_lender_lacking_a_document_has_it_sent_again_and_the_application_soon_after(world, services) -> None:
    application_id = _queued_with_photos(services, world.catalog)
    with services.store.write() as session:  # this PC believes the lender has them: it has none
        for row in session.scalars(select(Attachment).where(Attachment.application_id == application_id)):
            row.sent_at = dt.datetime.now(dt.UTC)
        queued = session.scalar(
            select(OutboxItem).where(OutboxItem.application_id == application_id, OutboxItem.kind == "application")
        )
        queued.attempts = 10  # an ordinary retry would now wait up to ten minutes
    world.sender.rng = random.Random(1)  # whose first draw would be about 80 s: "soon" is the rule, not luck
    report = world.sender.drain_once()
    assert (report.sent, report.dead, report.retrying) == (0, 0, 1)
    item = _outbox(services, application_id)
    assert (item.status, item.last_error) == ("pending", "attachments_missing")
    assert item.next_attempt_at <= world.clock() + dt.timedelta(seconds=BASE_DELAY_S)  # soon, not backed off
    assert not any(e.sent for e in services.evidence.items(application_id))
    world.clock.later(BASE_DELAY_S)
    assert world.sender.drain_once().sent == 1  # the same idempotency key, taken now that the documents are there
    assert _outbox(services, application_id).status == "sent"
    assert [i.sha256 for i in items_of(world.factory, str(application_id))] == [
        e.sha256 for e in services.evidence.items(application_id)
    ]


def test_a_refused_document_holds_back_only_its_application_and_never_parks_it(world, services) -> None:
    bad, good, lost = (_queued_with_photos(services, world.catalog) for _ in range(3))
    attachments = AttachmentRepository(services.store)
    with services.store.write() as session:  # its photo's bytes no longer have the hash it is named by
        row = attachments.latest(session, bad, EvidenceKind.ID_FRONT.value)
        original = attachments.content(row)
        attachments.sealing.put(row, Attachment.content_enc, original + b"damaged")
        session.delete(attachments.latest(session, lost, EvidenceKind.ID_BACK.value))  # gone from this PC
    for attempt in range(3):
        report = world.sender.drain_once()
        assert report.dead == (1 if attempt == 0 else 0) and report.sent == (1 if attempt == 0 else 0)
        world.clock.later(3600)
    assert _outbox(services, good).status == "sent"
    held = _outbox(services, bad)
    assert (held.status, held.last_error, held.attempts) == ("pending", "documents_pending", 3)
    assert items_of(world.factory, str(bad)) is None  # the lender never saw the application
    with services.store.write() as session:  # put right: it goes at the next pass
        attachments.sealing.put(attachments.latest(session, bad, "id_front"), Attachment.content_enc, original)
    assert world.sender.drain_once().sent == 1 and _outbox(services, bad).status == "sent"
    # The one whose document is gone can never be taken as it is: parked for a person, who sends it again.
    parked = _outbox(services, lost)
    assert parked.status == "dead" and parked.last_error.startswith("documents_lost")
    SubmissionService(services.store).resend(CLERK, lost)
    assert world.sender.drain_once().sent == 1
    assert [i.kind for i in items_of(world.factory, str(lost))] == [
        "id_front",
        "terms",
        "signature_strokes",
        "signature_image",
        "contract",
    ]
