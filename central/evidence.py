"""The documents an application names by kind and SHA-256 (its evidence), as the lender holds them: which of
them it lacks (a device asks before it sends its applications; an application naming one it lacks is refused),
and an arrived application's evidence with each document's size (`fenqi-central applications evidence`).

Documents are held by hash for every store alike, as `PUT /v1/attachments/{sha256}` keeps them once: knowing a
document's hash means having had its bytes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.wire.evidence import HashQuery, MissingDocuments
from central.auth import Refused
from central.db import Device, StoredAttachment, SubmittedApplication
from central.rate_limits import Limit, allow

# Generous: a counter asks once per send pass, in chunks of 500 hashes; this only stops a runaway loop.
QUERY_LIMITS = (Limit(600, dt.timedelta(minutes=1)),)


@dataclass(frozen=True)
class HeldItem:
    """A document an arrived application names, and its size in bytes (None when the lender lacks it)."""

    kind: str
    sha256: str
    size: int | None


def missing(session: Session, hashes: list[str]) -> list[str]:
    """The hashes of `hashes` the lender holds no document for, in the order given, each once."""
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return []
    held = set(session.scalars(select(StoredAttachment.sha256).where(StoredAttachment.sha256.in_(wanted))))
    return [h for h in wanted if h not in held]


def ask_missing(factory: sessionmaker[Session], device: Device, query: HashQuery, now: dt.datetime) -> MissingDocuments:
    """Answer a device's question which documents the lender lacks; Refused 429 `rate_limited` (with
    retry_after) past QUERY_LIMITS."""
    with factory.begin() as session:
        wait = allow(session, f"missing:device:{device.id}", QUERY_LIMITS, now)
        if not wait:
            return MissingDocuments(missing=missing(session, query.sha256))
    raise Refused(429, "rate_limited", "Too many questions about documents from this device.", retry_after=wait)


def items_of(factory: sessionmaker[Session], application_id: str) -> list[HeldItem] | None:
    """The evidence the arrived application's current revision names, in its order, with each document's size;
    None when no application has this id."""
    with factory() as session:
        application = session.get(SubmittedApplication, application_id)
        if application is None:
            return None
        named = [(str(i["kind"]), str(i["sha256"])) for i in json.loads(application.body).get("evidence") or []]
        # Every stored attachment has its size (revision 0003 measured those held before it).
        held = select(StoredAttachment.sha256, StoredAttachment.size).where(
            StoredAttachment.sha256.in_({sha for _kind, sha in named})
        )
        sizes = {sha: size for sha, size in session.execute(held)}
    return [HeldItem(kind, sha, sizes.get(sha)) for kind, sha in named]
