"""Reasons and flags: each a code for machines and a sentence a person can read, in the configured language."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.i18n import N_, _


@dataclass(frozen=True)
class Finding:
    """A decline reason, a scorecard reason or an anti-fraud flag."""

    code: str
    text: str


# Why the scorecard marked an application down, per feature (the feature furthest below its best points first).
SCORE_REASONS: dict[str, str] = {
    "age": N_("Age group with more repayment problems"),
    "seniority": N_("Short time at the current job"),
    "term": N_("Long repayment term"),
    "loan_to_price": N_("Small down payment for the price"),
    "expenses_to_income": N_("High living expenses for the income"),
    "installment_to_income": N_("High installment for the income"),
    "assets_to_income": N_("Few assets for the income"),
    "records": N_("Overdue records declared"),
    "job": N_("Kind of job with more repayment problems"),
    "home": N_("Housing situation with more repayment problems"),
}


def score_reason(feature: str) -> Finding:
    """The readable reason for a feature that cost points."""
    return Finding(f"score_{feature}", _(SCORE_REASONS.get(feature, feature)))
