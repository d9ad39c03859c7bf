"""Demo applications taken through the counter's real flow, for `fenqi demo-data --state queued`.

Each one goes the way a clerk and a customer take it at the counter, through the same app/ services:
first-moment consents → customer details saved → pre-screened on the purchase → plan chosen from the signed
catalog → signed (contract and auto-debit consents, signature strokes, signature image, contract document) →
queued, so that it ends as a sealed outbox item with its idempotency key, ready for `fenqi sync`.

The customers are distinct, valid and varied (names, resident ID numbers with their check character, mobile
numbers, work, income, debit cards), drawn from `random.Random(seed)`: the same seed gives the same people in
a fresh store. No ID number or phone already in the store (customers or staff) is used again, nor any on the
demo blacklist, so velocity and shared-phone flags do not trip. Inputs are chosen so the pre-screen does not
decline; a candidate it would decline anyway is passed over (checked first as a what-if, which writes nothing).

Demo contracts are *image* PDFs made with Pillow: one page showing the key terms, the schedule, the QR code
(the counter's payload: reference and the terms' SHA-256, drawn by zxing-cpp) and the signature. The counter's
own contract is a text PDF rendered by Qt in ui/, which app/ cannot import. The signature image is drawn from
the generated strokes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import random
import uuid
from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from stdnum import luhn

from app.counter.consents import GivenConsent, consent_text
from app.counter.contract import Point, terms_sha256
from app.counter.contract_document import qr_payload
from app.demo.data import AREAS, EMPLOYERS, GIVEN, MOBILE_PREFIXES, STREETS, SURNAMES
from app.domain.actor import Actor
from app.domain.catalog import Catalog, Product
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT, ConsentKind
from app.domain.customer_form import RELATIONS, CustomerForm
from app.domain.identity import make_resident_id, parse_resident_id
from app.domain.roles import Role
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.scoring.request import PurchaseRequest, request_from_form
from app.storage.models import Customer, Staff
from app.storage.repositories import CustomerRepository
from app.storage.staff import StaffRepository
from app.sync.submission import SubmissionService

if TYPE_CHECKING:
    from app.services import Services

# The demo blacklist's entries (resources/blacklist/demo.json): never given to a demo customer.
BLACKLISTED_PHONES = frozenset({"13900001111", "13900002222"})
BLACKLISTED_IDS = frozenset({"110101199003074477"})
PAD_WIDTH, PAD_HEIGHT = 600, 200  # the customer screen's signature pad, in pixels
LANGUAGE = "zh_CN"  # the language the demo customers read their consents in
MAX_TRIES_PER_APPLICATION = 50

_JOBS = (("employee", 55), ("civil_servant", 8), ("self_employed", 22), ("freelancer", 15))
_HOMES = (("own", 20), ("mortgage", 25), ("rent", 40), ("family", 15))
# Catalog product kind → price range in yuan and what is bought.
_PURCHASES: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {
    "goods": ((1500, 12000), ("手机 Mate 70 256G", "手机 iPhone 16 128G", "电视 65 英寸", "冰箱 520L", "洗衣机 10kg")),
    "cash": ((3000, 30000), ("现金分期 日常消费", "现金分期 装修", "现金分期 进修")),
    "card_repayment": ((2000, 30000), ("信用卡代偿 招商银行", "信用卡代偿 工商银行", "信用卡代偿 建设银行")),
    "mall": ((500, 8000), ("商城订单 笔记本电脑", "商城订单 沙发", "商城订单 跑步机")),
    "education": ((4000, 30000), ("编程培训 6 个月", "英语培训 1 年", "设计培训 6 个月")),
    "home_improvement": ((10000, 80000), ("厨房翻新", "卫生间翻新", "地板铺设 80 平方米")),
}


@dataclasses.dataclass(frozen=True)
class QueuedDemo:
    """What `queue_demo_applications` wrote: the applications queued and the rows made for them."""

    application_ids: list[uuid.UUID]
    customers: int
    purchases: int
    consents: int
    passed_over: int  # candidates the pre-screen would have declined


@dataclasses.dataclass(frozen=True)
class _Candidate:
    form: CustomerForm
    purchase: PurchaseRequest
    goods: str


def demo_actor(services: Services) -> Actor:
    """The store's first active sales consultant (by staff number, typically `sales01`), acting as signed in."""
    with services.store.read() as session:
        row = session.scalar(
            select(Staff)
            .where(Staff.store_id == services.store_id, Staff.role == Role.SALES.value, Staff.active.is_(True))
            .order_by(Staff.login)
            .limit(1)
        )
        if row is None:
            raise InvalidInput(_("The store has no staff to file demo applications."), code="no_staff")
        name = StaffRepository(services.store).display_name(row)
        return Actor(login=row.login, role=Role(row.role), display_name=name, staff_id=row.id)


