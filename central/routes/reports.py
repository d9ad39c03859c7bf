"""Reports: the regional report for a regional manager (their region's stores, from the daily and monthly
aggregates of central.reporting), and the store figures a counter PC fetches for its store's other PCs.

GET /v1/reports/region?from=YYYY-MM-DD&to=YYYY-MM-DD (inclusive store-local days; a regional manager's
session token): per store and in total, applications by state (submitted = not yet decided, referred,
approved, declined, cancelled); decided = approved + declined; approval_rate = approved / decided (percent
string); financed_total and average_financed over the approved applications (body["financed"]);
average_ticket over every application with a purchase (its price); decline reasons and fraud flags by code;
the PSI of the range's scores against the model card's drift baseline; each store's devices' sync health.

GET /v1/store/figures?since=CURSOR (a device token): the caller's store's figures per store-local day, staff
member, dimension (state, product, term, code) and key, of the applications OTHER devices submitted, for each
day that changed after the cursor, in full (at most 400 days a reply; the returned cursor continues).

No `from __future__ import annotations`: FastAPI reads the dependency annotations at run time."""

import datetime as dt
import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from app.domain.money import format_money
from app.scoring.drift import SMALLEST_SHARE
from app.wire.exchange import StoreFigures
from app.wire.reports import RegionReport
from central import reporting
from central.access import device, regional_manager
from central.auth import Refused, factory_of
from central.db import (
    Account,
    ApplicationCode,
    CentralStore,
    Device,
    DeviceHealth,
    ReportDaily,
    ReportDayMark,
    ReportMonthly,
    SubmittedApplication,
)
from central.reporting import FIGURES, Figures

router = APIRouter()

STATE_KEYS = ("submitted", "referred", "approved", "declined", "cancelled")
MAX_DAYS_PER_REPLY = 400
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
_ZERO = (0, 0, 0, 0, 0)


class BadCursor(ValueError):
    """The `since` cursor is not one this server returned."""


def parse_range(start: str, end: str) -> tuple[dt.date, dt.date]:
    """The inclusive days `start`–`end` (YYYY-MM-DD); Refused 422 bad_range when either is not a date, or the
    range is reversed or outside 1900–2999."""
    days = []
    for text in (start, end):
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            days.append(dt.date.fromisoformat(text))
        except ValueError as exc:
            raise Refused(422, "bad_range", "from and to must be days as YYYY-MM-DD.") from exc
    if days[0] > days[1]:
        raise Refused(422, "bad_range", "from must not be after to.")
    if days[0] < FIRST_DAY or days[1] > LAST_DAY:
        raise Refused(422, "bad_range", "The days must lie between 1900-01-01 and 2999-12-31.")
    return days[0], days[1]


