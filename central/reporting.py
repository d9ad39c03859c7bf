"""Report figures on the central server, kept in the same transaction as the writes they count (never a cache
that can go stale).

When a revision arrives (central.submissions), is decided by a reviewer, or is cancelled (central.documents),
the writer takes the application's `Facts` before the change (`facts_of`) and reports the change (`arrived`,
`status_changed`): the old contribution is subtracted, the new one added, to per-store, store-local-day rows
(`report_daily`) and per-month rows (`report_monthly`) of counts and integer-fen sums, by dimension:

- `state`: submitted (central status "received"), referred, approved, declined, cancelled — with the financed
  amount (body["financed"]) and the ticket (body["purchase"]["price"]) summed over the rows that have them;
- `reason`: the reason codes of the decision that declined the application ("reviewer" for a reviewer);
- `flag`: the anti-fraud flag codes of the lender's verdict on the revision's arrival;
- `score_decile`: "0".."9", the verdict's score placed in the model card's drift-baseline deciles.

The day is body["created_at"] in the store's time zone. The deltas are merged and written when the session
commits (`install` hooks the factory), under a per-store version that also orders the day marks the counters'
`GET /v1/store/figures` cursor reads. `rebuild` recomputes the same rows set-based (loads and upgrades), and
`naive_figures` computes a region's figures straight from the applications (the reference the aggregates
are checked and timed against); central.routes.reports answers the reports from the aggregates."""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, bindparam, case, cast, delete, event, func, inspect, literal, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from app.domain.money import to_fen
from central.db import (
    ApplicationCode,
    CentralStore,
    PublishedFile,
    ReportDaily,
    ReportDayMark,
    ReportMonthly,
    ReportVersion,
    SubmittedApplication,
)

DEFAULT_TIME_ZONE = "Asia/Shanghai"
STATES = {
    "received": "submitted",
    "referred": "referred",
    "approved": "approved",
    "declined": "declined",
    "cancelled": "cancelled",
}
FIGURES = ("n", "financed_fen", "financed_n", "ticket_fen", "ticket_n")
MAX_FEN = 10**14  # a trillion yuan: anything larger is not an amount
_SHIPPED_CARD = Path(__file__).resolve().parents[1] / "models_onnx" / "model_card.json"
_PENDING, _CODES, _ZONES, _CARD = "fenqi_report_pending", "fenqi_report_codes", "fenqi_report_zones", "fenqi_card"

Key = tuple[str, dt.date, str, str]  # store, day (or month), dim, key


@dataclass(frozen=True)
class Facts:
    """What one application contributes to the figures."""

    store_code: str
    device_id: str
    day: dt.date
    state: str  # a STATES value
    financed_fen: int | None
    ticket_fen: int | None
    decile: int | None
    reasons: frozenset[str]
    flags: frozenset[str]

    def contributions(self) -> Iterator[tuple[str, str, tuple[int, int, int, int, int]]]:
        """(dim, key, figures) for each row this application counts in."""
        f, t = self.financed_fen, self.ticket_fen
        yield "state", self.state, (1, f or 0, int(f is not None), t or 0, int(t is not None))
        for code in sorted(self.reasons):
            yield "reason", code, (1, 0, 0, 0, 0)
        for code in sorted(self.flags):
            yield "flag", code, (1, 0, 0, 0, 0)
        if self.decile is not None:
            yield "score_decile", str(self.decile), (1, 0, 0, 0, 0)


@dataclass
class _Pending:
    deltas: defaultdict[Key, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * len(FIGURES)))
    marks: set[tuple[str, str, dt.date]] = field(default_factory=set)


