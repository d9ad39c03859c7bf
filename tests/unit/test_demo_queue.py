"""`fenqi demo-data --state queued`: signed applications taken through the counter's flow into the outbox."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select

from app.cli import main
from app.domain.identity import parse_resident_id
from app.storage.audit import AuditLog
from app.storage.models import Application, Attachment, AuditEntry, OutboxItem, Staff
from app.storage.outbox import payload_of


def _outbox(services) -> list[OutboxItem]:
    with services.store.read() as session:
        return list(session.scalars(select(OutboxItem).where(OutboxItem.kind == "application")))


def _contract(services, application_id) -> bytes:
    with services.store.read() as session:
        row = session.scalar(
            select(Attachment).where(Attachment.application_id == application_id, Attachment.kind == "contract")
        )
        return services.store.cipher.open("attachments", "content", row.id, row.content_enc)


def test_queued_demo_data_goes_through_the_flow(signed_files, services, capsys) -> None:
    """Five signed applications in the outbox, each with its own customer, a PDF contract and a signature; the
    audit chain names the sales consultant and stays intact."""
    assert main(["demo-data", "--count", "5", "--state", "queued", "--json", "--seed", "7"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["queued"] == 5 and out["applications"] == 5 and out["store"] == "S001"
    assert {"customers", "purchases", "consents", "seconds"} <= out.keys()
    items = _outbox(services)
    assert len(items) == 5 and {i.status for i in items} == {"pending"}
    with services.store.read() as session:
        states = {a.id: a.state for a in session.scalars(select(Application))}
        clerk = session.scalar(select(Staff).where(Staff.login == "sales01"))
        actors = set(session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "application.queued")))
        assert AuditLog.for_store(services.store).verify(session).intact
    assert states == {i.application_id: "queued" for i in items}
    assert actors == {f"staff:{clerk.id}"}
    payloads = [payload_of(services.store, i) for i in items]
    numbers = [p["customer"]["id_number"] for p in payloads]
    assert len(set(numbers)) == 5
    for number in numbers:
        parse_resident_id(number)  # valid, check character included
    assert len({p["customer"]["phone"] for p in payloads}) == 5
    for item, body in zip(items, payloads, strict=True):
        assert body["staff_id"] == str(clerk.id)
        assert {c["kind"] for c in body["consents"]} == {
            "sensitive_personal_info",
            "credit_inquiry",
            "loan_contract",
            "auto_debit",
        }
        assert body["terms_sha256"] and body["signature_strokes_sha256"]
        pdf = _contract(services, item.application_id)
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == body["contract_sha256"]
    assert main(["audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intact"] is True


def test_same_seed_same_customers(signed_files, tmp_path, monkeypatch, capsys) -> None:
    """The seed makes the people repeatable: two fresh stores, the same ID numbers."""
    from app.services import build_services

    seen = []
    for sub in ("a", "b"):
        monkeypatch.setenv("FENQI_HOME", str(tmp_path / sub))
        (tmp_path / sub / "config").mkdir(parents=True)
        (tmp_path / sub / "config" / "settings.json").write_bytes(
            (tmp_path / "fenqi-home" / "config" / "settings.json").read_bytes()
        )
        assert main(["demo-data", "--count", "3", "--state", "queued", "--json", "--seed", "11"]) == 0
        capsys.readouterr()
        services = build_services()
        try:
            seen.append(sorted(payload_of(services.store, i)["customer"]["id_number"] for i in _outbox(services)))
        finally:
            services.close()
    assert seen[0] == seen[1] and len(seen[0]) == 3


def test_refused_model_writes_nothing(signed_files, services, capsys) -> None:
    """A tampered scorecard: exit 3 with the error JSON, and no application or outbox item."""
    model = signed_files.models / "scorecard.onnx"
    model.write_bytes(model.read_bytes() + b"\0")
    assert main(["demo-data", "--count", "3", "--state", "queued", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "model_tampered"
    (signed_files.models / "model_card.json").unlink()
    assert main(["demo-data", "--count", "3", "--state", "queued", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "model_missing"
    with services.store.read() as session:
        assert session.scalar(select(func.count(OutboxItem.id))) == 0
        assert session.scalar(select(func.count(Application.id))) == 0


def test_refused_catalog_writes_nothing(signed_files, services, capsys) -> None:
    """A catalog changed after signing: exit 3, nothing queued."""
    signed_files.catalog.write_text(signed_files.catalog.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert main(["demo-data", "--count", "2", "--state", "queued", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "signature_invalid"
    assert _outbox(services) == []
