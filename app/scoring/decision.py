"""The preliminary offline decision: declined by any admission rule or a score below the card's decline
cutoff; approved only with a score at or above the approve cutoff and no flag; referred otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.scoring.findings import Finding


@dataclass(frozen=True)
class PrescreenResult:
    """What the pre-screen says; `preliminary` because the lender decides when the application arrives."""

    decision: str  # "approve" | "refer" | "decline"
    score: float
    pd: float
    reasons: list[Finding]
    flags: list[Finding]
    model_version: str
    preliminary: bool = field(default=True)


def decide(
    rule_reasons: list[Finding],
    score_reasons: list[Finding],
    flags: list[Finding],
    score: float,
    pd: float,
    cutoffs: dict[str, float],
    model_version: str,
) -> PrescreenResult:
    """Combine rules, flags and the score into one decision with its reasons: the failed rules when a rule
    declines, otherwise the scorecard's reasons when the score is what held the application back."""
    if rule_reasons:
        decision, reasons = "decline", rule_reasons
    elif score < cutoffs["decline_below"]:
        decision, reasons = "decline", score_reasons
    elif score >= cutoffs["approve_at_or_above"] and not flags:
        decision, reasons = "approve", []
    else:
        decision = "refer"
        reasons = score_reasons if score < cutoffs["approve_at_or_above"] else []
    return PrescreenResult(decision, score, pd, reasons, flags, model_version)
