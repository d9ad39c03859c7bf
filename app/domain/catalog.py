"""The lender's product catalog: a signed file, verified and validated before a single quote is made."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.domain.money import CENT
from app.domain.schedule import MAX_TERM, LoanTerms, Method, Schedule, build_schedule, parse_method
from app.kernel.config import resources_dir
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _, current_language
from app.kernel.settings import Settings

MAX_APR_CAP = Decimal("0.24")  # the ceiling the lender's own rules set for every product
UNSECURED_LIMIT = Decimal("200000.00")  # consumer-finance rules: unsecured credit per borrower (2024)


class CatalogInvalid(Unavailable):
    code = "catalog_invalid"


@dataclass(frozen=True)
class Promotion:
    """A merchant-subsidised offer: a different method (usually 0 %) for some terms, between two dates."""

    names: dict[str, str]
    method: Method
    terms: tuple[int, ...]
    start: dt.date
    end: dt.date

    def applies(self, term: int, day: dt.date) -> bool:
        """Whether the offer covers `term` on `day`."""
        return term in self.terms and self.start <= day <= self.end


@dataclass(frozen=True)
class Product:
    code: str
    kind: str
    names: dict[str, str]
    method: Method
    annual_rate: Decimal
    monthly_fee_rate: Decimal
    min_down_payment_rate: Decimal
    min_amount: Decimal
    max_amount: Decimal
    terms: tuple[int, ...]
    upfront_fee: Decimal
    apr_cap: Decimal
    promotion: Promotion | None

    @property
    def name(self) -> str:
        """The product's name in the configured language."""
        return self.names.get(current_language()) or self.names.get("zh_CN") or self.code

    def min_down_payment(self, price: Decimal) -> Decimal:
        """The smallest down payment allowed on `price`, rounded up to the fen."""
        return (price * self.min_down_payment_rate).quantize(CENT, rounding=ROUND_CEILING)

    def limit_refusals(self, price: Decimal, down_payment: Decimal, term: int) -> list[InvalidInput]:
        """Every way this purchase breaks the product's limits, each naming the limit, in the order a quote
        refuses them: the term not offered (code term_not_offered); a down payment below 0 or not below the
        price (bad_down_payment) or below the minimum share (down_payment_too_small); the amount financed,
        price − down payment, outside the product's range (amount_out_of_range; only once the down payment is
        between 0 and the price). Empty when the purchase is within every limit. The counter's purchase form
        and every quote (the plan, the pre-screen) refuse through this one method."""
        refusals: list[InvalidInput] = []
        if term not in self.terms:
            refusals.append(
                InvalidInput(
                    _("{product} is offered over {terms} months, not {term}.").format(
                        product=self.name, terms="/".join(map(str, self.terms)), term=term
                    ),
                    code="term_not_offered",
                )
            )
        if down_payment < 0 or down_payment >= price:
            refusals.append(
                InvalidInput(_("The down payment must be at least 0 and less than the price."), code="bad_down_payment")
            )
            return refusals
        minimum = self.min_down_payment(price)
        if down_payment < minimum:
            refusals.append(
                InvalidInput(
                    _("The down payment must be at least {amount} (the minimum share: {share}%).").format(
                        share=f"{(self.min_down_payment_rate * 100).normalize():f}", amount=f"{minimum:.2f}"
                    ),
                    code="down_payment_too_small",
                )
            )
        principal = price - down_payment
        if not self.min_amount <= principal <= self.max_amount:
            refusals.append(
                InvalidInput(
                    _("{product} finances {low} to {high}; this is {amount}.").format(
                        product=self.name,
                        low=f"{self.min_amount:.2f}",
                        high=f"{self.max_amount:.2f}",
                        amount=f"{principal:.2f}",
                    ),
                    code="amount_out_of_range",
                )
            )
        return refusals


@dataclass(frozen=True)
class TermQuote:
    """One row of the comparison: a term and its schedule, or why that term cannot be offered."""

    term: int
    schedule: Schedule | None
    promotion: bool
    refusal: InvalidInput | None


