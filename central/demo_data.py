"""Demo data for the central server: `fenqi-central --db URL demo-data --count N` fills the database with N
applications over the last two years across a region's stores, fast enough for millions of rows (bulk
inserts; COPY on PostgreSQL). Stores with one to three counter PCs and their last sync health; applications
with small bodies holding what the reports read (created_at, financed, purchase, product, term, staff_id) and
clearly fake values otherwise (a customer with a made-up name, a well-formed ID number and a mobile number, sealed
at rest like every body: central.sealing); the lender's decisions as the server would make them (automatic on
arrival, reviewers' decisions on referred ones, the stores' cancellations), with reason codes, fraud flags and
scores; what the lender checked itself (most applications come from a counter that was online: the customer
confirmed the signing with the code sent to their phone and the bank matched the repayment card before signing;
the others arrive with the confirmation pending and their card checked by the lender on arrival, so the
referral reason `confirmation_pending` and the flag `card_unverified` appear as central.judge gives them); and
the report aggregates, rebuilt set-based from those rows (central.reporting.rebuild, which the
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
from app.domain.masking import mask_phone
from central import reporting, sealing
from central.card_checks import elements_text
from central.confirmations import CODE_VALID, code_digest_text, phone_text
from central.db import CentralStore, Device, DeviceHealth
from central.judge import CARD_UNVERIFIED, CONFIRMATION_PENDING

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
# Applications sent while the counter was offline (or the code never reached the phone): the confirmation is
# pending and the lender asks the bank about the card on arrival, which refuses some of them.
OFFLINE_SHARE = 0.04
CARD_REFUSED_SHARE = 0.2  # of the offline ones' cards (an online counter signs only a card the bank matched)
CARD_REFUSALS = ("phone_mismatch", "no_auto_debit", "holder_mismatch")
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
CONFIRMATION_COLUMNS = (
    "application_id",
    "store_code",
    "device_id",
    "phone_digest",
    "phone_masked",
    "code_hash",
    "sent_at",
    "expires_at",
    "tries",
    "confirmed_at",
)
CARD_CHECK_COLUMNS = ("application_id", "store_code", "elements_digest", "result", "source", "checked_at")
TABLES = {  # in the order they are written
    "applications": APPLICATION_COLUMNS,
    "decisions": DECISION_COLUMNS,
    "application_codes": CODE_COLUMNS,
    "confirmation_codes": CONFIRMATION_COLUMNS,
    "card_checks": CARD_CHECK_COLUMNS,
}


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
) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """Chunks of rows by table (applications, decisions, application_codes, confirmation_codes, card_checks),
    deterministic for a seed (but for the sealing's nonces); times as `stamp` writes a POSIX time for the
    database; bodies and reasons sealed with `ring`, phones and cards kept as its digests."""
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
            gen.random((size, 8)).tolist(),
            gen.integers(0, 1 << 30, (size, 4)).tolist(),
        )
        apps: list[tuple[Any, ...]] = []
        decisions: list[tuple[Any, ...]] = []
        codes: list[tuple[Any, ...]] = []
        checked: dict[str, list[tuple[Any, ...]]] = {"confirmation_codes": [], "card_checks": []}
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
            person = _customer(done + j, picks)
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
                person.json,
            )
            flags: tuple[str, ...] = (FLAGS[picks[3] % len(FLAGS)],) if fate[2] < 0.06 else ()
            s = None if fate[3] < 0.005 else score
            auto, reasons = _verdict(s, flags, fate[3] < 0.055, picks[2], picks[3])
            online = fate[6] >= OFFLINE_SHARE
            card = "match" if online or fate[7] >= CARD_REFUSED_SHARE else CARD_REFUSALS[picks[1] % len(CARD_REFUSALS)]
            if auto != "declined":  # what the lender checked itself, as central.judge adds it to its verdict
                reasons += () if online else (CONFIRMATION_PENDING,)
                flags += () if card == "match" else (CARD_UNVERIFIED,)
                auto = "referred" if not online or card != "match" else auto
            where = (application_id, store.code, store.devices[picks[0] % len(store.devices)])
            asked = None if auto == "declined" else card  # the bank is not asked about a declined one's card
            _checks(checked, ring, stamp, where, person, created, received, online, asked)
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
                    where[2],
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
        yield {"applications": apps, "decisions": decisions, "application_codes": codes, **checked}


_BORN_FROM = dt.date(1966, 1, 1)
_AREAS = ("310101", "310104", "320102", "330102", "340102", "110101", "440103", "510104")
# Prefixes of mainland mobile numbers (app.domain.phone takes every number under them): the judge refers an
# application whose phone is not one as incomplete.
_MOBILES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "152", "155", "158", "186", "189")


@dataclass(frozen=True)
class _Customer:
    json: str  # as the body's canonical JSON
    id_number: str
    name: str
    phone: str
    card: str


def _customer(number: int, picks: Sequence[int]) -> _Customer:
    """A made-up customer: a name no one has, an ID number of the right form (area, a birth date 20 to 58 years
    ago, the check character), a mobile number and a repayment card (its check digit right), all from the
    row's random numbers."""
    born = _BORN_FROM + dt.timedelta(days=picks[0] % 13880)
    id_number = make_resident_id(_AREAS[picks[1] % len(_AREAS)], born, picks[2] % 1000)
    phone = f"{_MOBILES[picks[3] % len(_MOBILES)]}{(picks[0] ^ picks[3]) % 100_000_000:08d}"
    card = _with_check_digit(f"6222{(picks[1] * 1_000_003 + picks[2]) % 10**11:011d}")
    name = f"演示客户{number:07d}"
    text = f'{{"bank_card":"{card}","id_number":"{id_number}","name":"{name}","phone":"{phone}"}}'
    return _Customer(text, id_number, name, phone, card)


_DOUBLED = str.maketrans("0123456789", "0246813579")  # a digit doubled, its two digits added (Luhn)


def _with_check_digit(number: str) -> str:
    """`number` with its Luhn check digit appended (stdnum.luhn's answer, at a fraction of its cost per row)."""
    backwards = number[::-1]  # the check digit goes first from the right: the number's last digit is doubled
    total = sum(map(int, backwards[::2].translate(_DOUBLED))) + sum(map(int, backwards[1::2]))
    return number + str(-total % 10)


def _checks(
    rows: dict[str, list[tuple[Any, ...]]],
    ring: sealing.KeyRing,
    stamp: Callable[[float], str],
    where: tuple[str, str, str],
    person: _Customer,
    created: float,
    received: float,
    online: bool,
    arrival: str | None,
) -> None:
    """What the lender kept of its own checks of an application (`where`: its id, store and PC): from an
    online counter, the bank's match of the card and then the customer's confirmation, both while signing
    (before it arrived); from an offline one, the bank's answer on arrival (`arrival`; None: not asked, the
    application being declined)."""
    application_id, store, device = where
    if not online and arrival is None:
        return
    elements = ring.lender_digest(elements_text(person.card, person.name, person.id_number, person.phone))
    if not online:
        rows["card_checks"].append((application_id, store, elements, arrival, "arrival", stamp(received)))
        return
    signing = stamp(created + 10)  # the card checked, then the code sent at once
    rows["card_checks"].append((application_id, store, elements, "match", "counter", signing))
    code = f"{int.from_bytes(hashlib.sha256(application_id.encode()).digest()[:4], 'big') % 1_000_000:06d}"
    rows["confirmation_codes"].append(
        (
            application_id,
            store,
            device,
            ring.lender_digest(phone_text(person.phone)),
            mask_phone(person.phone),
            ring.lender_digest(code_digest_text(application_id, code)).hex(),
            signing,
            stamp(created + 10 + CODE_VALID.total_seconds()),
            1,
            stamp(created + 20),
        )
    )


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


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()  # bytea in hex, its backslash escaped for COPY
    return str(value)


def _copy_text(rows: list[tuple[Any, ...]]) -> bytes:
    """Rows in PostgreSQL COPY text format (the demo's strings hold no tab, newline or backslash)."""
    return "".join("\t".join([_copy_value(v) for v in row]) + "\n" for row in rows).encode()


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
            for rows in _rows(made, count, seed, today, edges, stamp, ring):
                chunk: Chunk = [(table, columns, rows[table]) for table, columns in TABLES.items()]
                if postgres:
                    chunk = [(table, columns, _copy_text(rows)) for table, columns, rows in chunk]
                if writing is not None:
                    writing.result()
                writing = writer.submit(_write, raw, postgres, chunk)
                totals = [
                    totals[0] + len(rows["applications"]),
                    totals[1] + len(rows["decisions"]),
                    totals[2] + len(rows["application_codes"]),
                ]
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
