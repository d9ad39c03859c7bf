"""Installment schedules, exact to the fen, and their annualised rate.

Every schedule keeps these promises: the principal parts add up exactly to the financed principal (the last
installment absorbs the rounding remainder), each installment's total is principal + interest + fee, the
balance ends at 0.00, and every period is one month charging one month's interest (no broken-period interest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import NamedTuple

from app.domain.apr import annualised_rate
from app.domain.dates import due_dates
from app.domain.money import CENT, ROUNDING, round_money
from app.kernel.errors import InvalidInput
from app.kernel.i18n import N_, _

ZERO = Decimal("0.00")
MAX_TERM = 60
RAW_QUOTE_APR_CAP = Decimal("0.24")


class Method(StrEnum):
    ANNUITY = "annuity"  # 等额本息
    EQUAL_PRINCIPAL = "equal-principal"  # 等额本金
    FLAT_FEE = "flat-fee"  # 等本等费
    INTEREST_FREE = "interest-free"  # 免息 (merchant-subsidised)
    INTEREST_ONLY = "interest-only"  # 先息后本


METHOD_LABELS = {
    Method.ANNUITY: N_("Equal installments"),
    Method.EQUAL_PRINCIPAL: N_("Equal principal"),
    Method.FLAT_FEE: N_("Equal principal and fee"),
    Method.INTEREST_FREE: N_("Interest-free"),
    Method.INTEREST_ONLY: N_("Interest first, principal at the end"),
}


def method_label(method: Method) -> str:
    """The method's name in the configured language."""
    return _(METHOD_LABELS[method])


def parse_method(value: str) -> Method:
    """The repayment method named `value`; raises InvalidInput for an unknown one."""
    try:
        return Method(value)
    except ValueError as exc:
        raise InvalidInput(_("Unknown repayment method: {value}").format(value=value), code="bad_method") from exc


@dataclass(frozen=True)
class LoanTerms:
    """What a schedule is computed from. Rates are decimal fractions (0.12 = 12 % a year)."""

    principal: Decimal
    term: int
    method: Method
    annual_rate: Decimal = Decimal(0)
    monthly_fee_rate: Decimal = Decimal(0)
    upfront_fee: Decimal = ZERO  # paid by the customer at signing, never deducted from the amount lent
    start_date: dt.date | None = None
    repayment_day: int | None = None


class Installment(NamedTuple):  # a tuple: a comparison builds hundreds of these per keystroke
    n: int
    due_date: dt.date
    principal: Decimal
    interest: Decimal
    fee: Decimal
    total: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Schedule:
    terms: LoanTerms
    installments: tuple[Installment, ...]
    total_interest: Decimal
    total_fees: Decimal  # monthly fees plus the one-off fee paid at signing
    total_repayable: Decimal  # everything the customer pays: installments plus the one-off fee
    apr: Decimal
    effective_annual_rate: Decimal

    @property
    def total_cost(self) -> Decimal:
        """What borrowing costs on top of the principal: interest and fees."""
        return self.total_interest + self.total_fees

    @property
    def first_payment(self) -> Decimal:
        return self.installments[0].total

    @property
    def max_payment(self) -> Decimal:
        return max(i.total for i in self.installments)


def _check(terms: LoanTerms) -> None:
    if terms.principal <= 0 or terms.principal != terms.principal.quantize(CENT):
        raise InvalidInput(_("The principal must be a positive amount in fen."), code="bad_principal")
    if not 1 <= terms.term <= MAX_TERM:
        raise InvalidInput(_("The term must be 1 to {max} months.").format(max=MAX_TERM), code="bad_term")
    if not Decimal(0) <= terms.annual_rate < Decimal(1):
        raise InvalidInput(_("The annual rate must be a fraction from 0 to 1 (0.12 = 12%)."), code="bad_rate")
    if not Decimal(0) <= terms.monthly_fee_rate < Decimal("0.1"):
        raise InvalidInput(_("The monthly fee rate must be a fraction from 0 to 0.1."), code="bad_rate")
    if terms.upfront_fee < 0 or terms.upfront_fee != terms.upfront_fee.quantize(CENT):
        raise InvalidInput(_("The one-off fee must be an amount in fen."), code="bad_fee")
    if terms.upfront_fee >= terms.principal:
        raise InvalidInput(_("The one-off fee must be less than the principal."), code="bad_fee")
    needs_rate = terms.method in (Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY)
    if needs_rate and terms.annual_rate == 0:
        raise InvalidInput(_("This method needs an annual rate."), code="bad_rate")
    if terms.method is Method.FLAT_FEE and terms.monthly_fee_rate == 0:
        raise InvalidInput(_("This method needs a monthly fee rate."), code="bad_rate")
    if terms.method is not Method.FLAT_FEE and terms.monthly_fee_rate:
        raise InvalidInput(_("Only the flat-fee method takes a monthly fee rate."), code="bad_rate")
    if terms.method in (Method.FLAT_FEE, Method.INTEREST_FREE) and terms.annual_rate:
        raise InvalidInput(_("This method charges no interest; leave the annual rate out."), code="bad_rate")


