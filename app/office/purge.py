"""Purging the personal data of finished applications once the retention period has passed (DESIGN.md §7).

An application is due when it is in a final state (delivered, declined, cancelled) and its final transition is
older than `retention_days`, and it is synced: nothing of it is still waiting in the outbox (a refused item of a
final application can never be sent again, and a superseded one was sent as a newer revision), and, when the
lender accepted a submission of it, every document was uploaded too — the signed contract must not be lost.
Due but not synced applications are counted as `waiting_for_sync` and kept.

What goes: the customer row (when no application still holding personal data uses it; customer rows no
application uses any more go too once untouched for the retention period), every sealed attachment (ID photos,
the live photo, signature strokes and image, contract, terms), the outbox items (sealed bodies), the purchase's
serial/IMEI and description, and the application's rows in any other table keyed by `application_id` (the draft
snapshots, the verifications of who signed — photo check, phone confirmation, card check with the card's blind
index —, and whatever comes later: personal by default unless named in KEPT_TABLES). What stays, for the reports: the
application row (state, product, term, principal, dates, store, staff — its customer link cleared), its state
history, its consent records (kind, text version and hash, times), its pre-screen log (figures and codes), the
purchase's category, SKU, price and down payment, and the audit chain.

The purge runs on its own connection with `PRAGMA secure_delete = ON` (SQLite zeroes the freed content instead
of only unlinking it), in small batches so the counter is never locked out for long, each batch one transaction
with its `data.purged` audit entry (counts only); then `PRAGMA wal_checkpoint(TRUNCATE)` moves the zeroed pages
into the file and empties the WAL. Safety copies the migrations left beside the database (`*.before-*.bak`, kept
only when a migration failed) hold everyone's data as it was, so they are overwritten and deleted.

Older versions of a value that was overwritten before the purge (e.g. a purchase row rewritten when its serial
was added) survive in free space when the connections that wrote them did not use secure_delete — the default
of some SQLite builds. `compact=True` runs VACUUM after the purge, which rewrites the whole file and leaves no
free space with old content.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Engine,
    Uuid,
    and_,
    column,
    delete,
    event,
    exists,
    func,
    inspect,
    not_,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import TableClause

from app.domain.actor import Actor
from app.domain.application import FINAL_STATES
from app.kernel.logs import get_logger
from app.kernel.settings import Settings
from app.storage.audit import AuditLog
from app.storage.engine import create_store_engine, reader, sqlite_url
from app.storage.local_store import LocalStore
from app.storage.models import Application, Attachment, Customer, OutboxItem, Purchase

log = get_logger("purge")

BATCH_SIZE = 500
SYSTEM_ACTOR = "system:purge"
# Tables keyed by application_id whose rows stay (non-personal) or are handled one by one below; rows of any
# other table with an application_id column are deleted with the application's personal data.
KEPT_TABLES = frozenset(
    {
        "applications",
        "application_transitions",
        "application_codes",
        "consents",
        "prescreen_log",
        "purchases",
        "attachments",
        "outbox",
    }
)
_ZEROS = bytes(1 << 16)
# PurgeReport field → the count of one batch (as its audit entry names it).
_TOTALS = {
    "purged": "applications",
    "customers_removed": "customers",
    "attachments_removed": "attachments",
    "outbox_items_removed": "outbox_items",
    "purchases_cleared": "purchases_cleared",
    "other_rows_removed": "other_rows",
}


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or, with `dry_run`, would remove): counts only."""

    retention_days: int
    before: dt.datetime  # final transitions before this moment were due
    dry_run: bool
    purged: int = 0  # applications whose personal data was removed
    customers_removed: int = 0
    attachments_removed: int = 0
    outbox_items_removed: int = 0
    purchases_cleared: int = 0
    other_rows_removed: int = 0  # draft snapshots and other per-application rows
    copies_removed: int = 0  # migration safety copies deleted
    waiting_for_sync: int = 0  # due, but kept until the lender has everything
    checkpointed: bool = False  # the WAL was emptied into the database file
    compacted: bool = False

    def as_json(self) -> dict[str, Any]:
        """The report as `fenqi purge --json` prints it."""
        out = asdict(self)
        out["before"] = self.before.isoformat()
        return out


def _purge_engine(path: Path) -> Engine:
    """A private engine on the store's file whose connections zero what they delete."""
    engine = create_store_engine(sqlite_url(path))

    @event.listens_for(engine, "connect")
    def _secure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA secure_delete = ON")

    return engine


def safety_copies(database: Path) -> list[Path]:
    """The migration safety copies beside `database` (see app.storage.local_store._backup)."""
    return sorted(database.parent.glob(glob.escape(database.name) + ".before-*.bak"))


def _shred(path: Path) -> None:
    """Overwrite the file with zeros, flush it to disk, and delete it."""
    if path.is_file():
        size = path.stat().st_size
        with path.open("r+b") as fh:
            for offset in range(0, size, len(_ZEROS)):
                fh.write(_ZEROS[: min(len(_ZEROS), size - offset)])
            fh.flush()
            os.fsync(fh.fileno())
    path.unlink(missing_ok=True)


