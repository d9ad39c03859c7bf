"""The annualised rate (年化利率) of a repayment plan, by the IRR method (PBOC announcement [2021] No. 3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from app.domain.numerics import NoRate, irr_of_amounts
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

MONTHS = 12


@dataclass(frozen=True)
class AnnualisedRate:
    """The monthly IRR and the two annual figures derived from it."""

    monthly_irr: Decimal
    apr: Decimal  # monthly IRR × 12: the figure shown to the customer and checked against caps
    effective_annual_rate: Decimal  # (1 + monthly IRR)^12 − 1


def monthly_irr(flows: Sequence[Decimal], guess: Decimal | None = None) -> Decimal:
    """The monthly rate r at which Σ flows[k] / (1 + r)^k = 0 (flows[0] at signing, then one per month).

    Raises InvalidInput when the flows have no such rate (e.g. nothing is repaid).
    """
    try:
        return irr_of_amounts(flows, guess)
    except NoRate as exc:
        raise InvalidInput(_("These repayments have no annualised rate."), code="no_irr") from exc


def annualised_rate(flows: Sequence[Decimal], monthly_guess: Decimal | None = None) -> AnnualisedRate:
    """APR (monthly IRR × 12) and effective annual rate of monthly cash flows (a close guess saves steps)."""
    r = monthly_irr(flows, monthly_guess)
    with localcontext() as ctx:
        ctx.prec = 28
        return AnnualisedRate(monthly_irr=r, apr=r * MONTHS, effective_annual_rate=(1 + r) ** MONTHS - 1)