def fen_of(value: Any) -> int | None:
    """An amount as the body carries it ("3999.00") in fen; None when absent or not an amount in whole fen."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount * 100 >= MAX_FEN:
        return None
    try:
        return to_fen(amount)
    except ValueError:
        return None


def local_day(created_at: Any, zone: ZoneInfo, fallback: dt.datetime) -> dt.date:
    """The store-local day of body["created_at"] (an ISO time; UTC when it has no offset), or of `fallback`
    when it is missing or not a time."""
    moment = None
    if isinstance(created_at, str) and created_at:
        try:
            moment = dt.datetime.fromisoformat(created_at)
        except ValueError:
            moment = None
    moment = moment or fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date()


def zone_of(session: Session, store_code: str) -> ZoneInfo:
    """The store's time zone (read once per session)."""
    zones = session.info.setdefault(_ZONES, {})
    if store_code not in zones:
        store = session.get(CentralStore, store_code)
        zones[store_code] = ZoneInfo(store.time_zone if store is not None else DEFAULT_TIME_ZONE)
    return zones[store_code]


_baselines: dict[str, dict[str, Any]] = {}


def baseline(session: Session) -> dict[str, Any]:
    """The drift baseline (score decile edges, expected shares, PSI bands) of the published model card, or of
    the card shipped in models_onnx when none is published or it has none."""
    if _CARD not in session.info:
        session.info[_CARD] = session.scalar(select(PublishedFile.sha256).where(PublishedFile.kind == "model_card"))
    sha = session.info[_CARD] or "shipped"
    if sha not in _baselines:
        found = None
        if sha != "shipped":
            content = session.scalar(select(PublishedFile.content).where(PublishedFile.kind == "model_card"))
            found = json.loads(content or b"{}").get("drift_baseline")
        _baselines[sha] = found or json.loads(_SHIPPED_CARD.read_text(encoding="utf-8"))["drift_baseline"]
    return _baselines[sha]


def decile_of(score: float | None, edges: Sequence[float]) -> int | None:
    """The baseline decile (0–9) a score falls in, as app.scoring.drift counts it."""
    return None if score is None else bisect_right(edges, score)


def _codes(session: Session, application_id: str, new: bool = False) -> dict[tuple[str, str], ApplicationCode]:
    """The application's code rows, read once per session and kept current by `_set_codes`."""
    cache = session.info.setdefault(_CODES, {})
    if application_id not in cache:
        found = select(ApplicationCode).where(ApplicationCode.application_id == application_id)
        rows = () if new else session.scalars(found)
        cache[application_id] = {(r.kind, r.code): r for r in rows}
    return cache[application_id]


def _set_codes(session: Session, application_id: str, reasons: frozenset[str], flags: frozenset[str]) -> None:
    current = _codes(session, application_id)
    wanted = {("reason", c) for c in reasons} | {("flag", c) for c in flags}
    for pair in [p for p in current if p not in wanted]:
        row = current.pop(pair)
        if row in session.new:
            session.expunge(row)
        else:
            session.delete(row)
    for kind, code in sorted(wanted - current.keys()):
        current[(kind, code)] = row = ApplicationCode(application_id=application_id, kind=kind, code=code)
        session.add(row)


def facts_of(session: Session, application: SubmittedApplication) -> Facts:
    """What the application counts now (call before changing it, and pass the result to the change)."""
    codes = _codes(session, application.application_id)
    day = application.day or local_day(None, zone_of(session, application.store_code), application.received_at)
    return Facts(
        application.store_code,
        application.device_id,
        day,
        STATES.get(application.status, application.status),
        application.financed_fen,
        application.ticket_fen,
        application.score_decile,
        frozenset(c for k, c in codes if k == "reason"),
        frozenset(c for k, c in codes if k == "flag"),
    )


def arrived(
    session: Session,
    application: SubmittedApplication,
    body: dict[str, Any],
    verdict: Any,
    before: Facts | None,
) -> None:
    """A revision arrived and was judged (`verdict`: a central.judge.Verdict; the status is already set): fix
    the figures the row carries and count them instead of `before` (None for a first revision)."""
    purchase = body.get("purchase")
    zone = zone_of(session, application.store_code)
    application.day = local_day(body.get("created_at"), zone, application.received_at)
    application.financed_fen = fen_of(body.get("financed"))
    application.ticket_fen = fen_of(purchase.get("price")) if isinstance(purchase, dict) else None
    application.score = verdict.score
    application.score_decile = decile_of(verdict.score, baseline(session)["decile_edges"])
    reasons = frozenset(c[:64] for c in verdict.reason_codes) if application.status == "declined" else frozenset()
    flags = frozenset(c[:64] for c in verdict.flag_codes)
    _codes(session, application.application_id, new=before is None)
    _set_codes(session, application.application_id, reasons, flags)
    after = facts_of(session, application)
    _record(session, before, after)