@dataclass(frozen=True)
class Catalog:
    version: str
    products: tuple[Product, ...]

    def product(self, code: str) -> Product:
        """The product with this code; raises InvalidInput for an unknown one."""
        for product in self.products:
            if product.code == code:
                return product
        raise InvalidInput(_("There is no product {code} in the catalog.").format(code=code), code="unknown_product")

    def quote(
        self,
        code: str,
        price: Decimal,
        down_payment: Decimal,
        term: int,
        today: dt.date,
        start_date: dt.date | None = None,
        repayment_day: int | None = None,
    ) -> Schedule:
        """The schedule for financing `price − down_payment` over `term` months with product `code`."""
        product = self.product(code)
        refusals = product.limit_refusals(price, down_payment, term)
        if refusals:
            raise refusals[0]
        principal = price - down_payment
        promoted = product.promotion is not None and product.promotion.applies(term, today)
        method = product.promotion.method if promoted and product.promotion else product.method
        terms = LoanTerms(
            principal=principal,
            term=term,
            method=method,
            annual_rate=Decimal(0) if method in (Method.INTEREST_FREE, Method.FLAT_FEE) else product.annual_rate,
            monthly_fee_rate=product.monthly_fee_rate if method is Method.FLAT_FEE else Decimal(0),
            upfront_fee=product.upfront_fee,
            start_date=start_date or today,
            repayment_day=repayment_day,
        )
        return build_schedule(terms, today=today, apr_cap=product.apr_cap)

    def quote_all_terms(
        self, code: str, price: Decimal, down_payment: Decimal, today: dt.date, repayment_day: int | None = None
    ) -> list[TermQuote]:
        """Every allowed term of product `code` side by side; a term that cannot be offered says why."""
        product = self.product(code)
        rows = []
        for term in product.terms:
            try:
                schedule = self.quote(code, price, down_payment, term, today, repayment_day=repayment_day)
                promoted = product.promotion is not None and product.promotion.applies(term, today)
                rows.append(TermQuote(term, schedule, promoted, None))
            except InvalidInput as refusal:
                rows.append(TermQuote(term, None, False, refusal))
        return rows


# --- loading and validating -----------------------------------------------------------------------------------


def _fail(problem: str) -> CatalogInvalid:
    return CatalogInvalid(_("The product catalog is refused: {problem}").format(problem=problem))


def _decimal(raw: dict[str, Any], key: str, where: str, default: str | None = None) -> Decimal:
    value = raw.get(key, default)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _fail(_("{where}: {key} is not a number").format(where=where, key=key)) from exc
    if not number.is_finite() or number < 0:
        raise _fail(_("{where}: {key} must be a non-negative number").format(where=where, key=key))
    return number


def _terms(raw: Any, where: str) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(t, int) and 1 <= t <= MAX_TERM for t in raw):
        raise _fail(_("{where}: terms must be a list of months from 1 to {max}").format(where=where, max=MAX_TERM))
    return tuple(sorted(set(raw)))


