"""Realistic demo applications for trying the application and for benchmarks.

Chinese names, valid resident ID numbers and mobile numbers, several staff, the lender's product lines,
amounts, states and dates spread over two years — encrypted exactly like real data, written in batches.
State history rows are not generated for demo applications (only their current state and its time); the
codes of their latest pre-screen are (decline reasons, fraud flags), but not the pre-screen log itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from stdnum import luhn
from stdnum.cn import ric

from app.domain.application import ApplicationState
from app.domain.customer import CustomerDetails
from app.domain.identity import make_resident_id
from app.domain.reference import day_key, format_reference
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.local_store import LocalStore
from app.storage.models import Customer, ReferenceCounter, Store
from app.storage.repositories import INSERT_CUSTOMER, CustomerRepository
from app.storage.types import stored_money, stored_time, stored_uuid

S = ApplicationState

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国玉兰红梅晨阳欣怡浩宇子涵梓轩思雨一诺佳琪雪晓文博俊凯婷慧"
AREAS = (  # real county-level codes: (code, city, district)
    ("310104", "上海市", "徐汇区"),
    ("310105", "上海市", "长宁区"),
    ("310106", "上海市", "静安区"),
    ("320102", "南京市", "玄武区"),
    ("330106", "杭州市", "西湖区"),
    ("440106", "广州市", "天河区"),
    ("440305", "深圳市", "南山区"),
    ("510107", "成都市", "武侯区"),
    ("420106", "武汉市", "武昌区"),
    ("110101", "北京市", "东城区"),
    ("110108", "北京市", "海淀区"),
    ("370102", "济南市", "历下区"),
    ("410105", "郑州市", "金水区"),
    ("430104", "长沙市", "岳麓区"),
    ("350203", "厦门市", "思明区"),
)
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平街", "长江路", "新华路", "文化路", "青年路", "滨江大道")
EMPLOYERS = (
    "华润万家超市",
    "顺丰速运",
    "中国移动营业厅",
    "美团配送站",
    "海底捞餐饮",
    "富士康科技",
    "苏宁易购",
    "本地小学",
    "市第一人民医院",
    "自营网店",
    "建筑装饰公司",
    "物业服务公司",
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "176",
    "177",
    "180",
    "181",
    "182",
    "186",
    "187",
    "188",
    "189",
    "199",
)
# product code, purchase category, price range in yuan, allowed terms
PRODUCTS = (  # the shipped catalog's products (resources/catalog/products.json), goods in three categories
    ("GOODS", "phone", (1500, 12000), (3, 6, 9, 12, 18, 24)),
    ("GOODS", "appliance", (1200, 20000), (3, 6, 12, 18, 24)),
    ("GOODS", "furniture", (2000, 30000), (6, 12, 18, 24)),
    ("MALL", "mall", (300, 8000), (3, 6, 9, 12)),
    ("EDU", "education", (3000, 40000), (6, 12, 18, 24)),
    ("HOME", "renovation", (10000, 150000), (12, 24, 36)),
    ("CASH", "cash", (1000, 50000), (6, 12, 18, 24, 36)),
)
SKUS = {
    "phone": ("IPH16-128", "MATE70-256", "MI15-512", "VIVO-X200"),
    "appliance": ("TV-65Q", "FRIDGE-520", "WASH-10KG", "AC-1.5P"),
    "furniture": ("SOFA-3S", "BED-1.8M", "WARDROBE-4D"),
    "education": ("IT-BOOTCAMP", "ENGLISH-1Y", "DESIGN-6M"),
    "mall": ("GIFT-CARD-1000", "SMARTWATCH", "EARBUDS"),
    "renovation": ("KITCHEN-FULL", "BATH-FULL", "FLOOR-80M2"),
    "cash": ("",),
}

# Older applications have reached a final state; recent ones are still moving.
_SETTLED = (
    (S.DELIVERED, 56),
    (S.DECLINED, 17),
    (S.CANCELLED, 9),
    (S.APPROVED, 6),
    (S.DRAFT, 6),
    (S.PRESCREENED, 3),
    (S.QUOTED, 3),
)
_RECENT = (
    (S.DRAFT, 14),
    (S.PRESCREENED, 6),
    (S.QUOTED, 7),
    (S.SIGNED, 3),
    (S.QUEUED, 6),
    (S.SUBMITTED, 8),
    (S.REFERRED, 6),
    (S.APPROVED, 12),
    (S.DECLINED, 10),
    (S.DELIVERED, 22),
    (S.CANCELLED, 6),
)

# Codes of the latest pre-screen: decline reasons (declined applications only) and fraud flags (any).
_REASONS = (
    ("score_installment_to_income", 30),
    ("debt_service_too_high", 22),
    ("score_seniority", 14),
    ("score_records", 12),
    ("no_income", 8),
    ("product_limits", 6),
    ("age_out_of_range", 4),
    ("blacklisted_phone", 4),
)
_FLAGS = (("id_velocity", 3), ("phone_shared", 2), ("outside_opening_hours", 2), ("id_validity_unknown", 4))
_FLAGGED_SHARE = 0.07


# Bulk inserts in plain SQL: a million rows through SQLAlchemy's per-value processing takes minutes more.
# Customers rows come sealed from app.storage (CustomerRepository.bulk_row, in INSERT_CUSTOMER's order).
_INSERT_APPLICATION = (
    "INSERT INTO applications (id, reference, store_id, staff_id, customer_id, state, product_code, "
    "requested_term, principal, created_at, updated_at, state_changed_at, version, created_day) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_INSERT_PURCHASE = (
    "INSERT INTO purchases (id, application_id, category, sku, description, serial, price, down_payment) "
    "VALUES (?,?,?,?,?,?,?,?)"
)
_INSERT_CONSENT = (
    "INSERT INTO consents (id, application_id, kind, text_version, text_sha256, granted_at, withdrawn_at) "
    "VALUES (?,?,?,?,?,?,?)"
)
_INSERT_CODE = "INSERT INTO application_codes (application_id, code, kind) VALUES (?,?,?)"
_UPSERT_COUNTER = (
    "INSERT INTO reference_counters (store_id, day, last_sequence) VALUES (?,?,?) "
    "ON CONFLICT (store_id, day) DO UPDATE SET last_sequence = excluded.last_sequence"
)
_BULK_CACHE_KIB = -262_144  # 256 MiB page cache while loading: random UUID keys touch the whole index
# Checkpoint rarely while loading: each batch touches pages all over the random-key indexes, and copying them
# back after every batch (with fsync) would cost more than the inserts themselves.
_BULK_CHECKPOINT_PAGES = 100_000
CONSENT_TEXT_SHA256 = hashlib.sha256("演示同意书文本 2026-01".encode()).hexdigest()


@dataclass(frozen=True)
class DemoResult:
    """How many rows of each kind were written."""

    applications: int
    customers: int
    purchases: int
    consents: int


def _weighted(rng: random.Random, table: tuple[tuple[ApplicationState, int], ...]) -> ApplicationState:
    states, weights = zip(*table, strict=True)
    return rng.choices(states, weights)[0]


class _People:
    """Makes unique, valid customers."""

    def __init__(self, rng: random.Random, taken_indexes: set[bytes], customers: CustomerRepository) -> None:
        self.rng = rng
        self.taken = taken_indexes
        self.customers = customers

    @functools.cache  # noqa: B019 - one small table for the generator's lifetime
    def _area_valid(self, area: str, year: int) -> bool:
        return ric.is_valid(make_resident_id(area, dt.date(year, 7, 1), 1))

    def name(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def bank_card(self) -> str:
        body = f"622{self.rng.randrange(10**15):015d}"
        return body + luhn.calc_check_digit(body)

    def id_number(self, on: dt.date) -> tuple[str, bytes, tuple[str, str, str]]:
        r = self.rng
        while True:
            area = r.choice(AREAS)
            age_days = r.randrange(18 * 366, 60 * 365)
            born = on - dt.timedelta(days=age_days)
            if not self._area_valid(area[0], born.year):  # some county codes only exist from a later year
                continue
            number = make_resident_id(area[0], born, r.randrange(1000))
            index = self.customers.index_of(Customer.id_number_bi, number)
            if index not in self.taken:
                self.taken.add(index)
                return number, index, area

    def customer(self, customer_id: uuid.UUID, on: dt.date, created_text: str) -> tuple[object, ...]:
        """One sealed customers row, in INSERT_CUSTOMER's column order."""
        r = self.rng
        number, index, (_code, city, district) = self.id_number(on)
        phone = self.phone()
        address = (
            f"{city}{district}{r.choice(STREETS)}{r.randrange(1, 999)}号{r.randrange(1, 30)}0{r.randrange(1, 9)}室"
        )
        details = CustomerDetails(
            id=customer_id,
            id_number=number,
            phone=phone,
            address=address,
            name=self.name(),
            employer=r.choice(EMPLOYERS),
            bank_card=self.bank_card(),
            monthly_income=Decimal(r.randrange(30, 300) * 100),
        )
        return self.customers.bulk_row(details, index, created_text)


