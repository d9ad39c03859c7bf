"""Photos kept with an application at the counter: sealed JPEGs without metadata, with their SHA-256 and size,
one per kind (a new one replaces the old and is unsent again); only while the application can change and holds
the first consents; the live photo kept only when the check does not refuse it, with the check's outcome;
revealed to the store manager only, audited; listed by `fenqi applications evidence`; purged with the
application's personal data, its verifications included."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid

import pytest
from PIL import Image
from sqlalchemy import select

from app.counter.evidence import EvidenceEntry, EvidenceService, LivePhotoRefused
from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.domain.consent import FIRST_MOMENT
from app.domain.roles import PermissionDenied, Role
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.office.purge import PurgeService
from app.scanning import face_check
from app.scanning.photos import MAX_SIDE
from app.storage.attachments import AttachmentRepository
from app.storage.models import Application, Attachment, AuditEntry, Verification
from app.storage.repositories import ApplicationRepository
from app.wire.evidence import EvidenceKind, PhotoCheck
from tests.support import faces
from tests.support.applications import CLERK, given
from tests.support.id_cards import make_card, render_front

K = EvidenceKind
MANAGER = Actor(login="manager", role=Role.STORE_MANAGER, display_name="Manager")
STORE_IT = Actor(login="admin", role=Role.ADMIN, display_name="Store IT")


def _started(services) -> uuid.UUID:
    """A draft holding the customer's first consents, as the customer screen leaves it."""
    return services.consents.begin_application(CLERK, given(FIRST_MOMENT)).application_id


def _card_photo(seed: int = 3) -> bytes:
    """A phone photo of an ID card's front: a 2400 × 1520 JPEG, larger than what is kept."""
    return faces.encoded(render_front(make_card(seed)).resize((2400, 1520)), "JPEG", quality=92)


def _audit(services, action: str) -> list[AuditEntry]:
    with services.store.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def test_an_id_photo_is_kept_sealed_as_a_jpeg_without_metadata_with_its_hash_and_size(services) -> None:
    application_id = _started(services)
    tagged = Image.open(io.BytesIO(_card_photo()))
    exif = Image.Exif()
    exif[0x010F] = "ACME Phone"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0132] = "2026:12:08 10:11:12"  # DateTime
    with_metadata = faces.encoded(tagged, "JPEG", quality=92, exif=exif, comment=b"shop counter 3")
    assert b"ACME Phone" in with_metadata
    evidence = EvidenceService(services.store)
    entry = evidence.keep_id_image(CLERK, application_id, K.ID_FRONT, with_metadata)

    kept = evidence.reveal(MANAGER, application_id, K.ID_FRONT)
    assert entry == EvidenceEntry(K.ID_FRONT, hashlib.sha256(kept).hexdigest(), len(kept), sent=False)
    picture = Image.open(io.BytesIO(kept))
    assert picture.format == "JPEG" and max(picture.size) == MAX_SIDE and picture.size == (2000, 1267)
    assert not picture.getexif() and "comment" not in picture.info and "icc_profile" not in picture.info
    assert b"ACME Phone" not in kept and b"shop counter" not in kept
    with services.store.read() as session:
        row = session.scalar(select(Attachment).where(Attachment.application_id == application_id))
        assert (row.kind, row.mime_type, row.sha256, row.size) == ("id_front", "image/jpeg", entry.sha256, len(kept))
        assert kept[1000:1032] not in row.content_enc  # sealed: the stored bytes are not the picture's
    [audited] = _audit(services, "evidence.kept")
    assert json.loads(audited.detail) == {"kind": "id_front", "sha256": entry.sha256}
    assert audited.object_id == str(application_id)


def test_a_new_photo_replaces_the_old_and_is_unsent_again_the_same_one_stays_sent(services) -> None:
    application_id = _started(services)
    evidence = EvidenceService(services.store)
    first = evidence.keep_id_image(CLERK, application_id, K.ID_FRONT, _card_photo(3))
    with services.store.write() as session:
        row = session.scalar(select(Attachment).where(Attachment.application_id == application_id))
        row.sent_at = utc_now()  # the lender has it
    assert evidence.items(application_id) == [EvidenceEntry(K.ID_FRONT, first.sha256, first.size, sent=True)]
    again = evidence.keep_id_image(CLERK, application_id, K.ID_FRONT, _card_photo(3))
    assert again == EvidenceEntry(K.ID_FRONT, first.sha256, first.size, sent=True)
    other = evidence.keep_id_image(CLERK, application_id, K.ID_FRONT, _card_photo(4))
    assert other.sha256 != first.sha256 and not other.sent
    back = evidence.keep_id_image(CLERK, application_id, K.ID_BACK, faces.encoded(render_front(make_card(5))))
    assert evidence.items(application_id) == [other, back]  # one per kind, in the contract's order
    with services.store.read() as session:
        assert len(list(session.scalars(select(Attachment.id)))) == 2


