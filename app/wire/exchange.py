"""What a counter PC exchanges with the lender at each sync besides its applications: its health report and
audit head (answered with the store's velocity counts, the roster version and the published files), the
store's roster, a published file with its signature, a stored attachment, and the figures of the store's other
PCs for the counter's reports."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from app.wire.activation import StoreRecord
from app.wire.types import MAX_SEQ, Answer, Day, Id, Printable, Request, Seq, Sha256, Whole

Mac = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
PUBLISHED_KINDS = ("catalog", "blacklist", "model_card", "update_manifest", "model", "policy")
PublishedKind = Literal["catalog", "blacklist", "model_card", "update_manifest", "model", "policy"]
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


class AuditMark(Request):
    """An entry of the device's audit chain: its sequence number and MAC."""

    seq: Seq
    mac: Mac | None = None


class HealthReport(Request):
    """A device's sync health and the head of its audit chain (and, when asked, an anchored entry's MAC)."""

    pending: Annotated[Whole, Field(ge=0, le=10**9)] = 0
    oldest_pending_age_s: Annotated[float, Field(ge=0, le=10**11), AfterValidator(_finite)] | None = None
    dead_letters: Annotated[Whole, Field(ge=0, le=10**9)] = 0
    app_version: Annotated[Printable, Field(max_length=32)] | None = None
    audit_head: AuditMark | None = None
    audit_check: AuditMark | None = None


class VelocityCount(Answer):
    """Applications per day by one ID or phone blind index from the store's other PCs."""

    kind: Literal["id_number", "phone"]
    digest: str
    day: Day
    count: Annotated[int, Field(ge=0)]


class Velocity(Answer):
    """The store's recent counts and the key of its blind indexes (base64)."""

    key: str
    days: Annotated[int, Field(ge=1, le=3650)]
    counts: list[VelocityCount]


class HeartbeatAnswer(Answer):
    """What the lender tells a device back at each sync."""

    audit_alarm: str | None = None
    audit_check_seq: Annotated[int, Field(ge=0, le=MAX_SEQ)] | None = None
    velocity: Velocity
    roster_version: Annotated[int, Field(ge=0)]
    downloads: dict[str, str]  # kind → SHA-256 of the published file
    store: StoreRecord | None = None  # the lender's record of the device's store (a lender before it: None)


class RosterMember(Answer):
    """One of the store's staff as the lender keeps them (an Argon2id hash, never a secret)."""

    staff_id: Id
    login: str
    display_name: str
    role: str
    secret_hash: str
    active: bool


class Roster(Answer):
    """The store's roster at its version."""

    store: str
    version: Annotated[int, Field(ge=0)]
    members: list[RosterMember]


class Download(Answer):
    """A published file and its detached signature, both base64: the counter verifies before use."""

    kind: PublishedKind
    sha256: Sha256
    content: str
    signature: str | None = None


class StoredAttachment(Answer):
    """An attachment the lender keeps under its SHA-256."""

    sha256: Sha256
    stored: bool


class FigureRow(Answer):
    """One store-local day's figures of one staff member for one dimension and key."""

    day: Day
    staff_id: Id | None = None
    dim: str
    key: str
    n: int
    financed_fen: int
    financed_n: int
    ticket_fen: int
    ticket_n: int


class StoreFigures(Answer):
    """The figures of the store's other PCs for the days changed after the cursor; `cursor` continues."""

    cursor: str
    days: list[Day]
    rows: list[FigureRow]
