"""The purge leaves no trace of known people in the file bytes: applications taken through the real counter
flow (consents, customer, pre-screen, plan, signature, contract, outbox) with distinctive values, synced,
decided and finished long ago, are purged; the database file and its WAL then hold neither the values nor the
sealed ciphertexts read before the purge (that is what secure_delete proves: encrypted values would not show
in plain text anyway). Recent and undecided applications stay whole; the figures the reports need stay; the
audit chain stays intact."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, update

import app.office.purge
from app.counter.cancellation import CancellationService
from app.counter.contract import terms_sha256
from app.counter.drafts import DraftService
from app.counter.reveal import RevealService
from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.domain.catalog import load_catalog
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT
from app.domain.identity import make_resident_id
from app.domain.roles import Role
from app.kernel.clock import utc_now
from app.office.purge import PurgeService
from app.scoring.request import PurchaseRequest, request_from_form
from app.storage.audit import AuditLog
from app.storage.models import (
    Application,
    ApplicationTransition,
    Attachment,
    AuditEntry,
    Consent,
    Customer,
    DraftSnapshot,
    OutboxItem,
    PrescreenLog,
    Purchase,
)
from app.storage.repositories import ApplicationRepository, CustomerRepository
from app.sync.submission import SubmissionService
from tests.support.applications import CLERK, GOOD, given, signature

S = ApplicationState
MANAGER = Actor(login="manager", role=Role.STORE_MANAGER, display_name="Manager")
LONG_AGO = dt.timedelta(days=45)  # past the default retention of 30 days
WINDOW = 24  # bytes of a ciphertext searched for at a time (a window never spans two pages when found before)


@dataclasses.dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str
    address: str
    serial: str
    goods: str

    def form(self):
        born = dt.date(int(self.id_number[6:10]), int(self.id_number[10:12]), int(self.id_number[12:14]))
        return dataclasses.replace(
            GOOD,
            name=self.name,
            id_number=self.id_number,
            birth_date=born.isoformat(),
            phone=self.phone,
            address=self.address,
        )

    def plain_values(self) -> list[str]:
        return [self.name, self.id_number, self.phone, self.address, self.serial, self.goods]


def person(n: int) -> Person:
    marks = "甲乙丙丁戊己庚辛"
    return Person(
        name=f"诸葛清除{marks[n]}",
        id_number=make_resident_id("440305", dt.date(1984, 2, 1) + dt.timedelta(days=97 * n), 311 + 2 * n),
        phone=f"1357246{n:04d}",
        address=f"深圳市南山区清除测试路{7700 + n}号",
        serial=f"PURGESN{n}X7731{n}",
        goods=f"清除测试手机 Z{n}-{n * 37}",
    )


def _filed(services, catalog, who: Person) -> uuid.UUID:
    """Consents → customer → pre-screen → plan → signature and contract, through the app's services."""
    started = services.consents.begin_application(CLERK, given(FIRST_MOMENT))
    application_id = started.application_id
    form = who.form()
    services.intake.save(CLERK, application_id, form)
    price, down = Decimal("4999.00"), Decimal("1000.00")
    moment = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=14)
    request = request_from_form(form, PurchaseRequest("GOODS", price, down, 12), moment, "sales01")
    assert services.prescreen.prescreen(request, catalog, application_id).decision != "decline"
    terms = services.contracts.choose_plan(
        CLERK, application_id, catalog, "GOODS", who.goods, price, down, 12, moment.date()
    )
    # The clerk's autosaved draft (sealed, kept until the purge).
    DraftService(services.store, services.store_id).save(
        CLERK, application_id, "plan", {"name": who.name, "phone": who.phone, "goods": who.goods}
    )
    pdf = f"%PDF-1.7 contract of {who.name} {who.id_number}".encode()
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"\x89PNG sig", pdf
    )
    return application_id


def _synced(services, application_id: uuid.UUID, at: dt.datetime, *, documents: bool = True) -> None:
    """What a successful sync leaves: every outbox item sent, the documents uploaded, the lender has it."""
    with services.store.write() as session:
        session.execute(
            update(OutboxItem).where(OutboxItem.application_id == application_id).values(status="sent", sent_at=at)
        )
        if documents:
            session.execute(update(Attachment).where(Attachment.application_id == application_id).values(sent_at=at))
        ApplicationRepository().transition(session, application_id, S.SUBMITTED, "sync", at)


