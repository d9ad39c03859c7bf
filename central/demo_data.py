"""Demo data for the central server: `fenqi-central --db URL demo-data --count N` fills the database with N
applications over the last two years across a region's stores, fast enough for millions of rows (bulk
inserts; COPY on PostgreSQL). Stores with one to three counter PCs and their last sync health; applications
with small bodies holding what the reports read (created_at, financed, purchase, product, term, staff_id) and
clearly fake values otherwise (a customer with a made-up name, a well-formed ID number and a mobile number, sealed
at rest like every body: central.sealing); the lender's decisions as the server would make them (automatic on
arrival, reviewers' decisions on referred ones, the stores' cancellations), with reason codes, fraud flags and
scores; and the report aggregates, rebuilt set-based from those rows (central.reporting.rebuild, which the
tests check against the row-by-row path)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from app.domain.identity import make_resident_id
from central import reporting, sealing
from central.db import CentralStore, Device, DeviceHealth

CHUNK = 100_000
DAYS = 730
APPROVE_AT, DECLINE_BELOW = 517.48, 478.75  # the shipped model card's cutoffs
PRODUCTS = (  # code, weight, terms, lowest and highest price, down payment share, category
    ("GOODS", 0.45, (3, 6, 9, 12, 18, 24), 800, 20000, 0.2, "phone"),
    ("MALL", 0.15, (3, 6, 9, 12), 300, 8000, 0.1, "appliance"),
    ("CASH", 0.15, (6, 9, 12, 18, 24, 36), 2000, 50000, 0.0, "cash"),
    ("CARD", 0.08, (3, 6, 12, 18, 24), 2000, 30000, 0.0, "card"),
    ("EDU", 0.09, (6, 12, 18, 24), 3000, 30000, 0.0, "course"),
    ("HOME", 0.08, (12, 24, 36), 8000, 80000, 0.3, "renovation"),
)
RULES = ("age_out_of_range", "id_expired", "no_income", "debt_service_too_high", "product_limits")
SCORE_REASONS = ("score_seniority", "score_term", "score_installment_to_income", "score_records", "score_job")
FLAGS = ("id_velocity", "phone_velocity", "phone_shared", "outside_opening_hours", "staff_applicant")
APPLICATION_COLUMNS = (
    "application_id",
    "store_code",
    "device_id",
    "revision",
    "body",
    "body_sha256",
    "status",
    "received_at",
    "day",
    "financed_fen",
    "ticket_fen",
    "score",
    "score_decile",
)
DECISION_COLUMNS = ("application_id", "store_code", "decision", "reasons", "automatic", "decided_by", "decided_at")
CODE_COLUMNS = ("application_id", "kind", "code")


@dataclass(frozen=True)
class DemoResult:
    """What a demo load wrote."""

    applications: int
    decisions: int
    codes: int
    stores: list[str]
    devices: int
    seconds: float


@dataclass(frozen=True)
class _Store:
    code: str
    zone: ZoneInfo
    devices: list[str]
    staff: list[str]


def _stores(
    factory: sessionmaker[Session],
    count: int,
    regions: Sequence[str],
    rng: random.Random,
    now: dt.datetime,
) -> list[_Store]:
    """Create (or reuse) the demo stores D001…, regions in turn, with their devices and sync health."""
    width = max(3, len(str(count)))
    out = []
    with factory.begin() as session:
        for i in range(count):
            code = f"D{i + 1:0{width}d}"
            store = session.get(CentralStore, code)
            if store is None:
                store = CentralStore(
                    code=code,
                    region=regions[i % len(regions)],
                    activation_hash=None,
                    velocity_key=rng.randbytes(32),
                    created_at=now - dt.timedelta(days=DAYS + 30),
                    time_zone="Asia/Urumqi" if i % 25 == 24 else reporting.DEFAULT_TIME_ZONE,
                )
                session.add(store)
            devices = []
            for _n in range(1 + i % 3):
                device_id = str(uuid.UUID(bytes=rng.randbytes(16), version=4))
                session.add(
                    Device(
                        id=device_id,
                        store_code=code,
                        token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),  # no token opens it
                        activated_at=now - dt.timedelta(days=DAYS),
                    )
                )
                waiting = rng.random() < 0.2
                session.add(
                    DeviceHealth(
                        device_id=device_id,
                        pending=rng.randint(1, 12) if waiting else 0,
                        oldest_pending_age_s=round(rng.uniform(5, 900), 1) if waiting else None,
                        dead_letters=1 if rng.random() < 0.05 else 0,
                        app_version="0.1.0",
                        reported_at=now - dt.timedelta(seconds=rng.randint(10, 3600)),
                    )
                )
                devices.append(device_id)
            staff = [str(uuid.UUID(bytes=rng.randbytes(16), version=4)) for _s in range(4)]
            out.append(_Store(code, ZoneInfo(store.time_zone), devices, staff))
    return out


def _money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _rows(
    stores: list[_Store],
    count: int,
    seed: int,
    today: dt.date,
    edges: Sequence[float],
    stamp: Callable[[float], str],
    ring: sealing.KeyRing,
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Chunks of (application rows, decision rows, code rows), deterministic for a seed (but for the sealing's
    nonces); times as `stamp` writes a POSIX time for the database; bodies and reasons sealed with `ring`."""
    gen = np.random.default_rng(seed)
    weights = gen.lognormal(0, 0.5, len(stores))
    weights /= weights.sum()
    growth = np.linspace(0.7, 1.3, DAYS)  # business grows over the two years
    growth /= growth.sum()
    product_weights = np.array([p[1] for p in PRODUCTS])
    first_day = today - dt.timedelta(days=DAYS - 1)
    days = [(first_day + dt.timedelta(days=d)).isoformat() for d in range(DAYS)]
    midnight: dict[tuple[str, int], float] = {}
    numbers: dict[tuple[str, int], int] = {}
    findings: dict[tuple[str, ...], str] = {}
    # Ids in load order under the seed's prefix: the indexes on them grow at one end, as the load goes.
    prefix = int(gen.integers(0, 1 << 32))
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        store_i = gen.choice(len(stores), size, p=weights)
        day_i = gen.choice(DAYS, size, p=growth)
        # Scores like the card's training sample, drifting a little upwards over the two years.
        scores = (gen.normal(0, 47, size) + 522 + 12 * day_i / DAYS).round(2)
        deciles = np.searchsorted(np.asarray(edges), scores, side="right").tolist()
        columns = (
            store_i.tolist(),
            day_i.tolist(),
            gen.integers(9 * 3600, 21 * 3600, size).tolist(),
            gen.choice(len(PRODUCTS), size, p=product_weights).tolist(),
            gen.random(size).tolist(),
            gen.random(size).tolist(),
            scores.tolist(),
            gen.random((size, 6)).tolist(),
            gen.integers(0, 1 << 30, (size, 4)).tolist(),
        )
        apps: list[tuple[Any, ...]] = []
        decisions: list[tuple[Any, ...]] = []
        codes: list[tuple[Any, ...]] = []
        for j, (si, day, second, pi, spread, share, score, fate, picks) in enumerate(zip(*columns, strict=True)):
            store = stores[si]
            local = midnight.get((store.code, day))
            if local is None:
                start = dt.datetime.combine(first_day + dt.timedelta(days=day), dt.time(), tzinfo=store.zone)
                local = midnight[(store.code, day)] = start.timestamp()
            created = local + second
            received = created + 30 + picks[0] % 600
            code, _w, terms, low, high, down_share, category = PRODUCTS[pi]
            price = int(low + (high - low) * spread**2) * 100
            down = int(price * down_share * share) // 100 * 100
            number = numbers[(store.code, day)] = numbers.get((store.code, day), 0) + 1
            application_id = str(uuid.UUID(int=prefix << 96 | done + j, version=4))
            financed = price - down if fate[0] > 0.003 else None
            purchase = (category, down, price) if fate[1] > 0.002 else None
            body = _body(
                application_id,
                store.code,
                dt.datetime.fromtimestamp(created, dt.UTC).isoformat(),
                f"{store.code}-{days[day][2:4]}{days[day][5:7]}{days[day][8:10]}-{number:04d}",
                store.staff[picks[1] % 4],
                code,
                terms[picks[2] % len(terms)],
                financed,
                purchase,
                _customer(done + j, picks),
            )
            flags = (FLAGS[picks[3] % len(FLAGS)],) if fate[2] < 0.06 else ()
            s = None if fate[3] < 0.005 else score
            auto, reasons = _verdict(s, flags, fate[3] < 0.055, picks[2], picks[3])
            found = (*reasons, *flags)
            if found not in findings:
                findings[found] = _json([{"code": c, "text": f"demo {c}"} for c in found])
            why = ring.seal_text("decisions", "reasons", findings[found])
            decisions.append((application_id, store.code, auto, why, 1, None, stamp(received + 1)))
            status, kept = auto, reasons if auto == "declined" else ()
            if auto == "referred":
                status, kept, later = _afterwards(day >= DAYS - 2, fate[4], fate[5])
                if later is not None:
                    when = stamp(received + 1 + later[4].total_seconds())
                    why = ring.seal_text("decisions", "reasons", later[1])
                    decisions.append((application_id, store.code, later[0], why, *later[2:4], when))
            apps.append(
                (
                    application_id,
                    store.code,
                    store.devices[picks[0] % len(store.devices)],
                    1,
                    ring.seal_text("applications", "body", body),
                    hashlib.sha256(body.encode()).hexdigest(),
                    status,
                    stamp(received),
                    days[day],
                    financed,
                    None if purchase is None else price,
                    s,
                    None if s is None else deciles[j],
                )
            )
            codes += [(application_id, "reason", c) for c in kept] + [(application_id, "flag", c) for c in flags]
        done += size
        yield apps, decisions, codes


