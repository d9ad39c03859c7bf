"""Sealing and opening personal fields, the one place that does: every column holding a sealed value or a blind
index says so on the models (app.storage.models: `sealed(...)`, `blind_indexed(...)` in its `info`), and this
module turns that declaration into the cipher's call — a value sealed to its table, field and row exactly as
app.security.field_crypto has always bound it, so stores written before this module still open.

Only app/storage uses it; the rest of the app asks the repositories for what it needs (a customer's name, a
staff member's display name, a draft's values, a document's content, a blind index to look someone up)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import InstrumentedAttribute

from app.security.field_crypto import FieldCipher
from app.storage.local_store import LocalStore
from app.storage.models import BLIND_INDEXED, SEALED, Base, BlindIndexed, Sealed

# A mapped column, e.g. `Customer.name_enc` (the attribute, not its value): the declaration is read from it.
SealedColumn = InstrumentedAttribute[bytes | None]
IndexColumn = InstrumentedAttribute[bytes | None]


class NotDeclared(TypeError):
    """A column used for sealing or indexing that its model does not declare as such: a programming error."""


def sealed_declaration(column: SealedColumn) -> tuple[str, Sealed]:
    """The table and the `Sealed` declaration of `column`; NotDeclared when it holds no sealed value."""
    declared = column.info.get(SEALED)
    if not isinstance(declared, Sealed):
        raise NotDeclared(f"{column} is not declared sealed on its model")
    return str(column.class_.__tablename__), declared


def index_declaration(column: IndexColumn) -> BlindIndexed:
    """The `BlindIndexed` declaration of `column`; NotDeclared when it holds no blind index."""
    declared = column.info.get(BLIND_INDEXED)
    if not isinstance(declared, BlindIndexed):
        raise NotDeclared(f"{column} is not declared a blind index on its model")
    return declared


def declared_columns(base: type[Base] = Base) -> dict[tuple[str, str], Sealed | BlindIndexed]:
    """Every (table, column) of the models declared sealed or blind-indexed, with its declaration."""
    found: dict[tuple[str, str], Sealed | BlindIndexed] = {}
    for table in base.metadata.sorted_tables:
        for col in table.columns:
            declared = col.info.get(SEALED) or col.info.get(BLIND_INDEXED)
            if isinstance(declared, Sealed | BlindIndexed):
                found[(table.name, col.name)] = declared
    return found


class Sealing:
    """Seals, opens and blind-indexes the declared columns with one store's field cipher."""

    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher
        self._bindings: dict[tuple[object, str], tuple[str, str]] = {}  # (model, attribute) → (table, field)

    @classmethod
    def for_store(cls, store: LocalStore) -> Sealing:
        """Sealing with the data key of `store`."""
        return cls(store.cipher)

    def _binding(self, column: SealedColumn) -> tuple[str, str]:
        """(table, field) that a value of `column` is bound to, read once per column."""
        key = (column.class_, column.key)
        found = self._bindings.get(key)
        if found is None:
            table, declared = sealed_declaration(column)
            found = self._bindings[key] = (table, declared.field)
        return found

    def seal(self, column: SealedColumn, row_id: uuid.UUID | str, value: str | bytes) -> bytes:
        """`value` sealed for `column` of the row `row_id` (the row key its declaration names)."""
        table, field = self._binding(column)
        return self._cipher.seal(table, field, row_id, value)

    def open(self, column: SealedColumn, row_id: uuid.UUID | str, sealed: bytes) -> bytes:
        """A value of `column` sealed for the row `row_id`, opened; DecryptionFailed if altered or moved."""
        table, field = self._binding(column)
        return self._cipher.open(table, field, row_id, sealed)

    def open_text(self, column: SealedColumn, row_id: uuid.UUID | str, sealed: bytes) -> str:
        """A text value of `column` sealed for the row `row_id`, opened."""
        return self.open(column, row_id, sealed).decode("utf-8")

    def put(self, row: Base, column: SealedColumn, value: str | bytes | None) -> None:
        """Set `column` of the ORM `row` to `value` sealed to that row (None stays None)."""
        sealed = None if value is None else self.seal(column, _row_key(row, column), value)
        setattr(row, column.key, sealed)

    def text(self, row: Base, column: SealedColumn) -> str:
        """`column` of the ORM `row`, opened as text; "" when nothing is stored."""
        sealed = getattr(row, column.key)
        return "" if sealed is None else self.open_text(column, _row_key(row, column), sealed)

    def content(self, row: Base, column: SealedColumn) -> bytes:
        """`column` of the ORM `row`, opened as bytes; b"" when nothing is stored."""
        sealed = getattr(row, column.key)
        return b"" if sealed is None else self.open(column, _row_key(row, column), sealed)

    def index(self, column: IndexColumn, normalized: str) -> bytes:
        """The blind index `column` holds for the normalised value `normalized` (of the kind it declares)."""
        return self._cipher.blind_index(index_declaration(column).kind, normalized)


def _row_key(row: Base, column: SealedColumn) -> uuid.UUID:
    value: uuid.UUID = getattr(row, sealed_declaration(column)[1].row_key)
    return value