def _decided(services, application_id: uuid.UUID, at: dt.datetime, decision: S, serial: str = "") -> None:
    repo = ApplicationRepository()
    with services.store.write() as session:
        repo.transition(session, application_id, decision, "central", at)
        if decision is S.APPROVED and serial:
            session.execute(update(Purchase).where(Purchase.application_id == application_id).values(serial=serial))
            repo.transition(session, application_id, S.DELIVERED, CLERK.audit_name, at)


def _queued_and_synced(services, catalog, who: Person, at: dt.datetime, **kwargs) -> uuid.UUID:
    application_id = _filed(services, catalog, who)
    SubmissionService(services.store).queue(CLERK, application_id)
    _synced(services, application_id, at, **kwargs)
    return application_id


def _sealed_values(services, application_ids: list[uuid.UUID]) -> list[bytes]:
    """Every sealed value (and blind index) of these applications as stored now."""
    found: list[bytes] = []
    with services.store.read() as session:
        for application_id in application_ids:
            application = session.get(Application, application_id)
            customer = session.get(Customer, application.customer_id)
            found += [v for k, v in vars(customer).items() if k.endswith(("_enc", "_bi")) and v]
            found += list(
                session.scalars(select(Attachment.content_enc).where(Attachment.application_id == application_id))
            )
            found += list(
                session.scalars(select(OutboxItem.payload_enc).where(OutboxItem.application_id == application_id))
            )
            found += list(
                session.scalars(select(DraftSnapshot.values_enc).where(DraftSnapshot.application_id == application_id))
            )
    return found


def _file_bytes(db: Path) -> bytes:
    wal = Path(f"{db}-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _windows(data: bytes, sealed: list[bytes]) -> list[bytes]:
    """Windows of each sealed value that the search finds in `data` now; each value must have at least one, so
    a window not found after the purge is gone, not merely split across two pages."""
    windows = []
    for value in sealed:
        here = [value[i : i + WINDOW] for i in range(0, max(1, len(value) - WINDOW + 1), WINDOW * 4)]
        here = [w for w in here if w in data]
        assert here, "a sealed value could not be found before the purge"
        windows += here
    return windows


def _plain_needles(people: list[Person]) -> list[bytes]:
    return [v.encode(enc) for p in people for v in p.plain_values() for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def _make_secure_delete_off_by_default(monkeypatch) -> None:
    """Like an SQLite build without SECURE_DELETE (Debian's has it on): the purge must switch it on itself."""
    real = app.office.purge.create_store_engine

    def off_first(url, **kwargs):
        engine = real(url, **kwargs)
        event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA secure_delete = OFF"))
        return engine

    monkeypatch.setattr(app.office.purge, "create_store_engine", off_first)


def _app_connections(services, mode: str) -> None:
    event.listen(services.store.engine, "connect", lambda conn, _r: conn.execute(f"PRAGMA secure_delete = {mode}"))
    services.store.engine.dispose()


def _safety_copy(db: Path) -> Path:
    copy = db.with_name(f"{db.name}.before-0005.bak")
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return copy


def _count(services, model) -> int:
    from sqlalchemy import func

    with services.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)))


