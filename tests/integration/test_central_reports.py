"""Reports on the reference central server, over HTTP (FastAPI's TestClient), on SQLite and on PostgreSQL: the
regional report's figures against hand-computed ones (store-local day boundaries, empty ranges, whole months);
the aggregates kept in the writers' transactions equal to a GROUP BY over the applications after any sequence of
arrivals, revisions, batches, reviews and cancellations, and to their set-based rebuild; who may see which
region; the store figures a counter PC fetches for its sibling PCs, and their cursor; demo data."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import sqlite3
import subprocess
import sys
import uuid
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.domain.identity import make_resident_id
from app.scoring.drift import population_stability
from app.wire.applications import CancellationRequest, Submission
from app.wire.keys import idempotency_key
from central import documents, reporting, submissions
from central.accounts import add_account
from central.api import create_app
from central.db import CentralStore, Device, ReportDaily, ReportMonthly, SubmittedApplication, open_database
from central.demo_data import generate
from central.devices import add_store, device_for_token
from central.publications import publish
from central.routes.reports import psi_of, region_report, store_figures
from tests.support.central_db import KINDS, central_database
from tests.support.lender import give_roster
from tests.support.wire_bodies import submission_body

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Region2026x"
_serial = itertools.count(1)


@pytest.fixture(params=KINDS)
def central(request, tmp_path):
    """The API on a fresh database of each kind, in process."""
    url = central_database(request.param, tmp_path)
    app = create_app(url)
    with TestClient(app) as client:
        yield SimpleNamespace(client=client, factory=app.state.factory, url=url, kind=request.param)


def _device(c, store: str, region: str = "EAST", time_zone: str | None = None) -> dict[str, str]:
    """A newly activated PC of the store (the store is added when new), as its Authorization header."""
    code = add_store(c.factory, store, region)
    if time_zone is not None:
        reporting.set_time_zone(c.factory, store, time_zone)
    give_roster(c.factory, store)  # a store is activated only once the lender has its roster
    reply = c.client.post("/v1/devices/activate", json={"store": store, "code": code})
    assert reply.status_code == 201
    return {"Authorization": f"Bearer {reply.json()['token']}"}


def _person(c, role: str, region: str) -> dict[str, str]:
    username = f"{role[:3]}{next(_serial)}"
    add_account(c.factory, username, role, region, PASSWORD)
    reply = c.client.post("/v1/sessions", json={"username": username, "password": PASSWORD})
    assert reply.status_code == 201
    return {"Authorization": f"Bearer {reply.json()['token']}"}


def _body(store: str, created: str, financed: str | None, price: str, revision: int = 1, **more: Any) -> dict:
    """A submission of the wire contract (every application has a purchase: its price is the ticket)."""
    application_id = more.pop("application_id", None) or str(uuid.uuid4())
    return submission_body(
        application_id, revision, store, created_at=created, financed=financed, price=price, down_payment="0.00", **more
    )


def _put(c, auth: dict[str, str], body: dict) -> Any:
    key = idempotency_key(body["application_id"], body["revision"])
    return c.client.put(
        f"/v1/applications/{body['application_id']}", json=body, headers={**auth, "Idempotency-Key": key}
    )


def _review(c, auth: dict[str, str], application_id: str, decision: str) -> Any:
    return c.client.post(f"/v1/reviews/{application_id}", json={"decision": decision, "reason": "x"}, headers=auth)


def _cancel(c, auth: dict[str, str], application_id: str) -> Any:
    return c.client.post(
        f"/v1/applications/{application_id}/cancellation",
        json={"reason": "changed their mind"},
        headers={**auth, "Idempotency-Key": str(uuid.uuid4())},
    )


def _report(c, auth: dict[str, str], start: str, end: str) -> dict:
    reply = c.client.get("/v1/reports/region", params={"from": start, "to": end}, headers=auth)
    assert reply.status_code == 200, reply.text
    return reply.json()


ZERO_STATES = {"submitted": 0, "referred": 0, "approved": 0, "declined": 0, "cancelled": 0}


def _figures(**kw: Any) -> dict:
    """A store's or the totals' figures: zeros, with `kw` put in."""
    out = {
        "applications": 0,
        "by_state": dict(ZERO_STATES),
        "decided": 0,
        "approved": 0,
        "approval_rate": None,
        "financed_total": "0.00",
        "average_financed": None,
        "average_ticket": None,
        "decline_reasons": {},
        "fraud_flags": {},
        "scored": 0,
    }
    out.update(kw)
    out["by_state"] = {**ZERO_STATES, **kw.get("by_state", {})}
    return out


def _store_part(report: dict, store: str) -> dict:
    found = next(s for s in report["stores"] if s["store"] == store)
    return {k: v for k, v in found.items() if k not in ("store", "time_zone", "devices", "psi", "psi_band")}


def test_figures_by_hand_with_store_local_days(central) -> None:
    c = central
    one, two, other = _device(c, "SH001"), _device(c, "SH001"), _device(c, "SH002")
    west = _device(c, "BJ001", region="WEST")
    reviewer, manager = _person(c, "reviewer", "EAST"), _person(c, "regional_manager", "EAST")
    # 23:30 in Shanghai on the 10th is that day; 00:30 is the 11th.
    late = _body("SH001", "2026-11-10T15:30:00+00:00", "1000.00", "1200.00")
    after_midnight = _body("SH001", "2026-11-10T16:30:00+00:00", "2000.00", "2500.00")
    waiting = _body("SH001", "2026-11-11T02:00:00+00:00", "3000.00", "3300.00")
    cancelled = _body("SH001", "2026-11-11T03:00:00+08:00", None, "800.00")
    elsewhere = _body("SH002", "2026-11-12T10:00:00+08:00", "500.50", "500.50")
    for auth, body in ((one, late), (one, after_midnight), (two, waiting), (two, cancelled), (other, elsewhere)):
        assert _put(c, auth, body).status_code == 201
    assert _put(c, west, _body("BJ001", "2026-11-10T10:00:00+08:00", "9.00", "9.00")).status_code == 201
    assert _review(c, reviewer, late["application_id"], "approved").status_code == 200
    assert _review(c, reviewer, after_midnight["application_id"], "declined").status_code == 200
    assert _review(c, reviewer, elsewhere["application_id"], "approved").status_code == 200
    assert _cancel(c, two, cancelled["application_id"]).status_code == 200

    tenth = _report(c, manager, "2026-11-10", "2026-11-10")
    assert tenth["region"] == "EAST" and tenth["from"] == "2026-11-10" and tenth["to"] == "2026-11-10"
    assert dt.datetime.fromisoformat(tenth["as_of"]).tzinfo is not None
    assert [s["store"] for s in tenth["stores"]] == ["SH001", "SH002"]
    one_day = _figures(
        applications=1,
        by_state={"approved": 1},
        decided=1,
        approved=1,
        approval_rate="100.00",
        financed_total="1000.00",
        average_financed="1000.00",
        average_ticket="1200.00",
    )
    assert _store_part(tenth, "SH001") == one_day
    assert _store_part(tenth, "SH002") == _figures()
    assert tenth["totals"] == one_day
    sh001 = tenth["stores"][0]
    assert sh001["time_zone"] == "Asia/Shanghai" and sh001["psi"] is None and sh001["psi_band"] is None
    assert len(sh001["devices"]) == 2 and all(d["revoked"] is False for d in sh001["devices"])

    eleventh = _report(c, manager, "2026-11-11", "2026-11-11")
    assert _store_part(eleventh, "SH001") == _figures(
        applications=3,
        by_state={"referred": 1, "declined": 1, "cancelled": 1},
        decided=1,
        approval_rate="0.00",
        average_ticket="2200.00",  # 2500.00, 800.00 and the referred one's 3300.00
        decline_reasons={"reviewer": 1},
    )
    month = _report(c, manager, "2026-11-01", "2026-11-30")
    assert month["totals"] == _figures(
        applications=5,
        by_state={"approved": 2, "referred": 1, "declined": 1, "cancelled": 1},
        decided=3,
        approved=2,
        approval_rate="66.67",
        financed_total="1500.50",
        average_financed="750.25",
        average_ticket="1660.10",  # (1200 + 2500 + 3300 + 800 + 500.50) / 5 = 1660.10
        decline_reasons={"reviewer": 1},
    )
    # Whole months come from the monthly rows, the days around them from the daily ones: the same figures.
    assert _report(c, manager, "2026-10-15", "2027-01-10")["totals"] == month["totals"]
    assert _report(c, manager, "2026-11-01", "2026-12-31")["totals"] == month["totals"]
    for start, end in (("2026-11-13", "2026-11-13"), ("2026-12-01", "2026-12-31"), ("2025-01-01", "2026-11-09")):
        empty = _report(c, manager, start, end)
        assert [s["store"] for s in empty["stores"]] == ["SH001", "SH002"]
        assert empty["totals"] == _figures() and _store_part(empty, "SH002") == _figures()

    # A corrected revision moves the waiting one to the 12th with another amount: counted there instead.
    moved = _body(
        "SH001", "2026-11-12T01:00:00+08:00", "4000.00", "4100.00", 2, application_id=waiting["application_id"]
    )
    assert _put(c, two, moved).status_code == 200
    assert _report(c, manager, "2026-11-11", "2026-11-11")["totals"]["applications"] == 2
    twelfth = _report(c, manager, "2026-11-12", "2026-11-12")
    assert _store_part(twelfth, "SH001") == _figures(applications=1, by_state={"referred": 1}, average_ticket="4100.00")
    _same_as_naive(c, "EAST", dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _same_as_naive(c, region: str, start: dt.date, end: dt.date) -> dict:
    with c.factory() as session:
        fast = region_report(session, region, start, end)
        slow = region_report(session, region, start, end, naive=True)
    fast.pop("as_of"), slow.pop("as_of")
    assert fast == slow
    return fast


def _aggregates(c) -> list[set]:
    """The daily and monthly rows that count anything."""
    with c.factory() as session:
        return [
            {
                (r.store_code, getattr(r, period), r.dim, r.key, *(getattr(r, f) for f in reporting.FIGURES))
                for r in session.scalars(select(model))
                if r.n or r.financed_n or r.ticket_n
            }
            for model, period in ((ReportDaily, "day"), (ReportMonthly, "month"))
        ]


def _published(c) -> None:
    """The shipped catalog, policy, scorecard and demo blacklist published (the server checks no signature)."""
    publish(c.factory, "catalog", (REPO / "resources" / "catalog" / "products.json").read_bytes(), b"signed")
    publish(c.factory, "policy", (REPO / "resources" / "policy" / "policy.json").read_bytes(), b"signed")
    publish(c.factory, "model_card", (REPO / "models_onnx" / "model_card.json").read_bytes(), b"signed")
    publish(c.factory, "model", (REPO / "models_onnx" / "scorecard.onnx").read_bytes(), None)
    publish(c.factory, "blacklist", (REPO / "resources" / "blacklist" / "demo.json").read_bytes(), b"signed")


# Few people and phones, so the velocity flags come up.
_PEOPLE = [make_resident_id("110105", dt.date(1958 + 7 * i, 1 + i % 12, 1 + i), 10 + i) for i in range(7)]


def _full_body(store: str, application_id: str, revision: int, draw: random.Random) -> dict:
    """A complete application the lender's judge scores: varied people, incomes, products, times."""
    created = dt.datetime(2026, 10, 20, tzinfo=dt.UTC) + dt.timedelta(minutes=draw.randrange(0, 60 * 24 * 20))
    price = draw.choice(["899.00", "4999.00", "12000.00", "30000.00"])
    return {
        **_body(store, created.isoformat(), None, price, revision, application_id=application_id),
        "financed": draw.choice([None, "800.00", "3999.00", "11000.50"]),
        "product": draw.choice(["GOODS", "CASH", None]),
        "term": draw.choice([6, 12, 24, None]),
        "staff_id": draw.choice([None, "0b7f6f1e-3f6e-4a59-9a55-1c1f4b0c0a01"]),
        "customer": {
            "name": "测试",
            "id_number": draw.choice(_PEOPLE),
            "phone": f"1380000{draw.randrange(0, 12):04d}",
            "monthly_income": draw.choice(["0.00", "4000.00", "12000.00", "30000.00"]),
            "monthly_expenses": "2000.00",
            "assets": draw.choice(["0.00", "50000.00"]),
            "job_type": draw.choice(["employee", "freelancer", "student", "retired"]),
            "housing": draw.choice(["rent", "own", "family"]),
            "years_at_job": draw.randrange(0, 12),
            "overdue_records": draw.choice([0, 0, 1]),
            "id_valid_until": "2036-01-01",
            "id_long_term": False,
        },
    }