class _Rules:
    """The SQL conditions that pick due applications, for any alias of the applications table."""

    def __init__(self, before: dt.datetime, other_tables: Sequence[TableClause]) -> None:
        self.before = before
        self.other_tables = other_tables

    def holds_personal(self, a: Any) -> ColumnElement[bool]:
        return or_(
            a.customer_id.is_not(None),
            exists().where(Attachment.application_id == a.id),
            exists().where(OutboxItem.application_id == a.id),
            exists().where(
                Purchase.application_id == a.id, or_(Purchase.serial.is_not(None), Purchase.description.is_not(None))
            ),
            *(exists().where(t.c.application_id == a.id) for t in self.other_tables),
        )

    def due(self, a: Any) -> ColumnElement[bool]:
        final = sorted(s.value for s in FINAL_STATES)
        return and_(a.state.in_(final), a.state_changed_at < self.before, self.holds_personal(a))

    @staticmethod
    def synced(a: Any) -> ColumnElement[bool]:
        accepted = exists().where(
            OutboxItem.application_id == a.id, OutboxItem.kind == "application", OutboxItem.status == "sent"
        )
        unsent_document = exists().where(Attachment.application_id == a.id, Attachment.sent_at.is_(None))
        waiting = exists().where(OutboxItem.application_id == a.id, OutboxItem.status == "pending")
        return and_(not_(waiting), or_(not_(accepted), not_(unsent_document)))

    def purgeable(self, a: Any) -> ColumnElement[bool]:
        return and_(self.due(a), self.synced(a))

    def orphan_customers(self) -> ColumnElement[bool]:
        return and_(Customer.updated_at < self.before, not_(exists().where(Application.customer_id == Customer.id)))


class PurgeService:
    """Removes the personal data of applications past the retention period (see the module's description)."""

    def __init__(self, store: LocalStore, settings: Callable[[], Settings], batch_size: int = BATCH_SIZE) -> None:
        self.store = store
        self.settings = settings
        self.batch_size = batch_size
        self.audit = AuditLog.for_store(store)

    def purge_due(
        self, actor: Actor | None, now: dt.datetime, *, dry_run: bool = False, compact: bool = False
    ) -> PurgeReport:
        """Purge what is due at `now` (timezone-aware); `actor` None is the application's own schedule. With
        `dry_run`, only count (no write lock is taken, nothing changes)."""
        if now.tzinfo is None:
            raise ValueError("give the purge a timezone-aware time")
        days = self.settings().retention_days
        before = now - dt.timedelta(days=days)
        engine = _purge_engine(self.store.path)
        try:
            with reader(engine).connect() as conn:
                rules = _Rules(before, _other_tables(conn))
            if dry_run:
                return self._count(engine, rules, days)
            name = SYSTEM_ACTOR if actor is None else actor.audit_name
            totals = self._purge(engine, rules, name, now)
            copies = safety_copies(self.store.path)
            for copy in copies:
                for part in (copy, *(Path(f"{copy}{suffix}") for suffix in ("-wal", "-shm", "-journal"))):
                    _shred(part)
            with Session(engine) as session, session.begin():
                orphans = _rowcount(session.execute(delete(Customer).where(rules.orphan_customers())))
                if orphans or copies:
                    detail = {"customers": orphans, "copies": len(copies), "retention_days": days}
                    self.audit.append(session, name, "data.purged", detail=detail, at=now)
                waiting = session.scalar(
                    select(func.count(Application.id)).where(rules.due(Application), not_(rules.synced(Application)))
                )
            totals["customers_removed"] += orphans
            compacted = False
            if compact:
                _driver_execute(engine, "VACUUM")
                compacted = True
            checkpointed = _driver_execute(engine, "PRAGMA wal_checkpoint(TRUNCATE)")[0] == 0
        finally:
            engine.dispose()
        report = PurgeReport(
            retention_days=days,
            before=before,
            dry_run=False,
            copies_removed=len(copies),
            waiting_for_sync=int(waiting or 0),
            checkpointed=checkpointed,
            compacted=compacted,
            **totals,
        )
        log.info(
            "purged %s applications, %s customers, %s safety copies (%s waiting for sync)",
            report.purged,
            report.customers_removed,
            report.copies_removed,
            report.waiting_for_sync,
        )
        return report

    def _purge(self, engine: Engine, rules: _Rules, actor: str, now: dt.datetime) -> dict[str, int]:
        """Purge in batches, each one write transaction with its audit entry; returns the totals."""
        totals = dict.fromkeys(_TOTALS, 0)
        with Session(reader(engine)) as session, session.begin():
            due = list(
                session.scalars(
                    select(Application.id).where(rules.purgeable(Application)).order_by(Application.state_changed_at)
                )
            )
        for start in range(0, len(due), self.batch_size):
            chunk = due[start : start + self.batch_size]
            with Session(engine) as session, session.begin():
                # Checked again under the write lock: something may have been queued since (a consent withdrawal).
                # A final state and its time never change; leaving them out keeps SQLite on the primary key.
                ids = list(
                    session.scalars(
                        select(Application.id).where(
                            Application.id.in_(chunk), rules.holds_personal(Application), rules.synced(Application)
                        )
                    )
                )
                if not ids:
                    continue
                counts = _purge_batch(session, ids, rules.other_tables)
                self.audit.append(
                    session,
                    actor,
                    "data.purged",
                    detail={**counts, "retention_days": self.settings().retention_days},
                    at=now,
                )
            for key, name in _TOTALS.items():
                totals[key] += counts[name]
        return totals

    def _count(self, engine: Engine, rules: _Rules, days: int) -> PurgeReport:
        due = aliased(Application)
        ids = select(due.id).where(rules.purgeable(due))
        other = aliased(Application)
        shared = exists().where(other.customer_id == Customer.id, other.id.not_in(ids))
        with Session(reader(engine)) as session, session.begin():

            def count(query: Any) -> int:
                return int(session.scalar(query) or 0)

            customers = count(
                select(func.count(Customer.id)).where(
                    Customer.id.in_(select(due.customer_id).where(rules.purgeable(due))), not_(shared)
                )
            )
            report = PurgeReport(
                retention_days=days,
                before=rules.before,
                dry_run=True,
                purged=count(select(func.count()).select_from(ids.subquery())),
                customers_removed=customers + count(select(func.count(Customer.id)).where(rules.orphan_customers())),
                attachments_removed=count(select(func.count(Attachment.id)).where(Attachment.application_id.in_(ids))),
                outbox_items_removed=count(select(func.count(OutboxItem.id)).where(OutboxItem.application_id.in_(ids))),
                purchases_cleared=count(
                    select(func.count(Purchase.id)).where(
                        Purchase.application_id.in_(ids),
                        or_(Purchase.serial.is_not(None), Purchase.description.is_not(None)),
                    )
                ),
                other_rows_removed=sum(
                    count(select(func.count()).select_from(t).where(t.c.application_id.in_(ids)))
                    for t in rules.other_tables
                ),
                copies_removed=len(safety_copies(self.store.path)),
                waiting_for_sync=count(
                    select(func.count(Application.id)).where(rules.due(Application), not_(rules.synced(Application)))
                ),
            )
        return report