def queue_demo_applications(
    services: Services,
    catalog: Catalog,
    count: int,
    seed: int | None = None,
    actor: Actor | None = None,
    progress: Callable[[int], None] | None = None,
) -> QueuedDemo:
    """Take `count` new customers through the counter's flow to a queued application each.

    The scorecard is verified before anything is written (ModelUnavailable, exit 3, otherwise); the catalog
    given has been verified by `load_catalog`. Every step is its service's own transaction and audit entry,
    exactly as at the counter."""
    if count < 0:
        raise InvalidInput(_("The count must not be negative."), code="bad_count")
    services.prescreen.scorecard()  # refused model: nothing written
    actor = actor or demo_actor(services)
    services.prescreen.ensure_blacklist()  # as the counter does when it starts
    with services.store.read() as session:
        zone = ZoneInfo(services.current_store(session).time_zone)
        taken_ids = {b for b in session.scalars(select(Customer.id_number_bi)) if b}
        taken_ids |= {b for b in session.scalars(select(Staff.id_number_bi)) if b}
        taken_phones = {b for b in session.scalars(select(Customer.phone_bi)) if b}
        taken_phones |= {b for b in session.scalars(select(Staff.phone_bi)) if b}
    rng = random.Random(seed)
    submissions = SubmissionService(services.store)
    customers = CustomerRepository.for_store(services.store)
    queued: list[uuid.UUID] = []
    passed_over = misses = 0
    while len(queued) < count:
        if misses > MAX_TRIES_PER_APPLICATION * (len(queued) + 1):
            raise Unavailable(
                _("The pre-screen declines nearly every demo customer: check the scorecard and the settings."),
                code="demo_declined",
            )
        moment = utc_now().astimezone(zone)
        candidate = _candidate(rng, catalog, moment.date())
        if candidate is None:  # a purchase outside the product's limits, or a clash of phones
            misses += 1
            continue
        id_bi = customers.index_of(Customer.id_number_bi, candidate.form.id_number)
        phone_bi = customers.index_of(Customer.phone_bi, candidate.form.phone)
        if id_bi in taken_ids or phone_bi in taken_phones:
            misses += 1
            continue
        taken_ids.add(id_bi)
        taken_phones.add(phone_bi)
        application_id = _file(services, catalog, submissions, actor, candidate, moment, rng)
        if application_id is None:
            passed_over += 1
            misses += 1
            continue
        queued.append(application_id)
        if progress:
            progress(len(queued))
    per_application = len(FIRST_MOMENT) + len(SIGNING_MOMENT)
    return QueuedDemo(queued, len(queued), len(queued), per_application * len(queued), passed_over)


def _file(
    services: Services,
    catalog: Catalog,
    submissions: SubmissionService,
    actor: Actor,
    candidate: _Candidate,
    moment: dt.datetime,
    rng: random.Random,
) -> uuid.UUID | None:
    """One application through the flow; None (nothing written) when the pre-screen would decline it."""
    request = request_from_form(candidate.form, candidate.purchase, moment, actor.login)
    if services.prescreen.prescreen(request, catalog, record=False).decision == "decline":
        return None
    started = services.consents.begin_application(actor, _given(FIRST_MOMENT))
    application_id = started.application_id
    services.intake.save(actor, application_id, candidate.form)
    if services.prescreen.prescreen(request, catalog, application_id).decision == "decline":
        return None  # cannot happen with the same inputs and history; the draft stays, declined, as at the counter
    what, today = candidate.purchase, moment.date()
    terms = services.contracts.choose_plan(
        actor, application_id, catalog, what.product, candidate.goods, what.price, what.down_payment, what.term, today
    )
    strokes = _strokes(rng)
    signature = signature_png(strokes)
    signing = _given(SIGNING_MOMENT)
    pdf = contract_pdf(terms, signature, signing[0].at)
    services.contracts.sign(actor, application_id, terms_sha256(terms), signing, strokes, PAD_WIDTH, signature, pdf)
    submissions.queue(actor, application_id)
    return application_id