_stores = itertools.count(1)
OPERATION = st.tuples(
    st.sampled_from(["put", "put", "batch", "review", "cancel"]), st.integers(0, 5), st.integers(0, 2)
)


@pytest.mark.parametrize("kind", KINDS)
def test_aggregates_equal_the_group_by_after_any_sequence(kind, tmp_path) -> None:
    url = central_database(kind, tmp_path)
    app = create_app(url)
    with TestClient(app) as client:
        c = SimpleNamespace(client=client, factory=app.state.factory)
        _published(c)
        reviewer = _person(c, "reviewer", "HYP")

        @settings(  # derandomized: the same examples each run, so "every path was taken" below holds every time
            max_examples=20 if kind == "postgresql" else 30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            derandomize=True,
        )
        # Fourteen arrivals of six applications from few people: the velocity flags come up at least here.
        @example(operations=[("put", i % 6, i % 3) for i in range(14)], zone="Asia/Shanghai", seed=7)
        @given(
            operations=st.lists(OPERATION, min_size=1, max_size=14),
            zone=st.sampled_from(["Asia/Shanghai", "America/New_York", "UTC"]),
            seed=st.integers(0, 1000),
        )
        def run(operations: list[tuple[str, int, int]], zone: str, seed: int) -> None:
            store = f"H{next(_stores):04d}"
            devices = [_device(c, store, "HYP", zone) for _d in range(3)]
            draw = random.Random(seed)
            ids = [str(uuid.uuid4()) for _i in range(6)]
            revisions = dict.fromkeys(ids, 0)
            for what, i, d in operations:
                if what == "put":
                    revisions[ids[i]] += 1
                    _put(c, devices[d], _full_body(store, ids[i], revisions[ids[i]], draw))
                elif what == "batch":  # this one and the next, twice the first: two revisions in one batch
                    items = []
                    for n in (i, (i + 1) % 6, i):
                        revisions[ids[n]] += 1
                        body = _full_body(store, ids[n], revisions[ids[n]], draw)
                        key = idempotency_key(ids[n], revisions[ids[n]])
                        items.append({"application_id": ids[n], "idempotency_key": key, "body": body})
                    reply = c.client.post("/v1/applications/batch", json={"items": items}, headers=devices[d])
                    assert reply.status_code == 200
                elif what == "review":
                    _review(c, reviewer, ids[i], "approved" if d else "declined")
                else:
                    _cancel(c, devices[d], ids[i])
            a = SubmittedApplication
            with c.factory() as session:
                scored = session.execute(select(a.day, a.score).where(a.store_code == store)).all()
                baseline = reporting.baseline(session)
            days = [day for day, _score in scored]
            for start, end in [(min(days), max(days)), *[(day, day) for day in days]] if days else []:
                report = _same_as_naive(c, "HYP", start, end)
                scores = [score for day, score in scored if start <= day <= end and score is not None]
                figures = next(s for s in report["stores"] if s["store"] == store)
                expected = population_stability(scores, baseline) if scores else None
                assert figures["scored"] == len(scores)
                assert figures["psi"] == (None if expected is None else round(expected.psi, 4))

        run()
        kept = _aggregates(c)
        assert {row[2] for row in kept[0]} == {"state", "reason", "flag", "score_decile"}  # every path was taken
        with c.factory.begin() as session:
            reporting.rebuild(session)
        assert _aggregates(c) == kept  # the set-based rebuild gives the rows the writers kept


