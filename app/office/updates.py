"""Application updates: the lender's signed update manifest (version, minimum supported version, the files of
the new release with their SHA-256), checked against the keys shipped with the application; an update that
fails verification or is not newer is refused, and none is handed to the installer while the outbox still
holds applications the lender has not taken. Staging copies the release's verified files next to the store,
never into it: the store and its migrations are the next version's to open (it migrates on open, keeping a
safety copy)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version
from sqlalchemy import func, select

import app
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.security.signing import SignatureInvalid, verify_bytes
from app.storage.local_store import LocalStore
from app.storage.models import OutboxItem

MANIFEST_NAME = "manifest.json"  # where sync keeps the downloaded manifest: <data>/downloads/update/
UNSENT = ("pending", "dead")  # outbox items the lender has not taken (dead letters wait for a person)


class ManifestInvalid(Unavailable):
    code = "manifest_invalid"


class UpdateBlocked(InvalidInput):
    code = "update_blocked"


def _version(text: object, what: str) -> Version:
    try:
        return Version(str(text))
    except InvalidVersion as exc:
        raise ManifestInvalid(
            _("The update manifest's {what} is not a version: {text}").format(what=what, text=text)
        ) from exc


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release: its name, size and SHA-256."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class UpdateManifest:
    """What the lender offers: a version, the oldest version still allowed to sync, and the release's files."""

    version: Version
    min_supported_version: Version
    files: tuple[ReleaseFile, ...]
    published_at: str = ""
    notes: dict[str, str] = field(default_factory=dict)


