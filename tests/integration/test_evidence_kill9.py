"""A kill -9 in the middle of the attachment upload loses nothing and sends nothing twice: `fenqi sync --once`
uploading several MB of ID photos to the real reference server is SIGKILLed once the lender holds some of them,
then run again; in the end the lender's evidence list (`fenqi-central applications evidence`) equals the
counter's (`fenqi applications evidence`) hash for hash, each document is held once, byte-identical to what the
counter kept (read back through the lender's database with its key), and every application arrived once."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
from PIL import Image
from sqlalchemy import func, select

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.services import build_services
from app.storage.attachments import AttachmentRepository
from app.storage.models import Application, Attachment, OutboxItem
from app.storage.outbox import payload_of
from app.sync.submission import SubmissionService, newest_submission
from app.wire.evidence import EvidenceKind
from central.db import StoredAttachment, SubmittedApplication, open_database
from central.evidence import items_of
from tests.conftest import REPO
from tests.integration.test_central import _central
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.central_server import running_central
from tests.support.lender import store_with_roster

APPLICATIONS = 3


def _photo(rng: np.random.Generator) -> bytes:
    """A 1200×900 photo of noise (JPEG hardly compresses it: about 1 MB as the counter keeps it)."""
    pixels = rng.integers(0, 256, size=(900, 1200, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90)
    return out.getvalue()


def _queue(services, catalog) -> list[str]:
    """Signed, queued applications, each with both sides of the ID card kept; their references."""
    from skimage import data

    rng = np.random.default_rng(20)
    references = []
    for i in range(APPLICATIONS):
        application_id, terms = quoted_application(services, catalog)
        services.evidence.keep_id_image(CLERK, application_id, EvidenceKind.ID_FRONT, _photo(rng))
        services.evidence.keep_id_image(CLERK, application_id, EvidenceKind.ID_BACK, _photo(rng))
        if i == 0:
            face = io.BytesIO()
            Image.fromarray(data.astronaut()).save(face, "JPEG", quality=92)
            services.evidence.keep_live_photo(CLERK, application_id, face.getvalue())
        services.contracts.sign(
            CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF-1.4"
        )
        SubmissionService(services.store).queue(CLERK, application_id)
        with services.store.read() as session:
            references.append(session.get(Application, application_id).reference)
            body = payload_of(services.store, newest_submission(session, application_id))
        assert body["live_photo_check"] == ("passed" if i == 0 else None)  # the face check's verdict goes along
    return references


def _held(factory) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(StoredAttachment)) or 0)


def test_a_kill_mid_upload_then_a_restart_delivers_the_same_evidence_once(
    tmp_path, signed_files, services, subprocess_env, capsys
) -> None:
    db = f"sqlite:///{tmp_path / 'central.db'}"
    references = _queue(services, load_catalog(signed_files.settings))
    with services.store.read() as session:
        distinct = len(set(session.scalars(select(Attachment.sha256))))
    services.close()
    with running_central(db) as (base, _process):
        code = store_with_roster(db, "S001")
        assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code]) == 0
        factory = open_database(db)
        sync = [sys.executable, "-m", "app", "sync", "--server", base, "--once", "--json"]
        process = subprocess.Popen(sync, cwd=REPO, env=subprocess_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while _held(factory) == 0 and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            os.kill(process.pid, signal.SIGKILL)  # mid-upload: the lender holds some of the documents
        finally:
            process.kill()
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        held_at_kill = _held(factory)
        assert 0 < held_at_kill < distinct, (held_at_kill, distinct)
        again = subprocess.run(sync, cwd=REPO, env=subprocess_env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["pending"] == 0

        counter = build_services()
        try:
            attachments = AttachmentRepository(counter.store)
            with counter.store.read() as session:
                assert set(session.scalars(select(OutboxItem.status).where(OutboxItem.kind == "application"))) == {
                    "sent"
                }
                ours = {row.sha256: attachments.content(row) for row in session.scalars(select(Attachment))}
        finally:
            counter.close()
        with factory() as session:
            theirs = {row.sha256: row.content for row in session.scalars(select(StoredAttachment))}
        assert theirs == ours and len(theirs) == distinct  # each once, byte for byte
        capsys.readouterr()
        for reference in references:
            assert main(["applications", "evidence", reference, "--json"]) == 0
            listed = json.loads(capsys.readouterr().out)
            assert all(item["sent"] for item in listed["items"])
            assert len(listed["items"]) == (7 if reference == references[0] else 6)  # the first has a live photo
            expected = [{key: item[key] for key in ("kind", "sha256", "size")} for item in listed["items"]]
            if reference == references[0]:  # the lender's command (a process start: about 4 s) for one of them
                lender = _central(db, "applications", "evidence", "--application", listed["application_id"])["items"]
            else:
                lender = [vars(i) for i in items_of(factory, listed["application_id"])]
            assert lender == expected
        with factory() as session:
            assert session.scalar(select(func.count()).select_from(SubmittedApplication)) == APPLICATIONS
        factory.kw["bind"].dispose()
