"""The lender's blacklist, kept locally as HMAC-SHA256 digests of ID numbers and phones under a key the lender
provides (the key sits in the SecretStore, never in the database). The lender's own check when an application
arrives is authoritative; this copy lets the counter decline early and offline.

File format (signed with Ed25519 like the catalog; `fenqi blacklist import FILE`, and sync replaces it):
`{"format": "fenqi-blacklist-1", "version": "...", "hmac_key": "<base64>", "entries": [{"kind": "id"|"phone",
"digest": "<hex of HMAC-SHA256(key, kind + ':' + normalised value)>"}]}`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, insert, select

from app.domain.identity import normalize_resident_id
from app.domain.phone import normalize_mobile
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.kernel.settings import Settings
from app.security.secret_store import SecretStore
from app.storage.local_store import LocalStore
from app.storage.models import BlacklistEntry, Meta

FORMAT = "fenqi-blacklist-1"
KINDS = ("id", "phone")
META_VERSION = "blacklist_version"
KEY_PREFIX = "blacklist-hmac-key:"


@dataclass(frozen=True)
class BlacklistInfo:
    version: str
    entries: int


def blacklist_digest(key: bytes, kind: str, value: str) -> bytes:
    """The digest a blacklist holds for an ID number (kind "id") or mobile number (kind "phone")."""
    normal = normalize_resident_id(value) if kind == "id" else normalize_mobile(value)
    return digest_of_normal(key, kind, normal)


def digest_of_normal(key: bytes, kind: str, normal: str) -> bytes:
    """The digest of a value already in its normal form (an 18-character ID number, an 11-digit mobile)."""
    return hmac.new(key, f"{kind}:{normal}".encode(), hashlib.sha256).digest()


def shipped_demo_blacklist() -> Path:
    """The demo store's small blacklist, shipped with the application (signed in development mode)."""
    from app.kernel.config import resources_dir

    return resources_dir() / "blacklist" / "demo.json"


def _parse(content: bytes, name: str) -> tuple[str, bytes, list[tuple[str, bytes]]]:
    def refuse() -> InvalidInput:
        return InvalidInput(_("{name} is not a blacklist file.").format(name=name), code="bad_blacklist")

    try:
        doc = json.loads(content)
        if doc.get("format") != FORMAT or not isinstance(doc.get("version"), str):
            raise refuse()
        key = base64.b64decode(doc["hmac_key"], validate=True)
        entries = [(str(e["kind"]), bytes.fromhex(e["digest"])) for e in doc["entries"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise refuse() from exc
    if len(key) < 32 or any(kind not in KINDS or len(digest) != 32 for kind, digest in entries):
        raise refuse()
    return doc["version"], key, entries


class Blacklist:
    """The local blacklist: replaced whole by a verified file, checked by ID number and phone."""

    def __init__(self, store: LocalStore, secrets: SecretStore) -> None:
        self.store = store
        self.secrets = secrets

    def import_file(self, path: Path, settings: Settings) -> BlacklistInfo:
        """Verify the file's signature against the trusted keys, then replace the local copy in one transaction.
        A file that fails verification or is malformed changes nothing."""
        from app.domain.catalog import trusted_keys
        from app.security.signing import verify_file

        verified = verify_file(path, trusted_keys(settings))
        version, key, entries = _parse(verified.content, path.name)
        # The key is stored under its version first; the table and the version switch over together after.
        self.secrets.set(KEY_PREFIX + version, key)
        with self.store.write() as session:
            session.execute(delete(BlacklistEntry))
            if entries:
                session.execute(
                    insert(BlacklistEntry), [{"kind": kind, "digest": digest} for kind, digest in set(entries)]
                )
            session.merge(Meta(key=META_VERSION, value=version))
        return BlacklistInfo(version, len(set(entries)))

    def info(self) -> BlacklistInfo | None:
        """The loaded version and its size, or None if no blacklist was ever loaded."""
        with self.store.read() as session:
            meta = session.get(Meta, META_VERSION)
            if meta is None:
                return None
            return BlacklistInfo(meta.value, session.scalar(select(func.count()).select_from(BlacklistEntry)) or 0)

    def key(self, version: str) -> bytes | None:
        """The HMAC key of a loaded version."""
        return self.secrets.get(KEY_PREFIX + version)
