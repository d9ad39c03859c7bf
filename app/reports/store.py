"""The store report: a date range of the store's applications (its other counter PCs' too, as far as sync has
brought them) — per day and week, the funnel, approval rate, ticket and financed amounts, product and term
mix, per staff member, decline reasons and fraud flags — and the store's sync health. Store managers and
store IT see the store; sales staff only their own applications, whatever screen or command asks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.domain.money import format_money
from app.domain.roles import Permission, PermissionDenied, has_permission, require_permission
from app.kernel.clock import local_day, utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.reports.figures import DailyFigures, FigureSource, Scope, Tally
from app.reports.period import Period
from app.storage.local_store import LocalStore
from app.storage.models import Meta, Staff, Store
from app.storage.outbox import SyncStatus, outbox_status
from app.storage.staff import StaffRepository
from app.sync.meta_keys import PEERS_SYNCED_AT

S = ApplicationState

# Each funnel stage: the current states of the applications that reached it (cancelled ones only "started").
_BEYOND_QUOTED = {S.SIGNED, S.QUEUED, S.SUBMITTED, S.REFERRED, S.APPROVED, S.DECLINED, S.DELIVERED}
FUNNEL: tuple[tuple[str, frozenset[ApplicationState]], ...] = (
    ("started", frozenset(S)),
    ("prescreened", frozenset({S.PRESCREENED, S.QUOTED, *_BEYOND_QUOTED})),
    ("quoted", frozenset({S.QUOTED, *_BEYOND_QUOTED})),
    ("signed", frozenset(_BEYOND_QUOTED)),
    ("sent", frozenset(_BEYOND_QUOTED - {S.SIGNED})),
    ("answered", frozenset({S.REFERRED, S.APPROVED, S.DECLINED, S.DELIVERED})),
    ("approved", frozenset({S.APPROVED, S.DELIVERED})),
    ("delivered", frozenset({S.DELIVERED})),
    ("cancelled", frozenset({S.CANCELLED})),
)
APPROVED_STATES = frozenset({S.APPROVED, S.DELIVERED})


def approval_rate(approved: int, declined: int) -> Decimal | None:
    """Approved share of the applications the lender decided, in percent to two places (half up)."""
    decided = approved + declined
    if not decided:
        return None
    return (Decimal(approved) * 100 / decided).quantize(Decimal("0.01"))


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_money(value)


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


class StateFigures:
    """What follows from applications counted by state (a store's, or one staff member's)."""

    by_state: dict[ApplicationState, Tally]

    @property
    def total(self) -> Tally:
        """All of the applications."""
        return sum(self.by_state.values(), Tally())

    @property
    def approved(self) -> int:
        """Approved (delivered included)."""
        return sum(t.n for s, t in self.by_state.items() if s in APPROVED_STATES)

    @property
    def financed(self) -> Tally:
        """The approved applications (delivered included): what the lender lends on them. The mixes and the
        per-state figures show the amounts asked for instead."""
        return sum((t for s, t in self.by_state.items() if s in APPROVED_STATES), Tally())

    @property
    def declined(self) -> int:
        """Declined by the lender."""
        return self.by_state.get(S.DECLINED, Tally()).n

    @property
    def approval_rate(self) -> Decimal | None:
        """Approved share of the decided, in percent."""
        return approval_rate(self.approved, self.declined)


@dataclass(frozen=True)
class StaffFigures(StateFigures):
    """One staff member's applications in the range."""

    staff_id: uuid.UUID | None
    login: str
    name: str
    by_state: dict[ApplicationState, Tally]


