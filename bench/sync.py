"""Sync load: simulated stores draining their outboxes into one reference server on loopback, batched (one
request per store's batch) beside one request per application — the baseline measured in the same run.

    .venv/bin/python bench/sync.py [--stores 200] [--per-store 50] [--workers 8] [--db sqlite:///…]

Prints applications/s for each way, the p99 request latency, and their ratio. Targets: ≥ 500 applications/s
batched and ≥ 10× one request per item.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.wire.keys import idempotency_key  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _body(application_id: str, store: str, i: int) -> dict:
    return {
        "application_id": application_id,
        "revision": 1,
        "store": store,
        "reference": f"{store}-261129-{i:04d}",
        "created_at": "2026-11-29T06:00:00+00:00",
        "product": "GOODS",
        "term": 12,
        "financed": "3999.00",
        "purchase": {"category": "phone", "description": "手机", "price": "4999.00", "down_payment": "1000.00"},
        "customer": {
            "name": "测试",
            "id_number": "110105198001010024",
            "phone": f"138{i:08d}",
            "monthly_income": "9000.00",
            "monthly_expenses": "2500.00",
            "assets": "20000.00",
            "job_type": "employee",
            "housing": "rent",
            "years_at_job": 4,
            "overdue_records": 0,
            "id_valid_until": "2035-01-01",
            "id_long_term": False,
        },
        "consents": [
            {
                "kind": "credit_inquiry",
                "version": "2026-11.1/zh_CN",
                "text_sha256": "a" * 64,
                "granted_at": "2026-11-29T05:58:00+00:00",
            }
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", type=int, default=200)
    parser.add_argument("--per-store", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--db")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fenqi-bench-sync-"))
    db = args.db or f"sqlite:///{folder / 'central.db'}"

    from app.security.passwords import hash_secret
    from central.db import RosterMember, open_database
    from central.devices import activate, add_store

    factory = open_database(db)
    tokens = {}
    pin_hash = hash_secret("482613")  # each store's manager: a store is activated only once it has a roster
    for n in range(args.stores * 2):  # half the stores send batched, half one by one
        store = f"B{n:04d}"
        code = add_store(factory, store, "BJ")
        with factory.begin() as session:
            session.add(
                RosterMember(
                    staff_id=str(uuid.uuid4()),
                    store_code=store,
                    login=f"mgr-{store.lower()}",
                    display_name="店长",
                    role="store_manager",
                    secret_hash=pin_hash,
                    active=True,
                    version=1,
                )
            )
        tokens[store] = activate(factory, store, code).token
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "central.api:app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            "1",
        ],
        env={**__import__("os").environ, "FENQI_CENTRAL_DB": db, "PYTHONPATH": str(REPO)},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{base}/v1/decisions", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    stores = sorted(tokens)
    batched_stores, single_stores = stores[: args.stores], stores[args.stores :]
    latencies: dict[str, list[float]] = {"batched": [], "single": []}

    def batched(store: str) -> int:
        http = requests.Session()
        ids = [str(uuid.uuid4()) for _ in range(args.per_store)]
        items = [
            {"application_id": a, "idempotency_key": idempotency_key(a, 1), "body": _body(a, store, i)}
            for i, a in enumerate(ids)
        ]
        started = time.perf_counter()
        reply = http.post(
            f"{base}/v1/applications/batch",
            json={"items": items},
            headers={"Authorization": f"Bearer {tokens[store]}"},
            timeout=120,
        )
        latencies["batched"].append(time.perf_counter() - started)
        return sum(1 for r in reply.json()["results"] if r["status_code"] == 201)

    def single(store: str) -> int:
        http = requests.Session()
        done = 0
        for i in range(args.per_store):
            a = str(uuid.uuid4())
            started = time.perf_counter()
            reply = http.put(
                f"{base}/v1/applications/{a}",
                json=_body(a, store, i),
                timeout=60,
                headers={"Authorization": f"Bearer {tokens[store]}", "Idempotency-Key": idempotency_key(a, 1)},
            )
            latencies["single"].append(time.perf_counter() - started)
            done += reply.status_code == 201
        return done

    results = {}
    try:
        for name, fn, group in (("batched", batched, batched_stores), ("single", single, single_stores)):
            started = time.perf_counter()
            with ThreadPoolExecutor(args.workers) as pool:
                accepted = sum(pool.map(fn, group))
            seconds = time.perf_counter() - started
            lat = sorted(latencies[name])
            results[name] = {
                "applications": accepted,
                "per_second": round(accepted / seconds),
                "p99_request_ms": round(lat[int(0.99 * (len(lat) - 1))] * 1000, 1),
                "median_request_ms": round(statistics.median(lat) * 1000, 1),
            }
    finally:
        server.terminate()
        server.wait(timeout=10)
    ratio = results["batched"]["per_second"] / max(1, results["single"]["per_second"])
    print(json.dumps({**results, "ratio_batched_to_single": round(ratio, 1), "db": db.split(":")[0]}))
    print(
        f"batched: {results['batched']['per_second']} applications/s "
        f"(p99 request {results['batched']['p99_request_ms']} ms); one request per item: "
        f"{results['single']['per_second']}/s (p99 {results['single']['p99_request_ms']} ms); "
        f"ratio {ratio:.1f}× (targets ≥ 500/s and ≥ 10×)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
