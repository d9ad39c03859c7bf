"""The audit log's HMAC chain: appends link up, and every kind of local tampering is named at its first entry."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import uuid

import pytest

import app.cli.audit
import app.kernel.config
from app.kernel.canonical import canonical_json
from app.kernel.errors import InvalidInput
from app.kernel.logs import scrub
from app.storage.audit import GENESIS_MAC, AuditLog, ChainReport

COLUMNS = ("at", "actor", "action", "object_type", "object_id", "detail", "prev_mac", "mac")
START = dt.datetime(2025, 3, 1, 1, 2, 3, 456789, tzinfo=dt.UTC)


def _fill(services, count: int = 10) -> AuditLog:
    audit = AuditLog.for_store(services.store)
    with services.store.write() as session:
        for i in range(count):
            audit.append(
                session,
                f"sales0{i % 3 + 1}",
                "application.submit" if i % 2 else "staff.sign_in",
                object_type="application",
                object_id=str(uuid.uuid4()),
                detail={"step": i, "amount": "3999.00", "items": [i, "phone"]},
                at=START + dt.timedelta(minutes=i),
            )
    return audit


def _verify(services, audit: AuditLog) -> ChainReport:
    with services.store.read() as session:
        return audit.verify(session)


def _rows(services) -> dict[int, dict]:
    with services.store.engine.connect() as conn:
        result = conn.exec_driver_sql(f"SELECT seq, {', '.join(COLUMNS)} FROM audit_log ORDER BY seq")
        return {row.seq: dict(row._mapping) for row in result}


def _sql(services, statement: str, *params) -> None:
    with services.store.engine.begin() as conn:
        conn.exec_driver_sql(statement, params)


def _spec_mac(key: bytes, row: dict) -> bytes:
    """The MAC as the format defines it, computed independently of app.storage.audit."""
    at = dt.datetime.fromisoformat(row["at"]).replace(tzinfo=dt.UTC)
    message = {
        "seq": row["seq"],
        "at": at.isoformat(timespec="microseconds"),
        "actor": row["actor"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "detail": json.loads(row["detail"]),
        "prev": row["prev_mac"].hex(),
    }
    return hmac.new(key, canonical_json(message), hashlib.sha256).digest()


def _run_cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    app.cli.audit.register(sub)
    args = parser.parse_args(argv)
    status = args.handler(args, app.kernel.config.load_configuration())
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_intact_chain_verifies_with_its_head(services) -> None:
    """Ten appended entries are numbered 1..10, linked from the genesis MAC, and verify as intact."""
    audit = _fill(services)
    rows = _rows(services)
    assert sorted(rows) == list(range(1, 11))
    assert rows[1]["prev_mac"] == GENESIS_MAC
    assert all(rows[s]["prev_mac"] == rows[s - 1]["mac"] for s in range(2, 11))
    assert _verify(services, audit) == ChainReport(True, 10, 10, rows[10]["mac"].hex(), None, None)


def test_mac_follows_the_documented_format(services) -> None:
    """Each stored MAC is HMAC-SHA256 under the store's "audit chain" subkey over the documented fields."""
    _fill(services, 3)
    key = services.store.cipher.derive_key("audit chain")
    for seq, row in _rows(services).items():
        assert row["mac"] == _spec_mac(key, {"seq": seq, **row})


def test_appends_in_separate_transactions_continue_the_chain(services) -> None:
    """A later write transaction appends after the committed head, and the returned entry is the stored one."""
    audit = _fill(services, 2)
    with services.store.write() as session:
        entry = audit.append(session, "manager", "staff.reveal_id", object_type="customer", object_id="c-1")
    assert entry.seq == 3
    rows = _rows(services)
    assert entry.mac == rows[3]["mac"] and rows[3]["prev_mac"] == rows[2]["mac"]
    assert _verify(services, audit).intact


def test_rolled_back_append_leaves_no_entry(services) -> None:
    """An entry appended in a transaction that rolls back disappears with it, and the chain stays intact."""
    audit = _fill(services, 2)
    with pytest.raises(RuntimeError), services.store.write() as session:
        audit.append(session, "sales01", "application.submit")
        raise RuntimeError("the recorded change failed")
    assert sorted(_rows(services)) == [1, 2]
    assert _verify(services, audit).intact


