"""Score drift: the population stability index of recent scores against the model card's training deciles."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.kernel.i18n import _

SMALLEST_SHARE = 1e-4  # an empty decile would make PSI infinite; this is the usual floor


@dataclass(frozen=True)
class Drift:
    psi: float
    band: str  # "stable" | "watch" | "shift"
    count: int
    shares: list[float]


def population_stability(scores: Sequence[float], baseline: Mapping[str, Any]) -> Drift:
    """PSI = Σ (actual − expected) · ln(actual / expected) over the baseline's score deciles. Under 0.10 is
    stable, 0.10 to 0.25 worth watching, 0.25 and over a shift (the card's bands)."""
    edges, expected = baseline["decile_edges"], baseline["shares"]
    counts = [0] * len(expected)
    for score in scores:
        counts[bisect_right(edges, score)] += 1
    total = len(scores)
    actual = [c / total if total else 0.0 for c in counts]
    psi = 0.0
    for a, e in zip(actual, expected, strict=True):
        a, e = max(a, SMALLEST_SHARE), max(e, SMALLEST_SHARE)
        psi += (a - e) * math.log(a / e)
    bands = baseline["psi_bands"]
    band = "stable" if psi < bands["stable_below"] else ("shift" if psi >= bands["shift_at_or_above"] else "watch")
    return Drift(psi, band, total, actual)


def band_label(band: str) -> str:
    """The drift band in the configured language."""
    return {
        "stable": _("stable"),
        "watch": _("worth watching"),
        "shift": _("shifted: the model may no longer fit"),
    }[band]


def cutoff_for_approval(tradeoff: Sequence[Mapping[str, Any]], target: float) -> Mapping[str, Any]:
    """The trade-off row whose approval rate is closest to `target` (0–1), preferring the lower cutoff."""
    return min(tradeoff, key=lambda row: (abs(row["approval_rate"] - target), row["cutoff"]))
