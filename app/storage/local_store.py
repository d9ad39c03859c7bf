"""Opening the local store: first-run creation, key check, migration with a safety copy."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.kernel.clock import utc_now
from app.kernel.errors import Unavailable
from app.kernel.i18n import _
from app.kernel.logs import get_logger
from app.security.field_crypto import FieldCipher, new_data_key
from app.security.secret_store import SecretStore
from app.storage import migrate
from app.storage.engine import create_store_engine, reader, sqlite_url
from app.storage.fifo_lock import FifoLock
from app.storage.models import Meta

log = get_logger("storage")

DATA_KEY_PREFIX = "data-key/"


class StoreKeyMissing(Unavailable):
    code = "data_key_missing"


class StoreKeyWrong(Unavailable):
    code = "data_key_wrong"


class StoreDamaged(Unavailable):
    code = "store_damaged"


class StoreMigrationFailed(Unavailable):
    code = "migration_failed"


@dataclass(frozen=True)
class OpenReport:
    """What happened while opening: whether the store was created or migrated, and from which revision."""

    created: bool
    revision: str
    migrated_from: str | None


class LocalStore:
    """An open, key-checked, up-to-date local store. Sessions never cross threads: open one per unit of work."""

    def __init__(
        self, path: Path, engine: Engine, cipher: FieldCipher, install_id: uuid.UUID, report: OpenReport
    ) -> None:
        self.path = path
        self.engine = engine
        self.cipher = cipher
        self.install_id = install_id
        self.report = report
        self._writer = sessionmaker(engine, expire_on_commit=False)
        self._reader = sessionmaker(reader(engine), expire_on_commit=False)
        self._turns = FifoLock()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE): committed when the block ends, rolled back if it raises.
        Writers of this process take turns in arrival order (see app.storage.fifo_lock); never nest them."""
        with self._turns, self._writer() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction that does not take the write lock."""
        with self._reader() as session, session.begin():
            yield session

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key for `purpose` (the audit chain, a keyed hash), derived from the store's data key and
        independent of the keys that seal fields; the same purpose always gives the same key."""
        return self.cipher.derive_key(purpose)

    def close(self) -> None:
        """Release every connection (checkpointing the WAL)."""
        self.engine.dispose()


def _read_meta(engine: Engine) -> dict[str, str]:
    try:
        if not inspect(engine).has_table("meta"):
            return {}
        with Session(reader(engine)) as session:
            return {row.key: row.value for row in session.scalars(select(Meta))}
    except (DatabaseError, OperationalError) as exc:
        raise StoreDamaged(
            _("The local store {path} cannot be read: {reason}").format(path=engine.url.database, reason=exc.orig)
        ) from exc


def _create(path: Path, secrets: SecretStore) -> None:
    """Build a new store beside `path` and move it into place only when complete."""
    install_id = uuid.uuid4()
    key = new_data_key()
    # The key is saved before any data exists, so no data can ever be written under a key that was lost.
    secrets.set(DATA_KEY_PREFIX + str(install_id), key)
    building = path.with_name(path.name + ".creating")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    engine = create_store_engine(sqlite_url(building))
    try:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            session.add_all(
                [
                    Meta(key="install_id", value=str(install_id)),
                    Meta(key="key_check", value=FieldCipher(key).key_check),
                    Meta(key="created_at", value=utc_now().isoformat()),
                ]
            )
    finally:
        engine.dispose()
    building.chmod(0o600)  # SQLite gives the -wal and -shm files the database's mode
    os.replace(building, path)
    log.info("created a new local store (install %s)", install_id)


def _backup(path: Path, revision: str | None) -> Path:
    target = path.with_name(f"{path.name}.before-{revision or 'empty'}.bak")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def _integrity_ok(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"


def open_local_store(path: Path, secrets: SecretStore) -> LocalStore:
    """Open the store at `path`, creating it on first run; never opens with a missing or wrong key."""
    created = False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _create(path, secrets)
        created = True
    engine = create_store_engine(sqlite_url(path))
    try:
        meta = _read_meta(engine)
        if "install_id" not in meta or "key_check" not in meta:
            raise StoreDamaged(_("{path} is not a Fenqi POS store, or it is damaged.").format(path=path))
        install_id = uuid.UUID(meta["install_id"])
        key = secrets.get(DATA_KEY_PREFIX + str(install_id))
        if key is None:
            raise StoreKeyMissing(
                _(
                    "The data key of the local store is missing from the {where}. The store stays closed: restore "
                    "the key, or ask store IT for help."
                ).format(where=secrets.description)
            )
        cipher = FieldCipher(key) if len(key) == 32 else None
        if cipher is None or cipher.key_check != meta["key_check"]:
            raise StoreKeyWrong(
                _("The data key in the {where} does not belong to this local store. The store stays closed.").format(
                    where=secrets.description
                )
            )
        migrated_from = _migrate(path, engine)
        revision = migrate.current_revision(engine) or ""
        return LocalStore(
            path,
            engine,
            cipher,
            install_id,
            OpenReport(created=created, revision=revision, migrated_from=migrated_from),
        )
    except BaseException:
        engine.dispose()
        raise


def _migrate(path: Path, engine: Engine) -> str | None:
    """Upgrade to head with a safety copy taken first and removed once the result checks out."""
    current = migrate.current_revision(engine)
    head = migrate.head_revision(engine)
    if current == head:
        return None
    if current is not None and current not in migrate.known_revisions(engine):
        raise StoreMigrationFailed(
            _(
                "The local store was written by a newer version of Fenqi POS (schema {revision}). Update the "
                "application; the store was not changed."
            ).format(revision=current)
        )
    backup = _backup(path, current)
    try:
        migrate.upgrade(engine)
        if not _integrity_ok(engine):
            raise StoreMigrationFailed(_("The migrated store failed its integrity check."))
    except Exception as exc:
        log.error("migration from %s failed; safety copy kept at %s", current, backup)
        if isinstance(exc, StoreMigrationFailed):
            raise
        raise StoreMigrationFailed(
            _("Updating the local store failed ({reason}). A copy taken before the update is kept at {backup}.").format(
                reason=exc, backup=backup
            )
        ) from exc
    backup.unlink()
    log.info("migrated the local store from %s to %s", current, head)
    return current or "empty"
