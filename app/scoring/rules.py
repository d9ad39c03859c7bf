"""Customer admission (客户准入): each rule a person can read; any failed rule declines the application."""

from __future__ import annotations

from decimal import Decimal

from app.domain.money import format_money
from app.domain.policy import LenderPolicy
from app.kernel.i18n import _
from app.scoring.findings import Finding
from app.scoring.request import PrescreenRequest


def admission_reasons(
    request: PrescreenRequest,
    age: int,
    new_installment: Decimal,
    product_refusal: str | None,
    unsecured_elsewhere: Decimal,
    financed: Decimal,
    policy: LenderPolicy,
    blacklisted: tuple[bool, bool],
) -> list[Finding]:
    """Every admission rule the application fails, in a fixed order, with the limits of the lender's `policy`
    (age range, debt-service share, unsecured cap).

    `unsecured_elsewhere` is what this counter knows the applicant already owes on open applications (the
    lender checks the cap across all stores on arrival); `blacklisted` is (ID number, phone) on the local copy
    of the lender's blacklist; `product_refusal` is why the product cannot finance this purchase.
    """
    who = request.applicant
    day = request.application_date
    reasons: list[Finding] = []
    if not policy.age_min <= age <= policy.age_max:
        reasons.append(
            Finding(
                "age_out_of_range",
                _(
                    "The applicant is {age}: applicants must be {min} to {max} years old on the application date."
                ).format(age=age, min=policy.age_min, max=policy.age_max),
            )
        )
    if who.id_valid_until is not None and who.id_valid_until < day:
        reasons.append(
            Finding(
                "id_expired",
                _("The ID card expired on {date}.").format(date=who.id_valid_until.isoformat()),
            )
        )
    income = who.monthly_income
    if income <= 0:
        reasons.append(Finding("no_income", _("No monthly income: a stable income is required.")))
    else:
        service = who.monthly_debt_payments + new_installment
        if service * 100 > income * policy.max_debt_service_percent:
            share = (service * 100 / income).quantize(Decimal(1))
            reasons.append(
                Finding(
                    "debt_service_too_high",
                    _(
                        "Monthly repayments would take {share} percent of the income (existing {existing} plus this "
                        "installment {installment}); at most {limit} percent is allowed."
                    ).format(
                        share=share,
                        existing=format_money(who.monthly_debt_payments),
                        installment=format_money(new_installment),
                        limit=policy.max_debt_service_percent,
                    ),
                )
            )
    if product_refusal is not None:
        reasons.append(Finding("product_limits", product_refusal))
    if unsecured_elsewhere + financed > policy.unsecured_cap:
        reasons.append(
            Finding(
                "unsecured_credit_cap",
                _("Unsecured credit would reach {total}, above the {cap} limit for one borrower.").format(
                    total=format_money(unsecured_elsewhere + financed), cap=f"{policy.unsecured_cap:,.2f}"
                ),
            )
        )
    if blacklisted[0]:
        reasons.append(Finding("blacklisted_id", _("The ID number is on the lender's blacklist.")))
    if blacklisted[1]:
        reasons.append(Finding("blacklisted_phone", _("The phone number is on the lender's blacklist.")))
    return reasons
