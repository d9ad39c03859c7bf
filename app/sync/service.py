"""Sync for the counter window: one pass (send what is due, pull decisions), and what the sync screen shows —
online or not, pending, the oldest pending age, last success, dead letters with their reasons, recent
decisions — sending a dead letter again, corrected, as the next revision, and activating this PC. Blocking; the
window runs it off the GUI thread.

Activation and a changed server address take effect at the next pass, without a restart: every pass reads the
settings in effect (which follow the settings file, see SettingsService.current) and the device token afresh."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from app.domain.actor import Actor
from app.domain.roles import Permission, require_permission
from app.kernel.clock import moment_from_text, utc_now
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.kernel.settings import Settings, load_settings, update_settings
from app.security.secret_store import SecretStore
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, Meta, OutboxItem
from app.storage.outbox import outbox_status
from app.sync.client import TOKEN, CentralClient, ServerUnreachable
from app.sync.decisions import DecisionNotice, pull_decisions
from app.sync.meta_keys import AUDIT_ALARM
from app.sync.refusals import refusal_text
from app.sync.sender import DrainReport, Sender
from app.sync.submission import KIND, SubmissionService, revision_of

if TYPE_CHECKING:
    from app.sync.exchange import ExchangeReport

LAST_SUCCESS = "sync_last_success"


@dataclass(frozen=True)
class DeadLetter:
    """An item the central server refused for good, with its reason. `revision` is set for an application's
    submission (only those can be fixed and sent again as the next revision) and None for other kinds."""

    application_id: uuid.UUID | None
    reference: str
    reason: str
    revision: int | None

    @property
    def resendable(self) -> bool:
        return self.application_id is not None and self.revision is not None


@dataclass(frozen=True)
class SyncOverview:
    """What the sync screen and the status bar show. What waits to be sent (`pending`) and what the lender
    refused (`dead_letters`) are counted whether or not this PC is `configured` (activated, with a server)."""

    configured: bool
    online: bool | None  # None: not tried yet in this run
    pending: int
    oldest_pending_age_s: float | None
    last_success: dt.datetime | None  # aware, UTC; shown in the store's time zone
    dead_letters: list[DeadLetter]
    recent_decisions: list[tuple[str, str, dt.datetime]]  # (reference, state, when)
    audit_alarm: str | None = None  # what the lender found wrong with this PC's audit log, if anything
    update: Any = None  # app.office.updates.UpdateCheck of a newer release the lender offers (verified), or None


@dataclass(frozen=True)
class Activation:
    """This PC, activated: the device id the lender gave it, the store whose counter it now is (code, name,
    region), with which server; how many applications here were filed under another store (they stay as they
    are) and how many roster members came down (None: the roster comes at the next sync)."""

    device_id: str
    store: str
    server: str
    store_name: str = ""
    region: str = ""
    applications_under_other_store: int = 0
    roster_members: int | None = None


@dataclass(frozen=True)
class SyncRun:
    report: DrainReport
    notices: list[DecisionNotice]
    online: bool
    exchanged: ExchangeReport | None = None


class SyncService:
    """Sync as the window uses it."""

    def __init__(
        self,
        store: LocalStore,
        secrets: SecretStore,
        settings: Callable[[], Settings],
        clock: Callable[[], dt.datetime] = utc_now,
        files: tuple[Path, Path, Callable[[], object]] | None = None,
        submissions: SubmissionService | None = None,
    ) -> None:
        self.store = store
        self.submissions = submissions or SubmissionService(store, clock)
        self.secrets = secrets
        self._settings = settings
        self.clock = clock
        self._files = files  # settings file, downloads folder, and how to take changed settings

    def configured(self) -> bool:
        """A server address and a device token are both there, as they are now (an activation or a new address
        counts at once)."""
        return bool(self._settings().server_url) and self.secrets.get(TOKEN) is not None

    def activate(self, actor: Actor, server: str, store: str, code: str) -> Activation:
        """Activate this PC with the lender's central server at `server` for store `store` with the store's
        one-time `code`, as `fenqi device activate` does, and make it that store's counter: the device token goes
        to the secret store; the server's address and the lender's record of the store (code, name, region,
        opening hours, time zone) to the settings file; the store's roster is pulled at once and then the accounts
        not in it — the demo accounts among them — are removed (app.sync.store_record). New applications are filed
        under that store; those filed under another store before stay as they are and are counted. The next pass
        uses all of it, without a restart.

        For someone who may change the store's settings (store IT, the store manager). Raises PermissionDenied,
        InvalidInput (a field left empty, bad_activation_input) or Unavailable (insecure_server_url,
        activation_refused, roster_empty, server_unreachable, settings_too_new, key_store_unavailable…), all in the
        configured language; nothing on this PC has changed then (a token received before a later step failed is
        put back as it was). When only the roster pull fails, the PC is activated and the roster replaces the
        accounts at the next sync."""
        require_permission(actor.role, Permission.CHANGE_SETTINGS)
        server, store, code = server.strip(), store.strip().upper(), code.strip()
        if not server:
            raise InvalidInput(_("Give the central server's address."), code="no_server")
        if not store:
            raise InvalidInput(_("Give the store's code."), code="no_store")
        if not code:
            raise InvalidInput(_("Give the store's one-time activation code."), code="no_code")
        assert self._files is not None, "the composition root gives the sync service the settings file"
        from app.sync.store_record import become_counter_of, settings_of  # Pydantic: not at start-up

        settings_file, _downloads, reload = self._files
        client = CentralClient(server, self._settings(), self.secrets)  # refuses a plain-http address
        before = load_settings(settings_file)  # a file this version cannot write refuses before the server is asked
        previous = self.secrets.get(TOKEN)
        answer = client.activate(store, code)  # the new token is in the secret store now
        written = False
        try:
            roster = self._roster(client)
            wanted = {"server_url": server, **settings_of(answer)}
            with self.store.write() as session:
                became = become_counter_of(session, self.store, answer, roster, self.clock())
                AuditLog.for_store(self.store).append(
                    session,
                    actor.audit_name,
                    "device.activated",
                    detail={
                        "store": answer.store,
                        "device_id": str(answer.device_id),
                        "store_name": answer.store_name,
                        "region": answer.region,
                        "roster_members": became.roster_members,
                        "accounts_removed": became.accounts_removed,
                        "applications_under_other_store": became.applications_under_other_store,
                    },
                )
                written = True
                update_settings(settings_file, **wanted)
        except BaseException:
            if previous is None:
                self.secrets.delete(TOKEN)
            else:
                self.secrets.set(TOKEN, previous)
            if written:  # the settings file may hold the new store while the local store kept the old one
                with contextlib.suppress(Exception):
                    update_settings(settings_file, **{key: getattr(before, key) for key in wanted})
            raise
        reload()
        return Activation(
            device_id=str(answer.device_id),
            store=answer.store,
            server=server,
            store_name=answer.store_name,
            region=answer.region,
            applications_under_other_store=became.applications_under_other_store,
            roster_members=became.roster_members,
        )

    @staticmethod
    def _roster(client: CentralClient) -> dict[str, Any] | None:
        """The store's roster document from the lender, or None when it cannot be had now."""
        try:
            reply = client.roster()
        except ServerUnreachable:
            return None
        return reply.body if reply.status_code == 200 and isinstance(reply.body, dict) else None

    def run_once(self) -> SyncRun | None:
        """Send what is due and pull decisions; offline is an answer, not an error. None when this PC is not
        set up for a central server yet."""
        if not self.configured():
            return None
        settings = self._settings()
        client = CentralClient(settings.server_url, settings, self.secrets)
        sender = Sender(self.store, client, self.clock, max_backoff_s=settings.sync_max_backoff_seconds)
        report = sender.drain_once()
        try:
            notices = pull_decisions(self.store, client, self.clock)
            online = not report.errors
        except ServerUnreachable:
            notices, online = [], False
        exchanged = None
        if online and self._files is not None:
            settings_file, downloads, reload = self._files
            from app.sync.exchange import exchange  # the first sync, not the start-up, pays for its imports

            try:
                exchanged = exchange(
                    self.store, self.secrets, client, settings, settings_file, downloads, sender.status()
                )
            except ServerUnreachable:
                online = False
            except Unavailable as exc:
                report.errors.append(exc.message)
            if exchanged is not None and (exchanged.downloads.installed or exchanged.store_changed):
                reload()
        if online:
            with self.store.write() as session:
                session.merge(Meta(key=LAST_SUCCESS, value=self.clock().isoformat()))
        return SyncRun(report, notices, online, exchanged)

    def overview(self, online: bool | None = None) -> SyncOverview:
        """What the sync screen shows."""
        status = outbox_status(self.store, self.clock())
        with self.store.read() as session:
            last = session.get(Meta, LAST_SUCCESS)
            alarm = session.get(Meta, AUDIT_ALARM)
            revisions = (
                select(func.count(OutboxItem.id))
                .where(OutboxItem.application_id == Application.id, OutboxItem.kind == KIND)
                .correlate(Application)
                .scalar_subquery()
            )
            dead = session.execute(
                select(
                    Application.id,
                    Application.reference,
                    OutboxItem.kind,
                    OutboxItem.idempotency_key,
                    OutboxItem.last_error,
                    revisions,
                )
                .join(Application, OutboxItem.application_id == Application.id)
                .where(OutboxItem.status == "dead")
                .order_by(OutboxItem.created_at)
            ).all()
            decided = session.execute(
                select(Application.reference, Application.state, Application.state_changed_at)
                .where(Application.state.in_(("referred", "approved", "declined", "cancelled")))
                .order_by(Application.state_changed_at.desc())
                .limit(20)
            ).all()
        return SyncOverview(
            configured=self.configured(),
            online=online,
            pending=status.pending,
            oldest_pending_age_s=status.oldest_pending_age_s,
            last_success=_moment(None if last is None else last.value),
            dead_letters=[
                DeadLetter(
                    application_id=a if kind == KIND else None,
                    reference=r,
                    reason=refusal_text(e or ""),
                    revision=revision_of(a, key, n) if kind == KIND else None,
                )
                for a, r, kind, key, e, n in dead
            ],
            recent_decisions=[(r, s, t) for r, s, t in decided],
            audit_alarm=None if alarm is None else alarm.value,
            update=self._offered_update(),
        )

    def _offered_update(self) -> Any:
        """The newer release the lender's downloaded, verified manifest offers, or None."""
        if self._files is None:
            return None
        from app.office.updates import MANIFEST_NAME

        manifest = self._files[1] / "update" / MANIFEST_NAME
        if not manifest.exists():
            return None
        from app.domain.catalog import trusted_keys
        from app.office.updates import check_update

        offer = check_update(self.store, manifest, trusted_keys(self._settings()))
        return offer if offer.verified and "not_newer" not in offer.blocked_by else None

    def resend(self, actor: Actor, application_id: uuid.UUID) -> str:
        """Send a dead-lettered application again, as it is now, as the next revision (see SubmissionService)."""
        return self.submissions.resend(actor, application_id)

    def notices_for(self, notices: list[DecisionNotice], staff_id: uuid.UUID | None) -> list[DecisionNotice]:
        """The decisions the signed-in clerk filed."""
        return [n for n in notices if n.staff_id is not None and n.staff_id == staff_id]


def _moment(text: str | None) -> dt.datetime | None:
    """A stored ISO moment, or None when there is none (or it cannot be read: shown as "never")."""
    try:
        return None if not text else moment_from_text(text)
    except ValueError:
        return None