def test_purge_leaves_no_trace_of_known_values_in_the_file_bytes(signed_files, services, monkeypatch) -> None:
    _app_connections(services, "ON")  # as the counter's connections should run (see the report)
    _make_secure_delete_off_by_default(monkeypatch)
    catalog = load_catalog(signed_files.settings)
    now = utc_now()
    old = now - LONG_AGO
    people = [person(n) for n in range(6)]
    delivered = _queued_and_synced(services, catalog, people[0], old)
    _decided(services, delivered, old, S.APPROVED, people[0].serial)
    declined = _queued_and_synced(services, catalog, people[1], old)
    _decided(services, declined, old, S.DECLINED)
    never_sent = _filed(services, catalog, people[2])
    CancellationService(services.store, clock=lambda: old).cancel(CLERK, never_sent, "客户改变主意")
    recent = _queued_and_synced(services, catalog, people[3], now)
    _decided(services, recent, now, S.APPROVED, people[3].serial)
    undecided = _queued_and_synced(services, catalog, people[4], old)
    unsent_documents = _queued_and_synced(services, catalog, people[5], old, documents=False)
    _decided(services, unsent_documents, old, S.APPROVED, people[5].serial)
    purged_ids, purged_people = [delivered, declined, never_sent], people[:3]
    kept_ids, kept_people = [recent, undecided, unsent_documents], people[3:]

    db = services.store.path
    copy = _safety_copy(db)
    sealed = _sealed_values(services, purged_ids)
    kept_sealed = _sealed_values(services, kept_ids)
    before = _file_bytes(db)
    windows = _windows(before, sealed)
    # Control: the serial and the goods are kept in plain text until the purge, and the search finds them.
    assert all(p.goods.encode() in before for p in purged_people) and people[0].serial.encode() in before
    with services.store.read() as session:
        figures = {
            a.id: (a.state, a.product_code, a.requested_term, a.principal, a.created_at, a.store_id, a.staff_id)
            for a in session.scalars(select(Application))
        }
        prices = {p.application_id: (p.category, p.price, p.down_payment) for p in session.scalars(select(Purchase))}
    history, consents, logs = (
        _count(services, ApplicationTransition),
        _count(services, Consent),
        _count(services, PrescreenLog),
    )

    service = PurgeService(services.store, lambda: services.settings)
    entries = _count(services, AuditEntry)
    dry = service.purge_due(None, now, dry_run=True)
    assert (dry.purged, dry.customers_removed, dry.copies_removed, dry.waiting_for_sync) == (3, 3, 1, 1)
    assert _count(services, AuditEntry) == entries and copy.exists()

    report = service.purge_due(MANAGER, now)
    assert (report.purged, report.customers_removed, report.waiting_for_sync) == (3, 3, 1)
    assert (report.attachments_removed, report.outbox_items_removed) == (dry.attachments_removed, 2)
    assert report.purchases_cleared == 3 and report.copies_removed == 1 and report.checkpointed
    assert report.other_rows_removed == 3  # the draft snapshots
    assert not copy.exists()

    # The bytes: nothing of the purged people, neither in plain form nor as the ciphertexts they were sealed in.
    after = _file_bytes(db)
    assert [n for n in _plain_needles(purged_people) if n in after] == []
    assert [w for w in windows if w in after] == []
    assert all(v[:WINDOW] in after or v[-WINDOW:] in after for v in kept_sealed), "kept values are still there"

    # The figures the reports need are all still there, and so is every record that holds nothing personal.
    with services.store.read() as session:
        rows = {
            a.id: (a.state, a.product_code, a.requested_term, a.principal, a.created_at, a.store_id, a.staff_id)
            for a in session.scalars(select(Application))
        }
        assert rows == figures
        assert {p.application_id: (p.category, p.price, p.down_payment) for p in session.scalars(select(Purchase))} == (
            prices
        )
        for application_id in purged_ids:
            assert session.get(Application, application_id).customer_id is None
            purchase = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
            assert (purchase.serial, purchase.description) == (None, None)
        # The recent, undecided and not fully uploaded applications are whole and readable.
        customers = CustomerRepository(services.store.cipher)
        for application_id, who in zip(kept_ids, kept_people, strict=True):
            application = session.get(Application, application_id)
            assert customers.get(session, application.customer_id).name == who.name
            purchase = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
            assert purchase.description == who.goods
            assert session.scalar(select(Attachment.id).where(Attachment.application_id == application_id))
        chain = AuditLog.for_store(services.store).verify(session)
        purged_entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "data.purged")))
    assert (_count(services, ApplicationTransition), _count(services, Consent)) == (history, consents)
    assert _count(services, PrescreenLog) == logs
    assert chain.intact
    assert [e.actor for e in purged_entries] == [MANAGER.audit_name] * 2  # the batch, then the copy
    assert '"applications":3' in purged_entries[0].detail and '"copies":1' in purged_entries[1].detail
    assert RevealService(services.store).reveal_id_number(MANAGER, recent) == people[3].id_number

    # Nothing is due any more: a second run changes nothing and writes no audit entry.
    entries = _count(services, AuditEntry)
    again = service.purge_due(None, now)
    assert (again.purged, again.customers_removed, again.copies_removed) == (0, 0, 0)
    assert _count(services, AuditEntry) == entries


