"""Draining the outbox: due items go in batches; each item's answer is applied on its own, so one bad item
never holds up the others. Failures back off exponentially with full jitter and honour Retry-After; an item
refused for good (422) is parked as a dead letter with its reason; 401 stops the drain without losing
anything; an item whose send was never acknowledged is first reconciled by asking the server for its status.
The documents an application names go first (app.sync.documents): an application whose documents the lender
has not all acknowledged waits, with backoff, while the others go; one the lender answers 409
attachments_missing has those documents sent again and is retried soon — neither ever becomes a dead letter.
The write lock is never held across a network call."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select

from app.domain.application import ApplicationState, can_transition, parse_state
from app.kernel.clock import utc_now
from app.kernel.errors import Unavailable
from app.kernel.i18n import _
from app.storage.local_store import LocalStore
from app.storage.models import Application, OutboxItem
from app.storage.outbox import SyncStatus, outbox_status, payload_of
from app.storage.repositories import ApplicationRepository
from app.sync.client import CentralClient, Reply, ServerUnreachable
from app.sync.documents import Courier
from app.sync.refusals import FINAL_REFUSALS
from app.wire.applications import (
    Batch,
    BatchAnswer,
    BatchItem,
    CancellationRequest,
    ConsentWithdrawal,
    Submission,
)

BASE_DELAY_S = 2.0
MAX_DELAY_S = 600.0
UNACKNOWLEDGED = "unacknowledged"
WITHDRAWAL, CANCELLATION = "consent_withdrawal", "cancellation"
DOCUMENTS_PENDING = "documents_pending"  # a document the application names was not acknowledged this pass
ATTACHMENTS_MISSING = "attachments_missing"


class NeedsSignIn(Unavailable):
    """The server no longer accepts this device's token: activate or sign in again; nothing is lost."""

    code = "reauthenticate"


@dataclass
class DrainReport:
    sent: int = 0
    dead: int = 0
    retrying: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, rng: random.Random, retry_after: float | None = None, cap: float = MAX_DELAY_S) -> float:
    """Seconds to wait before the next attempt: full jitter on an exponential cap, at least Retry-After."""
    delay = rng.uniform(0, min(cap, BASE_DELAY_S * 2 ** min(attempts, 20)))
    return max(delay, retry_after or 0.0)