def _moments(rng: random.Random, count: int, now: dt.datetime, zone: ZoneInfo, days: int) -> list[dt.datetime]:
    """`count` creation times in opening hours over the last `days` days, busier lately, sorted."""
    start_local = (now.astimezone(zone) - dt.timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    out: list[dt.datetime] = []
    for _i in range(count):
        day = int(days * (rng.random() ** 0.8))  # more business in the recent year
        seconds = rng.randrange(9 * 3600, 21 * 3600)
        local = start_local + dt.timedelta(days=day, seconds=seconds)
        moment = local.astimezone(dt.UTC)
        out.append(min(moment, now - dt.timedelta(seconds=rng.randrange(60, 3600))))
    out.sort()
    return out


def _codes(rng: random.Random, state: ApplicationState) -> dict[str, str]:
    codes: dict[str, str] = {}
    if rng.random() < _FLAGGED_SHARE:
        codes[_pick(rng, _FLAGS)] = "flag"
    if state is S.DECLINED:
        for _i in range(rng.choice((1, 1, 2))):
            codes.setdefault(_pick(rng, _REASONS), "reason")
    return codes


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights)[0]


@dataclass
class _Batch:
    customers: list[tuple[object, ...]] = field(default_factory=list)
    applications: list[tuple[object, ...]] = field(default_factory=list)
    purchases: list[tuple[object, ...]] = field(default_factory=list)
    consents: list[tuple[object, ...]] = field(default_factory=list)
    codes: list[tuple[object, ...]] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)