def test_without_secure_delete_the_ciphertexts_would_have_stayed(signed_files, services, tmp_path) -> None:
    """Control: deleting the same rows without secure_delete leaves their ciphertexts in the file, so the test
    above can fail and secure_delete is what passes it."""
    catalog = load_catalog(signed_files.settings)
    who = person(7)
    application_id = _queued_and_synced(services, catalog, who, utc_now())
    sealed = _sealed_values(services, [application_id])[-2:]  # the last document and the outbox body
    services.close()
    copy = tmp_path / "copy.db"
    shutil.copy(services.store.path, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = OFF")
        conn.execute("DELETE FROM attachments")
        conn.execute("DELETE FROM outbox")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    data = copy.read_bytes()
    assert any(value[:WINDOW] in data or value[-WINDOW:] in data for value in sealed)


@pytest.mark.parametrize("purged_first", [True, False])
def test_a_customer_with_a_later_application_keeps_their_details(services, purged_first: bool) -> None:
    """A returning customer: the old application loses its link, the customer row stays for the newer one."""
    from tests.support.fixtures import known_customers

    who = known_customers(1, tag=41)[0]
    customers, repo = CustomerRepository(services.store.cipher), ApplicationRepository()
    now, old = utc_now(), utc_now() - LONG_AGO
    ids = []
    with services.store.write() as session:
        store = services.current_store(session)
        for _ in range(2):
            application = repo.create_draft(session, store, None, "t", old)
            application.customer_id = customers.save(session, who, old)
            ids.append(application.id)
        repo.transition(session, ids[0], S.CANCELLED, "t", old)
        repo.transition(session, ids[1], S.PRESCREENED, "t", now)
        orphan = customers.save(session, known_customers(1, tag=42)[0], old)  # no application uses it
    report = PurgeService(services.store, lambda: services.settings).purge_due(None, now)
    assert (report.purged, report.customers_removed) == (1, 1)
    with services.store.read() as session:
        assert session.get(Application, ids[0]).customer_id is None
        assert customers.get(session, session.get(Application, ids[1]).customer_id).name == who.name
        assert session.get(Customer, orphan) is None


def test_the_retention_period_is_a_setting(services) -> None:
    from app.kernel.errors import InvalidInput
    from app.kernel.settings import settings_from_dict

    assert services.settings.retention_days == 30
    assert settings_from_dict({"retention_days": 7}).retention_days == 7
    for wrong in (0, 3651):
        with pytest.raises(InvalidInput):
            settings_from_dict({"retention_days": wrong})


def test_compact_leaves_nothing_even_after_connections_without_secure_delete(signed_files, services) -> None:
    """Counter connections without secure_delete (some SQLite builds' default) can leave old versions of a
    rewritten row in free space, out of reach of the purge's own secure_delete; `compact` (VACUUM) rewrites the
    file and leaves no free space with old content."""
    _app_connections(services, "OFF")
    catalog = load_catalog(signed_files.settings)
    now = utc_now()
    old = now - LONG_AGO
    gone, kept = person(0), person(1)
    purged = _queued_and_synced(services, catalog, gone, old)
    _decided(services, purged, old, S.APPROVED, gone.serial)
    _queued_and_synced(services, catalog, kept, now)
    windows = _windows(_file_bytes(services.store.path), _sealed_values(services, [purged]))
    report = PurgeService(services.store, lambda: services.settings).purge_due(None, now, compact=True)
    assert report.purged == 1 and report.compacted and report.checkpointed
    after = _file_bytes(services.store.path)
    assert [n for n in _plain_needles([gone]) if n in after] == []
    assert [w for w in windows if w in after] == []
    assert kept.goods.encode() in after


def test_the_purge_command_prints_the_json_contract(services, fenqi_home, capsys) -> None:
    """`fenqi purge [--dry-run] [--json]` over demo data (states and dates spread over two years)."""
    import json

    from app.cli import main
    from app.kernel.settings import update_settings

    services.close()
    update_settings(fenqi_home / "config" / "settings.json", retention_days=60)
    assert main(["demo-data", "--count", "300", "--seed", "5", "--json"]) == 0
    capsys.readouterr()
    assert main(["purge", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["retention_days"] == 60 and dry["purged"] > 0
    assert main(["purge", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert {k: done[k] for k in ("purged", "customers_removed", "retention_days")} == {
        k: dry[k] for k in ("purged", "customers_removed", "retention_days")
    }
    assert done["dry_run"] is False and done["checkpointed"] is True
    assert main(["purge"]) == 0
    assert "Applications purged" in capsys.readouterr().out
    assert main(["audit", "verify", "--json"]) == 0
    with pytest.raises(SystemExit):
        main(["purge", "--help"])
    assert "key_store_unavailable" in capsys.readouterr().out
