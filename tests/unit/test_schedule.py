"""Schedules: exact to the fen for every method, due dates, the IRR-based APR, worked examples."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.dates import due_dates
from app.domain.schedule import LoanTerms, Method, annuity_payment, build_schedule, format_rate
from app.kernel.errors import InvalidInput

D = Decimal
START = dt.date(2026, 1, 15)

principals = st.integers(min_value=10_000, max_value=20_000_000).map(lambda fen: D(fen) / 100)
terms_ = st.integers(min_value=1, max_value=36)
annual_rates = st.integers(min_value=1, max_value=2000).map(lambda bp: D(bp) / 10000)  # 0.01 % … 20 %
fee_rates = st.integers(min_value=1, max_value=150).map(lambda x: D(x) / 10000)  # 0.01 % … 1.5 % a month
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


def _terms(
    method: Method, principal: Decimal, term: int, rate: Decimal, fee_rate: Decimal, start: dt.date
) -> LoanTerms:
    if method in (Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY):
        return LoanTerms(principal, term, method, annual_rate=rate, start_date=start)
    if method is Method.FLAT_FEE:
        return LoanTerms(principal, term, method, monthly_fee_rate=fee_rate, start_date=start)
    return LoanTerms(principal, term, method, start_date=start)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(Method)), principals, terms_, annual_rates, fee_rates, dates)
def test_invariants_hold_for_every_method(method, principal, term, rate, fee_rate, start) -> None:
    """Principal parts sum to the principal, totals add up, the balance ends at 0.00, all in whole fen."""
    schedule = build_schedule(_terms(method, principal, term, rate, fee_rate, start), apr_cap=None)
    rows = schedule.installments
    assert len(rows) == term
    assert sum(i.principal for i in rows) == principal
    assert rows[-1].balance == D("0.00")
    for i in rows:
        assert i.total == i.principal + i.interest + i.fee
        assert all(v == v.quantize(D("0.01")) and v >= 0 for v in (i.principal, i.interest, i.fee, i.balance))
    assert schedule.total_repayable == principal + schedule.total_interest + schedule.total_fees
    assert sum(i.total for i in rows) + schedule.terms.upfront_fee == schedule.total_repayable
    balances = [principal] + [i.balance for i in rows]
    assert all(a >= b for a, b in itertools.pairwise(balances))
    if method is Method.INTEREST_FREE:
        assert schedule.apr == 0 and schedule.total_interest == 0


@settings(max_examples=200, deadline=None)
@given(principals, terms_, annual_rates)
def test_annuity_payment_matches_numpy_financial(principal, term, rate) -> None:
    """Before rounding, the level payment equals numpy-financial's pmt to 1e-9."""
    ours = annuity_payment(principal, rate / 12, term)
    theirs = -npf.pmt(float(rate) / 12, term, float(principal))
    assert abs(float(ours) - theirs) <= 1e-9 * max(1.0, theirs)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.FLAT_FEE, Method.INTEREST_ONLY]),
    principals,
    st.integers(min_value=2, max_value=36),
    annual_rates,
    fee_rates,
)
def test_apr_matches_numpy_financial_irr(method, principal, term, rate, fee_rate) -> None:
    """The monthly IRR of the rounded cash flows equals numpy-financial's irr to 1e-9."""
    schedule = build_schedule(_terms(method, principal, term, rate, fee_rate, START), apr_cap=None)
    flows = [float(principal)] + [-float(i.total) for i in schedule.installments]
    theirs = npf.irr(flows)
    assert abs(float(schedule.apr) / 12 - theirs) <= 1e-9


def test_worked_example_annuity() -> None:
    """10,000 over 12 months at 12 % a year (bank calculators): 888.49 a month, APR 12.00 %."""
    schedule = build_schedule(LoanTerms(D("10000.00"), 12, Method.ANNUITY, annual_rate=D("0.12"), start_date=START))
    assert {i.total for i in schedule.installments[:-1]} == {D("888.49")}
    assert schedule.installments[-1].total == D("888.47")
    assert schedule.total_interest == D("661.86")
    assert format_rate(schedule.apr) == "12.00" and format_rate(schedule.effective_annual_rate) == "12.68"


def test_worked_example_equal_principal() -> None:
    """10,000 over 12 months at 12 %: 933.33 the first month, 650.00 interest in all."""
    schedule = build_schedule(
        LoanTerms(D("10000.00"), 12, Method.EQUAL_PRINCIPAL, annual_rate=D("0.12"), start_date=START)
    )
    assert schedule.installments[0].total == D("933.33")
    assert schedule.installments[-1].total == D("841.70")
    assert schedule.total_interest == D("650.00")


def test_worked_example_card_installment() -> None:
    """A 12,000 card installment at 0.6 % a month over 12: 1,072 a month, an APR of about 13 %, not 7.2 %."""
    schedule = build_schedule(
        LoanTerms(D("12000.00"), 12, Method.FLAT_FEE, monthly_fee_rate=D("0.006"), start_date=START)
    )
    assert {i.total for i in schedule.installments} == {D("1072.00")}
    assert schedule.total_fees == D("864.00")
    assert format_rate(schedule.apr) == "13.03"


