"""Store report speed over a million local applications (two years), beside the naive GROUP BY.

Fills a store with `fenqi demo-data --count N` (kept between runs in --home, reused when it already holds N
applications), then times the store report for this month and for all two years, each built from the daily
figures the triggers keep and from the naive GROUP BY over applications/purchases/application_codes, checks
both give the same report, and prints the medians and the ratio. Targets (DESIGN.md §6): this month ≤ 100 ms,
two years ≤ 300 ms, and ≥ 10× faster than the naive query.

    .venv/bin/python bench/reports.py [--count 1000000] [--runs 7] [--home DIR] [--json]

The regional report (5,000,000 rows on PostgreSQL) has its own script: bench/reports_region.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _fill(home: Path, count: int) -> float | None:
    """Fill the store unless it already holds `count` applications; returns the seconds it took (None: reused)."""
    env = dict(os.environ, FENQI_HOME=str(home), FENQI_KEY_STORE="file", PYTHONPATH=str(REPO))
    marker = home / f"demo-{count}.done"
    if marker.exists():
        return None
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "demo-data", "--count", str(count), "--seed", "7", "--json"],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    marker.write_text(str(count))
    return time.perf_counter() - started


def _median_ms(build, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = build()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--home", type=Path, help="where the filled store is kept (default: a folder in /tmp)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    home = args.home or Path(tempfile.gettempdir()) / f"fenqi-bench-reports-{args.count}"
    home.mkdir(parents=True, exist_ok=True)
    fill_s = _fill(home, args.count)
    os.environ.update(FENQI_HOME=str(home), FENQI_KEY_STORE="file")

    from app.domain.actor import Actor
    from app.reports.figures import DailyFigures, NaiveFigures
    from app.reports.period import Period
    from app.reports.store import StoreReportService
    from app.services import build_services

    services = build_services()
    try:
        actor = Actor.command_line()
        fast = StoreReportService(services.store, services.store_id, source=DailyFigures())
        naive = StoreReportService(services.store, services.store_id, source=NaiveFigures())
        today = fast.today()
        periods = {
            "this_month": Period(today.replace(day=1), today),
            "two_years": Period(today - dt.timedelta(days=730), today),
        }
        rows = {}
        for name, period in periods.items():
            fast.report(actor, period), naive.report(actor, period)  # warm the page cache for both
            fast_ms, fast_report = _median_ms(lambda p=period: fast.report(actor, p), args.runs)
            naive_ms, naive_report = _median_ms(lambda p=period: naive.report(actor, p), args.runs)
            a, b = fast_report.as_json(), naive_report.as_json()
            a.pop("as_of"), b.pop("as_of")
            rows[name] = {
                "applications": a["applications"],
                "report_ms": round(fast_ms, 1),
                "naive_ms": round(naive_ms, 1),
                "speedup": round(naive_ms / fast_ms, 1),
                "same_figures": a == b,
                "target_ms": 100 if name == "this_month" else 300,
            }
    finally:
        services.close()
    result = {"count": args.count, "fill_s": None if fill_s is None else round(fill_s, 1), "runs": args.runs, **rows}
    if args.json:
        print(json.dumps(result))
        return 0
    if fill_s is not None:
        print(f"filled {args.count:,} demo applications in {fill_s:.0f} s")
    for name, row in rows.items():
        print(
            f"{name:<11} {row['applications']:>9,} applications: report {row['report_ms']:.1f} ms "
            f"(target ≤ {row['target_ms']} ms), naive GROUP BY {row['naive_ms']:.1f} ms, "
            f"{row['speedup']:.1f}× faster (target ≥ 10×), same figures: {row['same_figures']}"
        )
    return 0 if all(r["same_figures"] for r in rows.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