@dataclass(frozen=True)
class StoreReport(StateFigures):
    """The store report for one period and scope. Money in yuan, rates in percent, days store-local. The
    average ticket is over every application with a purchase; "financed" is over the approved ones."""

    store_code: str
    store_name: str
    time_zone: str
    period: Period
    staff_login: str | None  # set when the report covers one staff member only
    as_of: dt.datetime
    daily: list[tuple[dt.date, int]]  # every day of the period, days without applications too
    by_state: dict[ApplicationState, Tally]
    products: list[tuple[str, Tally]]  # most applications first
    terms: list[tuple[str, Tally]]  # by term
    reasons: list[tuple[str, int]]  # decline reasons, most frequent first
    flags: list[tuple[str, int]]  # fraud flags, most frequent first
    staff: list[StaffFigures]
    sync: SyncStatus
    peers_synced_at: dt.datetime | None = None
    product_names: dict[str, str] = field(default_factory=dict)

    @property
    def funnel(self) -> list[tuple[str, int]]:
        """How many reached each stage (cancelled ones count as started and cancelled only)."""
        return [(stage, sum(self.by_state[s].n for s in states)) for stage, states in FUNNEL]

    @property
    def weekly(self) -> list[tuple[dt.date, int]]:
        """Applications per week, each week named by its Monday (the period's first week may be partial)."""
        weeks: dict[dt.date, int] = {}
        for day, n in self.daily:
            monday = day - dt.timedelta(days=day.weekday())
            weeks[monday] = weeks.get(monday, 0) + n
        return sorted(weeks.items())

    def product_name(self, code: str) -> str:
        """The product's name in the configured language ("-" for none, the code when unknown)."""
        return self.product_names.get(code, code) if code else "-"

    def as_json(self) -> dict[str, Any]:
        """The report as `fenqi report store --json` prints it."""
        total, financed = self.total, self.financed
        age = self.sync.oldest_pending_age_s
        return {
            "store": self.store_code,
            "store_name": self.store_name,
            "time_zone": self.time_zone,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "scope": "staff" if self.staff_login else "store",
            "staff_login": self.staff_login,
            "as_of": self.as_of.astimezone(dt.UTC).isoformat(),
            "applications": total.n,
            "approved": self.approved,
            "declined": self.declined,
            "decided": self.approved + self.declined,
            "approval_rate": _rate(self.approval_rate),
            "financed_total": format_money(financed.financed_total),
            "average_financed": _money(financed.average_financed),
            "average_ticket": _money(total.average_ticket),
            "by_state": {s.value: t.n for s, t in self.by_state.items()},
            "funnel": [{"stage": stage, "count": n} for stage, n in self.funnel],
            "daily": [{"date": d.isoformat(), "applications": n} for d, n in self.daily],
            "weekly": [{"week_start": d.isoformat(), "applications": n} for d, n in self.weekly],
            "products": [
                {
                    "product": code,
                    "name": self.product_name(code),
                    "applications": t.n,
                    "requested_total": format_money(t.financed_total),
                    "average_ticket": _money(t.average_ticket),
                }
                for code, t in self.products
            ],
            "terms": [
                {
                    "term": int(term) if term else None,
                    "applications": t.n,
                    "requested_total": format_money(t.financed_total),
                }
                for term, t in self.terms
            ],
            "staff": [
                {
                    "staff": s.login,
                    "name": s.name,
                    "applications": s.total.n,
                    "approved": s.approved,
                    "declined": s.declined,
                    "approval_rate": _rate(s.approval_rate),
                    "financed_total": format_money(s.financed.financed_total),
                    "average_financed": _money(s.financed.average_financed),
                }
                for s in self.staff
            ],
            "decline_reasons": [{"code": c, "count": n} for c, n in self.reasons],
            "fraud_flags": [{"code": c, "count": n} for c, n in self.flags],
            "sync": {
                "pending": self.sync.pending,
                "oldest_pending_age_s": None if age is None else round(age),
                "dead_letters": self.sync.dead_letters,
            },
            "other_pcs_as_of": None if self.peers_synced_at is None else self.peers_synced_at.isoformat(),
        }