def _date(raw: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError as exc:
        raise _fail(_("{where}: {value} is not a date").format(where=where, value=raw)) from exc


def _product(raw: dict[str, Any]) -> Product:
    code = str(raw.get("code", "")).strip()
    where = code or "?"
    if not code:
        raise _fail(_("a product has no code"))
    if raw.get("fee_deducted_from_principal"):
        raise _fail(
            _("{where}: a fee may not be deducted from the amount lent (Civil Code art. 670)").format(where=where)
        )
    try:
        method = parse_method(str(raw.get("method")))
    except InvalidInput as exc:
        raise _fail(f"{where}: {exc.message}") from exc
    names = raw.get("name")
    if not isinstance(names, dict):
        names = {}
    product = Product(
        code=code,
        kind=str(raw.get("kind", "")),
        names={str(k): str(v) for k, v in names.items()},
        method=method,
        annual_rate=_decimal(raw, "annual_rate", where, "0"),
        monthly_fee_rate=_decimal(raw, "monthly_fee_rate", where, "0"),
        min_down_payment_rate=_decimal(raw, "min_down_payment_rate", where, "0"),
        min_amount=_decimal(raw, "min_amount", where),
        max_amount=_decimal(raw, "max_amount", where),
        terms=_terms(raw.get("terms"), where),
        upfront_fee=_decimal(raw, "upfront_fee", where, "0"),
        apr_cap=_decimal(raw, "apr_cap", where),
        promotion=None,
    )
    if product.min_down_payment_rate >= 1:
        raise _fail(_("{where}: the minimum down payment must be below 100%").format(where=where))
    if not 0 < product.min_amount <= product.max_amount <= UNSECURED_LIMIT:
        raise _fail(
            _("{where}: the amount limits must lie between 0 and {limit}").format(
                where=where, limit=f"{UNSECURED_LIMIT:.2f}"
            )
        )
    if not 0 < product.apr_cap <= MAX_APR_CAP:
        raise _fail(_("{where}: the APR cap must be above 0 and at most 24%").format(where=where))
    if product.upfront_fee >= product.min_amount:
        raise _fail(_("{where}: the one-off fee must be less than the smallest amount").format(where=where))
    promotion = raw.get("promotion")
    if promotion is not None:
        if not isinstance(promotion, dict):
            raise _fail(_("{where}: the promotion is not an object").format(where=where))
        try:
            promo_method = parse_method(str(promotion.get("method")))
        except InvalidInput as exc:
            raise _fail(f"{where}: {exc.message}") from exc
        start, end = _date(promotion.get("from"), where), _date(promotion.get("to"), where)
        promo_terms = _terms(promotion.get("terms"), where)
        if end < start or not set(promo_terms) <= set(product.terms):
            raise _fail(_("{where}: the promotion's dates or terms do not fit the product").format(where=where))
        promo_names = promotion.get("name")
        if not isinstance(promo_names, dict):
            promo_names = {}
        product = Product(
            **{
                **product.__dict__,
                "promotion": Promotion(
                    {str(k): str(v) for k, v in promo_names.items()}, promo_method, promo_terms, start, end
                ),
            }
        )
    return product


def parse_catalog(content: bytes) -> Catalog:
    """A catalog from the verified bytes of the file; raises CatalogInvalid naming the first problem."""
    try:
        raw = json.loads(content)
    except ValueError as exc:
        raise _fail(_("the file is not valid JSON")) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("products"), list) or not raw["products"]:
        raise _fail(_("there is no list of products"))
    products = tuple(_product(p if isinstance(p, dict) else {}) for p in raw["products"])
    codes = [p.code for p in products]
    if len(set(codes)) != len(codes):
        raise _fail(_("a product code appears twice"))
    return Catalog(version=str(raw.get("catalog_version", "")), products=products)


def catalog_path(settings: Settings) -> Path:
    """Where the catalog is read from: the setting, or the one shipped with the application."""
    return Path(settings.catalog_file) if settings.catalog_file else resources_dir() / "catalog" / "products.json"


def shipped_public_keys() -> list[str]:
    """The lender's public keys shipped with the application (resources/keys/*.pub, base64 one per file)."""
    folder = resources_dir() / "keys"
    return [p.read_text(encoding="ascii").strip() for p in sorted(folder.glob("*.pub"))] if folder.exists() else []


def trusted_keys(settings: Settings) -> list[str]:
    """The keys files must be signed with: the lender's shipped keys, plus the keys in the settings only in the
    explicitly chosen development mode (a writable settings file must not let anyone trust their own key)."""
    from app.security.secret_store import chosen_key_store

    extra = list(settings.trusted_signing_keys) if chosen_key_store(settings.key_store) == "file" else []
    return [*shipped_public_keys(), *extra]


def load_catalog(settings: Settings) -> Catalog:
    """Verify the catalog's Ed25519 signature against the trusted keys, then validate and return it."""
    from app.security.signing import verify_file

    path = catalog_path(settings)
    if not path.exists():
        raise CatalogInvalid(_("The product catalog {path} is missing.").format(path=path), code="catalog_missing")
    verified = verify_file(path, trusted_keys(settings))
    return parse_catalog(verified.content)
