"""The store manager's end-of-day summary: the day's applications by state, what is still waiting to reach the
lender, and the applications left open at the counter. Days are the store's local days (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, ApplicationState, parse_state
from app.domain.roles import Permission, require_permission
from app.kernel.clock import local_day, utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.local_store import LocalStore
from app.storage.models import Application, Staff, Store
from app.storage.outbox import outbox_status

# Left open: not yet handed to the outbox — still being filled in, or signed but not sent.
OPEN_STATES = frozenset({*EDITABLE_STATES, ApplicationState.SIGNED})


@dataclass(frozen=True)
class OpenDraft:
    """An application left open at the counter (no personal data: reference, state, who filed it, when)."""

    reference: str
    state: ApplicationState
    staff_login: str
    created_at: dt.datetime


@dataclass(frozen=True)
class EndOfDay:
    """One store-local day at one store, as the summary shows it."""

    day: dt.date
    store_code: str
    store_name: str
    time_zone: str
    by_state: dict[ApplicationState, int]  # applications started that day, by their state now
    pending_sync: int  # outbox items waiting to be sent (all days)
    oldest_pending_age_s: float | None
    refused: int  # outbox items the lender refused for good, waiting for a person
    drafts: list[OpenDraft]  # applications left open (all days), oldest first

    @property
    def applications(self) -> int:
        """Applications started that day."""
        return sum(self.by_state.values())

    def as_json(self) -> dict[str, Any]:
        """The summary as `fenqi report end-of-day --json` prints it."""
        age = self.oldest_pending_age_s
        return {
            "date": self.day.isoformat(),
            "store": self.store_code,
            "time_zone": self.time_zone,
            "applications": self.applications,
            "by_state": {s.value: n for s, n in self.by_state.items()},
            "pending_sync": {"count": self.pending_sync, "oldest_age_s": None if age is None else round(age)},
            "refused": self.refused,
            "drafts_open": {"count": len(self.drafts), "references": [d.reference for d in self.drafts]},
            "drafts": [
                {
                    "reference": d.reference,
                    "state": d.state.value,
                    "staff": d.staff_login,
                    "created_at": d.created_at.astimezone(dt.UTC).isoformat(),
                }
                for d in self.drafts
            ],
        }


def parse_day(text: str) -> dt.date:
    """A date given as YYYY-MM-DD; raises InvalidInput (code bad_date) otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(_("Not a date (YYYY-MM-DD): {text}").format(text=text), code="bad_date") from exc


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The UTC start and end (exclusive) of the store-local `day`."""
    start = dt.datetime.combine(day, dt.time(), zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


class EndOfDayService:
    """Builds the end-of-day summary of this counter's store."""

    def __init__(self, store: LocalStore, store_id: uuid.UUID, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.store_id = store_id
        self.clock = clock

    def end_of_day(self, actor: Actor, day: dt.date | None = None) -> EndOfDay:
        """The summary of `day` (the store's today when None). PermissionDenied unless the actor may see the
        store's reports (store manager, store IT). Reads only; takes no write lock."""
        require_permission(actor.role, Permission.VIEW_STORE_REPORT)
        now = self.clock()
        with self.store.read() as session:
            shop = session.get(Store, self.store_id)
            assert shop is not None
            zone = ZoneInfo(shop.time_zone)
            day = local_day(now, zone) if day is None else day
            start, end = day_bounds(day, zone)
            counts = dict(
                session.execute(
                    select(Application.state, func.count(Application.id))
                    .where(
                        Application.store_id == self.store_id,
                        Application.created_at >= start,
                        Application.created_at < end,
                    )
                    .group_by(Application.state)
                ).all()
            )
            open_rows = session.execute(
                select(Application.reference, Application.state, Application.created_at, Staff.login)
                .outerjoin(Staff, Staff.id == Application.staff_id)
                .where(
                    Application.store_id == self.store_id,
                    Application.state.in_(sorted(s.value for s in OPEN_STATES)),
                )
                .order_by(Application.created_at, Application.reference)
            ).all()
            store_code, store_name, time_zone = shop.code, shop.name, shop.time_zone
        status = outbox_status(self.store, now)
        return EndOfDay(
            day=day,
            store_code=store_code,
            store_name=store_name,
            time_zone=time_zone,
            by_state={s: int(counts.get(s.value, 0)) for s in ApplicationState},
            pending_sync=status.pending,
            oldest_pending_age_s=status.oldest_pending_age_s,
            refused=status.dead_letters,
            drafts=[OpenDraft(r.reference, parse_state(r.state), r.login or "", r.created_at) for r in open_rows],
        )
