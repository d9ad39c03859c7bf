"""Getting an application's documents to the lender before the application: the lender is asked which of the
documents not yet acknowledged it lacks (hashes only, 500 a request); those it holds are marked sent, the rest go
each as its own raw-bytes request, once per content however many applications name it, and are marked sent as
they are acknowledged. A kill -9 at any moment loses nothing: a document whose acknowledgement was not recorded is
asked about again, and the lender keeps bytes under their hash once, so the same evidence arrives once,
byte-identical."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.storage.attachments import AttachmentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Attachment, OutboxItem
from app.sync.client import CentralClient, Reply
from app.wire.evidence import MAX_HASH_QUERY, HashQuery, MissingDocuments

MARK_EVERY_BYTES = 8 * 1024 * 1024  # acknowledged uploads are marked sent together, about this much at a time
MARK_EVERY_DOCUMENTS = 50
BACKLOG = 2000  # unsent documents of applications already at the lender, taken per pass


@dataclass
class Delivery:
    """What came of getting documents to the lender: the hashes it holds now (acknowledged before or now), the
    uploads it refused or failed (hash → HTTP status), the named hashes this PC has no document for, and — when
    a question or an upload was answered in a way that stops the pass (signed out, limited, a question not
    answered) — that reply."""

    held: set[str] = field(default_factory=set)
    refused: dict[str, int] = field(default_factory=dict)
    lacking: set[str] = field(default_factory=set)
    stopped: Reply | None = None


@dataclass
class _Document:
    """One content to deliver, and the unsent rows that hold it (a row kept before hashes were recorded has no
    hash to be found by)."""

    sha256: str
    mime_type: str
    rows: list[uuid.UUID]


class Courier:
    """Delivers the documents of outbox items to one central server."""

    def __init__(self, store: LocalStore, client: CentralClient, clock: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.attachments = AttachmentRepository(store)

    def deliver(self, application_ids: Iterable[uuid.UUID], named: set[str]) -> Delivery:
        """Make sure the lender holds the documents `named` (by hash) and every unsent document of these
        applications — and of applications it already has whose documents did not all arrive. Raises
        ServerUnreachable; what was acknowledged before that is marked sent."""
        delivery = Delivery()
        held, unsent = self._local(list(application_ids))
        delivery.held = held & named
        delivery.lacking = named - held - set(unsent)
        if not unsent:
            return delivery
        missing: list[str] = []
        hashes = list(unsent)
        for start in range(0, len(hashes), MAX_HASH_QUERY):
            chunk = hashes[start : start + MAX_HASH_QUERY]
            reply = self.client.missing_attachments(HashQuery(sha256=chunk))
            answer = _missing(reply)
            if answer is None:
                delivery.stopped = reply
                return delivery
            lacked = set(answer.missing)
            there = [unsent[sha] for sha in chunk if sha not in lacked]
            self._mark(there)
            delivery.held.update(d.sha256 for d in there)
            missing.extend(sha for sha in chunk if sha in lacked)
        self._upload([unsent[sha] for sha in missing], delivery)
        return delivery

    def _local(self, application_ids: list[uuid.UUID]) -> tuple[set[str], dict[str, _Document]]:
        """The hashes of these applications' documents the lender acknowledged, and one unsent document per
        content (of these applications, and a backlog of applications already sent), by hash."""
        sent_applications = select(OutboxItem.application_id).where(
            OutboxItem.kind == "application", OutboxItem.status == "sent"
        )
        columns = (Attachment.id, Attachment.sha256, Attachment.mime_type, Attachment.sent_at)
        with self.store.read() as session:  # the contents stay on disk until each is sent
            rows = list(session.execute(select(*columns).where(Attachment.application_id.in_(application_ids))))
            rows += session.execute(
                select(*columns)
                .where(Attachment.sent_at.is_(None), Attachment.application_id.in_(sent_applications))
                .limit(BACKLOG)
            )
            held: set[str] = set()
            unsent: dict[str, _Document] = {}
            for row_id, recorded, mime_type, sent_at in rows:
                sha = recorded or self._digest(session, row_id)
                if sent_at is not None:
                    held.add(sha)
                else:
                    unsent.setdefault(sha, _Document(sha, mime_type, [])).rows.append(row_id)
        return held, unsent

    def _upload(self, documents: list[_Document], delivery: Delivery) -> None:
        """Each document as its own request; the acknowledged ones are marked sent about MARK_EVERY_BYTES at a
        time (and before a failure propagates), so a kill loses at most that much of a pass's work."""
        acknowledged: list[_Document] = []
        pending_bytes = 0
        try:
            for document in documents:
                content = self._content(document)
                reply = self.client.put_attachment(document.sha256, content, document.mime_type)
                if 200 <= reply.status_code < 300:
                    acknowledged.append(document)
                    delivery.held.add(document.sha256)
                    pending_bytes += len(content)
                    if pending_bytes >= MARK_EVERY_BYTES or len(acknowledged) >= MARK_EVERY_DOCUMENTS:
                        self._mark(acknowledged)
                        acknowledged, pending_bytes = [], 0
                elif reply.status_code in (401, 403, 429):  # shut out, or asked to slow down: stop the pass
                    delivery.stopped = reply
                    return
                else:  # refused (too large, not its hash…) or a server error: this document alone waits
                    delivery.refused[document.sha256] = reply.status_code
        finally:
            self._mark(acknowledged)

    def _digest(self, session: Session, row_id: uuid.UUID) -> str:
        """The hash of a document kept before hashes were recorded, from its content."""
        row = session.get(Attachment, row_id)
        assert row is not None
        return self.attachments.digest(row)

    def _content(self, document: _Document) -> bytes:
        with self.store.read() as session:
            row = session.get(Attachment, document.rows[0])
            assert row is not None, "documents are removed only with their application, never while it is sent"
            return self.attachments.content(row)

    def _mark(self, documents: list[_Document]) -> None:
        """These contents are at the lender now: their rows are marked sent (by key: the write is short). Another
        application's row with the same content is marked when its own turn asks about it."""
        rows = [row for d in documents for row in d.rows]
        if not rows:
            return
        with self.store.write() as session:
            session.execute(update(Attachment).where(Attachment.id.in_(rows)).values(sent_at=self.clock()))

    def forget(self, hashes: Iterable[str]) -> None:
        """The lender says it lacks these documents after all: every row with one of these contents is unsent
        again, to be delivered anew (rare: a scan is fine here)."""
        wanted = list(hashes)
        if not wanted:
            return
        with self.store.write() as session:
            session.execute(update(Attachment).where(Attachment.sha256.in_(wanted)).values(sent_at=None))


def _missing(reply: Reply) -> MissingDocuments | None:
    """The lender's answer to which documents it lacks, or None when the reply is not one."""
    if reply.status_code != 200:
        return None
    try:
        return MissingDocuments.model_validate(reply.body)
    except ValidationError:
        return None