def _given(kinds: tuple[ConsentKind, ...]) -> list[GivenConsent]:
    """The consents as the customer screen hands them over: the current text, ticked now."""
    return [GivenConsent(k, consent_text(k, LANGUAGE), utc_now()) for k in kinds]


# --- the people and what they buy --------------------------------------------------------------------------


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _phone(rng: random.Random) -> str:
    while True:
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in BLACKLISTED_PHONES:
            return phone


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _i in range(rng.choice((1, 2, 2))))


def _resident(rng: random.Random, today: dt.date) -> tuple[str, int, tuple[str, str, str]]:
    """A valid ID number of someone aged 22 to 55 today, their age and their area."""
    while True:
        area = rng.choice(AREAS)
        born = today - dt.timedelta(days=rng.randrange(22 * 366, 55 * 365))
        number = make_resident_id(area[0], born, rng.randrange(1000))
        if number in BLACKLISTED_IDS:
            continue
        try:
            resident = parse_resident_id(number, today)
        except InvalidInput:  # a county code retired before this birth date
            continue
        return number, resident.age_on(today), area


def _purchase(rng: random.Random, catalog: Catalog, today: dt.date) -> tuple[PurchaseRequest, str, Decimal] | None:
    """A purchase one of the catalog's products finances today, what it is, and its largest installment."""
    product: Product = rng.choice(catalog.products)
    (low, high), goods = _PURCHASES.get(product.kind, ((1000, 10000), (product.name,)))
    price = Decimal(rng.randrange(low // 100, high // 100 + 1) * 100 - rng.choice((0, 0, 1, 2)))
    share = max(product.min_down_payment_rate, Decimal(rng.choice((0, 0, 10, 20, 30))) / 100)
    down = max((price * share).quantize(Decimal(1), rounding=ROUND_CEILING), product.min_down_payment(price))
    term = rng.choice(product.terms)
    try:
        schedule = catalog.quote(product.code, price, down, term, today)
    except InvalidInput:  # outside the product's amount limits: draw another
        return None
    description = rng.choice(goods)
    if product.kind == "goods":
        description += f" SN{rng.randrange(10**10):010d}"
    return PurchaseRequest(product.code, price, down, term), description, schedule.max_payment


def _candidate(rng: random.Random, catalog: Catalog, today: dt.date) -> _Candidate | None:
    """A new customer with a purchase they can afford (repayments well under half the income)."""
    bought = _purchase(rng, catalog, today)
    if bought is None:
        return None
    purchase, goods, installment = bought
    number, age, (_code, city, district) = _resident(rng, today)
    phone = _phone(rng)
    emergency = _phone(rng)
    if emergency == phone:
        return None
    debts = Decimal(rng.choice((0, 0, 0, 300, 800, 1500)))
    need = (debts + installment) / Decimal(str(rng.uniform(0.12, 0.35)))
    income = max(Decimal(rng.randrange(40, 160) * 100), (need / 100).to_integral_value(ROUND_CEILING) * 100)
    job = _weighted(rng, _JOBS)
    card = f"622{rng.randrange(10**15):015d}"
    valid_until = "长期" if age >= 46 else (today + dt.timedelta(days=rng.randrange(180, 3650))).isoformat()
    form = CustomerForm(
        name=_name(rng),
        id_number=number,
        phone=phone,
        address=f"{city}{district}{rng.choice(STREETS)}{rng.randrange(1, 999)}号{rng.randrange(101, 2999)}室",
        employer="" if job == "freelancer" else rng.choice(EMPLOYERS),
        job_type=job,
        years_at_job=str(rng.randrange(1, min(15, age - 20) + 1)),
        monthly_income=str(income),
        monthly_expenses=str((income * Decimal(str(rng.uniform(0.2, 0.4))) / 100).to_integral_value() * 100),
        assets=str(income * rng.choice((0, 3, 6, 12, 24))),
        monthly_debt_payments=str(debts),
        overdue_records=rng.choice(("0",) * 19 + ("1",)),
        housing=_weighted(rng, _HOMES),
        emergency_name=_name(rng),
        emergency_phone=emergency,
        emergency_relation=rng.choice(RELATIONS),
        bank_card=card + luhn.calc_check_digit(card),
        id_valid_until=valid_until,
    )
    return _Candidate(form, purchase, goods)


# --- the signature and the contract document ---------------------------------------------------------------


def _strokes(rng: random.Random) -> list[list[Point]]:
    """A plausible handwritten signature: two or three wavy strokes across most of the pad."""
    strokes: list[list[Point]] = []
    x, ms = 40.0 + rng.uniform(0, 30), 0.0
    for _i in range(rng.choice((2, 3))):
        points: list[Point] = []
        base, amplitude, phase = rng.uniform(80, 130), rng.uniform(15, 40), rng.uniform(0, math.pi)
        pace, swell = rng.uniform(0.45, 1.0), rng.uniform(0.15, 0.35)
        for j in range(rng.randrange(20, 32)):
            wave = math.sin(phase + j * pace) * (0.6 + 0.4 * math.sin(j * swell))
            y = base + amplitude * wave + rng.uniform(-3, 3)
            points.append((round(x, 1), round(y, 1), round(ms, 1), round(rng.uniform(0.35, 0.85), 2)))
            x, ms = x + rng.uniform(4, 8), ms + rng.uniform(6, 12)
        strokes.append(points)
        x, ms = x + rng.uniform(10, 25), ms + rng.uniform(80, 200)
    return strokes


def signature_png(strokes: list[list[Point]]) -> bytes:
    """The signature pad's image of `strokes`: black ink on white, PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("1", (PAD_WIDTH, PAD_HEIGHT), 1)  # bilevel: a quarter of the time of greyscale
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        draw.line([(p[0], p[1]) for p in stroke], fill=0, width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _qr_image(terms: dict[str, Any]) -> Any:
    """The contract's QR code, with the counter's payload, as a Pillow image. Made with zxing-cpp (which the
    application already uses to read barcodes): ten times faster than the qrcode package's mask search."""
    import zxingcpp
    from PIL import Image

    code = zxingcpp.create_barcode(qr_payload(terms), zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return Image.fromarray(code.to_image(scale=3))


def contract_pdf(terms: dict[str, Any], signature: bytes, signed_at: dt.datetime) -> bytes:
    """The demo contract: one A4 page (72 dpi) as an image PDF with the key terms, the schedule, the QR code and
    the signature. Latin text only (Pillow's built-in font): the customer's name is on the counter's contract."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (595, 842), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default_imagefont()  # bitmap: ~40 times faster to draw than FreeType here
    draw.text((40, 36), "INSTALLMENT LOAN CONTRACT (DEMO)", font=font, fill=0)
    lines = [
        f"Reference: {terms['reference']}    Application: {terms['application_id']}",
        f"Lender: demo lender    Hotline: {terms['lender']['hotline']}",
        f"Borrower ID number: {terms['customer']['id_number']}",
        f"Product: {terms['product']['code']}    Term: {terms['term']} months    Method: {terms['method']}",
        f"APR (IRR method): {terms['apr']} %",
        f"Price {terms['price']}  Down payment {terms['down_payment']}  Financed {terms['financed']} CNY",
        f"One-off fee {terms['upfront_fee']}  Total repayable {terms['total_repayable']}  "
        f"Cost {terms['total_cost']} CNY",
        f"Terms SHA-256: {terms_sha256(terms)}",
        f"Signed {signed_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC with the loan-contract and auto-debit consents",
        "Demo data: an image PDF made by `fenqi demo-data --state queued`.",
        "",
        "Repayment schedule (No., due date, CNY):",
    ]
    y = 62
    for line in lines:
        draw.text((40, y), line, font=font, fill=0)
        y += 16
    for i, row in enumerate(terms["installments"]):
        column, place = divmod(i, 18)
        draw.text(
            (40 + column * 170, y + place * 14),
            f"{row['n']:>3}  {row['due_date']}  {row['amount']:>10}",
            font=font,
            fill=0,
        )
    y += 18 * 14 + 20
    draw.text((40, y), "Borrower's signature:", font=font, fill=0)
    with Image.open(io.BytesIO(signature)) as image:
        page.paste(image.convert("L").reduce(2), (40, y + 16))
    page.paste(_qr_image(terms), (405, y))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72.0, title=f"Contract {terms['reference']}")
    return buffer.getvalue()