def test_append_outside_a_write_transaction_is_refused(services) -> None:
    """Appending in a read transaction (which does not hold the write lock) raises and writes nothing."""
    audit = AuditLog.for_store(services.store)
    with pytest.raises(RuntimeError), services.store.read() as session:
        audit.append(session, "sales01", "staff.sign_in")
    assert _rows(services) == {}


def test_empty_log_is_intact(services) -> None:
    """A store with no audit entries verifies as intact, with 0 entries and no head."""
    assert _verify(services, AuditLog.for_store(services.store)) == ChainReport(True, 0, None, None, None, None)


@pytest.mark.parametrize(
    ("column", "value"),
    [("detail", '{"amount":"1.00","items":[4,"phone"],"step":4}'), ("actor", "admin"), ("at", "2025-03-01 09:00:00")],
)
def test_edited_entry_is_named(services, column: str, value: str) -> None:
    """Changing one column of entry 5 with raw SQL makes entry 5 the first bad one, "edited"."""
    audit = _fill(services)
    _sql(services, f"UPDATE audit_log SET {column} = ? WHERE seq = 5", value)
    report = _verify(services, audit)
    assert (report.intact, report.first_bad_seq, report.problem) == (False, 5, "edited")
    assert report.entries == 10 and report.head_seq is None and report.head_mac is None


def test_unreadable_values_count_as_edited(services) -> None:
    """Values no honest append writes (detail not JSON, a time that is not a time) are "edited", not a crash."""
    audit = _fill(services)
    _sql(services, "UPDATE audit_log SET detail = 'not json' WHERE seq = 7")
    _sql(services, "UPDATE audit_log SET at = 'yesterday' WHERE seq = 8")
    report = _verify(services, audit)
    assert (report.first_bad_seq, report.problem) == (7, "edited")


def test_deleted_middle_entry_is_named_at_the_next_entry(services) -> None:
    """Deleting entry 4 makes entry 5 the first bad one, "deleted"."""
    audit = _fill(services)
    _sql(services, "DELETE FROM audit_log WHERE seq = 4")
    report = _verify(services, audit)
    assert (report.intact, report.entries, report.first_bad_seq, report.problem) == (False, 9, 5, "deleted")


def test_deleted_first_entry_is_named(services) -> None:
    """Deleting entry 1 makes entry 2 the first bad one, "deleted" (the chain must start at the genesis MAC)."""
    audit = _fill(services, 3)
    _sql(services, "DELETE FROM audit_log WHERE seq = 1")
    report = _verify(services, audit)
    assert (report.first_bad_seq, report.problem) == (2, "deleted")


def test_gap_in_seq_with_a_matching_link_is_deleted(services) -> None:
    """Renumbering the last entry from 10 to 12 (its link still matches entry 9) is reported as "deleted" at 12."""
    audit = _fill(services)
    _sql(services, "UPDATE audit_log SET seq = 12 WHERE seq = 10")
    report = _verify(services, audit)
    assert (report.first_bad_seq, report.problem) == (12, "deleted")


def test_swapped_adjacent_entries_are_reordered(services) -> None:
    """Swapping everything but seq between entries 3 and 4 makes entry 3 the first bad one, "reordered"."""
    audit = _fill(services)
    rows = _rows(services)
    assignments = ", ".join(f"{c} = ?" for c in COLUMNS)
    with services.store.engine.begin() as conn:
        for seq, source in ((3, 4), (4, 3)):
            values = tuple(rows[source][c] for c in COLUMNS)
            conn.exec_driver_sql(f"UPDATE audit_log SET {assignments} WHERE seq = ?", (*values, seq))
    assert _rows(services)[3]["mac"] == rows[4]["mac"]
    report = _verify(services, audit)
    assert (report.intact, report.first_bad_seq, report.problem) == (False, 3, "reordered")


def test_forged_entry_rechained_with_another_key_is_caught(services) -> None:
    """An entry edited and re-chained (it and all after it) under a key other than the store's is "edited"."""
    audit = _fill(services)
    forger = uuid.uuid4().bytes * 2
    _sql(services, "UPDATE audit_log SET actor = 'admin' WHERE seq = 6")
    rows = _rows(services)
    prev = rows[5]["mac"]
    for seq in range(6, 11):
        row = {**rows[seq], "seq": seq, "prev_mac": prev}
        prev = _spec_mac(forger, row)
        _sql(services, "UPDATE audit_log SET prev_mac = ?, mac = ? WHERE seq = ?", row["prev_mac"], prev, seq)
    assert _rows(services)[7]["prev_mac"] == _rows(services)[6]["mac"]  # the forged links do match
    report = _verify(services, audit)
    assert (report.first_bad_seq, report.problem) == (6, "edited")
    assert _verify(services, AuditLog(forger)).first_bad_seq == 1  # and the whole log fails under the forger's key


