"""Opening the local store: pragmas, locking, key checks, first run and migrations with a safety copy."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.domain.application import ApplicationState
from app.security.secret_store import KeyringSecretStore
from app.storage import migrate
from app.storage.engine import create_store_engine, sqlite_url
from app.storage.local_store import (
    DATA_KEY_PREFIX,
    StoreDamaged,
    StoreKeyMissing,
    StoreKeyWrong,
    StoreMigrationFailed,
    open_local_store,
)
from app.storage.models import Application, ApplicationTransition, Staff, Store
from app.storage.repositories import ApplicationRepository


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_run_creates_store_with_demo_store_and_staff(services) -> None:
    """A first run makes the database, keeps its key in the keyring and adds the demo store and staff."""
    assert services.store.report.created
    assert services.store.report.revision == migrate.head_revision(services.store.engine)
    assert services.secrets.get(DATA_KEY_PREFIX + str(services.store.install_id)) is not None
    with services.store.read() as session:
        store = session.scalars(select(Store)).one()
        roles = sorted(session.scalars(select(Staff.role)))
    assert store.code == "S001" and store.time_zone == "Asia/Shanghai"
    assert roles == ["admin", "sales", "sales", "sales", "store_manager"]


def test_connections_use_wal_full_sync_and_foreign_keys(services) -> None:
    """Every connection from the engine factory has the pragmas the durability promise rests on."""
    with services.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_write_transactions_take_the_write_lock_up_front(services) -> None:
    """store.write() begins IMMEDIATE: another writer is locked out before any statement; reads are not."""
    other = sqlite3.connect(services.store.path, timeout=0, isolation_level=None)
    try:
        with services.store.write() as session:
            session.execute(text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with services.store.read() as session:
            session.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_foreign_keys_are_enforced(services) -> None:
    """An application pointing at a store that does not exist is refused by SQLite itself."""
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(Exception, match="FOREIGN KEY"), services.store.write() as session:
        session.add(
            Application(
                id=uuid.uuid4(),
                reference="X1-000000-0001",
                store_id=uuid.uuid4(),
                state="draft",
                created_at=now,
                updated_at=now,
                state_changed_at=now,
                version=1,
                created_day=now.date(),
            )
        )
        session.flush()


def test_missing_key_refuses_to_open_and_changes_nothing(services, memory_keyring) -> None:
    """Without its data key the store stays closed (no new key, no plaintext fallback) and is not modified."""
    path, install = services.store.path, services.store.install_id
    services.close()
    before = _digest(path)
    memory_keyring.entries.clear()
    with pytest.raises(StoreKeyMissing) as caught:
        open_local_store(path, KeyringSecretStore())
    assert caught.value.exit_status == 3
    assert _digest(path) == before
    assert memory_keyring.entries == {}  # no replacement key was made
    assert install


def test_wrong_key_refuses_to_open(services) -> None:
    """Another installation's key (right length, wrong key) is recognised and refused."""
    path = services.store.path
    services.close()
    secrets = KeyringSecretStore()
    secrets.set(DATA_KEY_PREFIX + str(services.store.install_id), b"\x07" * 32)
    with pytest.raises(StoreKeyWrong):
        open_local_store(path, secrets)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    """A database without the store's meta data is not taken for an empty store."""
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(StoreDamaged):
        open_local_store(path, KeyringSecretStore())


def test_migration_from_previous_revision_keeps_data_and_removes_backup(services) -> None:
    """A store at revision 0001 with data is upgraded on open; the data survive and the safety copy goes."""
    path = services.store.path
    engine = services.store.engine
    migrate.downgrade(engine, "0001")  # take the store back to the first revision, keeping its rows
    with engine.begin() as conn:
        store_id = conn.exec_driver_sql("SELECT id FROM stores").scalar()
        conn.exec_driver_sql(
            "INSERT INTO applications (id, reference, store_id, state, created_at, updated_at, state_changed_at, "
            "version) VALUES (?, 'S001-261129-0001', ?, 'draft', '2026-11-29 01:00:00.000000', "
            "'2026-11-29 01:00:00.000000', '2026-11-29 01:00:00.000000', 1)",
            (uuid.uuid4().hex, store_id),
        )
    services.close()
    reopened = open_local_store(path, services.secrets)
    try:
        assert reopened.report.migrated_from == "0001"
        assert reopened.report.revision == migrate.head_revision(reopened.engine)
        with reopened.read() as session:
            assert session.scalars(select(Application.reference)).all() == ["S001-261129-0001"]
            assert session.scalars(select(ApplicationTransition)).all() == []
        assert not list(path.parent.glob("*.bak"))
    finally:
        reopened.close()


