"""Files the lender signs for its counters — the product catalog, the credit policy, the blacklist (with its HMAC
key), the scorecard's model card and model, and the client-update manifest — published on the server as signed
and served unchanged. The server never signs: the lender's key stays offline, and each counter verifies the signature
against the key it shipped with (a hash fetched from the same server would prove nothing)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from central.db import PublishedFile

SIGNED_KINDS = ("catalog", "policy", "blacklist", "model_card", "update_manifest")
KINDS = (*SIGNED_KINDS, "model")  # the model is pinned by the signed card's SHA-256


class NotPublishable(ValueError):
    """The file cannot be published as given (unknown kind, or a signed kind without its signature)."""


@dataclass(frozen=True)
class Published:
    kind: str
    content: bytes
    signature: bytes | None
    sha256: str


def publish(factory: sessionmaker[Session], kind: str, content: bytes, signature: bytes | None) -> Published:
    """Make `content` the current file of `kind`; signed kinds need their detached signature document."""
    if kind not in KINDS:
        raise NotPublishable(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    if kind in SIGNED_KINDS and not signature:
        raise NotPublishable(f"a {kind} is published with its signature (.sig) file")
    sha = hashlib.sha256(content).hexdigest()
    with factory.begin() as session:
        row = session.get(PublishedFile, kind) or PublishedFile(kind=kind)
        row.content, row.signature, row.sha256 = content, signature, sha
        row.published_at = dt.datetime.now(dt.UTC)
        session.add(row)
    return Published(kind, content, signature, sha)


def manifest(session: Session) -> dict[str, str]:
    """Each published kind and its content's SHA-256 (so a counter fetches only what changed)."""
    return {kind: sha for kind, sha in session.execute(select(PublishedFile.kind, PublishedFile.sha256))}


def current(session: Session, kind: str) -> Published | None:
    """The current file of `kind`, or None."""
    row = session.get(PublishedFile, kind)
    return None if row is None else Published(row.kind, row.content, row.signature, row.sha256)