def _rowcount(result: Result[Any]) -> int:
    """Rows a DELETE or UPDATE matched. Session.execute returns a CursorResult for those, but is typed as
    returning a Result, which has no rowcount."""
    return cast(CursorResult[Any], result).rowcount


def _purge_batch(session: Session, ids: list[uuid.UUID], other_tables: Sequence[TableClause]) -> dict[str, int]:
    """Remove the personal data of these applications inside the caller's transaction; returns the counts."""
    customers = set(
        session.scalars(
            select(Application.customer_id).where(Application.id.in_(ids), Application.customer_id.is_not(None))
        )
    )
    session.execute(update(Application).where(Application.id.in_(ids)).values(customer_id=None))
    removed = _rowcount(
        session.execute(
            delete(Customer).where(
                Customer.id.in_(customers), not_(exists().where(Application.customer_id == Customer.id))
            )
        )
    )
    attachments = _rowcount(session.execute(delete(Attachment).where(Attachment.application_id.in_(ids))))
    outbox = _rowcount(session.execute(delete(OutboxItem).where(OutboxItem.application_id.in_(ids))))
    purchases = _rowcount(
        session.execute(
            update(Purchase)
            .where(
                Purchase.application_id.in_(ids), or_(Purchase.serial.is_not(None), Purchase.description.is_not(None))
            )
            .values(serial=None, description=None)
        )
    )
    others = sum(_rowcount(session.execute(delete(t).where(t.c.application_id.in_(ids)))) for t in other_tables)
    return {
        "applications": len(ids),
        "customers": removed,
        "attachments": attachments,
        "outbox_items": outbox,
        "purchases_cleared": purchases,
        "other_rows": others,
    }


def _other_tables(conn: Any) -> list[TableClause]:
    """Tables keyed by application_id that this module does not know (e.g. draft_snapshots): their rows of a
    purged application are personal until someone says otherwise by naming them in KEPT_TABLES."""
    inspector = inspect(conn)
    found = []
    for name in inspector.get_table_names():
        if name in KEPT_TABLES or name.startswith(("sqlite_", "alembic_")):
            continue
        if any(c["name"] == "application_id" for c in inspector.get_columns(name)):
            found.append(table(name, column("application_id", Uuid)))
    return found


def _driver_execute(engine: Engine, statement: str) -> tuple[Any, ...]:
    """Run a statement outside any transaction (a checkpoint or VACUUM cannot run inside one)."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None, "a connection just checked out of the pool has its driver connection"
        row = driver.execute(statement).fetchone()
        return tuple(row) if row else ()
    finally:
        raw.close()
