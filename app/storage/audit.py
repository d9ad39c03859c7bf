"""The append-only audit log: each entry carries an HMAC over its content and the previous entry's MAC.

Editing, deleting or reordering entries breaks the chain, and `AuditLog.verify` names the first entry where it
breaks. The key is a subkey of the store's data key, so someone who can write the database file but does not
hold the key cannot re-chain the log. What stays invisible locally is a deleted *tail* (the last entries
removed, and nothing after them to notice): the chain's head is anchored on the central server at each sync,
and that comparison catches it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import String, exists, func, select, type_coerce
from sqlalchemy.orm import Session

from app.kernel.canonical import canonical_json
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.kernel.logs import scrub
from app.storage.engine import BEGIN_OPTION
from app.storage.local_store import LocalStore
from app.storage.models import AuditEntry

GENESIS_MAC = bytes(32)
KEY_PURPOSE = "audit chain"
MAC_BYTES = 32

Problem = Literal["edited", "deleted", "reordered"]


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the chain. `head_seq`/`head_mac` are set only when the chain is intact (an anchor
    must never be taken from a broken log); `first_bad_seq`/`problem` only when it is not."""

    intact: bool
    entries: int
    head_seq: int | None
    head_mac: str | None
    first_bad_seq: int | None
    problem: Problem | None