class StoreReportService:
    """Builds store reports from the figures the triggers keep."""

    def __init__(
        self,
        store: LocalStore,
        store_id: uuid.UUID,
        product_names: Callable[[], dict[str, str]] = dict,
        clock: Callable[[], dt.datetime] = utc_now,
        source: FigureSource | None = None,
    ) -> None:
        self.store = store
        self.store_id = store_id
        self.product_names = product_names
        self.clock = clock
        self.source = source or DailyFigures()

    def today(self) -> dt.date:
        """The store's local day now."""
        with self.store.read() as session:
            shop = session.get(Store, self.store_id)
            assert shop is not None
            return local_day(self.clock(), ZoneInfo(shop.time_zone))

    def report(self, actor: Actor, period: Period, staff_login: str | None = None) -> StoreReport:
        """The report of `period`. Store managers and store IT see the store (or, with `staff_login`, one
        member of it); sales staff always see only their own applications — asking for anyone else's is
        PermissionDenied. Reads only."""
        now = self.clock()
        with self.store.read() as session:
            shop = session.get(Store, self.store_id)
            assert shop is not None
            staff_rows = {row.id: row for row in session.scalars(select(Staff).where(Staff.store_id == shop.id))}
            staff_id = self._scope_staff(actor, staff_login, staff_rows)
            scope = Scope(self.store_id, period.start, period.end, staff_id)
            daily = self.source.daily(session, scope)
            per_state_staff = self.source.by_state_and_staff(session, scope)
            mixes = self.source.mixes(session, scope)
            synced = session.get(Meta, PEERS_SYNCED_AT)
            staff_names = StaffRepository(self.store)
            names: dict[uuid.UUID | None, tuple[str, str]] = {
                sid: (row.login, staff_names.display_name(row)) for sid, row in staff_rows.items()
            }
            store_code, store_name, time_zone = shop.code, shop.name, shop.time_zone
        by_state = {s: Tally() for s in S}
        per_staff: dict[uuid.UUID | None, dict[ApplicationState, Tally]] = {}
        for (state, sid), tally in per_state_staff.items():
            by_state[S(state)] += tally
            mine = per_staff.setdefault(sid, {})
            mine[S(state)] = mine.get(S(state), Tally()) + tally
        staff = [
            StaffFigures(sid, *names.get(sid, self._unknown(sid)), by_state=states)
            for sid, states in per_staff.items()
        ]
        staff.sort(key=lambda s: (-s.total.n, s.login))

        def mix(dim: str) -> list[tuple[str, Tally]]:
            return [(key, t) for (d, key), t in mixes.items() if d == dim]

        return StoreReport(
            store_code=store_code,
            store_name=store_name,
            time_zone=time_zone,
            period=period,
            staff_login=None if staff_id is None else names.get(staff_id, self._unknown(staff_id))[0],
            as_of=now,
            daily=[(day, daily.get(day, 0)) for day in period.days()],
            by_state=by_state,
            products=sorted(mix("product"), key=lambda kt: (-kt[1].n, kt[0])),
            terms=sorted(mix("term"), key=lambda kt: int(kt[0]) if kt[0] else 0),
            reasons=sorted(((k, t.n) for k, t in mix("reason")), key=lambda kn: (-kn[1], kn[0])),
            flags=sorted(((k, t.n) for k, t in mix("flag")), key=lambda kn: (-kn[1], kn[0])),
            staff=staff,
            sync=outbox_status(self.store, now),
            peers_synced_at=None if synced is None else dt.datetime.fromisoformat(synced.value),
            product_names=self.product_names(),
        )

    @staticmethod
    def _unknown(staff_id: uuid.UUID | None) -> tuple[str, str]:
        if staff_id is None:
            return "-", _("Nobody (command line)")
        return staff_id.hex[:8], _("Staff member of another PC")

    @staticmethod
    def _scope_staff(actor: Actor, staff_login: str | None, staff_rows: dict[uuid.UUID, Staff]) -> uuid.UUID | None:
        if has_permission(actor.role, Permission.VIEW_STORE_REPORT):
            if staff_login is None:
                return None
            for sid, row in staff_rows.items():
                if row.login == staff_login:
                    return sid
            raise InvalidInput(_("No staff member {login} at this store.").format(login=staff_login), code="no_staff")
        require_permission(actor.role, Permission.VIEW_OWN_FIGURES)
        if actor.staff_id is None or (staff_login is not None and staff_login != actor.login):
            raise PermissionDenied(_("Sales staff see only their own figures."))
        return actor.staff_id