def _batches(
    rng: random.Random,
    people: _People,
    store: Store,
    staff: list[uuid.UUID],
    moments: list[dt.datetime],
    counters: dict[str, int],
    now: dt.datetime,
    state: ApplicationState | None,
    batch_size: int,
) -> Iterator[_Batch]:
    zone = ZoneInfo(store.time_zone)
    recent_cutoff = now - dt.timedelta(days=21)
    customers_pool: list[str] = []
    u, t, m = stored_uuid, stored_time, stored_money
    store_hex = u(store.id)
    staff_hex = [u(s) for s in staff]

    new_id = uuid.uuid4  # never seeded: a repeated seed repeats the people, not the identifiers

    for start in range(0, len(moments), batch_size):
        batch = _Batch()
        for created in moments[start : start + batch_size]:
            app_state = state or _weighted(rng, _RECENT if created >= recent_cutoff else _SETTLED)
            local = created.astimezone(zone).date()
            key = day_key(local)
            seq = counters.get(key, 0) + 1
            counters[key] = batch.counters[key] = seq
            app_hex, created_text = u(new_id()), t(created)
            product, category, (low, high), terms = rng.choice(PRODUCTS)
            price = Decimal(rng.randrange(low, high + 1)) - (Decimal("0.01") if rng.random() < 0.3 else 0)
            down = (price * Decimal(rng.choice((0, 0, 10, 20, 30))) / 100).quantize(Decimal("0.01"))
            customer_hex = None
            if not (app_state is S.DRAFT and rng.random() < 0.4):  # some drafts are still before consent
                if customers_pool and rng.random() < 0.15:
                    customer_hex = rng.choice(customers_pool)  # a returning customer
                else:
                    customer_id = new_id()
                    customer_hex = u(customer_id)
                    batch.customers.append(people.customer(customer_id, local, created_text))
                    customers_pool.append(customer_hex)
                for kind in ("sensitive_personal_info", "credit_inquiry"):
                    batch.consents.append(
                        (u(new_id()), app_hex, kind, "2026-01", CONSENT_TEXT_SHA256, created_text, None)
                    )
            changed = t(min(created + dt.timedelta(minutes=rng.randrange(5, 60 * 24 * 3)), now))
            batch.applications.append(
                (
                    app_hex,
                    format_reference(store.code, local, seq),
                    store_hex,
                    rng.choice(staff_hex),
                    customer_hex,
                    app_state.value,
                    product,
                    rng.choice(terms),
                    m(price - down),
                    created_text,
                    changed,
                    changed,
                    1,
                    local.isoformat(),
                )
            )
            if app_state is not S.DRAFT:
                batch.codes.extend((app_hex, code, kind) for code, kind in _codes(rng, app_state).items())
            if category != "cash":
                sku = rng.choice(SKUS[category])
                serial = f"86{rng.randrange(10**13):013d}" if category == "phone" else None
                batch.purchases.append((u(new_id()), app_hex, category, sku, sku, serial, m(price), m(down)))
        yield batch


