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
        write transaction); sealed to its row, with its hash."""
        row = self.latest(session, application_id, kind)
        if row is None:
            row = Attachment(id=uuid.uuid4(), application_id=application_id, kind=kind)
            session.add(row)
        row.mime_type, row.created_at = mime, now
        self.sealing.put(row, Attachment.content_enc, content)
        row.sha256 = hashlib.sha256(content).hexdigest()
        session.flush()
        return row