def test_only_regional_managers_see_their_own_region(central) -> None:
    c = central
    _device(c, "SH001"), _device(c, "BJ001", region="WEST")
    east, west = _person(c, "regional_manager", "EAST"), _person(c, "regional_manager", "WEST")
    reviewer = _person(c, "reviewer", "EAST")
    params = {"from": "2026-11-01", "to": "2026-11-30"}
    assert c.client.get("/v1/reports/region", params=params).status_code == 401
    bad = c.client.get("/v1/reports/region", params=params, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthenticated"
    refused = c.client.get("/v1/reports/region", params=params, headers=reviewer)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert [s["store"] for s in _report(c, east, "2026-11-01", "2026-11-30")["stores"]] == ["SH001"]
    assert [s["store"] for s in _report(c, west, "2026-11-01", "2026-11-30")["stores"]] == ["BJ001"]
    device = _device(c, "SH001")
    assert c.client.get("/v1/reports/region", params=params, headers=device).status_code == 401
    for start, end in (
        ("2026-11-30", "2026-11-01"),
        ("2026-13-01", "2026-12-01"),
        ("2026/11/01", "2026-11-02"),
        ("", "2026-11-02"),
        ("20261101", "20261102"),
        ("0001-01-01", "2026-01-01"),
    ):
        reply = c.client.get("/v1/reports/region", params={"from": start, "to": end}, headers=east)
        assert reply.status_code == 422 and reply.json()["error"]["code"] == "bad_range", (start, end)
        assert reply.json()["error"]["message"]


def _sibling_figures(c, auth: dict[str, str], since: str = "") -> dict:
    reply = c.client.get("/v1/store/figures", params={"since": since} if since else {}, headers=auth)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_store_figures_are_the_sibling_pcs_changed_days(central) -> None:
    c = central
    mine, sibling, third = _device(c, "SH001"), _device(c, "SH001"), _device(c, "SH001")
    reviewer = _person(c, "reviewer", "EAST")
    staff = "4a4b8c2e-0d5c-4f55-9f51-2b8f4ce1e0aa"
    own = _body("SH001", "2026-11-10T10:00:00+08:00", "100.00", "100.00")
    theirs = _body("SH001", "2026-11-10T23:30:00+08:00", "1000.00", "1200.00", staff_id=staff, term=6)
    later = _body("SH001", "2026-11-11T00:30:00+08:00", None, "300.00", product=None, term=None)
    for auth, body in ((mine, own), (sibling, theirs), (third, later)):
        assert _put(c, auth, body).status_code == 201
    assert _put(c, _device(c, "SH002"), _body("SH002", "2026-11-10T10:00:00+08:00", "5.00", "5.00")).status_code == 201

    first = _sibling_figures(c, mine)
    assert first["days"] == ["2026-11-10", "2026-11-11"]
    assert first["rows"] == sorted(first["rows"], key=lambda r: (r["day"], r["staff_id"] or "", r["dim"], r["key"]))
    assert {(r["day"], r["staff_id"], r["dim"], r["key"]): _counts(r) for r in first["rows"]} == {
        ("2026-11-10", staff, "state", "referred"): (1, 100000, 1, 120000, 1),
        ("2026-11-10", staff, "product", "GOODS"): (1, 100000, 1, 120000, 1),
        ("2026-11-10", staff, "term", "6"): (1, 100000, 1, 120000, 1),
        ("2026-11-11", None, "state", "referred"): (1, 0, 0, 30000, 1),
        ("2026-11-11", None, "product", ""): (1, 0, 0, 30000, 1),
        ("2026-11-11", None, "term", ""): (1, 0, 0, 30000, 1),
    }
    # The sibling's own view has the first PC's and the third PC's days, never its own applications.
    assert {r["key"] for r in _sibling_figures(c, sibling)["rows"] if r["dim"] == "term"} == {"12", ""}
    assert _sibling_figures(c, mine, first["cursor"]) == {"cursor": first["cursor"], "days": [], "rows": []}

    assert _review(c, reviewer, theirs["application_id"], "declined").status_code == 200
    assert _put(c, mine, _body("SH001", "2026-11-12T10:00:00+08:00", "1.00", "1.00")).status_code == 201
    second = _sibling_figures(c, mine, first["cursor"])
    assert second["days"] == ["2026-11-10"]  # only the day that changed; the own PC's new day is not listed
    keyed = {(r["dim"], r["key"]): _counts(r) for r in second["rows"]}
    assert keyed[("state", "declined")] == (1, 100000, 1, 120000, 1) and ("state", "referred") not in keyed
    assert keyed[("code", "reviewer")] == (1, 0, 0, 0, 0)
    assert _sibling_figures(c, mine, second["cursor"])["days"] == []

    # A revision moving the third PC's application to another day lists both days.
    moved = _body("SH001", "2026-11-13T09:00:00+08:00", "50.00", "60.00", 2, application_id=later["application_id"])
    assert _put(c, third, moved).status_code == 200
    third_reply = _sibling_figures(c, mine, second["cursor"])
    assert third_reply["days"] == ["2026-11-11", "2026-11-13"]
    assert {r["day"] for r in third_reply["rows"]} == {"2026-11-13"}  # the 11th is now empty: replaced by nothing

    bad = c.client.get("/v1/store/figures", params={"since": "garbage"}, headers=mine)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_cursor"
    assert c.client.get("/v1/store/figures").status_code == 401


def _counts(row: dict) -> tuple[int, ...]:
    return tuple(row[f] for f in reporting.FIGURES)


def test_store_figures_continue_after_a_capped_reply(central) -> None:
    c = central
    mine, sibling = _device(c, "SH001"), _device(c, "SH001")
    for day in (3, 1, 5, 2, 4):
        assert _put(c, sibling, _body("SH001", f"2026-11-0{day}T10:00:00+08:00", "1.00", "1.00")).status_code == 201
    seen, cursor, me = [], "", _device_id(c, mine)
    with c.factory() as session:
        for _round in range(4):
            reply = store_figures(session, "SH001", me, cursor, limit=2)
            assert len(reply["days"]) <= 2
            seen += reply["days"]
            cursor = reply["cursor"]
    assert seen == ["2026-11-01", "2026-11-03", "2026-11-02", "2026-11-05", "2026-11-04"]  # oldest change first
    # Days that changed together (one version) are not skipped when a reply ends among them.
    with c.factory.begin() as session:
        reporting.rebuild(session, ["SH001"])
    seen, cursor = [], ""
    with c.factory() as session:
        for _round in range(4):
            reply = store_figures(session, "SH001", me, cursor, limit=2)
            seen += reply["days"]
            cursor = reply["cursor"]
    assert sorted(seen) == seen and len(seen) == 5


def _device_id(c, auth: dict[str, str]) -> str:
    found = device_for_token(c.factory, auth["Authorization"].removeprefix("Bearer "))
    assert found is not None
    return found.id


def test_psi_from_decile_counts_is_the_drift_modules() -> None:
    baseline = json.loads((REPO / "models_onnx" / "model_card.json").read_text(encoding="utf-8"))["drift_baseline"]
    draw = random.Random(7)
    for shift in (0, 15, 60):
        scores = [draw.gauss(525 + shift, 47) for _i in range(3000)]
        counts = [0] * 10
        for score in scores:
            counts[bisect_right(baseline["decile_edges"], score)] += 1
        expected = population_stability(scores, baseline)
        psi, band = psi_of(counts, baseline) or (None, None)
        assert psi == pytest.approx(expected.psi, abs=1e-12) and band == expected.band
    assert psi_of([0] * 10, baseline) is None


def test_demo_data_aggregates_equal_the_group_by(central) -> None:
    c = central
    result = generate(c.factory, 3000, stores=6, regions=["EAST", "WEST"], seed=3, today=dt.date(2026, 11, 29))
    assert result.applications == 3000 and result.stores == ["D001", "D002", "D003", "D004", "D005", "D006"]
    for region in ("EAST", "WEST"):
        for start, end in (
            (dt.date(2024, 11, 30), dt.date(2026, 11, 29)),
            (dt.date(2026, 11, 1), dt.date(2026, 11, 29)),
            (dt.date(2025, 2, 10), dt.date(2025, 7, 20)),
        ):
            report = _same_as_naive(c, region, start, end)
            assert len(report["stores"]) == 3
        assert report["totals"]["applications"] > 0
    everything = _same_as_naive(c, "EAST", dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    assert everything["totals"]["fraud_flags"] and everything["totals"]["decline_reasons"]
    assert all(s["devices"] and s["psi_band"] in ("stable", "watch", "shift") for s in everything["stores"])
    kept = _aggregates(c)
    # The row-by-row path from here: arrivals at a demo PC, a review and a cancellation add to the demo's rows.
    with c.factory() as session:
        device = session.scalars(select(Device).where(Device.store_code == "D001")).first()
    bodies = [_body("D001", "2025-06-30T16:30:00+00:00", "10.00", "12.00") for _i in range(3)]
    for body in bodies:
        key = idempotency_key(body["application_id"], 1)
        submission = Submission.model_validate(body)
        assert submissions.submit(c.factory, device, body["application_id"], key, submission).status_code == 201
    reviewer = _person(c, "reviewer", "EAST")
    assert _review(c, reviewer, bodies[0]["application_id"], "declined").status_code == 200
    cancel = CancellationRequest()
    assert (
        documents.request_cancellation(c.factory, device, bodies[1]["application_id"], "k1", cancel).status_code == 200
    )
    changed = _aggregates(c)
    assert changed != kept
    with c.factory.begin() as session:
        reporting.rebuild(session)
    assert _aggregates(c) == changed
    _same_as_naive(c, "EAST", dt.date(2024, 1, 1), dt.date(2026, 12, 31))


def test_racing_reviews_and_cancellations_keep_the_figures(central) -> None:
    """A reviewer's decision and the store's cancellation of the same application at the same time: one wins,
    and the figures count what the row says (PostgreSQL locks the row; SQLite takes turns)."""
    c = central
    auth = _device(c, "SH001")
    bodies = [_body("SH001", f"2026-11-{1 + i % 20:02d}T10:00:00+08:00", "10.00", "12.00") for i in range(24)]
    for body in bodies:
        assert _put(c, auth, body).status_code == 201
    with c.factory() as session:
        device = session.get(Device, _device_id(c, auth))
    with ThreadPoolExecutor(8) as pool:
        races = [
            (
                pool.submit(
                    submissions.review, c.factory, b["application_id"], "declined" if i % 2 else "approved", ""
                ),
                pool.submit(
                    documents.request_cancellation,
                    c.factory,
                    device,
                    b["application_id"],
                    f"k{i}",
                    CancellationRequest(),
                ),
            )
            for i, b in enumerate(bodies)
        ]
        codes = [(review.result().status_code, cancel.result().status_code) for review, cancel in races]
    assert all(sorted(pair) == [200, 409] for pair in codes)
    report = _same_as_naive(c, "EAST", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert report["totals"]["applications"] == 24 and report["totals"]["by_state"]["referred"] == 0
    kept = _aggregates(c)
    with c.factory.begin() as session:
        reporting.rebuild(session)
    assert _aggregates(c) == kept


def test_an_older_database_gets_the_report_columns(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(url)
    with TestClient(app) as client:
        c = SimpleNamespace(client=client, factory=app.state.factory)
        auth, reviewer = _device(c, "SH001"), _person(c, "reviewer", "EAST")
        first = _body("SH001", "2026-11-10T15:30:00+00:00", "1000.00", "1200.00")
        second = _body("SH001", "2026-11-10T16:30:00+00:00", "2000.00", "2100.00")
        assert _put(c, auth, first).status_code == 201 and _put(c, auth, second).status_code == 201
        assert _review(c, reviewer, second["application_id"], "declined").status_code == 200
    with sqlite3.connect(tmp_path / "old.db") as db:  # as the server left it before reports existed
        db.execute("DROP INDEX ix_applications_store_day")
        for column in ("day", "financed_fen", "ticket_fen", "score", "score_decile"):
            db.execute(f"ALTER TABLE applications DROP COLUMN {column}")
        db.execute("ALTER TABLE stores DROP COLUMN time_zone")
        for table in ("application_codes", "report_daily", "report_monthly", "report_versions", "report_day_marks"):
            db.execute(f"DROP TABLE {table}")
        for table in ("alembic_version", "sealing_keys"):  # nor Alembic (its bodies stay sealed: sealed once)
            db.execute(f"DROP TABLE {table}")
        db.execute("ALTER TABLE attachments DROP COLUMN size")  # nor what came after (evidence, revision 0003)
        for table in ("confirmation_codes", "card_checks", "rate_events", "audit_events"):
            db.execute(f"DROP TABLE {table}")
    app = create_app(url)
    with TestClient(app) as client:
        c = SimpleNamespace(client=client, factory=app.state.factory)
        report = _same_as_naive(c, "EAST", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        assert report["totals"]["by_state"] == {**ZERO_STATES, "referred": 1, "declined": 1}
        assert report["totals"]["decline_reasons"] == {"reviewer": 1}
        assert _same_as_naive(c, "EAST", dt.date(2026, 11, 11), dt.date(2026, 11, 11))["totals"]["applications"] == 1


def test_the_demo_data_and_time_zone_commands(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"

    def central_cli(*args: str) -> tuple[int, dict]:
        done = subprocess.run(
            [sys.executable, "-m", "central.cli", *args, "--db", db, "--json"], capture_output=True, text=True
        )
        return done.returncode, json.loads(done.stdout)

    code, out = central_cli("demo-data", "--count", "400", "--stores", "3", "--region", "EAST,WEST", "--seed", "5")
    assert code == 0 and out["applications"] == 400 and out["stores"] == 3 and out["devices"] == 6
    assert central_cli("store", "add", "--store", "D002", "--region", "WEST", "--time-zone", "America/New_York")[0] == 0
    code, out = central_cli("store", "add", "--store", "D003", "--region", "EAST", "--time-zone", "Mars/Olympus")
    assert code == 1 and out["error"]["code"] == "bad_time_zone"
    factory = open_database(db)
    with factory() as session:
        assert session.get(CentralStore, "D002").time_zone == "America/New_York"
        rows = session.scalars(select(SubmittedApplication).where(SubmittedApplication.store_code == "D002")).all()
        for row in rows:
            created = dt.datetime.fromisoformat(json.loads(row.body)["created_at"])
            assert row.day == created.astimezone(ZoneInfo("America/New_York")).date()
        assert rows
    c = SimpleNamespace(factory=factory)
    for region in ("EAST", "WEST"):  # D002's days counted again in its new zone, its figures rebuilt
        _same_as_naive(c, region, dt.date(2024, 1, 1), dt.date(2027, 1, 1))
