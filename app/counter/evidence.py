"""Evidence kept with an application at the counter: the photos of the ID card's two sides or of the passport
page (cropped to the document by the reader), and a live photo of the customer, checked on this PC before it is
kept. Each is a JPEG without metadata, sealed like every personal field, kept with its SHA-256 and size as the
application's one current document of its kind (app.wire.evidence.EvidenceKind; the terms, signature and
contract are kept by app.counter.contract under the same kinds), named by kind and hash in what is sent to the
lender, shown in full only to the store manager (audited), and purged with the application's personal data.

Photos are kept while the application can still change (draft, pre-screened, quoted) and holds the customer's
first consents: nothing about the customer is kept before them, and once signed, the documents are those signed
with. The audit chain records each document kept or revealed by kind and hash only."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from app.counter.intake import ConsentMissing
from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, parse_state, state_label
from app.domain.consent import consent_label, missing_first_moment
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import N_, _
from app.scanning.face_check import FaceVerdict, check_face, check_picture
from app.scanning.photos import as_jpeg, decode, kept_jpeg
from app.storage.attachments import AttachmentRepository
from app.storage.audit import AuditLog
from app.storage.consents import ConsentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Application, Attachment, Verification
from app.wire.evidence import ID_IMAGE_KINDS, EvidenceKind, PhotoCheck

JPEG = "image/jpeg"
LIVE_PHOTO_CHECK = "live_photo"  # Verification.kind of the live photo's check

KIND_LABELS: dict[EvidenceKind, str] = {
    EvidenceKind.ID_FRONT: N_("ID card, front"),
    EvidenceKind.ID_BACK: N_("ID card, back"),
    EvidenceKind.PASSPORT: N_("Passport page"),
    EvidenceKind.LIVE_PHOTO: N_("Live photo"),
    EvidenceKind.TERMS: N_("Contract terms"),
    EvidenceKind.SIGNATURE_STROKES: N_("Signature strokes"),
    EvidenceKind.SIGNATURE_IMAGE: N_("Signature image"),
    EvidenceKind.CONTRACT: N_("Contract PDF"),
}


def kind_label(kind: EvidenceKind) -> str:
    """The kind of document as a person reads it, in the configured language."""
    return _(KIND_LABELS[kind])


class LivePhotoRefused(InvalidInput):
    """The live photo's check refused it (`verdict.problems` say why; the message is `verdict.messages()`)."""

    code = "live_photo_refused"

    def __init__(self, verdict: FaceVerdict) -> None:
        super().__init__(" ".join(verdict.messages()))
        self.verdict = verdict


def evidence_kind(kind: EvidenceKind | str) -> EvidenceKind:
    """`kind` as an EvidenceKind (a scan result names its document by the kind's value); InvalidInput bad_kind
    for a name that is none."""
    try:
        return EvidenceKind(kind)
    except ValueError as exc:
        raise InvalidInput(_("Unknown kind of document: {kind}.").format(kind=kind), code="bad_kind") from exc


@dataclass(frozen=True)
class EvidenceEntry:
    """One document of an application: its kind, the SHA-256 and size of its content, and whether the lender
    has it (a document replaced after it was sent is unsent again)."""

    kind: EvidenceKind
    sha256: str
    size: int
    sent: bool


def current_documents(session: Session, application_id: uuid.UUID) -> dict[EvidenceKind, Attachment]:
    """The application's current document of each kind it names as evidence, in EvidenceKind's order. The sealed
    contents are not read (a PDF or a photo is loaded only if its hash or size must be worked out again)."""
    newest: dict[str, Attachment] = {}
    for row in session.scalars(
        select(Attachment)
        .options(defer(Attachment.content_enc))
        .where(Attachment.application_id == application_id)
        .order_by(Attachment.created_at.desc())
    ):
        newest.setdefault(row.kind, row)
    return {kind: newest[kind.value] for kind in EvidenceKind if kind.value in newest}


def live_photo_check(session: Session, application_id: uuid.UUID) -> PhotoCheck | None:
    """What the check said of the application's kept live photo (its newest check), or None."""
    outcome = session.scalar(
        select(Verification.outcome)
        .where(Verification.application_id == application_id, Verification.kind == LIVE_PHOTO_CHECK)
        .order_by(Verification.at.desc())
        .limit(1)
    )
    return None if outcome is None else PhotoCheck(outcome)


