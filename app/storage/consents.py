"""The consents an application holds: granted with the exact text's version and hash, withdrawn by a date."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.consent import ConsentKind
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.models import Consent


class ConsentRepository:
    """Consents by application; one row per kind, kept after withdrawal so the record stays complete."""

    def grant(
        self,
        session: Session,
        application_id: uuid.UUID,
        kind: ConsentKind,
        text_version: str,
        text_sha256: str,
        now: dt.datetime,
    ) -> Consent:
        """Record that the customer gave `kind` for the text with this version and hash; giving it again after a
        withdrawal records the new grant."""
        if len(text_sha256) != 64 or any(c not in "0123456789abcdef" for c in text_sha256):
            raise InvalidInput(_("A consent must name the SHA-256 of the text shown."), code="bad_consent_text")
        row = session.scalar(
            select(Consent).where(Consent.application_id == application_id, Consent.kind == kind.value)
        )
        if row is None:
            row = Consent(id=uuid.uuid4(), application_id=application_id, kind=kind.value)
            session.add(row)
        row.text_version, row.text_sha256, row.granted_at, row.withdrawn_at = text_version, text_sha256, now, None
        session.flush()
        return row

    def withdraw(self, session: Session, application_id: uuid.UUID, kind: ConsentKind, now: dt.datetime) -> None:
        """Record that the customer withdrew `kind`; withdrawing what was never given is refused."""
        row = session.scalar(
            select(Consent).where(
                Consent.application_id == application_id, Consent.kind == kind.value, Consent.withdrawn_at.is_(None)
            )
        )
        if row is None:
            raise InvalidInput(_("That consent was not given, so it cannot be withdrawn."), code="no_consent")
        row.withdrawn_at = now
        session.flush()

    def held(self, session: Session, application_id: uuid.UUID) -> frozenset[str]:
        """The kinds the application holds now (granted and not withdrawn)."""
        rows = session.scalars(
            select(Consent.kind).where(Consent.application_id == application_id, Consent.withdrawn_at.is_(None))
        )
        return frozenset(rows)

    def records(self, session: Session, application_id: uuid.UUID) -> list[Consent]:
        """Every consent row of the application, oldest grant first."""
        query = select(Consent).where(Consent.application_id == application_id).order_by(Consent.granted_at)
        return list(session.scalars(query))
