"""Drafts: saved sealed and idempotently while the clerk types, reopened after a crash, listed and searched
(own for a sales consultant, all for the store manager), refused once signed, and cancelled from the list by
the creator or the store manager only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from app.counter.drafts import DraftService
from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.domain.consent import FIRST_MOMENT, ConsentKind
from app.domain.roles import PermissionDenied, Role
from app.kernel.errors import InvalidInput
from app.storage.consents import ConsentRepository
from app.storage.models import Application, DraftSnapshot, Staff
from app.storage.repositories import ApplicationRepository
from tests.support.applications import GOOD, given

S = ApplicationState
START = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def actor(services, login: str) -> Actor:
    """The demo staff member `login` as the counter signs them in."""
    with services.store.read() as session:
        row = session.scalar(select(Staff).where(Staff.login == login))
        return Actor(login=row.login, role=Role(row.role), display_name=row.login, staff_id=row.id)


def started(services, who: Actor) -> uuid.UUID:
    """A new application with the customer's first-moment consents, filed by `who`."""
    return services.consents.begin_application(who, given(FIRST_MOMENT)).application_id


def move(services, application_id: uuid.UUID, *states: ApplicationState) -> None:
    with services.store.write() as session:
        for state in states:
            ApplicationRepository().transition(session, application_id, state, "test", services.consents.clock())


def reference(services, application_id: uuid.UUID) -> str:
    with services.store.read() as session:
        return session.scalar(select(Application.reference).where(Application.id == application_id))


def draft_count(services) -> int:
    with services.store.read() as session:
        return session.scalar(select(func.count()).select_from(DraftSnapshot))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def drafts(services, clock) -> DraftService:
    """The service, with every service the tests use on the same hand-moved clock."""
    services.consents.clock = services.intake.clock = clock
    return DraftService(services.store, services.store_id, clock)


def file_bytes(services) -> bytes:
    """The database file and its WAL, as they are on disk now."""
    wal = services.store.path.with_name(services.store.path.name + "-wal")
    return services.store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_saved_values_come_back_sealed_at_rest(services, drafts, clock) -> None:
    """Values (valid or not) load back as saved, with the step and time; none of them is in the file."""
    clerk = actor(services, "sales01")
    application_id = started(services, clerk)
    values = {"name": "欧阳娜娜", "id_number": "11010519800101", "phone": "1391234"}  # half typed
    drafts.save(clerk, application_id, "customer", values)
    loaded = drafts.load(application_id)
    assert loaded is not None
    assert (loaded.step, loaded.values, loaded.updated_at, loaded.state) == ("customer", values, START, S.DRAFT)
    assert loaded.reference == reference(services, application_id)
    raw = file_bytes(services)
    for value in values.values():
        assert value.encode() not in raw
    assert "欧阳".encode() not in raw


def test_saving_again_replaces_the_draft_and_the_same_values_twice_change_nothing(services, drafts, clock) -> None:
    """One row per application: an upsert. Saving identical values twice leaves one identical draft."""
    clerk = actor(services, "sales01")
    application_id = started(services, clerk)
    drafts.save(clerk, application_id, "customer", {"name": "王"})
    clock.advance(seconds=2)
    drafts.save(clerk, application_id, "purchase", {"price": "49"})
    drafts.save(clerk, application_id, "purchase", {"price": "49"})
    assert draft_count(services) == 1
    loaded = drafts.load(application_id)
    assert loaded is not None and (loaded.step, loaded.values) == ("purchase", {"price": "49"})
    assert loaded.updated_at == START + dt.timedelta(seconds=2)


def test_nothing_saved_loads_as_none(services, drafts) -> None:
    clerk = actor(services, "sales01")
    assert drafts.load(started(services, clerk)) is None
    assert drafts.load(uuid.uuid4()) is None
    assert drafts.last_open(clerk) is None


def test_last_open_is_the_clerks_newest_editable_draft(services, drafts, clock) -> None:
    """What reopens after a crash: this clerk's most recent save, skipping signed and cancelled applications
    and other clerks' drafts."""
    clerk, other = actor(services, "sales01"), actor(services, "sales02")
    older, newer, signed = (started(services, clerk) for _ in range(3))
    theirs = started(services, other)
    drafts.save(clerk, older, "customer", {"name": "甲"})
    clock.advance(seconds=5)
    drafts.save(clerk, newer, "purchase", {"price": "1"})
    clock.advance(seconds=5)
    drafts.save(clerk, signed, "plan", {"term": "12"})
    move(services, signed, S.PRESCREENED, S.QUOTED, S.SIGNED)
    clock.advance(seconds=5)
    drafts.save(other, theirs, "customer", {"name": "乙"})
    found = drafts.last_open(clerk)
    assert found is not None and (found.application_id, found.step, found.values) == (newer, "purchase", {"price": "1"})
    drafts.cancel(clerk, newer, "customer left")
    found = drafts.last_open(clerk)
    assert found is not None and found.application_id == older
    assert drafts.last_open(actor(services, "admin")) is None  # files no applications


