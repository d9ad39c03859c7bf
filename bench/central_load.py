"""Central load: 1,000 simulated stores syncing with the reference server (`fenqi-central`) on PostgreSQL, once
with 1 worker and once with 4 in the same run; 1 worker is the baseline.

    .venv/bin/python bench/central_load.py [--stores 1000] [--cycles 3] [--concurrency 32] [--workers 1,4]

Each configuration gets a fresh schema of the test PostgreSQL (.venv/fenqi-test-postgres-url, or
FENQI_TEST_POSTGRES_URL, or --db URL) filled the same way through the server's own functions: every store added
with a roster of two (central.db.RosterMember rows with one precomputed Argon2id hash: hashing 2,000 PINs
would take minutes) and its PC activated (central.devices), and the shipped catalog, policy, blacklist, model card
and model published (so each application is judged by the scorecard, as in production; the server never checks
signatures). Then each store does what a counter does after activation: it pulls its roster, then syncs
`--cycles` times, each sync on a new connection (they are minutes apart in a shop): a heartbeat, in a quarter
of the syncs a batch of 1–3 applications, in a tenth a status query for one it sent, and a decision pull from
its cursor. `--concurrency` stores sync at once. A warm-up round of other stores runs before the clock starts
(each worker loads the scorecard on its first application).

Prints requests/s for each configuration, the ratio 4 workers / 1 worker, and p50/p99 request latency; on a
2-core machine the ratio is bounded by the cores (the client, PostgreSQL and the workers share them). The
default run takes about three minutes on a quiet 2-core machine; `--stores 5000 --cycles 10` is a longer one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.domain.identity import make_resident_id  # noqa: E402
from app.wire.keys import idempotency_key  # noqa: E402
from tests.support.central_db import fresh_schema, postgres_url  # noqa: E402
from tests.support.central_server import free_port  # noqa: E402

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


# --- Request bodies: each built in one function, so a change of the wire contract is one edit here. ---


def application_body(application_id: str, store: str, n: int) -> dict[str, Any]:
    """One revision-1 submission as the counter files it (app/sync/submission.py), for a different, valid
    customer of working age for each `n`."""
    now = dt.datetime.now(SHANGHAI)
    return {
        "application_id": application_id,
        "revision": 1,
        "store": store,
        "reference": f"{store}-{now:%y%m%d}-{n % 10000:04d}",
        "staff_id": None,
        "created_at": now.isoformat(),
        "product": "GOODS",
        "term": 12,
        "financed": "3999.00",
        "purchase": {"category": "phone", "description": "手机 X1", "price": "4999.00", "down_payment": "1000.00"},
        "customer": {
            "name": "王" + "一二三四五六七八九十"[n % 10] + "甲乙丙丁戊己庚辛壬癸"[(n // 10) % 10],
            "id_number": make_resident_id("440305", dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000), n % 1000),
            "phone": f"139{n % 10**8:08d}",
            "address": "深圳市南山区科技园路1号",
            "employer": "深圳某某科技有限公司",
            "job_type": "employee",
            "years_at_job": 4,
            "monthly_income": "9000.00",
            "monthly_expenses": "2500.00",
            "assets": "20000.00",
            "monthly_debt_payments": "0.00",
            "overdue_records": 0,
            "housing": "rent",
            "bank_card": None,
            "id_valid_until": "2035-01-01",
            "id_long_term": False,
        },
        "consents": [
            {"kind": kind, "version": "2026-11.1/zh_CN", "text_sha256": "a" * 64, "granted_at": now.isoformat()}
            for kind in ("sensitive_personal_info", "credit_inquiry", "loan_contract")
        ],
    }


def batch_body(items: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """A batch of (application id, submission) as the sender posts it."""
    return {
        "items": [
            {"application_id": a, "idempotency_key": idempotency_key(a, body["revision"]), "body": body}
            for a, body in items
        ]
    }


def heartbeat_body(audit_seq: int, pending: int) -> dict[str, Any]:
    """A counter's report at the start of a sync (app/sync/exchange.py health_report)."""
    return {
        "pending": pending,
        "oldest_pending_age_s": 12.5 if pending else None,
        "dead_letters": 0,
        "app_version": "0.1.0",
        "audit_head": {"seq": audit_seq, "mac": f"{audit_seq:064x}"},
        "audit_check": None,
    }


# --- Setting up: the server's own functions on the database, not 1,000 CLI calls. ---


@dataclass
class Store:
    code: str
    token: str
    audit_seq: int = 0
    cursor: int = 0
    sent: list[str] = field(default_factory=list)


