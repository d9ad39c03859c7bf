"""`fenqi quote`: an installment schedule and its annualised rate, from raw terms or from the catalog."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from app.cli.output import emit_json, emit_table
from app.domain.catalog import load_catalog
from app.domain.money import format_money, parse_money
from app.domain.schedule import LoanTerms, Schedule, build_schedule, format_rate, method_label, parse_method
from app.kernel.config import Configuration
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _


def _rate(text: str | None, name: str) -> Decimal:
    if text is None:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidInput(
            _("{name} must be a decimal fraction, e.g. 0.12").format(name=name), code="bad_rate"
        ) from exc
    if not value.is_finite():
        raise InvalidInput(_("{name} must be a decimal fraction, e.g. 0.12").format(name=name), code="bad_rate")
    return value


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(_("Not a date (YYYY-MM-DD): {text}").format(text=text), code="bad_date") from exc


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    """The schedule in the JSON contract's exact keys."""
    return {
        "principal": format_money(schedule.terms.principal),
        "term": schedule.terms.term,
        "method": schedule.terms.method.value,
        "installments": [
            {
                "n": i.n,
                "due_date": i.due_date.isoformat(),
                "principal": format_money(i.principal),
                "interest": format_money(i.interest),
                "fee": format_money(i.fee),
                "total": format_money(i.total),
                "balance": format_money(i.balance),
            }
            for i in schedule.installments
        ],
        "total_interest": format_money(schedule.total_interest),
        "total_fees": format_money(schedule.total_fees),
        "total_repayable": format_money(schedule.total_repayable),
        "apr": format_rate(schedule.apr),
        "effective_annual_rate": format_rate(schedule.effective_annual_rate),
    }


def quote(args: argparse.Namespace, config: Configuration) -> int:
    """Print one schedule."""
    start = _date(args.start_date)
    today = dt.datetime.now(config.settings.time_zone).date()  # the store's day, not the PC's
    if args.product:
        if args.price is None:
            raise InvalidInput(_("--product needs --price."), code="missing_price")
        down = parse_money(args.down_payment) if args.down_payment else None
        catalog = load_catalog(config.settings)
        product = catalog.product(args.product)
        price = parse_money(args.price)
        schedule = catalog.quote(
            product.code,
            price,
            down if down is not None else product.min_down_payment(price),
            args.term,
            today,
            start_date=start,
            repayment_day=args.repayment_day,
        )
    else:
        if args.principal is None or args.method is None:
            raise InvalidInput(_("Give --principal and --method, or --product and --price."), code="missing_terms")
        terms = LoanTerms(
            principal=parse_money(args.principal),
            term=args.term,
            method=parse_method(args.method),
            annual_rate=_rate(args.annual_rate, "--annual-rate"),
            monthly_fee_rate=_rate(args.monthly_fee_rate, "--monthly-fee-rate"),
            upfront_fee=parse_money(args.upfront_fee) if args.upfront_fee else Decimal("0.00"),
            start_date=start,
            repayment_day=args.repayment_day,
        )
        schedule = build_schedule(terms, today=today)
    if args.json:
        emit_json(schedule_json(schedule))
        return 0
    rows: list[tuple[str, Any]] = [
        (_("Annualised rate (APR)"), f"{format_rate(schedule.apr)}%"),
        (_("Method"), method_label(schedule.terms.method)),
        (_("Principal"), format_money(schedule.terms.principal)),
        (_("Term"), _("{n} months").format(n=schedule.terms.term)),
        (_("Total interest"), format_money(schedule.total_interest)),
        (_("Total fees"), format_money(schedule.total_fees)),
        (_("Total repayable"), format_money(schedule.total_repayable)),
    ]
    emit_table(rows, _("Quote"))
    emit_table(
        [
            (f"{i.n:>2}  {i.due_date}", f"{format_money(i.total):>10}  {format_money(i.balance):>10}")
            for i in schedule.installments
        ]
    )
    return 0


def register(sub: Any) -> None:
    """Add `quote` to the command tree."""
    p = sub.add_parser(
        "quote",
        help=_("an installment schedule and its annualised rate"),
        epilog=_(
            "Error codes: bad_amount, bad_principal, bad_term, bad_rate, bad_fee, bad_method, bad_date, "
            "bad_repayment_day, apr_over_cap, no_irr, missing_terms, missing_price, unknown_product, "
            "term_not_offered, bad_down_payment, down_payment_too_small, amount_out_of_range, "
            "catalog_invalid, catalog_missing, signature_invalid."
        ),
    )
    p.add_argument("--principal", help=_("amount financed, e.g. 10000"))
    p.add_argument("--term", type=int, required=True, help=_("months"))
    p.add_argument("--method", choices=["annuity", "equal-principal", "flat-fee", "interest-free", "interest-only"])
    p.add_argument("--annual-rate", help=_("annual interest rate as a fraction, e.g. 0.12"))
    p.add_argument("--monthly-fee-rate", help=_("monthly fee rate as a fraction, e.g. 0.006"))
    p.add_argument("--upfront-fee", help=_("one-off fee paid at signing"))
    p.add_argument("--start-date", help="YYYY-MM-DD")
    p.add_argument("--repayment-day", type=int, help=_("day of month 1–28 for repayments"))
    p.add_argument("--product", help=_("catalog product code, e.g. GOODS"))
    p.add_argument("--price", help=_("price of the goods (catalog form)"))
    p.add_argument("--down-payment", help=_("down payment amount (default: the product's minimum)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=quote)