def test_saving_is_refused_once_signed_and_nothing_is_written(services, drafts, clock) -> None:
    """Signed or later: InvalidInput in the configured language, and the draft before stays as it was."""
    clerk = actor(services, "sales01")
    application_id = started(services, clerk)
    drafts.save(clerk, application_id, "plan", {"term": "12"})
    move(services, application_id, S.PRESCREENED, S.QUOTED, S.SIGNED)
    before = file_bytes(services)
    clock.advance(seconds=3)
    with pytest.raises(InvalidInput, match="Signed: its draft can no longer be changed") as caught:
        drafts.save(clerk, application_id, "plan", {"term": "24"})
    assert caught.value.code == "not_editable"
    loaded = drafts.load(application_id)
    assert loaded is not None and loaded.values == {"term": "12"} and loaded.updated_at == START
    assert file_bytes(services) == before


def test_bad_input_unknown_application_and_withdrawn_consent_write_nothing(services, drafts) -> None:
    clerk = actor(services, "sales01")
    application_id = started(services, clerk)
    for step, values in (("", {}), ("x" * 40, {}), ("customer", {"name": 3}), ("customer", {"a": "b" * 5000})):
        with pytest.raises(InvalidInput):
            drafts.save(clerk, application_id, step, values)
    with pytest.raises(InvalidInput, match="No such application"):
        drafts.save(clerk, uuid.uuid4(), "customer", {})
    with services.store.write() as session:
        ConsentRepository().withdraw(session, application_id, ConsentKind.CREDIT_INQUIRY, START)
    with pytest.raises(InvalidInput) as caught:
        drafts.save(clerk, application_id, "customer", {"name": "王"})
    assert caught.value.code == "consent_missing"
    assert draft_count(services) == 0


def test_who_may_save(services, drafts) -> None:
    """Another clerk's application is refused; the store manager may continue it; store IT files nothing."""
    clerk, other, manager = actor(services, "sales01"), actor(services, "sales02"), actor(services, "manager")
    application_id = started(services, clerk)
    with pytest.raises(PermissionDenied):
        drafts.save(other, application_id, "customer", {})
    with pytest.raises(PermissionDenied):
        drafts.save(actor(services, "admin"), application_id, "customer", {})
    assert draft_count(services) == 0
    drafts.save(manager, application_id, "customer", {"name": "王"})
    assert draft_count(services) == 1


# --- the drafts list ------------------------------------------------------------------------------------------


@pytest.fixture
def listed(services, drafts, clock):
    """Three open applications of sales01 and one of sales02: a saved customer (王晓明), one typed only
    (欧阳娜娜), one signed, and sales02's quoted one (李雷), saved a day apart."""
    clerk, other = actor(services, "sales01"), actor(services, "sales02")
    saved = started(services, clerk)
    services.intake.save(clerk, saved, GOOD)
    drafts.save(clerk, saved, "purchase", {"price": "4999"})
    clock.advance(days=1)
    typed = started(services, clerk)
    drafts.save(
        clerk, typed, "customer", {"name": "欧阳娜娜", "phone": "13900001111", "id_number": "11010119900307123x"}
    )
    signed = started(services, clerk)
    move(services, signed, S.PRESCREENED, S.QUOTED, S.SIGNED)
    clock.advance(days=1)
    theirs = started(services, other)
    drafts.save(other, theirs, "customer", {"name": "李雷", "phone": "13700002222"})
    move(services, theirs, S.PRESCREENED, S.QUOTED)
    cancelled = started(services, clerk)
    drafts.cancel(clerk, cancelled, "customer left")
    queued = started(services, clerk)
    move(services, queued, S.PRESCREENED, S.QUOTED, S.SIGNED, S.QUEUED)
    return dataclasses.make_dataclass("Listed", ["clerk", "other", "saved", "typed", "signed", "theirs"])(
        clerk, other, saved, typed, signed, theirs
    )


