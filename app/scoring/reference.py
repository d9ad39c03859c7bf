"""The scorecard's arithmetic in plain Python, straight from the model card: the reference the ONNX graph is
tested against, the training script's scorer, and the plain-Python line in the benchmark. The counter scores
with the ONNX model (app.scoring.model); this module is deliberately simple rather than fast."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

REASON_COUNT = 4


@dataclass(frozen=True)
class ReferenceResult:
    """Score, probability of default, points per feature (card order) and up to four reason indices: the
    features furthest below their best points, largest gap first (ties: card order)."""

    score: float
    pd: float
    points: tuple[float, ...]
    reasons: tuple[int, ...]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def feature_points(feature: Mapping[str, Any], value: Any) -> float:
    """The points `value` earns on one feature of the card; missing or unseen values get the neutral points."""
    if _missing(value):
        return float(feature["neutral_points"])
    bins = feature["bins"]
    if feature["kind"] == "numeric":
        return float(bins[bisect_right(feature["edges"], float(value))]["points"])
    index = feature["categories"].get(str(value))
    return float(feature["neutral_points"] if index is None else bins[index]["points"])


def pd_of(score: float, scaling: Mapping[str, float]) -> float:
    """The probability of default the card's scaling gives a score."""
    return 1.0 / (1.0 + math.exp((score - scaling["offset"]) / scaling["factor"]))


class ReferenceScorecard:
    """Scores rows (feature name → value) with a model card."""

    def __init__(self, card: Mapping[str, Any]) -> None:
        self.card = card
        self.features: Sequence[Mapping[str, Any]] = card["features"]

    def score(self, row: Mapping[str, Any]) -> ReferenceResult:
        """The full result for one row."""
        points = tuple(feature_points(f, row.get(f["name"])) for f in self.features)
        total = sum(points)
        gaps = [(float(f["max_points"]) - p, i) for i, (f, p) in enumerate(zip(self.features, points, strict=True))]
        order = sorted(gaps, key=lambda gap: (-gap[0], gap[1]))[:REASON_COUNT]
        return ReferenceResult(total, pd_of(total, self.card["scaling"]), points, tuple(i for _g, i in order))
