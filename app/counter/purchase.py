"""The purchase step: what the customer is buying (category, SKU, serial/IMEI, description), its price and down
payment, and the product and term asked for. The later steps read it from here — nothing is typed twice. A
change to what was pre-screened or planned (price, down payment, product, term) sends the application back to
draft: its pre-screen and plan were for the old purchase. After signing the purchase cannot change."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, ApplicationState, parse_state, state_label
from app.domain.catalog import Catalog
from app.domain.money import parse_money
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import N_, _
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, Purchase
from app.storage.repositories import ApplicationRepository

CATEGORIES: dict[str, str] = {
    "phone": N_("Phone"),
    "appliance": N_("Home appliance"),
    "furniture": N_("Furniture"),
    "education": N_("Education"),
    "medical": N_("Medical"),
    "renovation": N_("Home renovation"),
    "cash": N_("Cash loan"),
}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


@dataclass(frozen=True)
class PurchaseDetails:
    """The purchase as the clerk enters it (text as typed; checked by `record`)."""

    category: str
    sku: str
    serial: str
    description: str
    price: str
    down_payment: str
    product: str
    term: int


@dataclass(frozen=True)
class RecordedPurchase:
    category: str
    sku: str
    serial: str
    description: str
    price: Decimal
    down_payment: Decimal
    product: str
    term: int
    plan_invalidated: bool = False


# Which field a product's refusal (app.domain.catalog.Product.limit_refusals) asks the clerk to change.
_LIMIT_FIELDS: dict[str, str] = {
    "term_not_offered": "term",
    "bad_down_payment": "down_payment",
    "down_payment_too_small": "down_payment",
    "amount_out_of_range": "price",
}


def check_purchase(details: PurchaseDetails, catalog: Catalog | None = None) -> dict[str, str]:
    """Each field's problem in the configured language (empty when the purchase can be recorded), keyed by field
    (category, sku, serial, description, price, down_payment, product, term). With the catalog, the chosen
    product's limits too — its terms, minimum down payment and range of amounts financed — with the very refusals
    a quote and the pre-screen give, each naming the limit; an unknown product is a problem of `product`. A
    field's own problem (an amount that is not one) comes before a limit's."""
    problems: dict[str, str] = {}
    if details.category not in CATEGORIES:
        problems["category"] = _("Choose what the customer is buying.")
    for field in ("sku", "serial"):
        value = getattr(details, field).strip()
        if value and not _CODE.match(value):
            problems[field] = _("Letters, digits and . _ / - only, up to 64 characters.")
    if len(details.description) > 200:
        problems["description"] = _("At most 200 characters.")
    amounts: dict[str, Decimal] = {}
    for field in ("price", "down_payment"):
        text = getattr(details, field).strip() or ("0" if field == "down_payment" else "")
        try:
            amounts[field] = parse_money(text)
        except InvalidInput as exc:
            problems[field] = exc.message if text else _("Enter the price.")
    if "price" in amounts and amounts["price"] <= 0:
        problems["price"] = _("The price must be more than zero.")
    if "price" in amounts and "down_payment" in amounts and amounts["down_payment"] >= amounts["price"]:
        problems["down_payment"] = _("The down payment must be less than the price.")
    if not details.product.strip():
        problems["product"] = _("Choose a product.")
    if details.term < 1:
        problems["term"] = _("Choose a term.")
    if catalog is not None and "product" not in problems:
        problems.update({k: v for k, v in _limit_problems(details, amounts, catalog).items() if k not in problems})
    return problems


def _limit_problems(details: PurchaseDetails, amounts: dict[str, Decimal], catalog: Catalog) -> dict[str, str]:
    try:
        product = catalog.product(details.product.strip())
    except InvalidInput as unknown:
        return {"product": unknown.message}
    price, down = amounts.get("price"), amounts.get("down_payment")
    if price is None or down is None or price <= 0 or details.term < 1:
        return {}  # the field's own problem says what to type first
    problems: dict[str, str] = {}
    for refusal in product.limit_refusals(price, down, details.term):
        problems.setdefault(_LIMIT_FIELDS[refusal.code], refusal.message)
    return problems


class PurchaseService:
    """Records and reads the purchase of an application."""

    def __init__(self, store: LocalStore, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self.audit = AuditLog.for_store(store)

    def record(
        self, actor: Actor, application_id: uuid.UUID, details: PurchaseDetails, catalog: Catalog | None = None
    ) -> RecordedPurchase:
        """Keep the purchase; InvalidInput naming the first problem (nothing written) when it is not valid —
        with the catalog, also when it breaks the product's limits — or the application is signed or later. Says
        whether the pre-screen and plan were invalidated."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        problems = check_purchase(details, catalog)
        if problems:
            raise InvalidInput(next(iter(problems.values())), code="invalid_purchase")
        price = parse_money(details.price)
        down = parse_money(details.down_payment.strip() or "0")
        now = self.clock()
        with self.store.write() as session:
            application = session.get(Application, application_id)
            if application is None:
                raise InvalidInput(_("No such application."), code="not_found")
            state = parse_state(application.state)
            if state not in EDITABLE_STATES:
                raise InvalidInput(
                    _(
                        "This application is {state}: its purchase can no longer change. Cancel it and start again."
                    ).format(state=state_label(state)),
                    code="not_editable",
                )
            row = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
            before = (
                None
                if row is None
                else (row.price, row.down_payment, application.product_code, application.requested_term)
            )
            if row is None:
                row = Purchase(id=uuid.uuid4(), application_id=application_id, category=details.category)
                session.add(row)
            row.category, row.sku = details.category, details.sku.strip() or None
            row.serial, row.description = details.serial.strip() or None, details.description.strip() or None
            row.price, row.down_payment = price, down
            application.product_code, application.requested_term = details.product.strip(), details.term
            application.principal, application.updated_at = price - down, now
            changed = before is not None and before != (price, down, details.product.strip(), details.term)
            invalidated = changed and state in (ApplicationState.PRESCREENED, ApplicationState.QUOTED)
            if invalidated:
                ApplicationRepository().transition(
                    session, application_id, ApplicationState.DRAFT, actor.audit_name, now
                )
            self.audit.append(
                session,
                actor.audit_name,
                "application.purchase_recorded",
                object_type="application",
                object_id=str(application_id),
                detail={"plan_invalidated": invalidated},
                at=now,
            )
            return RecordedPurchase(
                details.category,
                details.sku.strip(),
                details.serial.strip(),
                details.description.strip(),
                price,
                down,
                details.product.strip(),
                details.term,
                invalidated,
            )

    def recorded(self, application_id: uuid.UUID) -> RecordedPurchase | None:
        """The purchase as recorded, or None before the purchase step."""
        with self.store.read() as session:
            application = session.get(Application, application_id)
            row = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
            if application is None or row is None or application.product_code is None:
                return None
            return RecordedPurchase(
                row.category,
                row.sku or "",
                row.serial or "",
                row.description or "",
                row.price,
                row.down_payment,
                application.product_code,
                application.requested_term or 0,
            )
