"""The shipped ONNX scorecard against the plain-Python reference on every holdout row and at every edge;
the card's figures re-computed from the holdout; a changed or missing model is refused."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from app.scoring.model import ModelUnavailable, Scorecard, load_card
from app.scoring.reference import ReferenceScorecard
from app.security.signing import sign_file
from tests.conftest import REPO

MODELS = REPO / "models_onnx"


@pytest.fixture(scope="module")
def card() -> dict:
    return json.loads((MODELS / "model_card.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def onnx_model(card) -> Scorecard:
    return Scorecard(card, (MODELS / card["model_file"]).read_bytes())


def _holdout(card: dict) -> tuple[list[dict], list[int]]:
    kinds = {f["name"]: f["kind"] for f in card["features"]}
    rows, bad = [], []
    with (MODELS / "holdout.csv").open(encoding="utf-8") as fh:
        for record in csv.DictReader(fh):
            bad.append(int(record.pop("bad")))
            rows.append(
                {k: (None if v == "" else (float(v) if kinds[k] == "numeric" else v)) for k, v in record.items()}
            )
    return rows, bad


def _compare(onnx_model: Scorecard, reference: ReferenceScorecard, rows: list[dict]) -> None:
    scores = onnx_model.score(rows)
    expected = [reference.score(row) for row in rows]
    assert np.max(np.abs(scores.score - [e.score for e in expected])) <= 1e-9
    assert np.max(np.abs(scores.pd - [e.pd for e in expected])) <= 1e-9
    assert np.max(np.abs(scores.points - [e.points for e in expected])) <= 1e-9
    assert [tuple(r) for r in scores.reason_index.tolist()] == [e.reasons for e in expected]


def test_onnx_matches_the_reference_on_every_holdout_row(card, onnx_model) -> None:
    """1,337 rows: score, PD and points within 1e-9; the same four reasons in the same order."""
    rows, _bad = _holdout(card)
    assert len(rows) == card["method"]["split"]["holdout_rows"]
    _compare(onnx_model, ReferenceScorecard(card), rows)


def test_onnx_matches_the_reference_at_every_edge(card, onnx_model) -> None:
    """Exactly on each bin edge (upper bin), a hair below it, infinities, missing values, unseen and malformed
    categories: all as the reference says, missing and unseen at the neutral points."""
    reference = ReferenceScorecard(card)
    base = {
        "age": 35.0,
        "seniority": 5.0,
        "term": 12.0,
        "loan_to_price": 0.8,
        "expenses_to_income": 0.4,
        "installment_to_income": 0.1,
        "assets_to_income": 3.0,
        "records": "no",
        "job": "fixed",
        "home": "rent",
    }
    rows = [base]
    for feature in card["features"]:
        name = feature["name"]
        if feature["kind"] == "numeric":
            for edge in feature["edges"]:
                rows += [{**base, name: edge}, {**base, name: math.nextafter(edge, -math.inf)}]
            rows += [{**base, name: math.inf}, {**base, name: -math.inf}, {**base, name: None}]
        else:
            rows += [{**base, name: c} for c in feature["categories"]]
            rows += [{**base, name: "never-seen"}, {**base, name: None}]
    _compare(onnx_model, reference, rows)
    loan = next(f for f in card["features"] if f["name"] == "loan_to_price")
    on_edge = onnx_model.score([{**base, "loan_to_price": loan["edges"][0]}]).points[0][3]
    assert on_edge == loan["bins"][1]["points"]  # a value exactly on an edge belongs to the upper bin
    missing = onnx_model.score([{**base, "job": "astronaut", "term": None}]).points[0]
    names = [f["name"] for f in card["features"]]
    assert missing[names.index("job")] == missing[names.index("term")] == card["features"][0]["neutral_points"]


def test_malformed_category_indices_score_neutral(card, onnx_model) -> None:
    """A category index the card never gave (negative, too large, fractional, NaN) is neutral, not an error."""
    matrix = onnx_model.encode([{"records": "no", "job": "fixed", "home": "rent"}] * 4)
    job = [f["name"] for f in card["features"]].index("job")
    matrix[:, job] = [-1.0, 99.0, 0.5, math.nan]
    points = onnx_model.score_matrix(matrix).points[:, job]
    assert set(points.tolist()) == {card["features"][job]["neutral_points"]}


def test_the_cards_holdout_figures_are_what_the_holdout_gives(card) -> None:
    """AUC (≥ 0.80), Gini and the trade-off table re-computed from the shipped holdout with the reference scorer."""
    rows, bad = _holdout(card)
    reference = ReferenceScorecard(card)
    scores = np.array([reference.score(r).score for r in rows])
    bad_arr = np.array(bad)
    goods, bads = scores[bad_arr == 0], scores[bad_arr == 1]
    # AUC as the probability that a good scores above a bad (ties count half): no scikit-learn needed.
    auc = (np.sum(goods[:, None] > bads[None, :]) + 0.5 * np.sum(goods[:, None] == bads[None, :])) / (
        len(goods) * len(bads)
    )
    assert abs(auc - card["holdout"]["auc"]) < 1e-4 and auc >= 0.80
    assert abs(card["holdout"]["gini"] - (2 * auc - 1)) < 1e-3
    for row in card["tradeoff"]:
        approved = scores >= row["cutoff"] - 0.005
        assert abs(approved.mean() - row["approval_rate"]) < 0.01


def test_a_changed_card_or_model_is_refused(signed_files) -> None:
    """Signed and matching: loads. A changed card, a changed model, a missing card: refused, exit status 3."""
    settings = signed_files.settings
    models = signed_files.models
    assert load_card(settings)["version"]
    model = models / "scorecard.onnx"
    original = model.read_bytes()
    model.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(ModelUnavailable) as caught:
        Scorecard.load(settings)
    assert caught.value.code == "model_tampered" and caught.value.exit_status == 3
    model.write_bytes(original)
    card_path = models / "model_card.json"
    card_path.write_text(card_path.read_text(encoding="utf-8").replace('"auc": 0.8', '"auc": 0.9'), encoding="utf-8")
    with pytest.raises(ModelUnavailable) as caught:
        load_card(settings)
    assert caught.value.code == "model_tampered" and "changed after signing" in caught.value.message
    card_path.unlink()
    with pytest.raises(ModelUnavailable) as caught:
        load_card(settings)
    assert caught.value.code == "model_missing"


def test_a_card_signed_by_an_untrusted_key_is_refused(signed_files, tmp_path: Path) -> None:
    """Re-signing a doctored card with some other key does not make it trusted."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    card_path = signed_files.models / "model_card.json"
    sign_file(card_path, Ed25519PrivateKey.generate())
    with pytest.raises(ModelUnavailable, match="does not trust"):
        load_card(signed_files.settings)
    other = tmp_path / "elsewhere"
    shutil.copytree(signed_files.models, other)
    with pytest.raises(ModelUnavailable):
        load_card(dataclasses.replace(signed_files.settings, model_dir=str(other)))