def test_the_live_photo_is_kept_with_its_check_and_a_refused_one_is_not_kept(services) -> None:
    application_id = _started(services)
    evidence = EvidenceService(services.store)
    assert not evidence.has_live_photo(application_id) and evidence.photo_check(application_id) is None
    with pytest.raises(InvalidInput) as refused:
        evidence.keep_live_photo(CLERK, application_id, faces.dark_face())
    assert refused.value.code == "live_photo_refused"
    assert refused.value.message == face_check.ADVICE["too_dark"]
    assert isinstance(refused.value, LivePhotoRefused) and refused.value.verdict.problems == ("too_dark",)
    assert not evidence.has_live_photo(application_id) and _audit(services, "evidence.kept") == []

    verdict = evidence.keep_live_photo(CLERK, application_id, faces.face())
    assert verdict.checked and verdict.ok
    assert evidence.has_live_photo(application_id) and evidence.photo_check(application_id) is PhotoCheck.PASSED
    [entry] = evidence.items(application_id)
    assert entry.kind is K.LIVE_PHOTO
    assert Image.open(io.BytesIO(evidence.reveal(MANAGER, application_id, K.LIVE_PHOTO))).format == "JPEG"
    [audited] = _audit(services, "evidence.kept")
    assert json.loads(audited.detail) == {"kind": "live_photo", "sha256": entry.sha256, "check": "passed"}
    assert evidence.check_live_photo(faces.no_face()).problems == ("no_face",)  # a check keeps nothing
    assert len(evidence.items(application_id)) == 1


def test_without_opencv_the_live_photo_is_kept_unchecked(services, monkeypatch) -> None:
    monkeypatch.setattr(face_check, "_classifier", lambda: None)
    application_id = _started(services)
    evidence = EvidenceService(services.store)
    verdict = evidence.keep_live_photo(CLERK, application_id, faces.dark_face())
    assert not verdict.checked and verdict.messages() == [face_check.UNCHECKED_NOTE]
    assert evidence.photo_check(application_id) is PhotoCheck.UNCHECKED
    with services.store.read() as session:
        rows = list(session.scalars(select(Verification)))
    assert [(v.application_id, v.kind, v.outcome, v.bank_card_bi) for v in rows] == [
        (application_id, "live_photo", "unchecked", None)
    ]


def test_photos_are_kept_only_while_the_application_can_change_and_holds_the_first_consents(services) -> None:
    evidence = EvidenceService(services.store)
    photo = faces.face()
    with services.store.write() as session:  # a draft the customer gave no consent for
        bare = ApplicationRepository().create_draft(session, services.current_store(session), None, "t", utc_now())
        bare_id = bare.id
    cancelled = _started(services)
    with services.store.write() as session:
        ApplicationRepository().transition(session, cancelled, ApplicationState.CANCELLED, "t", utc_now())
    cases = [
        (lambda: evidence.keep_id_image(CLERK, bare_id, K.ID_FRONT, photo), "consent_missing"),
        (lambda: evidence.keep_live_photo(CLERK, bare_id, photo), "consent_missing"),
        (lambda: evidence.keep_id_image(CLERK, cancelled, K.ID_FRONT, photo), "not_editable"),
        (lambda: evidence.keep_id_image(CLERK, uuid.uuid4(), K.ID_FRONT, photo), "not_found"),
        (lambda: evidence.keep_id_image(CLERK, cancelled, K.LIVE_PHOTO, photo), "bad_kind"),
        (lambda: evidence.keep_id_image(CLERK, cancelled, "selfie", photo), "bad_kind"),
        (lambda: evidence.keep_id_image(CLERK, cancelled, K.ID_BACK, b"GIF89a not really"), "bad_image"),
    ]
    for keep, code in cases:
        with pytest.raises(InvalidInput) as refused:
            keep()
        assert refused.value.code == code
    with pytest.raises(PermissionDenied):
        evidence.keep_id_image(STORE_IT, cancelled, K.ID_FRONT, photo)  # store IT files no applications
    with services.store.read() as session:
        assert list(session.scalars(select(Attachment.id))) == []
    assert _audit(services, "evidence.kept") == []