_BORN_FROM = dt.date(1966, 1, 1)
_AREAS = ("310101", "310104", "320102", "330102", "340102", "110101", "440103", "510104")


def _customer(number: int, picks: Sequence[int]) -> str:
    """A made-up customer as the body's canonical JSON: a name no one has, an ID number of the right form
    (area, a birth date 20 to 58 years ago, the check character) and a mobile number, all from the row's
    random numbers."""
    born = _BORN_FROM + dt.timedelta(days=picks[0] % 13880)
    id_number = make_resident_id(_AREAS[picks[1] % len(_AREAS)], born, picks[2] % 1000)
    phone = f"1{3 + picks[3] % 7}{(picks[0] ^ picks[3]) % 1_000_000_000:09d}"
    return f'{{"id_number":"{id_number}","name":"演示客户{number:07d}","phone":"{phone}"}}'


def _body(
    application_id: str,
    store: str,
    created: str,
    reference: str,
    staff_id: str,
    product: str,
    term: int,
    financed: int | None,
    purchase: tuple[str, int, int] | None,
    customer: str,
) -> str:
    """The body as canonical JSON (keys sorted, compact), written out directly: json.dumps costs more."""
    money = "null" if financed is None else f'"{_money(financed)}"'
    bought = (
        ""
        if purchase is None
        else f'"purchase":{{"category":"{purchase[0]}","down_payment":"{_money(purchase[1])}",'
        f'"price":"{_money(purchase[2])}"}},'
    )
    return (
        f'{{"application_id":"{application_id}","created_at":"{created}","customer":{customer},"financed":{money},'
        f'"product":"{product}",{bought}"reference":"{reference}","revision":1,"staff_id":"{staff_id}",'
        f'"store":"{store}","term":{term}}}'
    )


