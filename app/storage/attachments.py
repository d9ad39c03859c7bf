"""An application's documents (terms, contract PDF, signature strokes and image, ID photos): always sealed, kept
with the SHA-256 of their plain content."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.local_store import LocalStore
from app.storage.models import Attachment
from app.storage.sealing import Sealing


class AttachmentRepository:
    """The documents of one local store's applications, one current document per application and kind."""

    def __init__(self, store: LocalStore) -> None:
        self.sealing = Sealing.for_store(store)

    def latest(self, session: Session, application_id: uuid.UUID, kind: str) -> Attachment | None:
        """The application's newest document of `kind`, or None."""
        return session.scalar(
            select(Attachment)
            .where(Attachment.application_id == application_id, Attachment.kind == kind)
            .order_by(Attachment.created_at.desc())
        )

    def content(self, row: Attachment) -> bytes:
        """The document's content, unsealed."""
        return self.sealing.content(row, Attachment.content_enc)

    def put(
        self, session: Session, application_id: uuid.UUID, kind: str, mime: str, content: bytes, now: dt.datetime
    ) -> Attachment:
        """Keep `content` as the application's document of `kind`, replacing the one before (inside the caller's
        write transaction); sealed to its row, with its hash and size. A content that differs from the one
        before is not at the lender yet: the row is marked unsent again (the same content keeps its mark)."""
        row = self.latest(session, application_id, kind)
        if row is None:
            row = Attachment(id=uuid.uuid4(), application_id=application_id, kind=kind)
            session.add(row)
        digest = hashlib.sha256(content).hexdigest()
        if row.sha256 != digest:
            row.sent_at = None
        row.mime_type, row.created_at = mime, now
        self.sealing.put(row, Attachment.content_enc, content)
        row.sha256, row.size = digest, len(content)
        session.flush()
        return row

    def digest(self, row: Attachment) -> str:
        """The SHA-256 of the document's content (computed from it for a row kept before hashes were recorded)."""
        return row.sha256 or hashlib.sha256(self.content(row)).hexdigest()

    def size(self, row: Attachment) -> int:
        """The document's size in bytes (read from its content for a row kept before sizes were recorded)."""
        return row.size if row.size is not None else len(self.content(row))