def _publish_shipped(factory: Any) -> None:
    from central import publications

    files = {
        "catalog": REPO / "resources" / "catalog" / "products.json",
        "policy": REPO / "resources" / "policy" / "policy.json",
        "blacklist": REPO / "resources" / "blacklist" / "demo.json",
        "model_card": REPO / "models_onnx" / "model_card.json",
        "model": REPO / "models_onnx" / "scorecard.onnx",
    }
    for kind, path in files.items():
        if kind in publications.KINDS and path.exists():  # a server that knows no policy yet skips it
            signature = None if kind not in publications.SIGNED_KINDS else b"not checked by the server (bench)"
            publications.publish(factory, kind, path.read_bytes(), signature)


def prepare(db: str, codes: list[str], secret_hash: str) -> list[Store]:
    """The stores on a fresh database: added with a roster of two, one PC each activated, the files published."""
    from central.db import RosterMember, open_database
    from central.devices import activate, add_store

    factory = open_database(db)
    _publish_shipped(factory)
    activation = {code: add_store(factory, code, "BJ") for code in codes}
    with factory.begin() as session:  # before activating: the lender refuses to activate a store without staff
        for code in codes:
            for login, role in (("sales", "sales"), ("manager", "store_manager")):
                session.add(
                    RosterMember(
                        staff_id=str(uuid.uuid4()),
                        store_code=code,
                        login=f"{login}-{code.lower()}",
                        display_name=f"{role} {code}",
                        role=role,
                        secret_hash=secret_hash,
                        active=True,
                        version=1,
                    )
                )
    stores = []
    for code in codes:
        answer: Any = activate(factory, code, activation[code])
        stores.append(Store(code, answer.token if hasattr(answer, "token") else answer[1]))  # model or (id, token)
    factory.kw["bind"].dispose()
    return stores


# --- The server and the simulated stores. ---


