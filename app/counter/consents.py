"""The customer's consents as given on the customer screen: each text versioned and hashed exactly as shown,
each given separately and explicitly. The first two start the application (before them nothing about the
customer exists); declining either ends it with nothing kept. Withdrawing later is recorded and queued for
the lender."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.domain.consent import FIRST_MOMENT, ConsentKind
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.audit import AuditLog
from app.storage.consents import ConsentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Application, Store
from app.storage.outbox import enqueue
from app.storage.repositories import ApplicationRepository
from app.wire.keys import WITHDRAWAL


@dataclass(frozen=True)
class ConsentText:
    """One consent's text in one language, as shown: its version and the SHA-256 of exactly these words."""

    kind: ConsentKind
    language: str
    version: str
    title: str
    body: str

    @property
    def sha256(self) -> str:
        """The hash stored with a consent: of the title and body exactly as the customer saw them."""
        return hashlib.sha256(f"{self.title}\n\n{self.body}".encode()).hexdigest()

    @property
    def stored_version(self) -> str:
        """The version recorded with the consent (text version and language)."""
        return f"{self.version}/{self.language}"


@dataclass(frozen=True)
class GivenConsent:
    """What the customer ticked on the customer screen, and when."""

    kind: ConsentKind
    text: ConsentText
    at: dt.datetime


@dataclass(frozen=True)
class StartedApplication:
    application_id: uuid.UUID
    reference: str


def _texts_dir() -> Path:
    from app.kernel.config import resources_dir

    return resources_dir() / "consents"


@cache
def consent_text(kind: ConsentKind, language: str) -> ConsentText:
    """The current text of a consent in `language` (zh_CN or en); raises InvalidInput if there is none."""
    path = _texts_dir() / f"{kind.value}.{language}.txt"
    try:
        head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        return ConsentText(kind, language, fields["version"], fields["title"], body.strip())
    except (OSError, ValueError, KeyError) as exc:
        raise InvalidInput(
            _("The consent text {kind} ({language}) is missing.").format(kind=kind.value, language=language),
            code="consent_text_missing",
        ) from exc


class ConsentService:
    """Starts applications with the first-moment consents, records the signing ones, and withdrawals."""

    def __init__(self, store: LocalStore, store_id: uuid.UUID, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.store_id = store_id
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.repository = ConsentRepository()

    def _check(self, given: Sequence[GivenConsent], needed: Sequence[ConsentKind]) -> None:
        kinds = [g.kind for g in given]
        if sorted(kinds) != sorted(needed):
            raise InvalidInput(
                _("Each consent must be given separately by the customer before going on."), code="consent_missing"
            )
        self.check_texts(given)

    def check_texts(self, given: Sequence[GivenConsent]) -> None:
        """Each consent was given for the current text (version and hash) in its language."""
        for g in given:
            current = consent_text(g.kind, g.text.language)
            if (g.text.version, g.text.sha256) != (current.version, current.sha256):
                raise InvalidInput(
                    _("The consent text shown is not the current one; show it again."), code="consent_text_changed"
                )

    def begin_application(self, actor: Actor, given: Sequence[GivenConsent]) -> StartedApplication:
        """A new draft holding the first-moment consents, all in one transaction. Without both, nothing is
        written (the customer declined or has not finished)."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        self._check(given, FIRST_MOMENT)
        now = self.clock()
        with self.store.write() as session:
            store = session.get(Store, self.store_id)
            assert store is not None
            application = ApplicationRepository().create_draft(session, store, actor.staff_id, actor.audit_name, now)
            for g in given:
                self.grant_in(session, actor, application.id, g)
            self.audit.append(
                session,
                actor.audit_name,
                "application.started",
                object_type="application",
                object_id=str(application.id),
                at=now,
            )
            return StartedApplication(application.id, application.reference)

    def record_declined(self, actor: Actor, kind: ConsentKind) -> None:
        """Note (without anything about the customer) that a consent was declined and the application ended."""
        with self.store.write() as session:
            self.audit.append(session, actor.audit_name, "consent.declined", detail={"kind": kind.value})

    def give(self, actor: Actor, application_id: uuid.UUID, given: Sequence[GivenConsent]) -> None:
        """Record further consents for an application of this store, each for its current text."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        self.check_texts(given)
        with self.store.write() as session:
            application = session.get(Application, application_id)
            if application is None or application.store_id != self.store_id:
                raise InvalidInput(_("No such application."), code="not_found")
            for g in given:
                self.grant_in(session, actor, application_id, g)

    def grant_in(self, session: Session, actor: Actor, application_id: uuid.UUID, g: GivenConsent) -> None:
        """Record one given consent, with its audit entry, inside the caller's write transaction."""
        self.repository.grant(session, application_id, g.kind, g.text.stored_version, g.text.sha256, g.at)
        self.audit.append(
            session,
            actor.audit_name,
            "consent.given",
            object_type="application",
            object_id=str(application_id),
            detail={"kind": g.kind.value, "version": g.text.stored_version, "sha256": g.text.sha256},
        )

    def held_records(self, application_id: uuid.UUID, language: str) -> list[tuple[str, str, str, dt.datetime]]:
        """The consents the application holds now, for the contract: title (in `language`), stored version,
        text hash and when each was given."""
        with self.store.read() as session:
            rows = [r for r in self.repository.records(session, application_id) if r.withdrawn_at is None]
        return [
            (consent_text(ConsentKind(r.kind), language).title, r.text_version, r.text_sha256, r.granted_at)
            for r in rows
        ]

    def application_by_reference(self, reference: str) -> uuid.UUID:
        """The application with this short reference at this store; raises InvalidInput if there is none."""
        from sqlalchemy import select

        with self.store.read() as session:
            found = session.scalar(
                select(Application.id).where(
                    Application.reference == reference.strip().upper(), Application.store_id == self.store_id
                )
            )
        if found is None:
            raise InvalidInput(
                _("No application {reference} at this store.").format(reference=reference), code="not_found"
            )
        return found

    def withdraw(self, actor: Actor, application_id: uuid.UUID, kind: ConsentKind) -> None:
        """Record that the customer withdrew `kind`, and queue the withdrawal for the lender."""
        require_permission(actor.role, Permission.RECORD_WITHDRAWAL)
        now = self.clock()
        with self.store.write() as session:
            self.repository.withdraw(session, application_id, kind, now)
            body = {"application_id": str(application_id), "kind": kind.value, "at": now.isoformat()}
            occasion = f"{kind.value}:{now.isoformat()}"
            enqueue(session, self.store, "consent_withdrawal", application_id, WITHDRAWAL, occasion, body, now)
            self.audit.append(
                session,
                actor.audit_name,
                "consent.withdrawn",
                object_type="application",
                object_id=str(application_id),
                detail={"kind": kind.value},
                at=now,
            )