def test_upfront_fee_raises_the_apr_and_is_never_deducted() -> None:
    """A fee paid at signing counts in the IRR (principal less fee at the start) and in the totals."""
    plain = build_schedule(LoanTerms(D("10000.00"), 12, Method.ANNUITY, annual_rate=D("0.12"), start_date=START))
    fee = build_schedule(
        LoanTerms(D("10000.00"), 12, Method.ANNUITY, annual_rate=D("0.12"), upfront_fee=D("200.00"), start_date=START)
    )
    assert fee.installments == plain.installments
    assert fee.total_fees == D("200.00") and fee.total_repayable == plain.total_repayable + D("200.00")
    assert format_rate(fee.apr) == "15.85"  # numpy-financial: irr([9800, -888.49 ×11, -888.47]) × 12


def test_interest_only_pays_principal_at_the_end() -> None:
    """先息后本: one month's interest each month, the whole principal with the last."""
    schedule = build_schedule(LoanTerms(D("6000.00"), 6, Method.INTEREST_ONLY, annual_rate=D("0.12"), start_date=START))
    assert [i.total for i in schedule.installments] == [D("60.00")] * 5 + [D("6060.00")]
    assert format_rate(schedule.apr) == "12.00"


def test_cap_refuses_a_quote_above_24_percent() -> None:
    """A raw quote whose APR exceeds 24 % is refused and names both figures."""
    with pytest.raises(InvalidInput) as caught:
        build_schedule(LoanTerms(D("10000.00"), 12, Method.ANNUITY, annual_rate=D("0.25"), start_date=START))
    assert caught.value.code == "apr_over_cap" and "24.00" in caught.value.message


@pytest.mark.parametrize(
    ("terms", "code"),
    [
        (LoanTerms(D("0"), 12, Method.ANNUITY, annual_rate=D("0.1")), "bad_principal"),
        (LoanTerms(D("100.001"), 12, Method.ANNUITY, annual_rate=D("0.1")), "bad_principal"),
        (LoanTerms(D("100"), 0, Method.ANNUITY, annual_rate=D("0.1")), "bad_term"),
        (LoanTerms(D("100"), 12, Method.ANNUITY), "bad_rate"),
        (LoanTerms(D("100"), 12, Method.FLAT_FEE), "bad_rate"),
        (LoanTerms(D("100"), 12, Method.INTEREST_FREE, annual_rate=D("0.1")), "bad_rate"),
        (LoanTerms(D("100"), 12, Method.INTEREST_FREE, upfront_fee=D("100")), "bad_fee"),
    ],
)
def test_bad_terms_are_refused(terms: LoanTerms, code: str) -> None:
    """Each bad input is refused with its own code."""
    with pytest.raises(InvalidInput) as caught:
        build_schedule(terms, today=START)
    assert caught.value.code == code


def test_month_end_dates_clamp() -> None:
    """From Jan 31: Feb 28, Mar 31, Apr 30 (and Feb 29 in a leap year)."""
    assert list(due_dates(dt.date(2026, 1, 31), 4)) == [
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 31),
    ]
    assert list(due_dates(dt.date(2028, 1, 31), 1)) == [dt.date(2028, 2, 29)]
    assert due_dates(dt.date(2026, 11, 30), 3)[-1] == dt.date(2027, 2, 28)


def test_repayment_day_is_at_least_15_days_away() -> None:
    """Day D of the next month, or of the month after when the next one is under 15 days away."""
    assert list(due_dates(dt.date(2026, 1, 10), 2, repayment_day=5)) == [dt.date(2026, 2, 5), dt.date(2026, 3, 5)]
    assert list(due_dates(dt.date(2026, 1, 25), 2, repayment_day=5)) == [dt.date(2026, 3, 5), dt.date(2026, 4, 5)]
    assert list(due_dates(dt.date(2026, 1, 21), 1, repayment_day=5)) == [dt.date(2026, 2, 5)]  # exactly 15 days
    with pytest.raises(InvalidInput):
        due_dates(dt.date(2026, 1, 21), 1, repayment_day=29)


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=36), st.one_of(st.none(), st.integers(min_value=1, max_value=28)))
def test_due_dates_are_monthly_and_increasing(start, term, day) -> None:
    """Due dates rise month by month; the first is 15 to ~45 days after the start with a repayment day."""
    dates_ = due_dates(start, term, day)
    assert len(dates_) == term and all(a < b for a, b in itertools.pairwise(dates_))
    months = [(d.year * 12 + d.month) for d in dates_]
    assert all(b - a == 1 for a, b in itertools.pairwise(months))
    if day is not None:
        assert all(d.day == day for d in dates_) and 15 <= (dates_[0] - start).days <= 59
