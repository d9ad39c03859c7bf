"""Personal data sealed at rest on the lender's server: the one place that seals and opens it.

The columns that hold a customer's data (an application's body as the counter sent it, documents such as ID
images, consent withdrawals, the reasons of cancellations and decisions) and the stores' velocity keys are kept
sealed with AES-256-GCM (app.security.field_crypto's FieldCipher, each value bound to its table and column) by
the column types `SealedText` and `SealedBytes`: readers and writers of the models see plain values, the
database and its dumps only sealed ones.

The keys are not in the database. The server reads a key ring from the environment variable FENQI_CENTRAL_KEY
(base64 keys separated by commas) or else from a key file: FENQI_CENTRAL_KEY_FILE, or `central-key` in the
server's data folder (central.paths), created owner-only (0600) with a new random key when the database has
never been sealed. The file holds one base64 key per line (`#` comments); the first key seals, every key opens,
so keys rotate: add a new key on top (`fenqi-central keys add`), restart the servers, re-seal what the old key
sealed (`fenqi-central keys reseal`), then remove the old key's line. Every sealed value names its key (a key id
derived from the key, revealing nothing about it); the database keeps the ids of the keys that sealed its data
(`sealing_keys`), so a server given the wrong key file refuses to start instead of reading garbage.

The lender's own blind index of a customer's ID number (central.judge: open credit and declines across stores)
is an HMAC under a key derived from the same key material, so it is stable across restarts and unknown to
whoever has only the database."""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import DateTime, LargeBinary, Text, bindparam, column, select, table
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from app.domain.identity import normalize_resident_id
from app.kernel.errors import FenqiError
from app.security.field_crypto import DATA_KEY_BYTES, FieldCipher
from central.paths import data_dir, ensure_data_dir

KEY_ENV = "FENQI_CENTRAL_KEY"
KEY_FILE_ENV = "FENQI_CENTRAL_KEY_FILE"
KEY_FILE_NAME = "central-key"
_MAGIC = b"FQS\x01"  # a sealed value: magic, key id, then FieldCipher's sealed value (format, nonce, ciphertext)
_TEXT_PREFIX = "fqs1:"  # a sealed value in a text column: the prefix, then the sealed bytes in base64
_KEY_ID_BYTES = 6
_SEALED_MIN = len(_MAGIC) + _KEY_ID_BYTES + 1 + 12 + 16
_KEY_FILE_HEADER = (
    '# fenqi-central key ring (README: "The server\'s key file"). One base64 key per line: the first seals,\n'
    "# every key opens. Keep this file secret, owner-only (0600), and backed up apart from the database:\n"
    "# without it the sealed data cannot be read.\n"
)


class SealingError(Exception):
    """The server cannot seal or open with the keys it was given (missing or wrong key file, a malformed key):
    it refuses to start, with a message for the operator."""


@dataclass(frozen=True)
class _Key:
    key_id: str
    cipher: FieldCipher
    digest_key: bytes


def _key(material: bytes) -> _Key:
    cipher = FieldCipher(material)
    key_id = cipher.derive_key("central key id")[:_KEY_ID_BYTES].hex()
    return _Key(key_id, cipher, cipher.derive_key("central lender ID digest"))


class KeyRing:
    """The server's keys: the first seals, every one opens."""

    def __init__(self, keys: Sequence[bytes], source: str) -> None:
        if not keys:
            raise SealingError(f"{source} holds no key.")
        self._keys = [_key(k) for k in keys]
        self._by_id = {k.key_id: k for k in self._keys}
        self.source = source

    @property
    def current_id(self) -> str:
        """The id of the key that seals."""
        return self._keys[0].key_id

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of every key, the sealing one first."""
        return tuple(k.key_id for k in self._keys)

    def seal(self, table_name: str, column_name: str, value: bytes) -> bytes:
        """`value` sealed with the current key for this table and column (a fresh nonce each time)."""
        current = self._keys[0]
        sealed = current.cipher.seal(table_name, column_name, "", value)
        return _MAGIC + bytes.fromhex(current.key_id) + sealed

    def open(self, table_name: str, column_name: str, sealed: bytes) -> bytes:
        """The value `seal` sealed for this table and column; SealingError when it is not a sealed value, names
        a key not in the ring, or does not open (altered, or moved from another column)."""
        key_id = key_id_of(sealed)
        if key_id is None:
            raise SealingError(f"A value in {table_name}.{column_name} is not sealed.")
        key = self._by_id.get(key_id)
        if key is None:
            raise SealingError(
                f"A value in {table_name}.{column_name} was sealed with key {key_id}, which is not in the key ring "
                f"({self.source})."
            )
        try:
            return key.cipher.open(table_name, column_name, "", sealed[len(_MAGIC) + _KEY_ID_BYTES :])
        except FenqiError as exc:
            raise SealingError(
                f"A value in {table_name}.{column_name} does not open with key {key_id}: it was altered."
            ) from exc

    def seal_text(self, table_name: str, column_name: str, value: str) -> str:
        """A text sealed for a text column."""
        return _TEXT_PREFIX + base64.b64encode(self.seal(table_name, column_name, value.encode("utf-8"))).decode()

    def open_text(self, table_name: str, column_name: str, sealed: str) -> str:
        """The text `seal_text` sealed."""
        return self.open(table_name, column_name, _text_bytes(sealed) or b"").decode("utf-8")

    def lender_digest(self, id_number: str) -> bytes:
        """The lender's blind index of a (normalised) ID number under the current key."""
        return hmac.new(self._keys[0].digest_key, id_number.encode(), hashlib.sha256).digest()

    def lender_digests(self, id_number: str) -> list[bytes]:
        """The blind index under every key of the ring (the current one first): what a lookup matches while
        marks made before a key rotation are not yet re-digested."""
        return [hmac.new(k.digest_key, id_number.encode(), hashlib.sha256).digest() for k in self._keys]


