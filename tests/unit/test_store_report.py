"""The store report: figures against hand-computed values, the triggers' daily figures against the naive
GROUP BY after any sequence of writes, the migration's backfill against the triggers, and who sees what."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text, update

from app.domain.actor import Actor
from app.domain.application import ALLOWED_TRANSITIONS, ApplicationState, path_to
from app.domain.roles import PermissionDenied, Role
from app.kernel.errors import InvalidInput
from app.office.purge import PurgeService
from app.reports.figures import DailyFigures, NaiveFigures, Scope
from app.reports.period import BadPeriod, Period, parse_period, preset_period
from app.storage import migrate
from app.storage.models import Application, ApplicationCode, Purchase, Staff
from app.storage.repositories import ApplicationRepository

S = ApplicationState
UTC = dt.UTC


def _staff(services, login: str) -> uuid.UUID:
    with services.store.read() as session:
        return session.scalar(select(Staff.id).where(Staff.login == login))


def _file(
    services,
    at: dt.datetime,
    login: str | None,
    target: S,
    product=None,
    term=None,
    principal=None,
    price=None,
    codes=(),
) -> uuid.UUID:
    """One application started at `at`, taken along the usual path to `target`."""
    staff_id = _staff(services, login) if login else None
    repo = ApplicationRepository()
    with services.store.write() as session:
        app = repo.create_draft(session, services.current_store(session), staff_id, "test", at)
        session.execute(
            update(Application)
            .where(Application.id == app.id)
            .values(
                product_code=product, requested_term=term, principal=None if principal is None else Decimal(principal)
            )
        )
        if price is not None:
            session.add(
                Purchase(
                    id=uuid.uuid4(),
                    application_id=app.id,
                    category="phone",
                    description="手机",
                    price=Decimal(price),
                    down_payment=Decimal(0),
                )
            )
        session.add_all(ApplicationCode(application_id=app.id, code=c, kind=k) for c, k in codes)
        for state in path_to(target)[1:]:
            repo.transition(session, app.id, state, "test", at)
        return app.id


@pytest.fixture
def fixed(services):
    """Five applications in the first week of November 2026 (Asia/Shanghai), with days left empty."""
    _file(
        services, dt.datetime(2026, 11, 2, 15, 59, tzinfo=UTC), "sales01", S.APPROVED, "GOODS", 12, "2700.00", "3000.00"
    )  # 23:59 on the 2nd in Shanghai
    _file(
        services,
        dt.datetime(2026, 11, 2, 16, 1, tzinfo=UTC),
        "sales01",
        S.DECLINED,
        "CASH",
        6,
        "5000.00",
        codes=[("no_income", "reason"), ("id_velocity", "flag")],
    )  # 00:01 on the 3rd in Shanghai
    _file(
        services, dt.datetime(2026, 11, 5, 3, 0, tzinfo=UTC), "sales02", S.DELIVERED, "GOODS", 12, "1800.00", "2000.00"
    )
    _file(services, dt.datetime(2026, 11, 5, 4, 0, tzinfo=UTC), "sales02", S.DRAFT)
    _file(
        services, dt.datetime(2026, 11, 7, 2, 0, tzinfo=UTC), "sales01", S.CANCELLED, "EDU", 24, "10000.00", "10000.00"
    )
    return services


def _report(services, start: str, end: str, actor: Actor | None = None, staff: str | None = None):
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return services.reports.report(actor or Actor.command_line(), period, staff).as_json()


def test_figures_match_hand_computed_values(fixed) -> None:
    r = _report(fixed, "2026-11-02", "2026-11-08")
    assert [d["applications"] for d in r["daily"]] == [1, 1, 0, 2, 0, 1, 0]
    assert r["daily"][0]["date"] == "2026-11-02" and r["daily"][-1]["date"] == "2026-11-08"
    assert r["weekly"] == [{"week_start": "2026-11-02", "applications": 5}]
    assert (r["applications"], r["approved"], r["declined"], r["decided"]) == (5, 2, 1, 3)
    assert r["approval_rate"] == "66.67"
    assert r["financed_total"] == "4500.00" and r["average_financed"] == "2250.00"  # approved 2700 + delivered 1800
    assert r["average_ticket"] == "5000.00"  # (3000 + 2000 + 10000) / 3
    assert {k: v for k, v in r["by_state"].items() if v} == {
        "approved": 1,
        "declined": 1,
        "delivered": 1,
        "draft": 1,
        "cancelled": 1,
    }
    assert [(f["stage"], f["count"]) for f in r["funnel"]] == [
        ("started", 5),
        ("prescreened", 3),
        ("quoted", 3),
        ("signed", 3),
        ("sent", 3),
        ("answered", 3),
        ("approved", 2),
        ("delivered", 1),
        ("cancelled", 1),
    ]
    assert [(p["product"], p["applications"], p["requested_total"]) for p in r["products"]] == [
        ("GOODS", 2, "4500.00"),
        ("", 1, "0.00"),
        ("CASH", 1, "5000.00"),
        ("EDU", 1, "10000.00"),
    ]
    assert [(t["term"], t["applications"]) for t in r["terms"]] == [(None, 1), (6, 1), (12, 2), (24, 1)]
    assert [(s["staff"], s["applications"], s["approved"], s["declined"], s["approval_rate"]) for s in r["staff"]] == [
        ("sales01", 3, 1, 1, "50.00"),
        ("sales02", 2, 1, 0, "100.00"),
    ]
    assert r["decline_reasons"] == [{"code": "no_income", "count": 1}]
    assert r["fraud_flags"] == [{"code": "id_velocity", "count": 1}]
    assert r["sync"] == {"pending": 0, "oldest_pending_age_s": None, "dead_letters": 0}


def test_days_follow_the_store_time_zone(fixed) -> None:
    """15:59 UTC is 23:59 in Shanghai (the 2nd); 16:01 UTC is already the 3rd."""
    assert _report(fixed, "2026-11-02", "2026-11-02")["by_state"]["approved"] == 1
    third = _report(fixed, "2026-11-03", "2026-11-03")
    assert third["applications"] == 1 and third["by_state"]["declined"] == 1


def test_an_empty_range_gives_zeros_for_every_day(fixed) -> None:
    r = _report(fixed, "2026-10-01", "2026-10-31")
    assert len(r["daily"]) == 31 and all(d["applications"] == 0 for d in r["daily"])
    assert r["applications"] == 0 and r["approval_rate"] is None and r["average_ticket"] is None
    assert r["products"] == [] and r["staff"] == [] and r["decline_reasons"] == []
    assert all(f["count"] == 0 for f in r["funnel"])


def test_sales_staff_see_only_their_own_figures(fixed) -> None:
    sales02 = Actor("sales02", Role.SALES, "李娜", _staff(fixed, "sales02"))
    r = _report(fixed, "2026-11-02", "2026-11-08", sales02)
    assert r["scope"] == "staff" and r["staff_login"] == "sales02"
    assert r["applications"] == 2 and [s["staff"] for s in r["staff"]] == ["sales02"]
    with pytest.raises(PermissionDenied):
        _report(fixed, "2026-11-02", "2026-11-08", sales02, staff="sales01")
    nobody = Actor("ghost", Role.SALES, "ghost", None)
    with pytest.raises(PermissionDenied):
        _report(fixed, "2026-11-02", "2026-11-08", nobody)


def test_managers_see_the_store_or_one_member(fixed) -> None:
    manager = Actor("manager", Role.STORE_MANAGER, "陈静", _staff(fixed, "manager"))
    assert _report(fixed, "2026-11-02", "2026-11-08", manager)["applications"] == 5
    one = _report(fixed, "2026-11-02", "2026-11-08", manager, staff="sales01")
    assert one["applications"] == 3 and one["staff_login"] == "sales01"
    with pytest.raises(InvalidInput):
        _report(fixed, "2026-11-02", "2026-11-08", manager, staff="nobody")


def test_periods() -> None:
    today = dt.date(2026, 11, 29)  # a Sunday
    assert preset_period("today", today) == Period(today, today, "today")
    assert preset_period("this_week", today).start == dt.date(2026, 11, 23)
    assert preset_period("this_month", today).start == dt.date(2026, 11, 1)
    assert parse_period(None, None, today).start == dt.date(2026, 11, 1)
    assert parse_period("2026-01-01", None, today) == Period(dt.date(2026, 1, 1), today)
    with pytest.raises(BadPeriod):
        Period(dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        parse_period("2026-13-01", None, today)


def _same(services, scope: Scope) -> None:
    with services.store.read() as session:
        for question in ("daily", "by_state_and_staff", "mixes"):
            fast = getattr(DailyFigures(peers=False), question)(session, scope)
            naive = getattr(NaiveFigures(), question)(session, scope)
            assert fast == naive, question


_DAY0 = dt.datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
_CODES = [("no_income", "reason"), ("score_records", "reason"), ("id_velocity", "flag"), ("phone_shared", "flag")]

operation = st.one_of(
    st.tuples(
        st.just("file"),
        st.integers(0, 9),
        st.sampled_from(["sales01", "sales02", None]),
        st.sampled_from([None, "GOODS", "CASH"]),
        st.sampled_from([None, 6, 12]),
        st.one_of(st.none(), st.integers(100, 99999)),
        st.one_of(st.none(), st.integers(100, 99999)),
    ),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 10)),
    st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from([None, "EDU"]), st.integers(100, 5000)),
    st.tuples(st.just("price"), st.integers(0, 50), st.one_of(st.none(), st.integers(1, 9999))),
    st.tuples(st.just("codes"), st.integers(0, 50), st.sets(st.integers(0, 3))),
    st.tuples(st.just("cancel"), st.integers(0, 50)),
    st.tuples(st.just("purge")),
)


def _apply(services, op: tuple, ids: list[uuid.UUID]) -> None:
    repo = ApplicationRepository()
    kind = op[0]
    if kind == "file":
        _, day, login, product, term, principal, price = op
        ids.append(
            _file(
                services,
                _DAY0 + dt.timedelta(days=day, hours=day * 2),
                login,
                S.DRAFT,
                product,
                term,
                None if principal is None else f"{principal}.50",
                None if price is None else f"{price}.00",
            )
        )
        return
    if kind == "purge":
        later = _DAY0 + dt.timedelta(days=400)
        PurgeService(services.store, lambda: services.settings).purge_due(None, later)
        return
    if not ids:
        return
    app_id = ids[op[1] % len(ids)]
    with services.store.write() as session:
        app = session.get(Application, app_id)
        if kind == "move":
            targets = sorted(ALLOWED_TRANSITIONS[S(app.state)])
            if targets:
                repo.transition(session, app_id, targets[op[2] % len(targets)], "test", _DAY0)
        elif kind == "cancel":
            if S.CANCELLED in ALLOWED_TRANSITIONS[S(app.state)]:
                repo.transition(session, app_id, S.CANCELLED, "test", _DAY0)
        elif kind == "edit":
            app.product_code, app.principal = op[2], Decimal(op[3])
        elif kind == "price":
            purchase = session.scalar(select(Purchase).where(Purchase.application_id == app_id))
            if op[2] is None and purchase is not None:
                session.delete(purchase)
            elif op[2] is not None and purchase is None:
                session.add(
                    Purchase(
                        id=uuid.uuid4(),
                        application_id=app_id,
                        category="x",
                        description="x",
                        price=Decimal(op[2]),
                        down_payment=Decimal(0),
                    )
                )
            elif purchase is not None:
                purchase.price = Decimal(op[2])
        elif kind == "codes":
            session.execute(delete(ApplicationCode).where(ApplicationCode.application_id == app_id))
            session.add_all(ApplicationCode(application_id=app_id, code=_CODES[i][0], kind=_CODES[i][1]) for i in op[2])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=25))
def test_daily_figures_equal_the_naive_group_by_after_any_writes(services, ops) -> None:
    ids: list[uuid.UUID] = []
    for op in ops:
        _apply(services, op, ids)
    store = services.store_id
    sales01 = _staff(services, "sales01")
    for scope in (
        Scope(store, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        Scope(store, dt.date(2026, 3, 3), dt.date(2026, 3, 6)),
        Scope(store, dt.date(2026, 3, 1), dt.date(2026, 3, 31), sales01),
    ):
        _same(services, scope)
    with services.store.read() as session:  # no row is left that counts nothing
        assert not session.execute(
            text("SELECT 1 FROM report_daily WHERE n = 0 AND financed_n = 0 AND ticket_n = 0")
        ).first()


def test_the_migration_backfill_equals_the_triggers(fixed) -> None:
    """Taking the store back to 0007 and up again rebuilds the daily figures from the rows: the same ones."""

    def dump() -> list[tuple]:
        with fixed.store.read() as session:
            return list(session.execute(text("SELECT * FROM report_daily ORDER BY 1, 2, 3, 4, 5")))

    before = dump()
    assert before
    migrate.downgrade(fixed.store.engine, "0007")
    with fixed.store.engine.begin() as conn:  # before 0008 the codes lived only in the pre-screen log
        declined = conn.exec_driver_sql("SELECT id FROM applications WHERE state = 'declined'").scalar()
        for decision, codes in (("approve", "id_velocity"), ("decline", "no_income id_velocity")):  # latest wins
            conn.exec_driver_sql(
                "INSERT INTO prescreen_log (at, application_id, model_version, score, pd, decision, codes) "
                "VALUES ('2026-11-03 00:00:00.000000', ?, 'v', 500, 0.1, ?, ?)",
                (declined, decision, codes),
            )
    migrate.upgrade(fixed.store.engine)
    assert dump() == before
