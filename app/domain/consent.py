"""The customer's consents: which exist, and which must be held before anything about the customer is kept."""

from __future__ import annotations

from enum import StrEnum

from app.kernel.i18n import N_, _


class ConsentKind(StrEnum):
    SENSITIVE_PERSONAL_INFO = "sensitive_personal_info"  # PIPL art. 28–29: ID number, financial accounts
    CREDIT_INQUIRY = "credit_inquiry"  # 征信查询授权, written, before any credit-bureau inquiry
    LOAN_CONTRACT = "loan_contract"
    AUTO_DEBIT = "auto_debit"


# Given on the customer screen when the application starts, before anything about the customer is read or kept.
FIRST_MOMENT = (ConsentKind.SENSITIVE_PERSONAL_INFO, ConsentKind.CREDIT_INQUIRY)
# Given at the end, with the terms.
SIGNING_MOMENT = (ConsentKind.LOAN_CONTRACT, ConsentKind.AUTO_DEBIT)

CONSENT_LABELS: dict[ConsentKind, str] = {
    ConsentKind.SENSITIVE_PERSONAL_INFO: N_("Processing of sensitive personal information"),
    ConsentKind.CREDIT_INQUIRY: N_("Credit-bureau inquiry authorisation"),
    ConsentKind.LOAN_CONTRACT: N_("Loan contract"),
    ConsentKind.AUTO_DEBIT: N_("Automatic debit authorisation"),
}


def consent_label(kind: ConsentKind) -> str:
    """The consent's name in the configured language."""
    return _(CONSENT_LABELS[kind])


def missing_first_moment(held: set[str] | frozenset[str]) -> list[ConsentKind]:
    """The first-moment consents not among the `held` (granted, not withdrawn) kinds, in the order asked."""
    return [kind for kind in FIRST_MOMENT if kind.value not in held]