@pytest.mark.parametrize(
    "detail",
    [
        {"customer": "110101199003070038"},
        {"contact": {"mobile": "13812345678"}},
        {"ids": ["x", "11010119900307003X"]},
        {"13812345678": True},
        {"card": 6222021234567890123},
    ],
)
def test_detail_with_personal_data_is_refused(services, detail: dict) -> None:
    """A detail holding something that looks like an ID, mobile or card number is refused; nothing is written."""
    audit = AuditLog.for_store(services.store)
    with pytest.raises(InvalidInput) as caught, services.store.write() as session:
        audit.append(session, "sales01", "customer.lookup", detail=detail)
    assert caught.value.code == "audit_personal_data"
    assert "1381234" not in caught.value.message and "1101011" not in caught.value.message
    assert _rows(services) == {}


def test_personal_data_in_actor_or_object_id_is_refused(services) -> None:
    """A mobile number used as the actor or the object id is refused as well."""
    audit = AuditLog.for_store(services.store)
    for fields in ({"actor": "13812345678"}, {"actor": "sales01", "object_id": "110101199003070038"}):
        with pytest.raises(InvalidInput), services.store.write() as session:
            audit.append(session, action="customer.lookup", **{"actor": "sales01", **fields})
    assert _rows(services) == {}


def test_uuids_are_never_taken_for_personal_data(services) -> None:
    """A UUID whose last group reads like a mobile number is accepted as object id and in detail."""
    tricky = "0a139123-4567-4abc-8def-a13912345678"
    assert scrub(tricky) != tricky and scrub(uuid.UUID(tricky).hex) != uuid.UUID(tricky).hex
    audit = AuditLog.for_store(services.store)
    with services.store.write() as session:
        audit.append(session, "sales01", "application.open", object_id=tricky, detail={"hex": uuid.UUID(tricky).hex})
    assert _verify(services, audit).entries == 1


def test_cli_verify_intact_exits_0_with_json(services, capsys) -> None:
    """`audit verify --json` on an intact chain exits 0 and prints entries and head."""
    _fill(services, 4)
    head = _rows(services)[4]["mac"].hex()
    status, out, _err = _run_cli(capsys, ["audit", "verify", "--json"])
    assert status == 0
    assert json.loads(out) == {"intact": True, "entries": 4, "head_seq": 4, "head_mac": head}


def test_cli_verify_broken_exits_1_naming_the_entry(services, capsys) -> None:
    """`audit verify --json` on an edited chain exits 1 with audit_chain_broken and the first bad entry."""
    _fill(services, 4)
    _sql(services, "UPDATE audit_log SET action = 'staff.sign_out' WHERE seq = 3")
    status, out, _err = _run_cli(capsys, ["audit", "verify", "--json"])
    assert status == 1
    assert json.loads(out) == {
        "intact": False,
        "entries": 4,
        "first_bad_entry": 3,
        "problem": "edited",
        "error": {"code": "audit_chain_broken", "message": "Audit entry 3 was edited."},
    }


def test_cli_verify_without_json_prints_a_sentence(services, capsys) -> None:
    """Without --json a broken chain prints a readable table and the sentence naming the entry."""
    _fill(services, 4)
    _sql(services, "DELETE FROM audit_log WHERE seq = 2")
    status, out, err = _run_cli(capsys, ["audit", "verify"])
    assert status == 1
    assert "First bad entry" in out and "Audit entry 3 was deleted." in err


def test_hex_digests_are_not_mistaken_for_personal_numbers(services) -> None:
    """A SHA-256 whose digits read like a mobile number (13812345678 inside) is accepted as a digest."""
    digest = "ab13812345678" + "c" * 51
    with services.store.write() as session:
        AuditLog.for_store(services.store).append(session, "cli:test", "contract.signed", detail={"pdf": digest})
    with pytest.raises(InvalidInput), services.store.write() as session:
        AuditLog.for_store(services.store).append(session, "cli:test", "x", detail={"note": "call 13812345678"})