def test_revealing_a_photo_is_the_store_managers_and_audited(services) -> None:
    application_id = _started(services)
    evidence = EvidenceService(services.store)
    entry = evidence.keep_id_image(CLERK, application_id, "passport", _card_photo())  # as a scan names it
    for actor in (CLERK, STORE_IT):
        with pytest.raises(PermissionDenied):
            evidence.reveal(actor, application_id, K.PASSPORT)
    assert _audit(services, "evidence.revealed") == []
    with pytest.raises(InvalidInput) as missing:
        evidence.reveal(MANAGER, application_id, K.ID_BACK)
    assert missing.value.code == "not_found" and _audit(services, "evidence.revealed") == []
    content = evidence.reveal(MANAGER, application_id, K.PASSPORT)
    assert hashlib.sha256(content).hexdigest() == entry.sha256
    [audited] = _audit(services, "evidence.revealed")
    assert (audited.actor, audited.object_id) == (MANAGER.audit_name, str(application_id))
    assert json.loads(audited.detail) == {"kind": "passport", "sha256": entry.sha256}


def test_a_document_kept_before_sizes_were_recorded_is_measured_from_its_content(services) -> None:
    application_id = _started(services)
    now = utc_now()
    with services.store.write() as session:
        row = AttachmentRepository(services.store).put(session, application_id, "terms", "application/json", b"{}", now)
        row.size, row.sha256 = None, None  # as a row kept before revisions 0005 (hash) and 0009 (size) is
    [entry] = EvidenceService(services.store).items(application_id)
    assert (entry.kind, entry.size, entry.sha256) == (K.TERMS, 2, hashlib.sha256(b"{}").hexdigest())


def test_the_evidence_command_lists_an_applications_documents(services, capsys) -> None:
    from app.cli import main

    application_id = _started(services)
    evidence = EvidenceService(services.store)
    front = evidence.keep_id_image(CLERK, application_id, K.ID_FRONT, _card_photo())
    evidence.keep_live_photo(CLERK, application_id, faces.face())
    [live] = [e for e in evidence.items(application_id) if e.kind is K.LIVE_PHOTO]
    with services.store.read() as session:
        reference = session.get(Application, application_id).reference
    services.close()

    assert main(["applications", "evidence", reference.lower(), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["application_id"] == str(application_id)
    assert out["items"] == [
        {"kind": "id_front", "sha256": front.sha256, "size": front.size, "sent": False},
        {"kind": "live_photo", "sha256": live.sha256, "size": live.size, "sent": False},
    ]
    assert main(["applications", "evidence", reference]) == 0
    table = capsys.readouterr().out
    assert reference in table and front.sha256 in table and "ID card, front" in table
    assert main(["applications", "evidence", "S001-000000-0000", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "not_found"


def test_the_purge_removes_the_photos_and_the_verifications_with_the_personal_data(services) -> None:
    application_id = _started(services)
    evidence = EvidenceService(services.store)
    evidence.keep_id_image(CLERK, application_id, K.ID_FRONT, _card_photo())
    evidence.keep_live_photo(CLERK, application_id, faces.face())
    long_ago = utc_now() - dt.timedelta(days=45)
    with services.store.write() as session:
        ApplicationRepository().transition(session, application_id, ApplicationState.CANCELLED, "t", long_ago)
    report = PurgeService(services.store, lambda: services.settings).purge_due(None, utc_now())
    assert report.purged == 1 and report.attachments_removed == 2 and report.other_rows_removed >= 1
    assert evidence.items(application_id) == []
    assert not evidence.has_live_photo(application_id) and evidence.photo_check(application_id) is None
    with services.store.read() as session:
        assert list(session.scalars(select(Verification.id))) == []
    with pytest.raises(InvalidInput) as gone:
        evidence.reveal(MANAGER, application_id, K.ID_FRONT)
    assert gone.value.code == "not_found"