class EvidenceService:
    """Keeps, lists and reveals the documents that show who applied and signed (see the module's description)."""

    def __init__(self, store: LocalStore, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.attachments = AttachmentRepository(store)
        self.consents = ConsentRepository()

    def keep_id_image(
        self, actor: Actor, application_id: uuid.UUID, kind: EvidenceKind | str, image: bytes
    ) -> EvidenceEntry:
        """Keep the photo of an ID card's side or a passport page (`kind` one of ID_IMAGE_KINDS) as a JPEG of at
        most app.scanning.photos.MAX_SIDE pixels without metadata, replacing the kind's earlier photo; audited
        `evidence.kept` with the kind and hash. Raises InvalidInput (bad_kind, bad_image, image_too_large,
        not_found, not_editable, consent_missing) with nothing written."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        kind = evidence_kind(kind)
        if kind not in ID_IMAGE_KINDS:
            raise InvalidInput(
                _("{kind} is not a photo of an identity document.").format(kind=kind_label(kind)), code="bad_kind"
            )
        content = kept_jpeg(image, kind_label(kind))
        return self._keep(actor, application_id, kind, content)

    def check_live_photo(self, image: bytes) -> FaceVerdict:
        """The live photo's check (one face, large, sharp and light enough), without keeping anything; unchecked
        where this PC cannot check photos. Raises InvalidInput (bad_image, image_too_large)."""
        return check_face(image)

    def keep_live_photo(self, actor: Actor, application_id: uuid.UUID, image: bytes) -> FaceVerdict:
        """Check the live photo and keep it (JPEG without metadata, replacing an earlier one) with the check's
        outcome (a `live_photo` verification: passed, or unchecked where this PC cannot check photos); audited
        `evidence.kept`. A photo the check refuses raises LivePhotoRefused (InvalidInput `live_photo_refused`,
        its message what to do, its verdict the problems), and nothing is kept; also InvalidInput bad_image,
        image_too_large, not_found, not_editable, consent_missing."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        picture = decode(image, kind_label(EvidenceKind.LIVE_PHOTO))
        verdict = check_picture(picture)
        if not verdict.ok:
            raise LivePhotoRefused(verdict)
        outcome = PhotoCheck.PASSED if verdict.checked else PhotoCheck.UNCHECKED
        self._keep(actor, application_id, EvidenceKind.LIVE_PHOTO, as_jpeg(picture), outcome)
        return verdict

    def items(self, application_id: uuid.UUID) -> list[EvidenceEntry]:
        """The application's current documents, one per kind, in EvidenceKind's order (empty when none, or when
        they were purged)."""
        with self.store.read() as session:
            return self._items(session, application_id)

    def by_reference(self, reference: str) -> tuple[uuid.UUID, list[EvidenceEntry]]:
        """The application with this short reference and its documents; InvalidInput not_found when this PC has
        no such application."""
        wanted = reference.strip().upper()
        with self.store.read() as session:
            found = session.scalar(select(Application.id).where(Application.reference == wanted))
            if found is None:
                raise InvalidInput(
                    _("No application {reference} at this store.").format(reference=reference), code="not_found"
                )
            return found, self._items(session, found)

    def has_live_photo(self, application_id: uuid.UUID) -> bool:
        """Whether a live photo of the customer is kept with the application."""
        with self.store.read() as session:
            return self.attachments.latest(session, application_id, EvidenceKind.LIVE_PHOTO.value) is not None

    def photo_check(self, application_id: uuid.UUID) -> PhotoCheck | None:
        """What the check said of the kept live photo (passed or unchecked); None when none was kept."""
        with self.store.read() as session:
            return live_photo_check(session, application_id)

    def reveal(self, actor: Actor, application_id: uuid.UUID, kind: EvidenceKind | str) -> bytes:
        """The content of the application's document of `kind`, for the store manager only: PermissionDenied
        for anyone else, and InvalidInput not_found when there is no such document (none was kept, or it was
        purged), with nothing written. Audited `evidence.revealed` (kind and hash) in the transaction that reads
        it."""
        require_permission(actor.role, Permission.REVEAL_ID_NUMBER)
        kind = evidence_kind(kind)
        with self.store.write() as session:
            row = self.attachments.latest(session, application_id, kind.value)
            if row is None:
                raise InvalidInput(
                    _(
                        "This application holds no document “{kind}”: none was kept, or it was removed after the "
                        "retention period."
                    ).format(kind=kind_label(kind)),
                    code="not_found",
                )
            content = self.attachments.content(row)
            self.audit.append(
                session,
                actor.audit_name,
                "evidence.revealed",
                object_type="application",
                object_id=str(application_id),
                detail={"kind": kind.value, "sha256": row.sha256},
                at=self.clock(),
            )
        return content

    def _keep(
        self,
        actor: Actor,
        application_id: uuid.UUID,
        kind: EvidenceKind,
        content: bytes,
        check: PhotoCheck | None = None,
    ) -> EvidenceEntry:
        now = self.clock()
        with self.store.write() as session:
            application = session.get(Application, application_id)
            if application is None:
                raise InvalidInput(_("No such application."), code="not_found")
            state = parse_state(application.state)
            if state not in EDITABLE_STATES:
                raise InvalidInput(
                    _("This application is {state}: its photos can no longer be changed.").format(
                        state=state_label(state)
                    ),
                    code="not_editable",
                )
            missing = missing_first_moment(self.consents.held(session, application_id))
            if missing:
                raise ConsentMissing(
                    _("The customer has not yet given consent to: {kinds}. Nothing has been saved.").format(
                        kinds=_("; ").join(consent_label(k) for k in missing)
                    ),
                    missing,
                )
            row = self.attachments.put(session, application_id, kind.value, JPEG, content, now)
            detail = {"kind": kind.value, "sha256": row.sha256}
            if check is not None:
                session.add(
                    Verification(
                        id=uuid.uuid4(),
                        application_id=application_id,
                        kind=LIVE_PHOTO_CHECK,
                        outcome=check.value,
                        at=now,
                    )
                )
                detail["check"] = check.value
            self.audit.append(
                session,
                actor.audit_name,
                "evidence.kept",
                object_type="application",
                object_id=str(application_id),
                detail=detail,
                at=now,
            )
            return self._entry(row, kind)

    def _items(self, session: Session, application_id: uuid.UUID) -> list[EvidenceEntry]:
        return [self._entry(row, kind) for kind, row in current_documents(session, application_id).items()]

    def _entry(self, row: Attachment, kind: EvidenceKind) -> EvidenceEntry:
        return EvidenceEntry(kind, self.attachments.digest(row), self.attachments.size(row), row.sent_at is not None)
