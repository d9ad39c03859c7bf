"""The declarations of what is sealed (on the models) and the one module that seals from them: every personal
column is declared, values are bound to their table, field and row exactly as before (so existing stores still
open), and the outbox has one encoding and one key scheme that still reads and matches what older versions
wrote."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import LargeBinary

from app.domain.customer import CustomerDetails
from app.security.field_crypto import DecryptionFailed, FieldCipher
from app.storage.models import (
    Attachment,
    AuditEntry,
    Base,
    BlindIndexed,
    Customer,
    DraftSnapshot,
    OutboxItem,
    Sealed,
    Staff,
)
from app.storage.outbox import enqueue, payload_of
from app.storage.repositories import CustomerRepository
from app.storage.sealing import NotDeclared, Sealing, declared_columns
from app.sync.submission import revision_of
from app.wire.keys import CANCELLATION, SUBMISSION, WITHDRAWAL, idempotency_key, outbox_key
from tests.unit.test_drafts import actor, started

KEY = bytes(range(32))
ROW = uuid.UUID("7d3c1f0e-2b4a-4c5d-9e8f-0a1b2c3d4e5f")
# Sealed by FieldCipher(KEY) as every version so far has sealed: format byte, nonce, AES-GCM with the AAD
# "table/column/row id". These must keep opening, or stores written before would not.
OLD_NAME = bytes.fromhex(
    "01035a928a7260618d7cbcf6c87a19b2600e18cd70da5526f2712949c5b3eca0a5666b"
)  # customers.name "张三"
OLD_DRAFT = bytes.fromhex(  # draft_snapshots.values of application ROW: {"name":"张"}
    "01372a8bfa9f8feefa43b0adb43a10c0a6fb724ff9f495a6f5d169025cd172c2e6da3587f8f6dd20d26d51"
)
OLD_ID_INDEX = bytes.fromhex("0ee41805e50888527ed8c176851d5420")  # blind index of ID number 11010519491231002X


def test_every_personal_column_is_declared() -> None:
    """Every *_enc column of the models is declared sealed (its field the column's name), every *_bi column a
    blind index, and nothing else is declared either."""
    declared = declared_columns()
    personal = {
        (table.name, col.name)
        for table in Base.metadata.sorted_tables
        for col in table.columns
        if col.name.endswith(("_enc", "_bi"))
    }
    assert personal == set(declared)
    assert len(personal) >= 18
    for (table, column), declaration in declared.items():
        assert isinstance(Base.metadata.tables[table].columns[column].type, LargeBinary)
        if column.endswith("_enc"):
            assert isinstance(declaration, Sealed) and declaration.field == column.removesuffix("_enc")
            assert declaration.row_key in Base.metadata.tables[table].columns
        else:
            assert isinstance(declaration, BlindIndexed) and declaration.kind == column.removesuffix("_bi")
    assert declared[("draft_snapshots", "values_enc")] == Sealed("values", row_key="application_id")


@pytest.mark.parametrize(
    ("column", "table", "field"),
    [
        (Customer.name_enc, "customers", "name"),
        (Customer.emergency_phone_enc, "customers", "emergency_phone"),
        (Staff.display_name_enc, "staff", "display_name"),
        (Attachment.content_enc, "attachments", "content"),
        (OutboxItem.payload_enc, "outbox", "payload"),
        (DraftSnapshot.values_enc, "draft_snapshots", "values"),
    ],
)
def test_sealing_binds_to_table_field_and_row_as_before(column, table: str, field: str) -> None:
    """What Sealing seals opens with the cipher under the old (table, column, row) binding, and the reverse."""
    cipher, sealing = FieldCipher(KEY), Sealing(FieldCipher(KEY))
    sealed = sealing.seal(column, ROW, "张三 13800138000")
    assert cipher.open_text(table, field, ROW, sealed) == "张三 13800138000"
    assert sealing.open(column, ROW, cipher.seal(table, field, ROW, b"\x00\xff")) == b"\x00\xff"
    with pytest.raises(DecryptionFailed):
        sealing.open(column, uuid.uuid4(), sealed)  # moved to another row


def test_values_sealed_by_earlier_versions_still_open() -> None:
    """Fixed ciphertexts and an index written with the format every store so far has used."""
    sealing = Sealing(FieldCipher(KEY))
    assert sealing.open_text(Customer.name_enc, ROW, OLD_NAME) == "张三"
    assert json.loads(sealing.open(DraftSnapshot.values_enc, ROW, OLD_DRAFT)) == {"name": "张"}
    assert sealing.index(Customer.id_number_bi, "11010519491231002X") == OLD_ID_INDEX
    assert sealing.index(Staff.id_number_bi, "11010519491231002X") == OLD_ID_INDEX  # same kind, comparable
    with pytest.raises(DecryptionFailed):
        sealing.open_text(Customer.phone_enc, ROW, OLD_NAME)  # bound to its column


def test_put_and_text_on_rows() -> None:
    """put() seals to the row's own key (the application for a draft), text() opens; None stays None."""
    sealing = Sealing(FieldCipher(KEY))
    row = Customer(id=ROW)
    sealing.put(row, Customer.name_enc, "李四")
    sealing.put(row, Customer.address_enc, None)
    assert row.address_enc is None and sealing.text(row, Customer.address_enc) == ""
    assert FieldCipher(KEY).open_text("customers", "name", ROW, row.name_enc) == "李四"
    assert sealing.text(row, Customer.name_enc) == "李四"
    draft = DraftSnapshot(application_id=ROW)
    sealing.put(draft, DraftSnapshot.values_enc, b"{}")
    assert FieldCipher(KEY).open("draft_snapshots", "values", ROW, draft.values_enc) == b"{}"


def test_undeclared_columns_are_refused() -> None:
    """Sealing into, or indexing with, a column its model does not declare is a programming error."""
    sealing = Sealing(FieldCipher(KEY))
    with pytest.raises(NotDeclared):
        sealing.seal(AuditEntry.mac, ROW, "x")  # binary, but not personal
    with pytest.raises(NotDeclared):
        sealing.index(Customer.name_enc, "x")
    with pytest.raises(NotDeclared):
        sealing.seal(Customer.phone_bi, ROW, "x")


def test_repository_writes_open_with_the_old_binding(services) -> None:
    """A customer saved through the repository opens with the cipher and the table/column names directly."""
    customers = CustomerRepository.for_store(services.store)
    with services.store.write() as session:
        cid = customers.save(
            session,
            CustomerDetails(name="王五", id_number="11010519491231002X", phone="13800138000"),
            dt.datetime.now(dt.UTC),
        )
        row = session.get(Customer, cid)
        cipher = services.store.cipher
        assert cipher.open_text("customers", "name", cid, row.name_enc) == "王五"
        assert cipher.open_text("customers", "phone", cid, row.phone_enc) == "13800138000"
        assert row.id_number_bi == cipher.blind_index("id_number", "11010519491231002X")
        assert row.phone_bi == cipher.blind_index("phone", "13800138000")
        assert row.address_enc is None
        assert customers.name_of(row) == "王五" and customers.id_number_of(row) == "11010519491231002X"


def test_one_key_scheme_gives_the_keys_older_versions_gave() -> None:
    """Submissions, cancellations and withdrawals keep the keys they always had, so items queued before still
    match what the server recorded, and revision_of still finds a submission's revision."""
    app_id, at = uuid.uuid4(), "2026-01-02T03:04:05.123456+00:00"
    assert outbox_key(app_id, SUBMISSION, 3) == uuid.uuid5(app_id, "revision:3")
    assert idempotency_key(str(app_id), 3) == str(uuid.uuid5(app_id, "revision:3"))
    assert outbox_key(app_id, CANCELLATION, at) == uuid.uuid5(app_id, f"cancel:{at}")
    assert outbox_key(app_id, WITHDRAWAL, f"credit_inquiry:{at}") == uuid.uuid5(app_id, f"withdraw:credit_inquiry:{at}")
    assert revision_of(app_id, uuid.uuid5(app_id, "revision:2"), 4) == 2


def test_enqueue_writes_canonical_json_and_old_items_still_read(services) -> None:
    """enqueue seals the body as canonical JSON under the scheme's key; items written by earlier versions (plain
    json.dumps text, ASCII-escaped or not) read back as the same body."""
    application_id = started(services, actor(services, "sales01"))
    now = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    body = {"application_id": str(application_id), "reason": "顾客改变主意"}
    with services.store.write() as session:
        item = enqueue(
            session, services.store, "cancellation", application_id, CANCELLATION, now.isoformat(), body, now
        )
        old = []
        for text in (json.dumps(body), json.dumps(body, ensure_ascii=False)):
            old_item = OutboxItem(
                id=uuid.uuid4(),
                application_id=application_id,
                idempotency_key=uuid.uuid4(),
                kind="cancellation",
                payload_enc=b"",
                next_attempt_at=now,
                created_at=now,
            )
            old_item.payload_enc = services.store.cipher.seal("outbox", "payload", old_item.id, text)
            session.add(old_item)
            old.append(old_item)
    with services.store.read() as session:
        item = session.get(OutboxItem, item.id)
        assert item is not None
    assert item.idempotency_key == uuid.uuid5(application_id, f"cancel:{now.isoformat()}")
    assert item.kind == "cancellation" and item.application_id == application_id
    assert item.status == "pending" and item.attempts == 0 and item.next_attempt_at == now
    sealed_text = services.store.cipher.open("outbox", "payload", item.id, item.payload_enc)
    assert sealed_text == json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert payload_of(services.store, item) == body
    assert [payload_of(services.store, o) for o in old] == [body, body]
