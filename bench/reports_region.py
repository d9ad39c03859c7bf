"""Regional report speed on PostgreSQL: the report (central.routes.reports.region_report, in process, as the
route runs it) over N demo applications of one region's stores in two years, for this month and for all two
years, beside the naive GROUP BY over the applications table computing the same figures — the baseline measured
in the same run. Both must give the same report.

    .venv/bin/python bench/reports_region.py [--count 5000000] [--stores 50] [--runs 5] [--db URL]

The data goes to its own schema (bench_reports_<count>) of the test PostgreSQL (.venv/fenqi-test-postgres-url,
or FENQI_TEST_POSTGRES_URL), or to --db; a schema already loaded with that count is reused, so only the first
run pays for the load (`fenqi-central demo-data`: COPY, then the aggregates rebuilt set-based), whose time is
printed. Target: the regional report over 5,000,000 rows ≤ 1 s for either range.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

REGION = "EAST"


def _database(args: argparse.Namespace) -> str:
    """The URL of the bench's schema (created when missing)."""
    if args.db:
        return args.db
    from tests.support.central_db import postgres_url

    url = postgres_url()
    if url is None:
        raise SystemExit("no PostgreSQL: run scripts/setup.sh as root, or pass --db")
    schema = f"bench_reports_{args.count}"
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)


def _loaded(factory: Any, args: argparse.Namespace) -> float | None:
    """Load the demo data unless the schema holds exactly `count` applications; the load's seconds, or None."""
    from central.demo_data import generate

    with factory() as session:
        have = session.execute(text("SELECT count(*) FROM applications")).scalar_one()
    if have == args.count:
        return None
    if have:
        raise SystemExit(f"the schema holds {have} applications, not {args.count}: drop it first")

    def progress(done: int) -> None:
        print(f"  loaded {done:,} / {args.count:,}", file=sys.stderr, flush=True)

    result = generate(factory, args.count, stores=args.stores, regions=[REGION], seed=1, progress=progress)
    return result.seconds


def _timed(factory: Any, start: dt.date, end: dt.date, naive: bool, runs: int) -> tuple[float, dict[str, Any]]:
    """The median seconds of `runs` reports (after one untimed run) and the report."""
    from central.routes.reports import region_report

    times, report = [], {}
    for n in range(runs + 1):
        with factory() as session:
            started = time.perf_counter()
            report = region_report(session, REGION, start, end, naive=naive)
            if n:
                times.append(time.perf_counter() - started)
    report.pop("as_of")
    return statistics.median(times), report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=5_000_000)
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--db")
    args = parser.parse_args()

    from central.db import open_database

    factory = open_database(_database(args))
    load_seconds = _loaded(factory, args)
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    ranges = {"this_month": (today.replace(day=1), today), "two_years": (today - dt.timedelta(days=729), today)}
    out: dict[str, Any] = {"applications": args.count, "stores": args.stores, "load_seconds": load_seconds}
    for name, (start, end) in ranges.items():
        fast, report = _timed(factory, start, end, False, args.runs)
        slow, reference = _timed(factory, start, end, True, args.naive_runs)
        if report != reference:
            raise SystemExit(f"{name}: the report and the naive GROUP BY disagree")
        out[name] = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "applications_in_range": report["totals"]["applications"],
            "report_ms": round(fast * 1000, 1),
            "naive_ms": round(slow * 1000, 1),
            "speedup": round(slow / fast, 1),
        }
    print(json.dumps(out))
    for name in ranges:
        r = out[name]
        print(
            f"{name} ({r['from']} – {r['to']}, {r['applications_in_range']:,} applications): report "
            f"{r['report_ms']} ms, naive GROUP BY {r['naive_ms']} ms, {r['speedup']}× faster, same figures "
            f"(target ≤ 1000 ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
