"""The store manager's end of day: the store-local day's applications by state, what waits to be sent (count
and oldest age), and the applications left open (count and references); for managers only; and its command."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from app.cli import main
from app.domain.actor import Actor
from app.domain.application import ApplicationState, path_to
from app.domain.roles import PermissionDenied, Role
from app.kernel.errors import InvalidInput
from app.office.end_of_day import EndOfDayService, day_bounds, parse_day
from app.storage.models import OutboxItem
from app.storage.repositories import ApplicationRepository

S = ApplicationState
MANAGER = Actor(login="manager", role=Role.STORE_MANAGER, display_name="Manager")
SALES = Actor(login="sales01", role=Role.SALES, display_name="Clerk")
DAY = dt.date(2026, 11, 29)
UTC = dt.UTC


def _at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    """A store-local (Shanghai, UTC+8) time as UTC."""
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8))
    ).astimezone(UTC)


def _application(services, created: dt.datetime, state: S) -> tuple[uuid.UUID, str]:
    repo = ApplicationRepository()
    with services.store.write() as session:
        app = repo.create_draft(session, services.current_store(session), None, "t", created)
        for step in path_to(state)[1:]:
            repo.transition(session, app.id, step, "t", created)
        return app.id, app.reference


def _pending(services, application_id: uuid.UUID, created: dt.datetime, status: str = "pending") -> None:
    with services.store.write() as session:
        item = uuid.uuid4()
        session.add(
            OutboxItem(
                id=item,
                application_id=application_id,
                idempotency_key=uuid.uuid4(),
                kind="application",
                payload_enc=services.store.cipher.seal("outbox", "payload", item, b"{}"),
                status=status,
                attempts=0,
                next_attempt_at=created,
                created_at=created,
            )
        )


@pytest.fixture
def day(services):
    """Applications around the store-local day: two before midnight belong to the day before, one at 00:30
    and others up to 23:59 to the day, one at midnight after to the next day."""
    made = {
        "yesterday_draft": _application(services, _at(23, 59, DAY - dt.timedelta(days=1)), S.DRAFT),
        "early_queued": _application(services, _at(0, 30), S.QUEUED),
        "signed": _application(services, _at(10), S.SIGNED),
        "quoted": _application(services, _at(11), S.QUOTED),
        "approved": _application(services, _at(12), S.APPROVED),
        "declined": _application(services, _at(13), S.DECLINED),
        "late_delivered": _application(services, _at(23, 59), S.DELIVERED),
        "tomorrow": _application(services, _at(0, 0, DAY + dt.timedelta(days=1)), S.PRESCREENED),
    }
    _pending(services, made["early_queued"][0], _at(0, 31))
    _pending(services, made["approved"][0], _at(12), status="sent")
    _pending(services, made["declined"][0], _at(13), status="dead")
    return made


def test_the_days_applications_by_state(services, day) -> None:
    service = EndOfDayService(services.store, services.store_id, clock=lambda: _at(22))
    summary = service.end_of_day(MANAGER)
    assert summary.day == DAY
    counted = {s: n for s, n in summary.by_state.items() if n}
    assert counted == {S.QUEUED: 1, S.SIGNED: 1, S.QUOTED: 1, S.APPROVED: 1, S.DECLINED: 1, S.DELIVERED: 1}
    assert summary.applications == 6
    assert set(summary.by_state) == set(S)  # every state is named, with 0 where there were none
    assert service.end_of_day(MANAGER, DAY + dt.timedelta(days=1)).applications == 1


def test_what_waits_to_be_sent_and_what_was_refused(services, day) -> None:
    summary = EndOfDayService(services.store, services.store_id, clock=lambda: _at(22)).end_of_day(MANAGER)
    assert summary.pending_sync == 1
    assert summary.oldest_pending_age_s == pytest.approx((_at(22) - _at(0, 31)).total_seconds())
    assert summary.refused == 1


def test_applications_left_open_from_any_day(services, day) -> None:
    """Left open: not yet handed to the outbox (draft, pre-screened, quoted, signed), oldest first."""
    summary = EndOfDayService(services.store, services.store_id, clock=lambda: _at(22)).end_of_day(MANAGER)
    assert [d.reference for d in summary.drafts] == [
        day["yesterday_draft"][1],
        day["signed"][1],
        day["quoted"][1],
        day["tomorrow"][1],
    ]
    assert [d.state for d in summary.drafts] == [S.DRAFT, S.SIGNED, S.QUOTED, S.PRESCREENED]
    out = summary.as_json()
    assert out["drafts_open"] == {"count": 4, "references": [d.reference for d in summary.drafts]}
    assert out["pending_sync"] == {"count": 1, "oldest_age_s": round((_at(22) - _at(0, 31)).total_seconds())}


def test_sales_consultants_do_not_see_the_store_summary(services) -> None:
    with pytest.raises(PermissionDenied):
        EndOfDayService(services.store, services.store_id).end_of_day(SALES)


def test_days_are_the_stores_local_days() -> None:
    from zoneinfo import ZoneInfo

    start, end = day_bounds(DAY, ZoneInfo("Asia/Shanghai"))
    assert (start, end) == (dt.datetime(2026, 11, 28, 16, tzinfo=UTC), dt.datetime(2026, 11, 29, 16, tzinfo=UTC))
    assert parse_day(" 2026-11-29 ") == DAY
    with pytest.raises(InvalidInput) as bad:
        parse_day("29.11.2026")
    assert bad.value.code == "bad_date"


def test_the_command_prints_the_json_contract(services, day, capsys) -> None:
    services.close()
    assert main(["report", "end-of-day", "--date", "2026-11-29", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["date"], out["store"], out["applications"]) == ("2026-11-29", "S001", 6)
    assert out["by_state"]["queued"] == 1 and set(out["by_state"]) == {s.value for s in S}
    assert out["pending_sync"]["count"] == 1 and isinstance(out["pending_sync"]["oldest_age_s"], int)
    assert out["refused"] == 1
    assert out["drafts_open"]["count"] == 4 and out["drafts_open"]["references"][0] == day["yesterday_draft"][1]


def test_the_command_refuses_a_bad_date_and_prints_a_table(services, day, capsys) -> None:
    services.close()
    assert main(["report", "end-of-day", "--date", "2026-02-30", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_date"
    assert main(["report", "end-of-day", "--date", "2026-11-29"]) == 0
    table = capsys.readouterr().out
    assert "End of day 2026-11-29" in table and "Left open" in table and day["quoted"][1] in table
    with pytest.raises(SystemExit):
        main(["report", "end-of-day", "--help"])
    assert "bad_date" in capsys.readouterr().out