def _ids(rows) -> set[uuid.UUID]:
    return {r.application_id for r in rows}


def test_a_sales_consultant_sees_their_own_open_applications_masked(services, drafts, listed) -> None:
    rows = drafts.search(listed.clerk)
    assert _ids(rows) == {listed.saved, listed.typed, listed.signed}  # not cancelled, queued or sales02's
    by_id = {r.application_id: r for r in rows}
    saved, typed = by_id[listed.saved], by_id[listed.typed]
    assert (saved.customer_name, saved.phone_masked, saved.id_number_masked) == (
        "王晓明",
        "138****5678",
        "1101**********0024",
    )
    assert (typed.customer_name, typed.phone_masked, typed.id_number_masked) == (
        "欧阳娜娜",
        "139****1111",
        "1101**********123X",
    )
    assert saved.step == "purchase" and by_id[listed.signed].step == "" and by_id[listed.signed].state is S.SIGNED
    assert saved.staff_login == "sales01" and saved.staff_name == "王晓明"  # the demo clerk's own name
    assert [r.application_id for r in rows][-1] == listed.saved  # newest change first


def test_the_store_manager_sees_every_open_application(services, drafts, listed) -> None:
    manager = actor(services, "manager")
    assert _ids(drafts.search(manager)) == {listed.saved, listed.typed, listed.signed, listed.theirs}
    assert _ids(drafts.search(manager, staff_login="sales02")) == {listed.theirs}
    assert [login for login, _name in drafts.staff_choices(manager)] == ["manager", "sales01", "sales02", "sales03"]
    assert drafts.staff_choices(listed.clerk) == [("sales01", "王晓明")]
    with pytest.raises(PermissionDenied):
        drafts.search(actor(services, "admin"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王晓明", "saved"),
        ("晓明", "saved"),
        ("欧阳", "typed"),
        ("13812345678", "saved"),
        ("5678", "saved"),
        ("139 0000 1111", "typed"),
        ("００２４", "saved"),  # full-width digits from an IME
        ("123x", "typed"),  # last 4 of the masked ID, any case
        ("1101**********0024", "saved"),
        ("110105198001010024", "saved"),  # the whole number, scanned into the box
    ],
)
def test_search_by_name_phone_masked_id(services, drafts, listed, text: str, expected: str) -> None:
    assert _ids(drafts.search(listed.clerk, text)) == {getattr(listed, expected)}


def test_search_by_reference_and_nothing_found(services, drafts, listed) -> None:
    ref = reference(services, listed.typed)
    assert _ids(drafts.search(listed.clerk, ref)) == {listed.typed}
    assert _ids(drafts.search(listed.clerk, ref.lower())) == {listed.typed}
    assert drafts.search(listed.clerk, "nobody") == []
    assert drafts.search(listed.clerk, "李雷") == []  # sales02's


def test_filters_by_state_and_store_local_day(services, drafts, listed) -> None:
    manager = actor(services, "manager")
    assert _ids(drafts.search(manager, state=S.QUOTED)) == {listed.theirs}
    assert _ids(drafts.search(manager, state="signed")) == {listed.signed}
    assert drafts.search(manager, state=S.QUEUED) == []  # not an open state
    day = dt.date(2026, 11, 30)
    assert _ids(drafts.search(manager, since=day, until=day)) == {listed.saved}
    assert _ids(drafts.search(manager, since=day + dt.timedelta(days=1))) == {
        listed.typed,
        listed.signed,
        listed.theirs,
    }
    assert _ids(drafts.search(manager, until=day + dt.timedelta(days=1))) == {listed.saved, listed.typed, listed.signed}


def test_cancel_from_the_list_by_the_creator_or_the_manager_only(services, drafts, listed) -> None:
    """Another clerk is refused and nothing changes; a reason is required; the creator and the store manager
    may, and the row leaves the list."""
    with pytest.raises(PermissionDenied):
        drafts.cancel(listed.other, listed.typed, "wrong customer")
    with pytest.raises(InvalidInput, match="Say why"):
        drafts.cancel(listed.clerk, listed.typed, "  ")
    assert listed.typed in _ids(drafts.search(listed.clerk))
    assert drafts.cancel(listed.clerk, listed.typed, "customer changed their mind") is S.CANCELLED
    assert drafts.cancel(actor(services, "manager"), listed.theirs, "duplicate") is S.CANCELLED
    assert _ids(drafts.search(actor(services, "manager"))) == {listed.saved, listed.signed}