class AuditLog:
    """Appends to and verifies the audit chain of one local store, with one 32-byte key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != MAC_BYTES:
            raise ValueError("the audit key must be 32 bytes")
        self._key = bytes(key)

    @classmethod
    def for_store(cls, store: LocalStore) -> AuditLog:
        """The audit log of `store`, keyed by the store data key's "audit chain" subkey."""
        return cls(store.derived_key(KEY_PURPOSE))

    def mac(
        self,
        *,
        seq: int,
        at: dt.datetime,
        actor: str,
        action: str,
        object_type: str | None,
        object_id: str | None,
        detail: dict[str, Any],
        prev_mac: bytes,
    ) -> bytes:
        """HMAC-SHA256 over the canonical JSON of the entry's fields and the hex of the previous MAC.

        This byte form is the chain's format: changing it makes every existing log fail verification."""
        message = {
            "seq": seq,
            "at": _iso_utc(at),
            "actor": actor,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "detail": detail,
            "prev": prev_mac.hex(),
        }
        return hmac.new(self._key, canonical_json(message), hashlib.sha256).digest()

    def append(
        self,
        session: Session,
        actor: str,
        action: str,
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        detail: dict[str, Any] | None = None,
        at: dt.datetime | None = None,
    ) -> AuditEntry:
        """Add one entry at the end of the chain and flush it; returns the stored entry.

        Must be called inside the caller's write transaction (`LocalStore.write()`): writes begin IMMEDIATE, so
        reading the head and inserting after it cannot interleave with another writer, and the entry commits or
        rolls back together with the change it records. `seq` is the last seq + 1 (1 for the first entry).

        `detail` is kept in plain text and is never purged, so it must hold no personal data: ids, codes,
        amounts and reasons only. As defence in depth, an actor, object id or detail value (or key) that looks
        like a resident ID, mobile or bank card number is refused with InvalidInput and nothing is written.
        `at` defaults to now and must be timezone-aware.
        """
        if not actor or not action:
            raise ValueError("an audit entry needs an actor and an action")
        if session.connection().get_execution_options().get(BEGIN_OPTION, "IMMEDIATE") != "IMMEDIATE":
            raise RuntimeError("audit entries are appended only inside a write transaction (LocalStore.write)")
        at = utc_now() if at is None else at
        if at.tzinfo is None:
            raise ValueError("give the audit entry a timezone-aware time")
        stored_detail = canonical_json({} if detail is None else detail).decode("utf-8")
        # Round-trip so the MAC covers exactly what verify() will read back (tuples become lists, etc.).
        normalised = json.loads(stored_detail)
        if not isinstance(normalised, dict):
            raise ValueError("audit detail must be a JSON object")
        if any(_looks_personal(v) for v in (actor, object_id, normalised)):
            raise InvalidInput(
                _("Audit details must not contain personal data; an ID, phone or card number was found."),
                code="audit_personal_data",
            )
        at = at.astimezone(dt.UTC)
        head = session.execute(select(AuditEntry.seq, AuditEntry.mac).order_by(AuditEntry.seq.desc()).limit(1)).first()
        seq, prev_mac = (1, GENESIS_MAC) if head is None else (head.seq + 1, head.mac)
        entry = AuditEntry(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=stored_detail,
            prev_mac=prev_mac,
            mac=self.mac(
                seq=seq,
                at=at,
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                detail=normalised,
                prev_mac=prev_mac,
            ),
        )
        session.add(entry)
        session.flush()
        return entry

    def verify(self, session: Session) -> ChainReport:
        """Walk the chain in seq order and report whether it is intact, or its first bad entry and why.

        An entry is "reordered" when its link points at another entry of the log, "deleted" when entries are
        missing before it (a gap in seq, or a link to an entry that is gone), and "edited" when its content no
        longer matches its MAC. Never raises on tampered values: anything unreadable counts as "edited".
        A deleted tail cannot be seen here: only the head anchored on the server at each sync reveals it.
        """
        total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        rows = session.execute(
            select(
                AuditEntry.seq,
                # Read the stored text, not through UtcDateTime, so a tampered value cannot stop the walk.
                type_coerce(AuditEntry.at, String).label("at"),
                AuditEntry.actor,
                AuditEntry.action,
                AuditEntry.object_type,
                AuditEntry.object_id,
                AuditEntry.detail,
                AuditEntry.prev_mac,
                AuditEntry.mac,
            )
            .order_by(AuditEntry.seq)
            .execution_options(yield_per=1000)
        )
        expected_prev, prev_seq = GENESIS_MAC, 0
        for row in rows:
            problem = self._check(session, row, expected_prev, prev_seq)
            if problem is not None:
                rows.close()
                return ChainReport(False, total, None, None, row.seq, problem)
            expected_prev, prev_seq = row.mac, row.seq
        if prev_seq == 0:
            return ChainReport(True, total, None, None, None, None)
        return ChainReport(True, total, prev_seq, expected_prev.hex(), None, None)

    def _check(self, session: Session, row: Any, expected_prev: bytes, prev_seq: int) -> Problem | None:
        """What is wrong with one entry, given the MAC and seq of the entry before it."""
        gap = row.seq != prev_seq + 1
        if not _same(row.prev_mac, expected_prev):
            points_elsewhere = isinstance(row.prev_mac, bytes) and session.scalar(
                select(exists().where(AuditEntry.mac == row.prev_mac, AuditEntry.seq != row.seq))
            )
            if points_elsewhere:
                return "reordered"
            return "deleted" if gap else "edited"
        if gap:  # an honest log has no gaps, and seq is inside the MAC: entries were removed and the rest re-keyed
            return "deleted"
        try:
            detail = json.loads(row.detail)
            at = _parse_stored_time(row.at)
            recomputed = self.mac(
                seq=row.seq,
                at=at,
                actor=row.actor,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                detail=detail,
                prev_mac=row.prev_mac,
            )
        except (TypeError, ValueError, AttributeError):
            return "edited"
        return None if _same(row.mac, recomputed) else "edited"


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _parse_stored_time(text: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _same(stored: Any, expected: bytes) -> bool:
    return isinstance(stored, bytes) and hmac.compare_digest(stored, expected)


def _looks_personal(value: Any) -> bool:
    """Whether `value` (a string, number, or JSON list/object, keys included) holds something app.kernel.logs.scrub
    would mask. A string that is a whole UUID is never personal; without this exception roughly one UUID in
    three thousand would be refused, as its last group can read like a mobile number. A SHA-256 hex digest is
    never personal either (contracts and consents are recorded by their hashes)."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, dict):
        return any(_looks_personal(k) or _looks_personal(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_looks_personal(v) for v in value)
    text = str(value)
    if isinstance(value, str) and (_is_uuid(text) or _is_sha256(text)):
        return False
    return scrub(text) != text


def _is_sha256(text: str) -> bool:
    # A hex digest is never personal, but its digit runs can read like a mobile or ID number.
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _is_uuid(text: str) -> bool:
    """Whether `text` is a UUID in its canonical dashed or 32-hex-digit form (and nothing else)."""
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return False
    return text.lower() in (str(parsed), parsed.hex)