class Sender:
    """Sends the outbox's due items to one central server."""

    def __init__(
        self,
        store: LocalStore,
        client: CentralClient,
        clock: Callable[[], dt.datetime] = utc_now,
        rng: random.Random | None = None,
        max_backoff_s: float = MAX_DELAY_S,
    ) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.rng = rng or random.Random()
        self.max_backoff_s = max_backoff_s
        self.courier = Courier(store, client, clock)

    def status(self) -> SyncStatus:
        """Pending count, the oldest pending item's age, dead letters."""
        return outbox_status(self.store, self.clock())

    def next_due_in(self) -> float | None:
        """Seconds until the next pending item is due (0 if one is due now), or None when nothing is pending."""
        with self.store.read() as session:
            due = session.scalar(select(func.min(OutboxItem.next_attempt_at)).where(OutboxItem.status == "pending"))
        return None if due is None else max(0.0, (due - self.clock()).total_seconds())

    def drain_once(self, batch_size: int = 200) -> DrainReport:
        """One pass over the items due now: applications in a batch, consent withdrawals one by one."""
        report = DrainReport()
        self._send_singles(report)
        now = self.clock()
        with self.store.read() as session:
            items = session.scalars(
                select(OutboxItem)
                .where(
                    OutboxItem.status == "pending", OutboxItem.kind == "application", OutboxItem.next_attempt_at <= now
                )
                .order_by(OutboxItem.created_at)
                .limit(batch_size)
            ).all()
            bodies = {item.id: payload_of(self.store, item) for item in items}
        submissions = {
            item.id: submission
            for item in items
            if (submission := self._submission(item, bodies[item.id], report)) is not None
            and not self._reconciled(item, submission, report)
        }
        to_send = [item for item in items if item.id in submissions]
        named = {item.id: {e.sha256 for e in submissions[item.id].evidence} for item in to_send}
        try:
            delivery = self.courier.deliver(
                [i.application_id for i in to_send if i.application_id is not None], set().union(*named.values())
            )
        except ServerUnreachable as exc:  # nothing of these applications was sent yet
            self._retry(to_send, None, "unreachable", report)
            report.errors.append(exc.message)
            return report
        if delivery.stopped is not None:
            self._refuse_if_shut_out(delivery.stopped)
            self._retry(
                to_send, delivery.stopped.retry_after, f"documents: HTTP {delivery.stopped.status_code}", report
            )
            return report
        ready = []
        for item in to_send:
            if named[item.id] & delivery.lacking:
                self._park(item, "documents_lost: this PC no longer holds documents the application names")
                report.dead += 1
            elif named[item.id] <= delivery.held:
                ready.append(item)
            else:  # a document of its own was refused: it waits, the others go
                self._retry([item], None, DOCUMENTS_PENDING, report)
        if not ready:
            return report
        request = Batch(
            items=[
                BatchItem(
                    application_id=submissions[i.id].application_id,
                    idempotency_key=i.idempotency_key,
                    body=submissions[i.id],
                )
                for i in ready
            ]
        )
        try:
            reply = self.client.put_batch(request)
        except ServerUnreachable as exc:
            # We cannot know whether the server committed: reconcile these before sending them again.
            self._retry(ready, None, UNACKNOWLEDGED, report)
            report.errors.append(exc.message)
            return report
        self._refuse_if_shut_out(reply)
        try:
            answer = BatchAnswer.model_validate(reply.body) if reply.status_code == 200 else None
        except ValidationError:
            answer = None
        if answer is None:
            self._retry(ready, reply.retry_after, f"HTTP {reply.status_code}", report)
            return report
        for item, result in zip(ready, answer.results, strict=False):
            self._apply(item, {"status_code": result.status_code, "body": result.body.model_dump()}, report)
        return report

    @staticmethod
    def _refuse_if_shut_out(reply: Reply) -> None:
        """Stop the drain when the server no longer accepts this PC (nothing is lost: everything stays queued)."""
        if reply.status_code == 401:
            raise NeedsSignIn(_("The central server no longer accepts this PC's sign-in: activate it again."))
        if reply.status_code == 403:
            message = ((reply.body or {}).get("error") or {}).get("message", "") if isinstance(reply.body, dict) else ""
            raise Unavailable(
                _("The central server refuses this PC: {reason}").format(reason=message), code="device_revoked"
            )

    def _submission(self, item: OutboxItem, body: dict[str, Any], report: DrainReport) -> Submission | None:
        """The body as the wire contract's submission; None for one that does not fit (written by an older
        version): it could never be accepted, so it is parked for a person at once instead of being refused by
        the lender each time."""
        try:
            return Submission.model_validate(body)
        except ValidationError as exc:
            where = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:5])
            self._park(item, f"invalid: {where}")
            report.dead += 1
            return None

    def _park(self, item: OutboxItem, reason: str) -> None:
        with self.store.write() as session:
            row = session.get(OutboxItem, item.id)
            assert row is not None
            row.status, row.last_error = "dead", reason
            row.attempts += 1

    def _send_singles(self, report: DrainReport) -> None:
        """Consent withdrawals and cancellation requests, one request each (they are few)."""
        now = self.clock()
        with self.store.read() as session:
            items = session.scalars(
                select(OutboxItem)
                .where(
                    OutboxItem.status == "pending",
                    OutboxItem.kind.in_((WITHDRAWAL, CANCELLATION)),
                    OutboxItem.next_attempt_at <= now,
                )
                .order_by(OutboxItem.created_at)
            ).all()
            bodies = {item.id: payload_of(self.store, item) for item in items}
            unsent = set(
                session.scalars(
                    select(OutboxItem.application_id).where(
                        OutboxItem.kind == "application", OutboxItem.status.in_(("pending", "dead"))
                    )
                )
            )
        for item in items:
            body = bodies[item.id]
            if item.kind == CANCELLATION and item.application_id in unsent:
                continue  # the lender must have the application before it can cancel it
            try:
                if item.kind == CANCELLATION:
                    reply = self.client.cancel(
                        body["application_id"], str(item.idempotency_key), CancellationRequest(reason=body["reason"])
                    )
                else:
                    reply = self.client.withdrawal(str(item.idempotency_key), ConsentWithdrawal.model_validate(body))
            except ValidationError:
                self._park(item, "invalid: the request does not fit the lender's contract")
                report.dead += 1
                continue
            except ServerUnreachable as exc:
                self._retry([item], None, "unreachable", report)
                report.errors.append(exc.message)
                continue
            self._apply(item, {"status_code": reply.status_code, "body": reply.body}, report)

    def _reconciled(self, item: OutboxItem, submission: Submission, report: DrainReport) -> bool:
        if item.last_error != UNACKNOWLEDGED:
            return False
        try:
            reply = self.client.status(str(submission.application_id))
        except ServerUnreachable:
            return False
        ours = submission.sha256()
        if reply.status_code == 200 and isinstance(reply.body, dict) and reply.body.get("body_sha256") == ours:
            self._mark_sent(item)
            report.reconciled += 1
            return True
        return False

    def _apply(self, item: OutboxItem, result: dict[str, Any], report: DrainReport) -> None:
        code = int(result.get("status_code", 0))
        error = (result.get("body") or {}).get("error") or {}
        if code == 409 and error.get("code") == ATTACHMENTS_MISSING:
            # The lender lacks documents this PC thought it had: send them again, and the application soon after.
            self.courier.forget(str(sha) for sha in error.get("missing") or [])
            self._retry([item], None, ATTACHMENTS_MISSING, report, soon=True)
        elif 200 <= code < 300:
            self._mark_sent(item)
            report.sent += 1
        elif code == 422 or (code == 409 and error.get("code") in FINAL_REFUSALS):
            with self.store.write() as session:
                row = session.get(OutboxItem, item.id)
                assert row is not None
                row.status, row.last_error = "dead", f"{error.get('code', code)}: {error.get('message', '')}"
                row.attempts += 1
            report.dead += 1
        else:  # in flight elsewhere, or a server error for this item: try again later
            self._retry([item], None, f"{code} {error.get('code', '')}".strip(), report)

    def _mark_sent(self, item: OutboxItem) -> None:
        now = self.clock()
        with self.store.write() as session:
            row = session.get(OutboxItem, item.id)
            assert row is not None
            row.status, row.sent_at, row.last_error = "sent", now, None
            row.attempts += 1
            application = (
                session.get(Application, row.application_id)
                if row.application_id and row.kind == "application"
                else None
            )
            if application is not None and application.state == ApplicationState.QUEUED.value:
                ApplicationRepository().transition(session, application.id, ApplicationState.SUBMITTED, "sync", now)
            cancelled = session.get(Application, row.application_id) if row.kind == CANCELLATION else None
            if cancelled is not None and can_transition(parse_state(cancelled.state), ApplicationState.CANCELLED):
                ApplicationRepository().transition(session, cancelled.id, ApplicationState.CANCELLED, "central", now)

    def _retry(
        self,
        items: list[OutboxItem],
        retry_after: float | None,
        reason: str,
        report: DrainReport,
        soon: bool = False,
    ) -> None:
        """Try these items again later: after the backoff of their attempts (at least `retry_after`), or `soon`
        (within BASE_DELAY_S) when what stopped them is already put right."""
        now = self.clock()
        with self.store.write() as session:
            for item in items:
                row = session.get(OutboxItem, item.id)
                assert row is not None
                row.attempts += 1
                row.last_error = reason
                if soon:
                    wait = self.rng.uniform(0, BASE_DELAY_S)
                else:
                    wait = backoff(row.attempts, self.rng, retry_after, self.max_backoff_s)
                row.next_attempt_at = now + dt.timedelta(seconds=wait)
                report.retrying += 1