def parse_manifest(content: bytes) -> UpdateManifest:
    """The manifest in `content`; raises ManifestInvalid when a field is missing or malformed."""
    try:
        raw = json.loads(content)
        files = tuple(
            ReleaseFile(str(f["path"]), str(f["sha256"]).lower(), int(f["size"])) for f in raw.get("files") or []
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestInvalid(_("The update manifest cannot be read.")) from exc
    for f in files:
        if "/" in f.path or "\\" in f.path or f.path in ("", ".", "..") or len(f.sha256) != 64:
            raise ManifestInvalid(_("The update manifest names a file wrongly: {path}").format(path=f.path))
    if not files:
        raise ManifestInvalid(_("The update manifest lists no files."))
    notes = raw.get("notes") if isinstance(raw.get("notes"), dict) else {}
    return UpdateManifest(
        version=_version(raw.get("version"), "version"),
        min_supported_version=_version(raw.get("min_supported_version", "0"), "minimum supported version"),
        files=files,
        published_at=str(raw.get("published_at") or ""),
        notes={str(k): str(v) for k, v in notes.items()},
    )


@dataclass(frozen=True)
class UpdateCheck:
    """Where this PC stands: its version, the version offered, whether the offer is the lender's, and what
    stops it being installed now (empty when nothing does)."""

    current: str
    latest: str | None
    verified: bool
    blocked_by: list[str]
    required: bool = False  # this version is below the lender's minimum: it must update before it syncs again
    unsent: int = 0
    reason: str = ""  # why the manifest was refused, in the configured language
    manifest: UpdateManifest | None = None

    @property
    def installable(self) -> bool:
        """A verified, newer release with nothing in the way."""
        return self.verified and not self.blocked_by

    def as_json(self) -> dict[str, Any]:
        """As `fenqi update check --json` prints it."""
        return {
            "current": self.current,
            "latest": self.latest,
            "verified": self.verified,
            "blocked_by": self.blocked_by,
            "required": self.required,
            "unsent_applications": self.unsent,
            "reason": self.reason or None,
            "files": [] if self.manifest is None else [f.path for f in self.manifest.files],
        }


def unsent_count(store: LocalStore) -> int:
    """Applications in the outbox the lender has not taken yet (waiting, or refused and waiting for a person)."""
    with store.read() as session:
        count = session.scalar(
            select(func.count(OutboxItem.id)).where(OutboxItem.kind == "application", OutboxItem.status.in_(UNSENT))
        )
    return int(count or 0)


def check_update(
    store: LocalStore, manifest_file: Path, trusted_keys: list[str], current: str = app.__version__
) -> UpdateCheck:
    """Check the manifest in `manifest_file` (its signature beside it, FILE.sig) against the trusted keys.
    Blocked by: `no_manifest`, `signature_invalid`, `manifest_invalid`, `not_newer` (the offer is this version
    or older: a rollback is refused), `outbox_not_empty` (applications wait for the lender)."""
    unsent = unsent_count(store)
    blocked = ["outbox_not_empty"] if unsent else []
    signature = manifest_file.with_name(manifest_file.name + ".sig")
    if not manifest_file.exists():
        return UpdateCheck(current, None, False, ["no_manifest", *blocked], unsent=unsent)
    try:
        content = manifest_file.read_bytes()
        if not signature.exists():
            raise SignatureInvalid(_("{name} has no signature.").format(name=manifest_file.name))
        verify_bytes(content, signature.read_bytes(), trusted_keys, manifest_file.name)
        manifest = parse_manifest(content)
    except SignatureInvalid as exc:
        return UpdateCheck(current, None, False, ["signature_invalid", *blocked], unsent=unsent, reason=exc.message)
    except ManifestInvalid as exc:
        return UpdateCheck(current, None, False, ["manifest_invalid", *blocked], unsent=unsent, reason=exc.message)
    mine = Version(current)
    if manifest.version <= mine:
        blocked.insert(0, "not_newer")
    return UpdateCheck(
        current,
        str(manifest.version),
        True,
        blocked,
        required=mine < manifest.min_supported_version,
        unsent=unsent,
        manifest=manifest,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class StagedUpdate:
    """A release whose files were verified and copied to `folder`, ready for the installer."""

    version: str
    folder: Path
    files: list[str]

    def as_json(self) -> dict[str, Any]:
        """As `fenqi update stage --json` prints it."""
        return {"version": self.version, "folder": str(self.folder), "files": self.files}


def stage_update(check: UpdateCheck, source: Path, updates_dir: Path, now: dt.datetime) -> StagedUpdate:
    """Copy the release's files from `source` into `updates_dir/<version>/` after checking each one's size and
    SHA-256 against the verified manifest, and leave a `ready.json` there for the installer. Raises
    UpdateBlocked while anything blocks the update (unsent applications first of all) and InvalidInput when a
    file is missing or differs; a refused staging leaves nothing behind."""
    if not check.installable or check.manifest is None:
        if "outbox_not_empty" in check.blocked_by:
            raise UpdateBlocked(
                _("{n} applications have not reached the lender yet: sync them before updating.").format(n=check.unsent)
            )
        raise UpdateBlocked(_("This update cannot be installed: {why}.").format(why=", ".join(check.blocked_by) or "-"))
    manifest = check.manifest
    for f in manifest.files:
        path = source / f.path
        if not path.is_file():
            raise InvalidInput(_("{name} is missing.").format(name=f.path), code="update_file_missing")
        if path.stat().st_size != f.size or _sha256(path) != f.sha256:
            raise InvalidInput(
                _("{name} is not the file the lender published.").format(name=f.path), code="update_file_mismatch"
            )
    target = updates_dir / str(manifest.version)
    partial = updates_dir / f".{manifest.version}.part"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for f in manifest.files:
            shutil.copyfile(source / f.path, partial / f.path)
            if _sha256(partial / f.path) != f.sha256:  # the copy itself is checked, not only the source
                raise InvalidInput(
                    _("{name} was damaged while copying.").format(name=f.path), code="update_copy_failed"
                )
        ready = {
            "version": str(manifest.version),
            "files": [f.path for f in manifest.files],
            "staged_at": now.isoformat(),
        }
        (partial / "ready.json").write_text(json.dumps(ready, ensure_ascii=False, indent=2), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return StagedUpdate(str(manifest.version), target, [f.path for f in manifest.files])
