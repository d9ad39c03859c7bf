"""No plaintext name, ID number or phone in the database file, its WAL and shared memory, or the logs; nor any
bytes of the photos kept with an application (ID card sides, the live photo)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import numpy as np
from PIL import Image

from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.domain.consent import FIRST_MOMENT
from app.domain.roles import Role
from app.kernel.clock import utc_now
from app.kernel.logs import get_logger
from app.storage.repositories import ApplicationRepository, CustomerRepository
from app.wire.evidence import EvidenceKind
from tests.support import faces
from tests.support.applications import CLERK, given
from tests.support.fixtures import known_customers
from tests.support.id_cards import make_card, render_back, render_front

MANAGER = Actor(login="manager", role=Role.STORE_MANAGER, display_name="Manager")


def _needles(values: list[str]) -> list[bytes]:
    out = []
    for value in values:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append(value.encode(encoding))
    return out


def _hits(files: list[Path], needles: list[bytes]) -> list[str]:
    found = []
    for path in files:
        data = path.read_bytes()
        found += [f"{path.name}: {needle!r}" for needle in needles if needle in data]
    return found


def _store_files(services) -> list[Path]:
    db = services.store.path
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), *services.config.paths.log_dir.glob("*")]
    return [f for f in files if f.is_file()]


def test_personal_data_never_reaches_disk_in_plain_form(services, tmp_path: Path) -> None:
    """Write 30 applications with known people, then search every file the store and logs wrote."""
    people = known_customers(30, tag=7)
    customers = CustomerRepository(services.store.cipher)
    applications = ApplicationRepository()
    log = get_logger("test")
    for person in people:
        with services.store.write() as session:
            now = utc_now()
            app = applications.create_draft(session, services.current_store(session), None, "clerk", now)
            app.customer_id = customers.save(session, person, now)
            applications.transition(session, app.id, ApplicationState.PRESCREENED, "clerk", now)
        # Even a careless log line gets its numbers masked on the way to the file.
        log.warning("saved application %s for id %s phone %s", app.reference, person.id_number, person.phone)
    for handler in logging.getLogger("fenqi").handlers:
        handler.flush()

    files = _store_files(services)
    wal = Path(f"{services.store.path}-wal")
    assert wal.is_file() and wal.stat().st_size > 0, "the WAL must still hold the writes when we search it"
    needles = _needles(
        [p.name for p in people]
        + [p.id_number for p in people]
        + [p.phone for p in people]
        + [p.bank_card for p in people]
        + [p.address for p in people]
    )
    assert _hits(files, needles) == []

    # After a checkpoint the data live in the main file: still nothing readable.
    services.close()
    assert _hits([f for f in _store_files(services)], needles) == []

    # Control: the search does find these values when they are there, so the checks above can fail.
    control = tmp_path / "control.bin"
    control.write_bytes(people[3].name.encode("utf-16-le") + b"\x00" + people[5].phone.encode())
    assert len(_hits([control], needles)) == 2


def _jpeg_windows(content: bytes, size: int = 32) -> list[bytes]:
    """Chunks of a JPEG's compressed picture data (a third, half and two thirds in): found only if it was kept."""
    return [content[at : at + size] for at in (len(content) // 3, len(content) // 2, 2 * len(content) // 3)]


def _pixel_windows(picture: Image.Image, count: int = 3, width: int = 24) -> list[bytes]:
    """Runs of `width` raw RGB pixels, the `count` most varied of the picture (on different rows: a card's print,
    the face), which a flat background never matches by chance: found if the picture was ever stored decoded."""
    pixels = np.asarray(picture.convert("RGB"))
    scored = []
    for y in range(0, pixels.shape[0], 7):
        for x in range(0, pixels.shape[1] - width, width):
            run = pixels[y, x : x + width]
            scored.append((len(np.unique(run, axis=0)), y, run.tobytes()))
    scored.sort(reverse=True)
    chosen: dict[int, bytes] = {}
    for _score, y, run in scored:
        if len(chosen) < count and all(abs(y - other) > 20 for other in chosen):
            chosen[y] = run
    return list(chosen.values())


def test_kept_photos_never_reach_disk_in_plain_form(services, tmp_path: Path) -> None:
    """ID-card photos and a live photo kept with an application: the store, its WAL and the logs hold neither the
    JPEGs as kept (what the store seals) nor the pictures' pixels (as given, or as kept)."""
    application_id = services.consents.begin_application(CLERK, given(FIRST_MOMENT)).application_id
    card = make_card(21)
    front, back = render_front(card), render_back(card)
    services.evidence.keep_id_image(CLERK, application_id, EvidenceKind.ID_FRONT, faces.encoded(front))
    services.evidence.keep_id_image(CLERK, application_id, EvidenceKind.ID_BACK, faces.encoded(back))
    services.evidence.keep_live_photo(CLERK, application_id, faces.face())
    kinds = (EvidenceKind.ID_FRONT, EvidenceKind.ID_BACK, EvidenceKind.LIVE_PHOTO)
    kept = [services.evidence.reveal(MANAGER, application_id, kind) for kind in kinds]
    for handler in logging.getLogger("fenqi").handlers:
        handler.flush()

    needles = [window for content in kept for window in _jpeg_windows(content)]
    for picture in (front, back, faces.astronaut(), *(Image.open(io.BytesIO(content)) for content in kept)):
        needles += _pixel_windows(picture)
    assert len(set(needles)) == len(needles)
    wal = Path(f"{services.store.path}-wal")
    assert wal.is_file() and wal.stat().st_size > sum(map(len, kept)), "the WAL must hold the photos' pages"
    assert _hits(_store_files(services), needles) == []
    services.close()
    assert _hits(_store_files(services), needles) == []

    # Control: the same search finds a picture kept in plain form.
    control = tmp_path / "control.bin"
    control.write_bytes(kept[2] + b"\x00" + np.asarray(front).tobytes())
    assert len(_hits([control], needles)) == len(_jpeg_windows(kept[2])) + 3


def test_lookup_by_id_number_works_without_plaintext(services) -> None:
    """The blind index finds a returning customer by ID number, and the details decrypt intact."""
    person = known_customers(1, tag=9)[0]
    customers = CustomerRepository(services.store.cipher)
    with services.store.write() as session:
        customers.save(session, person, utc_now())
    with services.store.read() as session:
        found = customers.find_by_id_number(session, person.id_number.lower())
    assert found is not None
    assert (found.name, found.phone, found.address, found.bank_card) == (
        person.name,
        person.phone,
        person.address,
        person.bank_card,
    )