def generate(
    local_store: LocalStore,
    store: Store,
    staff: list[uuid.UUID],
    count: int,
    now: dt.datetime,
    *,
    state: ApplicationState | None = None,
    seed: int | None = None,
    batch_size: int = 50_000,
    days: int = 730,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Write `count` demo applications for `store` into `local_store` in batches, each batch its own write
    transaction.

    With `state`, every application is in that state; otherwise states follow the applications' age.
    The same seed gives the same people, amounts and dates.
    """
    if count < 0:
        raise InvalidInput(_("The count must not be negative."), code="bad_count")
    if not staff:
        raise InvalidInput(_("The store has no staff to file demo applications."), code="no_staff")
    rng = random.Random(seed)
    session_factory = local_store.write
    with session_factory() as session:
        taken = set(session.scalars(select(Customer.id_number_bi)))
        counters = {
            row.day: row.last_sequence
            for row in session.scalars(select(ReferenceCounter).where(ReferenceCounter.store_id == store.id))
        }
    people = _People(rng, taken, CustomerRepository.for_store(local_store))
    moments = _moments(rng, count, now, ZoneInfo(store.time_zone), days)
    batches = _batches(rng, people, store, staff, moments, counters, now, state, batch_size)
    totals = [0, 0, 0, 0]
    store_hex = stored_uuid(store.id)
    for batch in batches:
        with session_factory() as session:
            conn = session.connection()
            conn.exec_driver_sql(f"PRAGMA cache_size = {_BULK_CACHE_KIB}")
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {_BULK_CHECKPOINT_PAGES}")
            for sql, rows in (
                (INSERT_CUSTOMER, batch.customers),
                (_INSERT_APPLICATION, batch.applications),
                (_INSERT_PURCHASE, batch.purchases),
                (_INSERT_CONSENT, batch.consents),
                (_INSERT_CODE, batch.codes),
                (_UPSERT_COUNTER, [(store_hex, k, v) for k, v in batch.counters.items()]),
            ):
                if rows:
                    conn.exec_driver_sql(sql, rows)
        for i, rows in enumerate((batch.applications, batch.customers, batch.purchases, batch.consents)):
            totals[i] += len(rows)
        if progress:
            progress(totals[0])
    return DemoResult(*totals)
