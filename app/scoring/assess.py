"""One assessment of an application — admission rules, anti-fraud flags and the scorecard — from what is
known about the applicant. The counter's pre-screen and the lender's decision on arrival both use it, so the
two can only differ in what they know (one store's history, or every store's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.catalog import Catalog
from app.domain.identity import ResidentId
from app.domain.policy import LenderPolicy
from app.kernel.errors import InvalidInput
from app.scoring.decision import PrescreenResult, decide
from app.scoring.findings import Finding, score_reason
from app.scoring.fraud import CounterHistory, fraud_flags
from app.scoring.model import Scorecard
from app.scoring.request import PrescreenRequest
from app.scoring.rules import admission_reasons

PRODUCT_REFUSALS = frozenset({"term_not_offered", "down_payment_too_small", "amount_out_of_range", "apr_over_cap"})


@dataclass(frozen=True)
class Known:
    """What the assessor knows beyond the application: history, open credit and blacklist hits."""

    history: CounterHistory
    unsecured: Decimal
    blacklisted: tuple[bool, bool]  # (ID number, phone)


@dataclass(frozen=True)
class Policy:
    """What an assessment is judged by: the lender's signed policy document (the same one on the counter and
    at the lender) and the store's opening hours (the lender judges every hour as open)."""

    document: LenderPolicy
    opening: tuple[dt.time, dt.time]


def model_row(
    request: PrescreenRequest, age: int, financed: Decimal, counter_inputs: dict[str, Any]
) -> dict[str, object]:
    """The scorecard's inputs, derived as in training: money only as ratios, missing where income is 0, and the
    counter's job and housing codes mapped to the training data's categories as the model card says."""
    who, what = request.applicant, request.purchase
    income = float(who.monthly_income) if who.monthly_income > 0 else None

    def per_income(amount: Decimal | None) -> float | None:
        return None if amount is None or income is None else float(amount) / income

    return {
        "age": age,
        "seniority": who.years_at_job,
        "term": what.term,
        "loan_to_price": float(financed) / float(what.price) if what.price > 0 else None,
        "expenses_to_income": per_income(who.monthly_expenses),
        "installment_to_income": None if income is None else float(financed) / what.term / income,
        "assets_to_income": per_income(who.assets),
        "records": "yes" if who.overdue_records > 0 else "no",
        "job": counter_inputs["job"].get(who.job),
        "home": counter_inputs["home"].get(who.home),
    }


def assess(
    request: PrescreenRequest,
    resident: ResidentId,
    catalog: Catalog,
    scorecard: Scorecard,
    known: Known,
    policy: Policy,
) -> PrescreenResult:
    """The decision with its reasons and flags. A product that cannot finance the purchase is a declining rule,
    not an error; other bad input (an unknown product) raises InvalidInput."""
    what = request.purchase
    age = resident.age_on(request.application_date)
    financed = what.price - what.down_payment
    product_refusal: str | None = None
    try:
        schedule = catalog.quote(what.product, what.price, what.down_payment, what.term, request.application_date)
        installment = schedule.max_payment
    except InvalidInput as refusal:
        if refusal.code not in PRODUCT_REFUSALS:
            raise
        product_refusal = refusal.message
        installment = (financed / what.term).quantize(Decimal("0.01"))
    reasons = admission_reasons(
        request,
        age,
        installment,
        product_refusal,
        known.unsecured,
        financed,
        policy.document,
        known.blacklisted,
    )
    limits = policy.document
    flags = fraud_flags(request, resident, known.history, limits.velocity_days, limits.velocity_count, policy.opening)
    scores = scorecard.score([model_row(request, age, financed, scorecard.card["counter_inputs"])])
    score, pd = float(scores.score[0]), float(scores.pd[0])
    names = scorecard.names
    score_reasons: list[Finding] = [
        score_reason(names[int(i)])
        for i, gap in zip(scores.reason_index[0], scores.reason_gap[0], strict=True)
        if gap > 1e-9
    ]
    return decide(reasons, score_reasons, flags, score, pd, scorecard.card["cutoffs"], scorecard.version)