def annuity_payment(principal: Decimal, monthly_rate: Decimal, term: int) -> Decimal:
    """The unrounded level payment P·r / (1 − (1 + r)^−n)."""
    with localcontext() as ctx:
        ctx.prec = 34
        if monthly_rate == 0:
            return principal / term
        return principal * monthly_rate / (1 - (1 + monthly_rate) ** -term)


def _parts(terms: LoanTerms) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(principal part, interest, fee) for each month, rounded to the fen, the last absorbing the remainder."""
    p, n, method = terms.principal, terms.term, terms.method
    r = terms.annual_rate / 12
    balance = p
    even = round_money(p / n)
    fee = round_money(p * terms.monthly_fee_rate) if method is Method.FLAT_FEE else ZERO
    payment = round_money(annuity_payment(p, r, n)) if method is Method.ANNUITY else ZERO
    parts = []
    for k in range(1, n + 1):
        interest = (balance * r).quantize(CENT, rounding=ROUNDING)  # round_money, inlined: it runs per month
        if k == n:
            principal_part = balance
        elif method is Method.ANNUITY:
            principal_part = min(payment - interest, balance)
        elif method is Method.INTEREST_ONLY:
            principal_part = ZERO
        else:
            principal_part = min(even, balance)
        parts.append((principal_part, interest, fee))
        balance -= principal_part
    return parts


def build_schedule(
    terms: LoanTerms, today: dt.date | None = None, apr_cap: Decimal | None = RAW_QUOTE_APR_CAP
) -> Schedule:
    """The month-by-month schedule of `terms` and its annualised rate; refuses a plan above `apr_cap`."""
    _check(terms)
    start = terms.start_date or today or dt.date.today()
    dates = due_dates(start, terms.term, terms.repayment_day)
    balance = terms.principal
    rows = []
    total_interest = total_fees = ZERO
    flows = [terms.principal - terms.upfront_fee]
    for n, (due, (principal_part, interest, fee)) in enumerate(zip(dates, _parts(terms), strict=True), start=1):
        balance -= principal_part
        total = principal_part + interest + fee
        rows.append(Installment(n, due, principal_part, interest, fee, total, balance))
        total_interest += interest
        total_fees += fee
        flows.append(-total)
    total_fees += terms.upfront_fee
    # The plan's own monthly rate is close to its IRR, so Newton starts next to the answer.
    guess = terms.annual_rate / 12 + terms.monthly_fee_rate * 2 if terms.upfront_fee == 0 else None
    rate = annualised_rate(flows, guess)
    if apr_cap is not None and rate.apr > apr_cap:
        raise InvalidInput(
            _("The annualised rate {apr} is above the cap of {cap}.").format(
                apr=f"{format_rate(rate.apr)}%", cap=f"{format_rate(apr_cap)}%"
            ),
            code="apr_over_cap",
        )
    return Schedule(
        terms=terms,
        installments=tuple(rows),
        total_interest=total_interest,
        total_fees=total_fees,
        total_repayable=terms.principal + total_interest + total_fees,
        apr=rate.apr,
        effective_annual_rate=rate.effective_annual_rate,
    )


def format_rate(rate: Decimal) -> str:
    """A rate as the JSON contract prints it: percent with two decimals and no % sign (0.1234 → '12.34')."""
    return f"{round_money(rate * 100):.2f}"