def key_id_of(sealed: bytes) -> str | None:
    """The id of the key a sealed value names, or None when the bytes are not a sealed value."""
    if len(sealed) < _SEALED_MIN or not sealed.startswith(_MAGIC):
        return None
    return sealed[len(_MAGIC) : len(_MAGIC) + _KEY_ID_BYTES].hex()


def _text_bytes(value: str) -> bytes | None:
    """The sealed bytes of a sealed text, or None when the text is not one."""
    if not value.startswith(_TEXT_PREFIX):
        return None
    try:
        raw = base64.b64decode(value[len(_TEXT_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if key_id_of(raw) is not None else None


# --- Where the keys come from ------------------------------------------------------------------------------


def new_key() -> bytes:
    """A fresh random key."""
    return os.urandom(DATA_KEY_BYTES)


def key_line(key: bytes) -> str:
    """A key as it is written in the key file or FENQI_CENTRAL_KEY."""
    return base64.b64encode(key).decode()


def parse_keys(text: str, source: str) -> list[bytes]:
    """The keys in a key file's text (or FENQI_CENTRAL_KEY's, separated by commas); SealingError naming the
    source when one is not 32 bytes in base64."""
    keys = []
    lines = [line.strip() for line in text.splitlines()]
    items = [k for line in lines if not line.startswith("#") for k in line.split(",")]
    for number, line in enumerate((k.strip() for k in items if k.strip()), 1):
        try:
            key = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != DATA_KEY_BYTES:
            raise SealingError(
                f"{source}, key {number}: not a key (32 bytes in base64, as `fenqi-central keys add` writes)."
            )
        keys.append(key)
    return keys


def key_file_path(env: Mapping[str, str] | None = None) -> Path:
    """The key file: FENQI_CENTRAL_KEY_FILE, else `central-key` in the server's data folder."""
    env = os.environ if env is None else env
    named = env.get(KEY_FILE_ENV, "").strip()
    return Path(named).expanduser().resolve() if named else data_dir(env) / KEY_FILE_NAME


def _read_key_file(path: Path) -> list[bytes]:
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise SealingError(
            f"The key file {path} can be read by other users than its owner: make it owner-only (chmod 600 {path})."
        )
    return parse_keys(path.read_text(encoding="utf-8"), f"The key file {path}")


def write_key_file(path: Path, keys: Sequence[bytes]) -> None:
    """Write the key ring to `path` owner-only (0600), replacing the file in one step."""
    ensure_data_dir(path.parent)  # a folder made here is owner-only; an existing one keeps its modes
    temporary = path.with_name(path.name + ".new")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(_KEY_FILE_HEADER + "".join(key_line(k) + "\n" for k in keys))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def server_keys(env: Mapping[str, str] | None = None, create: bool = False) -> KeyRing:
    """The server's key ring: FENQI_CENTRAL_KEY, else the key file. A missing key file is created with a new
    key when `create` (a database nothing was sealed in yet); else SealingError says what to do."""
    env = os.environ if env is None else env
    given = env.get(KEY_ENV, "").strip()
    if given:
        if env.get(KEY_FILE_ENV, "").strip():
            raise SealingError(f"Both {KEY_ENV} and {KEY_FILE_ENV} are set: give the server its keys one way.")
        return KeyRing(parse_keys(given, KEY_ENV), KEY_ENV)
    path = key_file_path(env)
    if not path.exists():
        if not create:
            raise SealingError(
                f"There is no key file at {path}, and this database holds data sealed with a key: put the key file "
                f"back from its backup (or name it in {KEY_FILE_ENV}, or give the keys in {KEY_ENV})."
            )
        write_key_file(path, [new_key()])
    return KeyRing(_read_key_file(path), f"the key file {path}")


def add_key(env: Mapping[str, str] | None = None) -> tuple[Path, str]:
    """Put a new key first in the key file (it seals from the servers' next start; the others still open):
    the file and the new key's id. SealingError when the keys come from FENQI_CENTRAL_KEY."""
    env = os.environ if env is None else env
    if env.get(KEY_ENV, "").strip():
        raise SealingError(f"The keys come from {KEY_ENV}: put a new key first there (base64 of 32 random bytes).")
    path = key_file_path(env)
    keys = _read_key_file(path) if path.exists() else []
    key = new_key()
    write_key_file(path, [key, *keys])
    return path, _key(key).key_id


# --- The keys of an engine, and the sealed column types -----------------------------------------------------

_rings: WeakKeyDictionary[Dialect, KeyRing] = WeakKeyDictionary()


def bind(engine: Engine, ring: KeyRing) -> None:
    """Seal and open the sealed columns of everything done through `engine` with `ring`."""
    _rings[engine.dialect] = ring


def ring_of(where: Engine | Connection | Session | Dialect) -> KeyRing:
    """The key ring bound to the engine behind `where`."""
    if isinstance(where, Session):
        where = where.get_bind()
    dialect = where if isinstance(where, Dialect) else where.dialect
    ring = _rings.get(dialect)
    if ring is None:
        raise SealingError("This database was opened without the server's keys (central.db.open_database binds them).")
    return ring


class SealedText(TypeDecorator[str]):
    """A text column kept sealed (base64 text in the database)."""

    impl = Text
    cache_ok = True

    def __init__(self, table_name: str, column_name: str) -> None:
        super().__init__()
        self.table_name, self.column_name = table_name, column_name

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else ring_of(dialect).seal_text(self.table_name, self.column_name, value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else ring_of(dialect).open_text(self.table_name, self.column_name, value)


class SealedBytes(TypeDecorator[bytes]):
    """A binary column kept sealed."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, table_name: str, column_name: str) -> None:
        super().__init__()
        self.table_name, self.column_name = table_name, column_name

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else ring_of(dialect).seal(self.table_name, self.column_name, bytes(value))

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else ring_of(dialect).open(self.table_name, self.column_name, bytes(value))


# --- Sealing what is stored (the migration that seals, and re-sealing after a rotation) ---------------------


@dataclass(frozen=True)
class SealedColumn:
    """A sealed column: its table, the table's one-column primary key, and whether it is binary."""

    table: str
    key: str
    column: str
    binary: bool


def sealed_columns(metadata: Any) -> list[SealedColumn]:
    """The sealed columns of the tables in `metadata` (a SQLAlchemy MetaData)."""
    out = []
    for found in metadata.sorted_tables:
        for c in found.columns:
            if isinstance(c.type, SealedText | SealedBytes):
                (key,) = [k.name for k in found.primary_key.columns]
                out.append(SealedColumn(found.name, key, c.name, isinstance(c.type, SealedBytes)))
    return out


def _pages(connection: Connection, target: SealedColumn, size: int) -> Iterator[list[tuple[Any, Any]]]:
    """The column's non-null values with their row keys, a page at a time in key order."""
    t = table(target.table, column(target.key), column(target.column))
    last = None
    while True:
        query = select(t.c[target.key], t.c[target.column]).where(t.c[target.column].is_not(None))
        if last is not None:
            query = query.where(t.c[target.key] > last)
        rows = [tuple(r) for r in connection.execute(query.order_by(t.c[target.key]).limit(size))]
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def seal_column(
    connection: Connection,
    ring: KeyRing,
    target: SealedColumn,
    plaintext: bool,
    page: int = 500,
    after_page: Callable[[], None] | None = None,
) -> int:
    """Seal with the ring's current key every value of the column that it does not already seal: a value sealed
    with another key of the ring is opened and sealed again; a value that is not sealed is sealed when
    `plaintext` (the migration that seals what was stored in the clear), else SealingError. Each row is
    written only if it still holds what was read (a server writing at the same time wins: it seals with the
    current key too). The number of values sealed (or sealed by a server meanwhile). Commits nothing itself;
    `after_page` runs after each page (`keys reseal` commits there)."""
    t = table(target.table, column(target.key), column(target.column))
    done = 0
    for rows in _pages(connection, target, page):
        updates = []
        for key, stored in rows:
            raw = bytes(stored) if target.binary else _text_bytes(str(stored))
            found = None if raw is None else key_id_of(raw)
            if found == ring.current_id:
                continue
            if raw is not None and found is not None:
                value = ring.open(target.table, target.column, raw)
            elif plaintext:
                value = bytes(stored) if target.binary else str(stored).encode("utf-8")
            else:
                raise SealingError(f"The value of {target.table}.{target.column} in row {key} is not sealed.")
            sealed = (
                ring.seal(target.table, target.column, value)
                if target.binary
                else ring.seal_text(target.table, target.column, value.decode("utf-8"))
            )
            updates.append({"b_key": key, "b_old": stored, "b_new": sealed})
        if updates:  # one executemany per page
            connection.execute(
                t.update()
                .where(t.c[target.key] == bindparam("b_key"), t.c[target.column] == bindparam("b_old"))
                .values({target.column: bindparam("b_new")}),
                updates,
            )
            done += len(updates)
        if after_page is not None:
            after_page()
    return done


def redigest_lender_marks(
    connection: Connection, ring: KeyRing, page: int = 500, after_page: Callable[[], None] | None = None
) -> int:
    """Give every velocity mark the lender's blind index of its application's ID number under the current key
    (the application bodies sealed already); the number of marks changed. Commits nothing itself;
    `after_page` runs after each page."""
    marks = table("velocity_marks", column("application_id"), column("lender_id_digest"))
    bodies = table("applications", column("application_id"), column("body"))
    last = ""
    changed = 0
    while True:
        rows = connection.execute(
            select(marks.c.application_id, marks.c.lender_id_digest, bodies.c.body)
            .join(bodies, bodies.c.application_id == marks.c.application_id)
            .where(marks.c.application_id > last)
            .order_by(marks.c.application_id)
            .limit(page)
        ).all()
        if not rows:
            return changed
        updates = []
        for application_id, digest, body in rows:
            try:
                customer = json.loads(ring.open_text("applications", "body", body)).get("customer") or {}
                number = normalize_resident_id(str(customer["id_number"]))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # no ID number: the mark's index cannot be made again (and was never a match)
            wanted = ring.lender_digest(number)
            if digest is None or bytes(digest) != wanted:
                updates.append({"b_id": application_id, "b_digest": wanted})
        if updates:
            connection.execute(
                marks.update()
                .where(marks.c.application_id == bindparam("b_id"))
                .values(lender_id_digest=bindparam("b_digest")),
                updates,
            )
            changed += len(updates)
        last = rows[-1][0]
        if after_page is not None:
            after_page()


def recorded_key_ids(connection: Connection) -> set[str]:
    """The ids of the keys this database says sealed its data (none before the sealing migration)."""
    from sqlalchemy import inspect

    if not inspect(connection).has_table("sealing_keys"):
        return set()
    keys = table("sealing_keys", column("key_id"))
    return {str(k) for k in connection.execute(select(keys.c.key_id)).scalars()}


def record_key_id(connection: Connection, key_id: str) -> None:
    """Note in the database that key `key_id` seals (once). Commits nothing."""
    keys = table("sealing_keys", column("key_id"), column("first_used_at", DateTime(timezone=True)))
    if connection.execute(select(keys.c.key_id).where(keys.c.key_id == key_id)).first() is None:
        connection.execute(keys.insert().values(key_id=key_id, first_used_at=dt.datetime.now(dt.UTC)))


def forget_key_ids(connection: Connection, keep: str) -> list[str]:
    """Forget every key id but `keep` (nothing is sealed with them any more); the ids forgotten."""
    keys = table("sealing_keys", column("key_id"))
    gone = sorted(recorded_key_ids(connection) - {keep})
    if gone:
        connection.execute(keys.delete().where(keys.c.key_id.in_(gone)))
    return gone


def check_ring(ring: KeyRing, recorded: set[str]) -> None:
    """SealingError unless the ring holds every key the database says sealed its data."""
    missing = sorted(recorded - set(ring.ids))
    if missing:
        raise SealingError(
            f"This database holds data sealed with key {', '.join(missing)}, which {ring.source} does not hold "
            f"(it holds {', '.join(ring.ids)}): the wrong key file, or an old key removed before "
            "`fenqi-central keys reseal` sealed everything with the new one. The server does not start."
        )