def status_changed(
    session: Session, application: SubmittedApplication, before: Facts, reasons: Iterable[str] = ()
) -> None:
    """A reviewer decided or the store cancelled (the status is already set): count the application under its
    new state, with `reasons` as its decline reasons (none unless declined)."""
    kept = frozenset(reasons) if application.status == "declined" else frozenset()
    _set_codes(session, application.application_id, kept, before.flags)
    _record(session, before, replace(before, state=STATES.get(application.status, application.status), reasons=kept))


def _record(session: Session, before: Facts | None, after: Facts | None) -> None:
    pending = session.info.setdefault(_PENDING, _Pending())
    for facts, sign in ((before, -1), (after, 1)):
        if facts is None:
            continue
        pending.marks.add((facts.store_code, facts.device_id, facts.day))
        for dim, key, figures in facts.contributions():
            row = pending.deltas[(facts.store_code, facts.day, dim, key)]
            for i, value in enumerate(figures):
                row[i] += sign * value


def _insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def _add(session: Session, model: Any, period: str, deltas: dict[Key, list[int]]) -> None:
    """Add the deltas to the rows of `model` (created at zero when missing)."""
    if not deltas:
        return
    table = model.__table__
    stmt = _insert(session)(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["store_code", period, "dim", "key"],
        set_={f: table.c[f] + stmt.excluded[f] for f in FIGURES},
    )
    params = [
        {"store_code": s, period: p, "dim": d, "key": k, **dict(zip(FIGURES, v, strict=True))}
        for (s, p, d, k), v in deltas.items()
    ]
    session.execute(stmt, params)


def bump_version(session: Session, store_code: str) -> int:
    """The store's next report version; the store's row stays locked until the transaction ends."""
    table = ReportVersion.__table__
    stmt = _insert(session)(table).values(store_code=store_code, version=1)
    stmt = stmt.on_conflict_do_update(index_elements=["store_code"], set_={"version": table.c.version + 1})
    return int(session.execute(stmt.returning(table.c.version)).scalar_one())


def write_pending(session: Session) -> None:
    """Write the session's merged deltas and day marks (called before every commit by `install`'s hook)."""
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None or not pending.marks:
        return
    # Versions first, stores in order: the lock orders this store's writers, and rows are then always taken
    # in the same (sorted) order, so two writers cannot deadlock.
    versions = {store: bump_version(session, store) for store in sorted({m[0] for m in pending.marks})}
    daily = {k: v for k, v in sorted(pending.deltas.items()) if any(v)}
    monthly: defaultdict[Key, list[int]] = defaultdict(lambda: [0] * len(FIGURES))
    for (store, day, dim, key), figures in daily.items():
        row = monthly[(store, day.replace(day=1), dim, key)]
        for i, value in enumerate(figures):
            row[i] += value
    _add(session, ReportDaily, "day", daily)
    _add(session, ReportMonthly, "month", {k: v for k, v in sorted(monthly.items()) if any(v)})
    table = ReportDayMark.__table__
    stmt = _insert(session)(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["store_code", "device_id", "day"], set_={"version": stmt.excluded.version}
    )
    session.execute(
        stmt,
        [{"store_code": s, "device_id": d, "day": day, "version": versions[s]} for s, d, day in sorted(pending.marks)],
    )


def _forget(session: Session, *_args: Any) -> None:
    for key in (_PENDING, _CODES):
        session.info.pop(key, None)


def install(factory: sessionmaker[Session]) -> None:
    """Make every transaction of the factory write its report deltas just before it commits (and drop them
    when it rolls back)."""
    event.listen(factory, "before_commit", write_pending)
    event.listen(factory, "after_rollback", _forget)