def _verdict(
    score: float | None, flags: tuple[str, ...], rule: bool, pick: int, other: int
) -> tuple[str, tuple[str, ...]]:
    """The automatic decision and its reasons, as central.judge would give them for such an application."""
    if score is None:
        return "referred", ("incomplete",)
    if rule:
        return "declined", (RULES[other % len(RULES)],)
    if score < DECLINE_BELOW:
        return "declined", tuple(sorted({SCORE_REASONS[pick % 5], SCORE_REASONS[other % 5]}))
    if score >= APPROVE_AT and not flags:
        return "approved", ()
    return "referred", (SCORE_REASONS[pick % 5],) if score < APPROVE_AT else ()


def _afterwards(
    recent: bool, cancel: float, review: float
) -> tuple[str, tuple[str, ...], tuple[str, str, int, str | None, dt.timedelta] | None]:
    """What became of a referred application: (status, decline reasons, the later decision row's decision,
    reasons JSON, automatic, decided_by and delay) — cancelled by the store, decided by a reviewer, or (in
    the last two days) still waiting."""
    if cancel < (0.10 if recent else 0.08):
        why = _json([{"code": "store_cancelled", "text": "demo: the customer changed their mind"}])
        return "cancelled", (), ("cancelled", why, 0, None, dt.timedelta(minutes=20))
    if recent:
        return "referred", (), None
    if review < 0.7:
        return "approved", (), ("approved", "[]", 0, "demo_reviewer", dt.timedelta(hours=2))
    why = _json([{"code": "reviewer", "text": "demo review"}])
    return "declined", ("reviewer",), ("declined", why, 0, "demo_reviewer", dt.timedelta(hours=2))


