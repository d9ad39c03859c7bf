"""Drafts: what the clerk has typed on the step they are on, saved while they type, and the list of open
applications to resume or cancel.

The autosave (ui/autosave.py) calls `DraftService.save` at most every 2 s while typing continues and 500 ms
after the last change; each save is one small write transaction of one sealed row, so after a crash or
kill -9 the counter reopens on `last_open` and loses at most the last seconds. The values may be incomplete or
invalid (that is what a draft is): they are sealed whole with AES-GCM and never read by anything but the
flow that resumes them and the drafts list. Nothing about a draft is written to the audit log: saves are
frequent, carry nothing decided, and the application's own steps are audited where they happen.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, Select, select
from sqlalchemy.orm import InstrumentedAttribute

from app.counter.cancellation import CancellationService
from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, ApplicationState, parse_state, state_label
from app.domain.consent import missing_first_moment
from app.domain.identity import normalize_resident_id
from app.domain.masking import mask_id_number, mask_phone
from app.domain.roles import Permission, PermissionDenied, Role, has_permission, require_permission
from app.kernel.clock import local_day, utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.draft_snapshots import DraftSnapshotSealing
from app.storage.local_store import LocalStore
from app.storage.models import Application, Customer, DraftSnapshot, Staff, Store
from app.storage.repositories import CustomerRepository
from app.storage.staff import StaffRepository
from app.storage.types import stored_time, stored_uuid

# The drafts list shows every application not yet handed to the outbox: the editable ones, and one signed but
# not yet queued (it resumes at submitting).
OPEN_STATES: tuple[ApplicationState, ...] = (
    ApplicationState.DRAFT,
    ApplicationState.PRESCREENED,
    ApplicationState.QUOTED,
    ApplicationState.SIGNED,
)
MAX_STEP_CHARS = 32
MAX_FIELDS = 200
MAX_KEY_CHARS = 64
MAX_VALUE_CHARS = 4000
# Where the drafts list finds the customer while the customer is not yet saved: the customer form's keys.
NAME_KEY, PHONE_KEY, ID_NUMBER_KEY = "name", "phone", "id_number"

# What save() checks, in one statement: the application's state, store and filer, and the consents it holds.
_CHECK_SQL = (
    "SELECT a.state AS state, a.store_id AS store_id, a.staff_id AS staff_id, "
    "(SELECT group_concat(c.kind) FROM consents c WHERE c.application_id = a.id AND c.withdrawn_at IS NULL) "
    "AS consents FROM applications a WHERE a.id = ?"
)
_UPSERT_SQL = (
    "INSERT INTO draft_snapshots (application_id, staff_id, step, values_enc, updated_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (application_id) DO UPDATE SET staff_id = excluded.staff_id, step = excluded.step, "
    "values_enc = excluded.values_enc, updated_at = excluded.updated_at"
)


@dataclass(frozen=True)
class Draft:
    """The values saved for one application, on the step the clerk was on, and when."""

    application_id: uuid.UUID
    reference: str
    state: ApplicationState
    step: str
    values: dict[str, str] = field(default_factory=dict)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class DraftRow:
    """One line of the drafts list: personal values masked, times in UTC (shown in the store's zone).
    `step` is "" when nothing was autosaved yet (the flow then starts from the application's state)."""

    application_id: uuid.UUID
    reference: str
    customer_name: str
    phone_masked: str
    id_number_masked: str
    state: ApplicationState
    staff_login: str
    staff_name: str
    step: str
    updated_at: dt.datetime


def _folded(text: str) -> str:
    """Full-width characters folded (an IME types １３８…), case ignored, outer spaces gone."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _encode(step: str, values: dict[str, str]) -> tuple[str, bytes]:
    """The step and values checked and turned into the bytes sealed; InvalidInput for anything malformed."""
    step = step.strip() if isinstance(step, str) else ""
    if not step or len(step) > MAX_STEP_CHARS:
        raise InvalidInput(_("A draft needs the name of the step it was saved on."), code="bad_draft")
    if not isinstance(values, dict) or len(values) > MAX_FIELDS:
        raise InvalidInput(_("A draft holds at most {count} fields.").format(count=MAX_FIELDS), code="bad_draft")
    for key, value in values.items():
        if not isinstance(key, str) or not isinstance(value, str) or not key or len(key) > MAX_KEY_CHARS:
            raise InvalidInput(_("A draft holds text fields only."), code="bad_draft")
        if len(value) > MAX_VALUE_CHARS:
            raise InvalidInput(
                _("A draft field holds at most {count} characters.").format(count=MAX_VALUE_CHARS), code="bad_draft"
            )
    return step, json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _staff_is(column: InstrumentedAttribute[uuid.UUID | None], staff_id: uuid.UUID | None) -> ColumnElement[bool]:
    return column.is_(None) if staff_id is None else column == staff_id


class DraftService:
    """Saves and loads drafts, finds the one to reopen, and lists and cancels open applications."""

    def __init__(
        self,
        store: LocalStore,
        store_id: uuid.UUID,
        clock: Callable[[], dt.datetime] = utc_now,
        cancellation: CancellationService | None = None,
    ) -> None:
        self.store = store
        self.store_id = store_id
        self.clock = clock
        self.cancellation = cancellation or CancellationService(store, clock)
        self.snapshots = DraftSnapshotSealing(store)
        self.customers = CustomerRepository.for_store(store)
        self.staff = StaffRepository(store)

    # --- saving and loading -----------------------------------------------------------------------------------

    def save(self, actor: Actor, application_id: uuid.UUID, step: str, values: dict[str, str]) -> None:
        """Keep `values` as the application's draft on `step`, replacing the one before (saving the same values
        twice leaves the same draft). One short write transaction; the values are sealed before it begins.

        Refused with a translated InvalidInput, and nothing written, when the values are malformed, the
        application is not this store's, it is signed or later (no longer editable), or it no longer holds the
        customer's first-moment consents; PermissionDenied when the actor may not file applications or a sales
        consultant saves on another's application."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        step, payload = _encode(step, values)
        sealed = self.snapshots.sealed_values(application_id, payload)
        key = stored_uuid(application_id)
        staff = None if actor.staff_id is None else stored_uuid(actor.staff_id)
        at = stored_time(self.clock())
        # The autosave's hot path (every ≤ 2 s per counter, p99 ≤ 20 ms with synchronous=FULL): driver-level SQL
        # with the stored forms of app.storage.types and one query for every check, inside the store's one way
        # of writing. Through ORM statements the same work cost ~4 ms of CPU per save on a loaded machine.
        with self.store.write() as session:
            conn = session.connection()
            found = conn.exec_driver_sql(_CHECK_SQL, (key,)).first()
            if found is None or found.store_id != stored_uuid(self.store_id):
                raise InvalidInput(_("No such application."), code="not_found")
            if actor.role is Role.SALES and found.staff_id != staff:
                raise PermissionDenied(_("Only the clerk who filed an application, or the store manager, may edit it."))
            state = parse_state(found.state)
            if state not in EDITABLE_STATES:
                raise InvalidInput(
                    _("This application is {state}: its draft can no longer be changed.").format(
                        state=state_label(state)
                    ),
                    code="not_editable",
                )
            if missing_first_moment(frozenset((found.consents or "").split(","))):
                raise InvalidInput(
                    _("The customer has withdrawn a consent this application needs: nothing typed is kept."),
                    code="consent_missing",
                )
            conn.exec_driver_sql(_UPSERT_SQL, (key, staff, step, sealed, at))

    def load(self, application_id: uuid.UUID) -> Draft | None:
        """The saved draft of this store's application, or None when nothing was saved for it."""
        with self.store.read() as session:
            row = session.execute(self._drafts().where(DraftSnapshot.application_id == application_id)).first()
            return None if row is None else self._draft(row)

    def last_open(self, actor: Actor) -> Draft | None:
        """The draft this staff member saved last whose application is still editable (draft, pre-screened,
        quoted): what the counter reopens after a crash or kill -9. None for roles that file no applications."""
        if not has_permission(actor.role, Permission.FILE_APPLICATION):
            return None
        query = (
            self._drafts()
            .where(_staff_is(DraftSnapshot.staff_id, actor.staff_id))
            .where(Application.state.in_([s.value for s in EDITABLE_STATES]))
            .order_by(DraftSnapshot.updated_at.desc())
            .limit(1)
        )
        with self.store.read() as session:
            row = session.execute(query).first()
            return None if row is None else self._draft(row)

    def _drafts(self) -> Select[uuid.UUID, str, bytes, dt.datetime, str, str]:
        return (
            select(
                DraftSnapshot.application_id,
                DraftSnapshot.step,
                DraftSnapshot.values_enc,
                DraftSnapshot.updated_at,
                Application.reference,
                Application.state,
            )
            .join(Application, Application.id == DraftSnapshot.application_id)
            .where(Application.store_id == self.store_id)
        )

    def _values(self, application_id: uuid.UUID, sealed: bytes) -> dict[str, str]:
        values: dict[str, str] = json.loads(self.snapshots.values(application_id, sealed).decode("utf-8"))
        return values

    def _draft(self, row: Row[uuid.UUID, str, bytes, dt.datetime, str, str]) -> Draft:
        return Draft(
            application_id=row.application_id,
            reference=row.reference,
            state=parse_state(row.state),
            step=row.step,
            values=self._values(row.application_id, row.values_enc),
            updated_at=row.updated_at,
        )

    # --- the drafts list --------------------------------------------------------------------------------------

    def search(
        self,
        actor: Actor,
        text: str = "",
        state: ApplicationState | str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        staff_login: str | None = None,
    ) -> list[DraftRow]:
        """The open applications (draft, pre-screened, quoted, signed but not queued), newest change first.

        A sales consultant sees the applications they filed, the store manager all of the store's. `text`
        matches the customer's name, phone, masked ID number (e.g. its last 4 characters; a whole ID number
        matches too) or the reference; `since`/`until` are store-local days (inclusive) of the last change;
        `staff_login` is the clerk who filed it. The customer is the saved one, or while none is saved, what
        was typed in the draft."""
        require_permission(actor.role, Permission.VIEW_DRAFTS)
        wanted = [s.value for s in OPEN_STATES]
        if state is not None and state != "":
            chosen = parse_state(state) if isinstance(state, str) else state
            wanted = [chosen.value] if chosen in OPEN_STATES else []
        query = (
            select(
                Application.id,
                Application.reference,
                Application.state,
                Application.updated_at,
                Application.staff_id,
                Customer,
                DraftSnapshot.step,
                DraftSnapshot.values_enc,
                DraftSnapshot.updated_at.label("draft_updated_at"),
                Staff,
            )
            .outerjoin(DraftSnapshot, DraftSnapshot.application_id == Application.id)
            .outerjoin(Customer, Customer.id == Application.customer_id)
            .outerjoin(Staff, Staff.id == Application.staff_id)
            .where(Application.store_id == self.store_id, Application.state.in_(wanted))
        )
        if actor.role is Role.SALES:
            query = query.where(_staff_is(Application.staff_id, actor.staff_id))
        if staff_login:
            query = query.where(Staff.login == staff_login.strip().lower())
        with self.store.read() as session:
            zone = ZoneInfo(session.scalar(select(Store.time_zone).where(Store.id == self.store_id)) or "UTC")
            rows = session.execute(query).all()
        # Open applications are few (tens, at most hundreds: each is a customer at or near the counter today),
        # so unsealing them all and matching in memory is fast; sealed values cannot be searched in SQL anyway.
        needle = _folded(text)
        names: dict[uuid.UUID | None, str] = {}
        found: list[DraftRow] = []
        for row in rows:
            updated = max(row.updated_at, row.draft_updated_at or row.updated_at)
            day = local_day(updated, zone)
            if (since is not None and day < since) or (until is not None and day > until):
                continue
            typed = self._values(row.id, row.values_enc) if row.values_enc is not None else {}
            saved = self._customer(row.Customer)
            name = saved.get(NAME_KEY) or typed.get(NAME_KEY, "")
            phone = saved.get(PHONE_KEY) or typed.get(PHONE_KEY, "")
            id_number = saved.get(ID_NUMBER_KEY) or typed.get(ID_NUMBER_KEY, "")
            if needle and not (
                _matches(needle, row.reference, name, phone, id_number)
                or _matches(needle, row.reference, *(typed.get(k, "") for k in (NAME_KEY, PHONE_KEY, ID_NUMBER_KEY)))
            ):
                continue
            if row.staff_id not in names:
                names[row.staff_id] = "" if row.Staff is None else self.staff.display_name(row.Staff)
            found.append(
                DraftRow(
                    application_id=row.id,
                    reference=row.reference,
                    customer_name=name.strip(),
                    phone_masked=mask_phone(phone),
                    id_number_masked=mask_id_number(normalize_resident_id(id_number)),
                    state=parse_state(row.state),
                    staff_login="" if row.Staff is None else row.Staff.login,
                    staff_name=names[row.staff_id],
                    step=row.step or "",
                    updated_at=updated,
                )
            )
        found.sort(key=lambda r: (r.updated_at, r.reference), reverse=True)
        return found

    def _customer(self, customer: Customer | None) -> dict[str, str]:
        if customer is None:
            return {}
        return {
            NAME_KEY: self.customers.name_of(customer),
            PHONE_KEY: self.customers.phone_of(customer),
            ID_NUMBER_KEY: self.customers.id_number_of(customer),
        }

    def staff_choices(self, actor: Actor) -> list[tuple[str, str]]:
        """(login, name) of the clerks whose drafts `actor` may filter by: the store's sales consultants and
        managers for a store manager, only themselves for a sales consultant."""
        require_permission(actor.role, Permission.VIEW_DRAFTS)
        query = select(Staff).where(
            Staff.store_id == self.store_id, Staff.role.in_([Role.SALES.value, Role.STORE_MANAGER.value])
        )
        if actor.role is Role.SALES:
            query = query.where(_staff_is(Staff.id, actor.staff_id))
        with self.store.read() as session:
            rows = session.scalars(query.order_by(Staff.login)).all()
        return [(r.login, self.staff.display_name(r)) for r in rows]

    def cancel(self, actor: Actor, application_id: uuid.UUID, reason: str) -> ApplicationState:
        """Cancel from the drafts list: app.counter.cancellation's rules (the store manager, or the clerk who filed it;
        a reason is required); returns the state after it. The draft stays sealed until the purge."""
        return self.cancellation.cancel(actor, application_id, reason)


def _matches(needle: str, reference: str, name: str, phone: str, id_number: str) -> bool:
    """Whether the folded search text is in the reference, name, phone or masked ID number, or is the whole
    ID number."""
    if needle in reference.casefold() or (name and needle in _folded(name)):
        return True
    digits = re.sub(r"[\s\-+]", "", needle)
    if digits and phone and digits in re.sub(r"\D", "", phone):
        return True
    number = normalize_resident_id(id_number).casefold()
    if not number:
        return False
    return needle in mask_id_number(number).casefold() or normalize_resident_id(needle).casefold() == number


__all__ = ["OPEN_STATES", "Draft", "DraftRow", "DraftService"]