def test_failed_migration_keeps_store_unchanged_and_the_backup(services) -> None:
    """If an upgrade fails, the store stays at its old revision and the safety copy is kept and named."""
    path = services.store.path
    with services.store.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_applications_store_created")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")  # 0002's table still exists
    services.close()
    with pytest.raises(StoreMigrationFailed) as caught:
        open_local_store(path, services.secrets)
    backups = list(path.parent.glob("*.bak"))
    assert len(backups) == 1 and str(backups[0]) in caught.value.message
    engine = create_store_engine(sqlite_url(path))
    try:
        assert migrate.current_revision(engine) == "0001"
    finally:
        engine.dispose()


def test_store_from_a_newer_version_is_refused(services) -> None:
    """A schema revision this version does not know means a newer application wrote it: refuse, change nothing."""
    path = services.store.path
    with services.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    services.close()
    before = _digest(path)
    with pytest.raises(StoreMigrationFailed, match="newer version"):
        open_local_store(path, services.secrets)
    assert _digest(path) == before


def test_empty_database_upgrades_to_head(tmp_path: Path) -> None:
    """Alembic brings an empty database to head through the app's engine (so the pragmas apply)."""
    engine = create_store_engine(sqlite_url(tmp_path / "empty.db"))
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        with engine.connect() as conn:
            tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert {"applications", "customers", "outbox", "audit_log", "application_transitions"} <= tables
    finally:
        engine.dispose()


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """The schema the migrations build is the one the models describe (a forgotten column fails here)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.storage.models import Base

    engine = create_store_engine(sqlite_url(tmp_path / "m.db"))
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_references_count_per_store_local_day(services) -> None:
    """References use the store's local day (Asia/Shanghai): 17:30 UTC on the 28th is already the 29th."""
    repo = ApplicationRepository()
    late = dt.datetime(2026, 11, 28, 17, 30, tzinfo=dt.UTC)
    early = dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC)
    with services.store.write() as session:
        store = services.current_store(session)
        refs = [repo.create_draft(session, store, None, "test", moment).reference for moment in (late, late, early)]
    assert refs == ["S001-261129-0001", "S001-261129-0002", "S001-261128-0001"]


def test_transitions_follow_the_rules_and_are_recorded(services) -> None:
    """A draft can be pre-screened but not approved; each allowed change is recorded with its actor."""
    repo = ApplicationRepository()
    now = dt.datetime.now(dt.UTC)
    with services.store.write() as session:
        app = repo.create_draft(session, services.current_store(session), None, "clerk", now)
        app_id = app.id
    with pytest.raises(Exception, match="cannot become"), services.store.write() as session:
        repo.transition(session, app_id, ApplicationState.APPROVED, "clerk", now)
    with services.store.write() as session:
        repo.transition(session, app_id, ApplicationState.PRESCREENED, "clerk", now)
    with services.store.read() as session:
        app = session.get(Application, app_id)
        history = session.scalars(
            select(ApplicationTransition.to_state)
            .where(ApplicationTransition.application_id == app_id)
            .order_by(ApplicationTransition.id)
        ).all()
    assert app.state == "prescreened" and app.version == 2
    assert history == ["draft", "prescreened"]


def test_store_files_are_private_to_their_owner(services) -> None:
    """The database (and so its WAL and shared memory) is readable by its owner only."""
    with services.store.write() as session:
        session.execute(text("SELECT 1"))
    for suffix in ("", "-wal"):
        mode = Path(f"{services.store.path}{suffix}").stat().st_mode & 0o777
        assert mode == 0o600, (suffix, oct(mode))