def month_of(session: Session, day: Any) -> ColumnElement[Any]:
    """SQL for the first day of `day`'s month."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("month", day), Date)
    return func.date(day, "start of month")


def rebuild(session: Session, stores: Sequence[str] | None = None) -> None:
    """Recompute the figures of `stores` (every store when None) from the applications and their codes,
    set-based: the same rows the writers keep (tests check the two agree). For loads and upgrades; each
    store's version is bumped, so counters fetch all its days again."""
    a, c = SubmittedApplication, ApplicationCode
    only = (lambda column: column.in_(stores)) if stores is not None else (lambda column: literal(True))
    # The versions first: a writer of these stores committing meanwhile waits for this transaction, and then
    # adds its deltas to the rebuilt rows (which did not see its change).
    for store in sorted(stores if stores is not None else session.scalars(select(CentralStore.code)).all()):
        bump_version(session, store)
    for model in (ReportDaily, ReportMonthly, ReportDayMark):
        session.execute(delete(model).where(only(model.store_code)))
    state = case(STATES, value=a.status, else_=a.status)
    daily = ReportDaily.__table__
    columns = ["store_code", "day", "dim", "key", *FIGURES]
    zero = [literal(0)] * 4
    session.execute(
        daily.insert().from_select(
            columns,
            select(
                a.store_code,
                a.day,
                literal("state"),
                state,
                func.count(),
                func.coalesce(func.sum(a.financed_fen), 0),
                func.count(a.financed_fen),
                func.coalesce(func.sum(a.ticket_fen), 0),
                func.count(a.ticket_fen),
            )
            .where(only(a.store_code))
            .group_by(a.store_code, a.day, state),
        )
    )
    session.execute(
        daily.insert().from_select(
            columns,
            select(a.store_code, a.day, c.kind, c.code, func.count(), *zero)
            .join(a, a.application_id == c.application_id)
            .where(only(a.store_code))
            .group_by(a.store_code, a.day, c.kind, c.code),
        )
    )
    decile = cast(a.score_decile, String)
    session.execute(
        daily.insert().from_select(
            columns,
            select(a.store_code, a.day, literal("score_decile"), decile, func.count(), *zero)
            .where(only(a.store_code), a.score_decile.is_not(None))
            .group_by(a.store_code, a.day, decile),
        )
    )
    d = ReportDaily
    month = month_of(session, d.day)
    session.execute(
        ReportMonthly.__table__.insert().from_select(
            ["store_code", "month", "dim", "key", *FIGURES],
            select(d.store_code, month, d.dim, d.key, *[func.sum(getattr(d, f)) for f in FIGURES])
            .where(only(d.store_code))
            .group_by(d.store_code, month, d.dim, d.key),
        )
    )
    v = ReportVersion
    session.execute(
        ReportDayMark.__table__.insert().from_select(
            ["store_code", "device_id", "day", "version"],
            select(a.store_code, a.device_id, a.day, func.max(v.version))
            .join(v, v.store_code == a.store_code)
            .where(only(a.store_code))
            .group_by(a.store_code, a.device_id, a.day),
        )
    )


def set_time_zone(factory: sessionmaker[Session], store_code: str, time_zone: str) -> None:
    """Give the store another time zone (an IANA name; ZoneInfoNotFoundError otherwise): its applications'
    days are counted again in it and its figures rebuilt. A setup step (`store add --time-zone`): on
    PostgreSQL, a submission to the store at the same moment may be refused once and retried."""
    zone = ZoneInfo(time_zone)
    with factory.begin() as session:
        store = session.get(CentralStore, store_code)
        if store is None or store.time_zone == time_zone:
            return
        store.time_zone = time_zone
        _redate(session, zone, SubmittedApplication.store_code == store_code)
        rebuild(session, [store_code])


def _redate(session: Session, zone: ZoneInfo, where: Any) -> None:
    """Set the day (and, where missing, the amounts) of the applications matching `where` from their bodies."""
    rows = session.execute(
        select(SubmittedApplication.application_id, SubmittedApplication.body, SubmittedApplication.received_at).where(
            where
        )
    ).all()
    updates = []
    for application_id, text, received_at in rows:
        try:
            body = json.loads(text)
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        purchase = body.get("purchase")
        updates.append(
            {
                "b_id": application_id,
                "day": local_day(body.get("created_at"), zone, received_at),
                "financed_fen": fen_of(body.get("financed")),
                "ticket_fen": fen_of(purchase.get("price")) if isinstance(purchase, dict) else None,
            }
        )
    if updates:
        table = SubmittedApplication.__table__
        session.execute(update(table).where(table.c.application_id == bindparam("b_id")), updates)


