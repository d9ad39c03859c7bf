"""No plaintext name, ID number or phone in the database file, its WAL and shared memory, or the logs."""

from __future__ import annotations

import logging
from pathlib import Path

from app.domain.application import ApplicationState
from app.kernel.clock import utc_now
from app.kernel.logs import get_logger
from app.storage.repositories import ApplicationRepository, CustomerRepository
from tests.support.fixtures import known_customers


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