def _json(findings: list[dict[str, str]]) -> str:
    import json

    return json.dumps(findings, ensure_ascii=False)


def _pg_stamp(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment, dt.UTC).isoformat()


def _sqlite_stamp(moment: float) -> str:
    """A time as SQLAlchemy keeps it in SQLite: naive UTC text."""
    return dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _copy_text(rows: list[tuple[Any, ...]]) -> bytes:
    """Rows in PostgreSQL COPY text format (the demo's strings hold no tab, newline or backslash)."""
    return "".join("\t".join(["\\N" if v is None else str(v) for v in row]) + "\n" for row in rows).encode()


Chunk = list[tuple[str, Sequence[str], Any]]  # (table, columns, COPY text or rows) in the order to write


def _write(raw: Any, postgres: bool, chunk: Chunk) -> None:
    """Write one chunk in one transaction: COPY on PostgreSQL, executemany on SQLite."""
    if not postgres:
        raw.execute("BEGIN")
    for table, columns, data in chunk:
        if postgres:
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(data)
        elif data:
            marks = ", ".join("?" for _c in columns)
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data)
    if postgres:
        raw.commit()
    else:
        raw.execute("COMMIT")


def generate(
    factory: sessionmaker[Session],
    count: int,
    stores: int = 50,
    regions: Sequence[str] = ("EAST",),
    seed: int = 0,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Add `count` demo applications over the two years up to `today` (the Shanghai day by default) to the
    demo stores (D001…, created when missing, regions in turn) and rebuild those stores' report figures.
    The same seed gives the same figures."""
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    today = today or now.astimezone(ZoneInfo(reporting.DEFAULT_TIME_ZONE)).date()
    rng = random.Random(seed)
    made = _stores(factory, stores, [r.strip().upper() for r in regions], rng, now)
    engine = factory.kw["bind"]
    ring = sealing.ring_of(engine)  # the bulk writes below bypass the models' sealed columns: seal here
    postgres = engine.dialect.name == "postgresql"
    with factory() as session:
        edges = reporting.baseline(session)["decile_edges"]
    totals = [0, 0, 0]
    connection = engine.raw_connection()
    try:
        raw = connection.driver_connection
        # The database writes one chunk while the next is made (COPY and sqlite3 release the GIL).
        with ThreadPoolExecutor(1) as writer:
            writing: Future[None] | None = None
            stamp = _pg_stamp if postgres else _sqlite_stamp
            for apps, decisions, codes in _rows(made, count, seed, today, edges, stamp, ring):
                chunk: Chunk = [
                    ("applications", APPLICATION_COLUMNS, apps),
                    ("decisions", DECISION_COLUMNS, decisions),
                    ("application_codes", CODE_COLUMNS, codes),
                ]
                if postgres:
                    chunk = [(table, columns, _copy_text(rows)) for table, columns, rows in chunk]
                if writing is not None:
                    writing.result()
                writing = writer.submit(_write, raw, postgres, chunk)
                totals = [totals[0] + len(apps), totals[1] + len(decisions), totals[2] + len(codes)]
                if progress is not None:
                    progress(totals[0])
            if writing is not None:
                writing.result()
    finally:
        connection.close()
    with factory.begin() as session:
        reporting.rebuild(session, [s.code for s in made])
    if postgres:
        with engine.connect() as analyze:
            analyze.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "ANALYZE applications, decisions, application_codes, report_daily, report_monthly, report_day_marks"
            )
    devices = sum(len(s.devices) for s in made)
    return DemoResult(totals[0], totals[1], totals[2], [s.code for s in made], devices, time.perf_counter() - started)