def add_report_columns(connection: Connection) -> bool:
    """Add the report columns to a database made before them (central.migrate, for a database made before
    Alembic); True when they were added, and its applications are then to be counted (`count_older`).
    Commits nothing."""
    if "time_zone" in {c["name"] for c in inspect(connection).get_columns("stores")}:
        return False
    connection.exec_driver_sql(
        f"ALTER TABLE stores ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT '{DEFAULT_TIME_ZONE}'"
    )
    for name, kind in (
        ("day", "DATE"),
        ("financed_fen", "BIGINT"),
        ("ticket_fen", "BIGINT"),
        ("score", "FLOAT"),
        ("score_decile", "INTEGER"),
    ):
        connection.exec_driver_sql(f"ALTER TABLE applications ADD COLUMN {name} {kind}")
    connection.exec_driver_sql("CREATE INDEX ix_applications_store_day ON applications (store_code, day)")
    return True


def count_older(session: Session) -> None:
    """Count the applications of a database made before the report columns: days and amounts from the
    bodies, a declined application's decline reasons from its last decision (flags and scores were not kept
    apart then), and the figures rebuilt."""
    _redate(session, ZoneInfo(DEFAULT_TIME_ZONE), literal(True))
    _legacy_reasons(session)
    rebuild(session)


def _legacy_reasons(session: Session) -> None:
    from central.db import Decision

    latest = (
        select(Decision.application_id, func.max(Decision.seq).label("seq")).group_by(Decision.application_id)
    ).subquery()
    rows = session.execute(
        select(Decision.application_id, Decision.reasons, Decision.automatic)
        .join(latest, latest.c.seq == Decision.seq)
        .where(Decision.decision == "declined")
    ).all()
    for application_id, reasons, automatic in rows:
        codes = {str(r.get("code", ""))[:64] for r in json.loads(reasons or "[]") if isinstance(r, dict)}
        for code in sorted(codes if automatic else {"reviewer"}):
            if code:
                session.add(ApplicationCode(application_id=application_id, kind="reason", code=code))
    session.flush()


Figures = dict[str, dict[tuple[str, str], list[int]]]  # store → (dim, key) → FIGURES


def naive_figures(session: Session, stores: Sequence[str], start: dt.date, end: dt.date) -> Figures:
    """The stores' figures for the days `start`–`end` by GROUP BY over the applications and their codes,
    without the aggregates: the reference they are checked and timed against."""
    a, c = SubmittedApplication, ApplicationCode
    within = (a.store_code.in_(stores), a.day.between(start, end))
    out: Figures = {s: {} for s in stores}
    state = case(STATES, value=a.status, else_=a.status)
    money = (
        func.coalesce(func.sum(a.financed_fen), 0),
        func.count(a.financed_fen),
        func.coalesce(func.sum(a.ticket_fen), 0),
        func.count(a.ticket_fen),
    )
    for store, key, *figures in session.execute(
        select(a.store_code, state, func.count(), *money).where(*within).group_by(a.store_code, state)
    ):
        out[store][("state", key)] = [int(f) for f in figures]
    for store, dim, key, n in session.execute(
        select(a.store_code, c.kind, c.code, func.count())
        .join(a, a.application_id == c.application_id)
        .where(*within)
        .group_by(a.store_code, c.kind, c.code)
    ):
        out[store][(dim, key)] = [int(n), 0, 0, 0, 0]
    decile = cast(a.score_decile, String)
    for store, key, n in session.execute(
        select(a.store_code, decile, func.count())
        .where(*within, a.score_decile.is_not(None))
        .group_by(a.store_code, decile)
    ):
        out[store][("score_decile", key)] = [int(n), 0, 0, 0, 0]
    return out