@router.get("/v1/reports/region", response_model=RegionReport)
def region(
    request: Request,
    who: Annotated[Account, Depends(regional_manager)],
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Any:
    first, last = parse_range(start, end)
    with factory_of(request)() as session:
        return region_report(session, who.region, first, last)


@router.get("/v1/store/figures", response_model=StoreFigures)
def figures(
    request: Request, who: Annotated[Device, Depends(device)], since: Annotated[str, Query(max_length=40)] = ""
) -> Any:
    with factory_of(request)() as session:
        try:
            return store_figures(session, who.store_code, who.id, since)
        except BadCursor as exc:
            raise Refused(422, "bad_cursor", "The cursor is not one this server gave; start again without it.") from exc


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _split(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole months inside `start`–`end` (first days of the first and last), and the days outside them."""
    first = start if start.day == 1 else _next_month(start)
    last = end.replace(day=1) if _next_month(end) - dt.timedelta(days=1) == end else None
    if last is None:
        last = (end.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if first > last:
        return None, [(start, end)]
    edges = [(start, first - dt.timedelta(days=1)), (_next_month(last), end)]
    return (first, last), [(a, b) for a, b in edges if a <= b]


def read_figures(session: Session, stores: Sequence[str], start: dt.date, end: dt.date) -> Figures:
    """The stores' figures for `start`–`end` from the aggregates: whole months from the monthly rows, the days
    before and after them from the daily rows, summed in one statement."""
    out: Figures = {s: {} for s in stores}
    if not stores:
        return out
    months, days = _split(start, end)
    parts = []
    d, m = ReportDaily, ReportMonthly
    if months is not None:
        parts.append(
            select(m.store_code, m.dim, m.key, *[getattr(m, f).label(f) for f in FIGURES]).where(
                m.store_code.in_(stores), m.month.between(*months)
            )
        )
    for lo, hi in days:
        parts.append(
            select(d.store_code, d.dim, d.key, *[getattr(d, f).label(f) for f in FIGURES]).where(
                d.store_code.in_(stores), d.day.between(lo, hi)
            )
        )
    both = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    rows = session.execute(
        select(both.c.store_code, both.c.dim, both.c.key, *[func.sum(both.c[f]) for f in FIGURES]).group_by(
            both.c.store_code, both.c.dim, both.c.key
        )
    )
    for store, dim, key, *sums in rows:
        out[store][(dim, key)] = [int(v) for v in sums]
    return out


def psi_of(counts: Sequence[int], baseline: dict[str, Any]) -> tuple[float, str] | None:
    """PSI and band of decile counts against the baseline: app.scoring.drift.population_stability's formula,
    from counts instead of raw scores; None without scores."""
    total = sum(counts)
    if total == 0:
        return None
    psi = 0.0
    for count, expected in zip(counts, baseline["shares"], strict=True):
        a, e = max(count / total, SMALLEST_SHARE), max(expected, SMALLEST_SHARE)
        psi += (a - e) * math.log(a / e)
    bands = baseline["psi_bands"]
    band = "stable" if psi < bands["stable_below"] else ("shift" if psi >= bands["shift_at_or_above"] else "watch")
    return psi, band


def _yuan(fen: int) -> str:
    return format_money(Decimal(fen) / 100)


def _average(fen: int, n: int) -> str | None:
    return None if n == 0 else format_money(Decimal(fen) / n / 100)


def _figures_json(figures: dict[tuple[str, str], list[int]], deciles: int) -> dict[str, Any]:
    """The figure keys of a store or of the totals (see the module's promise)."""
    state = {s: figures.get(("state", s), _ZERO) for s in STATE_KEYS}
    by_state = {s: int(row[0]) for s, row in state.items()}
    approved, declined = by_state["approved"], by_state["declined"]
    decided = approved + declined
    rate = None if decided == 0 else Decimal(approved * 100) / decided
    ticket_fen, ticket_n = sum(r[3] for r in state.values()), sum(r[4] for r in state.values())
    return {
        "applications": sum(by_state.values()),
        "by_state": by_state,
        "decided": decided,
        "approved": approved,
        "approval_rate": None if rate is None else f"{rate.quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}",
        "financed_total": _yuan(state["approved"][1]),
        "average_financed": _average(state["approved"][1], state["approved"][2]),
        "average_ticket": _average(ticket_fen, ticket_n),
        "decline_reasons": {k: n for (dim, k), (n, *_r) in sorted(figures.items()) if dim == "reason" and n},
        "fraud_flags": {k: n for (dim, k), (n, *_r) in sorted(figures.items()) if dim == "flag" and n},
        "scored": sum(figures.get(("score_decile", str(i)), _ZERO)[0] for i in range(deciles)),
    }


def compose(
    region: str,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime,
    stores: Sequence[tuple[str, str]],
    figures: Figures,
    devices: dict[str, list[dict[str, Any]]],
    baseline: dict[str, Any],
) -> dict[str, Any]:
    """The regional report's JSON from the stores' (code, time zone), their figures and devices."""
    deciles = len(baseline["shares"])
    out_stores = []
    totals: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(FIGURES))
    for code, zone in stores:
        mine = figures.get(code, {})
        for key, row in mine.items():
            totals[key] = [a + b for a, b in zip(totals[key], row, strict=True)]
        shown = _figures_json(mine, deciles)
        drift = psi_of([mine.get(("score_decile", str(i)), _ZERO)[0] for i in range(deciles)], baseline)
        scored = shown.pop("scored")
        out_stores.append(
            {
                "store": code,
                "time_zone": zone,
                **shown,
                "psi": None if drift is None else round(drift[0], 4),
                "psi_band": None if drift is None else drift[1],
                "scored": scored,
                "devices": devices.get(code, []),
            }
        )
    return {
        "region": region,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "as_of": as_of.isoformat(),
        "stores": out_stores,
        "totals": _figures_json(dict(totals), deciles),
    }


def devices_of(session: Session, stores: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each store's devices with the sync health they last reported."""
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in stores}
    rows = session.execute(
        select(Device, DeviceHealth)
        .outerjoin(DeviceHealth, DeviceHealth.device_id == Device.id)
        .where(Device.store_code.in_(stores))
        .order_by(Device.store_code, Device.activated_at, Device.id)
    ).all()
    for d, h in rows:
        out[d.store_code].append(
            {
                "device_id": d.id,
                "pending": h.pending if h else 0,
                "oldest_pending_age_s": h.oldest_pending_age_s if h else None,
                "dead_letters": h.dead_letters if h else 0,
                "reported_at": h.reported_at.replace(tzinfo=h.reported_at.tzinfo or dt.UTC).isoformat() if h else None,
                "revoked": d.revoked_reason is not None,
            }
        )
    return out


def region_report(session: Session, region: str, start: dt.date, end: dt.date, naive: bool = False) -> dict[str, Any]:
    """The regional report of `region` for the store-local days `start`–`end` (see the module's promise);
    `naive` reads the applications instead of the aggregates (the reference for tests and the benchmark)."""
    as_of = dt.datetime.now(dt.UTC)
    stores = [
        (code, zone)
        for code, zone in session.execute(
            select(CentralStore.code, CentralStore.time_zone)
            .where(CentralStore.region == region)
            .order_by(CentralStore.code)
        )
    ]
    codes = [code for code, _zone in stores]
    read = reporting.naive_figures if naive else read_figures
    figures = read(session, codes, start, end)
    return compose(region, start, end, as_of, stores, figures, devices_of(session, codes), reporting.baseline(session))


def _parse_cursor(since: str) -> tuple[int, dt.date]:
    if not since:
        return 0, dt.date.min
    match = re.fullmatch(r"(\d{1,18}):(\d{4}-\d{2}-\d{2})", since)
    if match is None:
        raise BadCursor(since)
    try:
        return int(match[1]), dt.date.fromisoformat(match[2])
    except ValueError as exc:
        raise BadCursor(since) from exc


def store_figures(
    session: Session, store: str, device_id: str, since: str, limit: int = MAX_DAYS_PER_REPLY
) -> dict[str, Any]:
    """The figures of the store's applications from devices other than `device_id`, for each store-local day
    whose figures changed after the cursor `since` (every day when empty), oldest change first, at most
    `limit` days; the returned cursor continues after the last day listed. BadCursor for a foreign cursor."""
    version, after = _parse_cursor(since)
    m = ReportDayMark
    top = func.max(m.version)
    changed = session.execute(
        select(m.day, top)
        .where(m.store_code == store, m.device_id != device_id)
        .group_by(m.day)
        .having(or_(top > version, and_(top == version, m.day > after)))
        .order_by(top, m.day)
        .limit(limit)
    ).all()
    days = sorted(day for day, _v in changed)
    cursor = f"{changed[-1][1]}:{changed[-1][0].isoformat()}" if changed else since
    a, c = SubmittedApplication, ApplicationCode
    where = (a.store_code == store, a.device_id != device_id, a.day.in_(days))
    codes: defaultdict[str, set[str]] = defaultdict(set)
    rows: defaultdict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0] * len(FIGURES))
    if days:
        for application_id, code in session.execute(
            select(c.application_id, c.code).join(a, a.application_id == c.application_id).where(*where)
        ):
            codes[application_id].add(code)
        for application_id, day, status, financed, ticket, text in session.execute(
            select(a.application_id, a.day, a.status, a.financed_fen, a.ticket_fen, a.body).where(*where)
        ):
            assert day is not None  # a.day.in_(days) matched it
            body = json.loads(text)
            staff = "" if body.get("staff_id") is None else str(body["staff_id"])
            money = (1, financed or 0, int(financed is not None), ticket or 0, int(ticket is not None))
            product = "" if body.get("product") is None else str(body["product"])
            term = "" if body.get("term") is None else str(body["term"])
            keys = [("state", reporting.STATES.get(status, status)), ("product", product), ("term", term)]
            for dim, key in keys:
                row = rows[(day.isoformat(), staff, dim, key)]
                rows[(day.isoformat(), staff, dim, key)] = [x + y for x, y in zip(row, money, strict=True)]
            for code in codes[application_id]:
                rows[(day.isoformat(), staff, "code", code)][0] += 1
    return {
        "cursor": cursor,
        "days": [d.isoformat() for d in days],
        "rows": [
            {"day": day, "staff_id": staff or None, "dim": dim, "key": key, **dict(zip(FIGURES, v, strict=True))}
            for (day, staff, dim, key), v in sorted(rows.items())
        ],
    }