def _workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn's supervisor `pid` runs now (Linux; none elsewhere)."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        try:
            if not entry.name.isdigit() or int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) != pid:
                continue
            if b"spawn_main" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far (Linux; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> tuple[float, float]:
    """(busy, all) CPU time of the whole machine so far, in clock ticks (Linux; zeros elsewhere)."""
    try:
        ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = ticks[3] + ticks[4]  # idle and iowait
    return float(sum(ticks) - idle), float(sum(ticks))


@contextmanager
def serving(db: str, workers: int, folder: str) -> Iterator[tuple[int, list[int]]]:
    """`fenqi-central --workers N` on `db` with its files in `folder`, started as the README says; yields its
    port and the processes that serve (the workers, or the server itself with one) once all workers run."""
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "central.cli", "--db", db, "--port", str(port)),
            *("--workers", str(workers), "--data-dir", folder),
        ],
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the server with {workers} workers exited with {process.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/v1/decisions")
                connection.getresponse().read()
                connection.close()
                if workers == 1 or len(_workers_of(process.pid)) >= workers or not Path("/proc").is_dir():
                    break
            except OSError:
                pass
            time.sleep(0.1)
        yield port, [process.pid] if workers == 1 else _workers_of(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


class Recorder:
    """Latency and status of every request, by kind (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.statuses: dict[int, int] = {}
        self.applications = 0

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def _call(
    connection: http.client.HTTPConnection,
    recorder: Recorder,
    kind: str,
    method: str,
    path: str,
    token: str,
    body: Any = None,
) -> Any:
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    try:
        connection.request(method, path, body=data, headers=headers)
        reply = connection.getresponse()
        content = reply.read()
        status = reply.status
    except (OSError, http.client.HTTPException):
        connection.close()  # reconnects on the next request
        content, status = b"", 0
    recorder.add(kind, time.perf_counter() - started, status)
    return json.loads(content) if status == 200 and content else None


def simulate(port: int, store: Store, cycles: int, recorder: Recorder, seed: int) -> None:
    """One store after activation: the roster, then `cycles` syncs (see the module's promise)."""
    rng = random.Random(f"{seed}-{store.code}")
    for cycle in range(cycles):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            if cycle == 0:
                _call(connection, recorder, "roster", "GET", "/v1/roster", store.token)
            store.audit_seq += rng.randint(1, 40)
            batch = rng.randint(1, 3) if rng.random() < 0.25 else 0
            _call(
                connection,
                recorder,
                "heartbeat",
                "POST",
                "/v1/devices/heartbeat",
                store.token,
                heartbeat_body(store.audit_seq, batch),
            )
            if batch:
                items = []
                for _ in range(batch):
                    application_id = str(uuid.uuid4())
                    items.append((application_id, application_body(application_id, store.code, rng.randrange(10**8))))
                answer = _call(
                    connection, recorder, "batch", "POST", "/v1/applications/batch", store.token, batch_body(items)
                )
                accepted = [r["application_id"] for r in (answer or {}).get("results", []) if r["status_code"] == 201]
                store.sent += accepted
                with recorder.lock:
                    recorder.applications += len(accepted)
            if store.sent and rng.random() < 0.1:
                _call(connection, recorder, "status", "GET", f"/v1/applications/{rng.choice(store.sent)}", store.token)
            page = _call(connection, recorder, "decisions", "GET", f"/v1/decisions?since={store.cursor}", store.token)
            if page is not None:
                store.cursor = int(page["next"])
        finally:
            connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _drop_schema(db: str) -> None:
    """Drop the configuration's schema (named in the URL's search_path) with everything in it."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    schema = str(make_url(db).query["options"]).split("search_path=", 1)[1]
    engine = create_engine(db, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        engine.dispose()


def measure(url: str, workers: int, args: argparse.Namespace, secret_hash: str) -> dict[str, Any]:
    """One configuration on a fresh schema: its throughput, latencies and what went wrong."""
    db = fresh_schema(url)
    folder = tempfile.mkdtemp(prefix="fenqi-bench-central-")
    # The server's files (its key file among them) for the set-up here and for the server alike.
    os.environ["FENQI_CENTRAL_DATA_DIR"] = folder
    try:
        started = time.perf_counter()
        warm = prepare(db, [f"W{n:05d}" for n in range(args.concurrency)], secret_hash)
        stores = prepare(db, [f"L{n:05d}" for n in range(args.stores)], secret_hash)
        setup = time.perf_counter() - started
        with serving(db, workers, folder) as (port, serving_pids):
            with ThreadPoolExecutor(args.concurrency) as pool:
                list(pool.map(lambda s: simulate(port, s, 2, Recorder(), args.seed), warm))
            recorder = Recorder()
            cpu, client, (busy, ticks) = _cpu_seconds(serving_pids), _cpu_seconds([os.getpid()]), _machine_busy()
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                list(pool.map(lambda s: simulate(port, s, args.cycles, recorder, args.seed), stores))
            seconds = time.perf_counter() - started
            cpu, client = _cpu_seconds(serving_pids) - cpu, _cpu_seconds([os.getpid()]) - client
            busy, ticks = _machine_busy()[0] - busy, _machine_busy()[1] - ticks
    finally:
        _drop_schema(db)
        shutil.rmtree(folder, ignore_errors=True)
    every = [s for kind in recorder.latencies.values() for s in kind]
    return {
        "workers": workers,
        "requests": len(every),
        "applications": recorder.applications,
        "seconds": round(seconds, 2),
        "requests_per_s": round(len(every) / seconds, 1),
        "p50_ms": round(statistics.median(every) * 1000, 1),
        "p99_ms": round(_percentile(every, 0.99) * 1000, 1),
        "p99_ms_by_kind": {k: round(_percentile(v, 0.99) * 1000, 1) for k, v in sorted(recorder.latencies.items())},
        "requests_by_kind": {k: len(v) for k, v in sorted(recorder.latencies.items())},
        "statuses": {str(k): v for k, v in sorted(recorder.statuses.items())},
        "server_cores_busy": round(cpu / seconds, 2),  # CPU time of the workers over the wall time
        "client_cores_busy": round(client / seconds, 2),  # this process's, simulating the stores
        "machine_busy_share": round(busy / ticks, 2) if ticks else None,  # every process on every core
        "setup_s": round(setup, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=3, help="syncs per store")
    parser.add_argument("--concurrency", type=int, default=32, help="stores syncing at once")
    parser.add_argument("--workers", default="1,4", help="the configurations, the baseline first")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", help="a PostgreSQL URL (default: the test PostgreSQL); each run makes schemas in it")
    args = parser.parse_args()
    url = args.db or postgres_url()
    if not url or not url.startswith("postgresql"):
        raise SystemExit("no PostgreSQL: run ./test.sh (scripts/setup.sh) as root, or give --db postgresql+psycopg://…")
    from app.security.passwords import hash_secret

    secret_hash = hash_secret("Bench2026pin")
    results = [measure(url, int(w), args, secret_hash) for w in args.workers.split(",")]
    base, *others = results
    ratios = {
        f"ratio_{r['workers']}w_to_{base['workers']}w": round(r["requests_per_s"] / base["requests_per_s"], 2)
        for r in others
    }
    print(
        json.dumps(
            {
                "stores": args.stores,
                "cycles": args.cycles,
                "concurrency": args.concurrency,
                "cores": os.cpu_count(),
                "results": results,
                **ratios,
            }
        )
    )
    for r in results:
        failed = sum(n for s, n in r["statuses"].items() if not 200 <= int(s) < 300)
        print(
            f"{r['workers']} worker(s): {r['requests_per_s']} requests/s ({r['requests']} requests, "
            f"{r['applications']} applications, {r['seconds']} s), p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
            f"{failed} not 2xx; cores kept busy: workers {r['server_cores_busy']}, client {r['client_cores_busy']}; "
            f"the whole machine {r['machine_busy_share']:.0%} busy"
        )
    for name, ratio in ratios.items():
        print(f"{name.replace('ratio_', '').replace('_to_', ' / ')}: {ratio}× (on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
