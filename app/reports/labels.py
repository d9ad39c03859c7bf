"""Short names, in the configured language, for what the reports count: decline reasons, fraud flags, the
funnel's stages, products and terms."""

from __future__ import annotations

from app.kernel.i18n import N_, _
from app.scoring.findings import SCORE_REASONS

# The pre-screen words these at length with the customer's figures; a report needs a name per code.
CODE_LABELS: dict[str, str] = {
    "age_out_of_range": N_("Age outside the product's range"),
    "id_expired": N_("ID card expired"),
    "no_income": N_("No monthly income"),
    "debt_service_too_high": N_("Debt payments too high for the income"),
    "product_limits": N_("Outside the product's limits"),
    "unsecured_credit_cap": N_("Over the unsecured credit cap"),
    "blacklisted_id": N_("ID number blacklisted"),
    "blacklisted_phone": N_("Phone number blacklisted"),
    "birth_date_mismatch": N_("Birth date differs from the ID"),
    "sex_mismatch": N_("Sex differs from the ID"),
    "id_velocity": N_("Many applications with one ID"),
    "phone_velocity": N_("Many applications with one phone"),
    "phone_shared": N_("Phone shared with other customers"),
    "outside_opening_hours": N_("Filed outside opening hours"),
    "staff_applicant": N_("Staff member applying"),
    "id_validity_unknown": N_("ID validity not recorded"),
    "blacklist_unavailable": N_("Blacklist not available"),
    "reapplied_after_decline": N_("Applied again soon after a decline"),  # the lender's flag (policy cool-off)
    "reviewer": N_("Declined by a reviewer"),  # the lender's reviewers decline without a code
    # The lender's evidence rules (issue 20): a referral for a call to the customer.
    "confirmation_pending": N_("Signing not confirmed by phone"),
    "card_unverified": N_("Card not verified by the bank"),
}

# Short names of the score-drift bands for tables (app.scoring.drift.band_label says it at length).
BAND_NAMES: dict[str, str] = {"stable": N_("stable"), "watch": N_("watch"), "shift": N_("shifted")}

FUNNEL_LABELS: dict[str, str] = {
    "started": N_("Started"),
    "prescreened": N_("Pre-screened"),
    "quoted": N_("Quoted"),
    "signed": N_("Signed"),
    "sent": N_("Sent to the lender"),
    "answered": N_("Answered"),
    "approved": N_("Approved"),
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
}


def code_label(code: str) -> str:
    """A decline reason's or fraud flag's short name; the code itself when this version does not know it."""
    if code in CODE_LABELS:
        return _(CODE_LABELS[code])
    if code.startswith("score_") and code[6:] in SCORE_REASONS:
        return _(SCORE_REASONS[code[6:]])
    return code


def band_name(band: str) -> str:
    """The drift band's short name ("stable", "watch", "shifted")."""
    return _(BAND_NAMES[band]) if band in BAND_NAMES else band


def funnel_label(stage: str) -> str:
    """The funnel stage's name."""
    return _(FUNNEL_LABELS[stage])


def term_label(term: str) -> str:
    """A term in months as the reports show it ("12 months"); "-" when none was chosen."""
    return _("{months} months").format(months=term) if term else "-"
