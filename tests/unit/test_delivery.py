"""Delivery: an approved application's goods are handed over with the serial/IMEI of the device; it becomes
delivered, the serial is recorded and the audit chain keeps only a keyed hash of it. Anything else is refused
with a translated message and a code, and changes nothing."""

from __future__ import annotations

import io
import json
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.counter.contract import terms_sha256
from app.counter.delivery import DeliveryService, SerialMismatch, normalize_serial
from app.domain.actor import Actor
from app.domain.application import ApplicationState, path_to
from app.domain.catalog import load_catalog
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT
from app.domain.roles import PermissionDenied, Role
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import set_language
from app.storage.models import Application, ApplicationTransition, AuditEntry, Purchase
from app.storage.repositories import ApplicationRepository
from app.sync.submission import SubmissionService
from tests.support.applications import CLERK, GOOD, given, quoted_application, signature

STORE_IT = Actor(login="admin", role=Role.ADMIN, display_name="Store IT", staff_id=None)
IMEI = "490154203237518"  # a valid IMEI (Luhn check digit 8)


def application_in(services, target: ApplicationState, serial: str | None = None) -> uuid.UUID:
    """An application of a saved customer with a purchase, taken through the states to `target` (the state
    machine's own transitions; the steps' services are exercised in test_approved_through_the_real_flow)."""
    started = services.consents.begin_application(CLERK, given(FIRST_MOMENT))
    services.intake.save(CLERK, started.application_id, GOOD)
    with services.store.write() as session:
        session.add(
            Purchase(
                id=uuid.uuid4(),
                application_id=started.application_id,
                category="goods",
                sku="MATE70-256",
                description="手机 Mate 70 256G",
                serial=serial,
                price=Decimal("4999.00"),
                down_payment=Decimal("1000.00"),
            )
        )
        for state in path_to(target)[1:]:
            ApplicationRepository().transition(session, started.application_id, state, "test", utc_now())
    return started.application_id


def _snapshot(services, application_id: uuid.UUID) -> tuple:
    with services.store.read() as session:
        app = session.get(Application, application_id)
        purchase = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
        return (
            app.state,
            app.version,
            purchase.serial if purchase else None,
            session.scalar(select(func.count(AuditEntry.seq))),
            session.scalar(select(func.count(ApplicationTransition.id))),
        )


def _delivered_audit(services) -> list[AuditEntry]:
    with services.store.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "application.delivered")))


def test_approved_becomes_delivered_with_the_serial(services) -> None:
    application_id = application_in(services, ApplicationState.APPROVED)
    delivery = DeliveryService(services.store, services.store_id)
    [waiting] = delivery.pending_deliveries(CLERK)
    assert waiting.application_id == application_id and waiting.customer_name == GOOD.name
    assert waiting.goods == "手机 Mate 70 256G" and waiting.approved_at is not None and not waiting.serial_on_file
    done = delivery.confirm(CLERK, application_id, "49-015420-323751-8")
    assert done.serial == IMEI and not done.different_serial
    state, _version, serial, _audits, _transitions = _snapshot(services, application_id)
    assert state == "delivered" and serial == IMEI
    [entry] = _delivered_audit(services)
    detail = json.loads(entry.detail)
    assert entry.object_id == str(application_id) and detail["different_serial"] is False
    assert detail["serial_hmac"] == delivery.serial_hash(IMEI) and IMEI not in entry.detail
    assert delivery.pending_deliveries(CLERK) == []


def test_approved_through_the_real_flow(signed_files, services) -> None:
    """Quoted, signed, queued, submitted, approved by the lender — then delivered."""
    application_id, terms = quoted_application(services, load_catalog(signed_files.settings))
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
    )
    SubmissionService(services.store).queue(CLERK, application_id)
    with services.store.write() as session:
        for state in (ApplicationState.SUBMITTED, ApplicationState.APPROVED):
            ApplicationRepository().transition(session, application_id, state, "central", utc_now())
    delivery = DeliveryService(services.store, services.store_id)
    assert [p.goods for p in delivery.pending_deliveries(CLERK)] == ["手机 X1 SN123"]
    version = _snapshot(services, application_id)[1]
    delivery.confirm(CLERK, application_id, "SN123-ABC")
    assert _snapshot(services, application_id)[:3] == ("delivered", version + 1, "SN123-ABC")


@pytest.mark.parametrize(
    "state",
    [ApplicationState.DRAFT, ApplicationState.SIGNED, ApplicationState.SUBMITTED, ApplicationState.DECLINED],
)
def test_only_an_approved_application_is_delivered(services, state: ApplicationState) -> None:
    application_id = application_in(services, state)
    before = _snapshot(services, application_id)
    set_language("zh_CN")
    with pytest.raises(InvalidInput) as refused:
        DeliveryService(services.store, services.store_id).confirm(CLERK, application_id, IMEI)
    assert refused.value.code == "not_approved"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
    assert _snapshot(services, application_id) == before
    assert DeliveryService(services.store, services.store_id).pending_deliveries(CLERK) == []


def test_delivered_once_only(services) -> None:
    application_id = application_in(services, ApplicationState.APPROVED)
    delivery = DeliveryService(services.store, services.store_id)
    delivery.confirm(CLERK, application_id, IMEI)
    before = _snapshot(services, application_id)
    with pytest.raises(InvalidInput) as refused:
        delivery.confirm(CLERK, application_id, IMEI)
    assert refused.value.code == "already_delivered" and _snapshot(services, application_id) == before
    with pytest.raises(InvalidInput) as unknown:
        delivery.confirm(CLERK, uuid.uuid4(), IMEI)
    assert unknown.value.code == "not_found"


@pytest.mark.parametrize(
    ("serial", "code"),
    [
        ("490154203237517", "imei_checksum"),  # one digit mistyped
        ("49-015420-323751-7", "imei_checksum"),
        ("", "serial_required"),
        ("   ", "serial_required"),
        ("AB12", "bad_serial"),  # too short
        ("X" * 41, "bad_serial"),
        ("SN#12345", "bad_serial"),
        ("SN_12345", "bad_serial"),
    ],
)
def test_a_bad_serial_is_refused_and_nothing_written(services, serial: str, code: str) -> None:
    application_id = application_in(services, ApplicationState.APPROVED)
    before = _snapshot(services, application_id)
    with pytest.raises(InvalidInput) as refused:
        DeliveryService(services.store, services.store_id).confirm(CLERK, application_id, serial)
    assert refused.value.code == code
    assert _snapshot(services, application_id) == before


def test_serials_are_normalised() -> None:
    assert normalize_serial(" sn-abc 123 ") == "SN-ABC123"
    assert normalize_serial("４９０１５４２０３２３７５１８") == IMEI  # full-width digits from an input method
    assert normalize_serial("3520990017614823") == "3520990017614823"  # 16 digits: an IMEISV, no check digit


def test_a_different_device_needs_confirming(services) -> None:
    application_id = application_in(services, ApplicationState.APPROVED, serial="SN-ABC-12345")
    delivery = DeliveryService(services.store, services.store_id)
    assert delivery.pending_deliveries(CLERK)[0].serial_on_file
    before = _snapshot(services, application_id)
    with pytest.raises(SerialMismatch) as refused:
        delivery.confirm(CLERK, application_id, "SN-XYZ-99999")
    assert refused.value.code == "serial_mismatch" and "2345" in refused.value.message
    assert _snapshot(services, application_id) == before
    done = delivery.confirm(CLERK, application_id, "SN-XYZ-99999", confirm_different=True)
    assert done.different_serial
    assert _snapshot(services, application_id)[:3] == ("delivered", before[1] + 1, "SN-XYZ-99999")
    [entry] = _delivered_audit(services)
    detail = json.loads(entry.detail)
    assert detail["different_serial"] is True
    assert detail["recorded_serial_hmac"] == delivery.serial_hash("SN-ABC-12345")
    assert "XYZ" not in entry.detail and "ABC" not in entry.detail


def test_the_recorded_serial_matches_however_it_is_spaced(services) -> None:
    application_id = application_in(services, ApplicationState.APPROVED, serial="sn-abc-12345")
    done = DeliveryService(services.store, services.store_id).confirm(CLERK, application_id, "SNABC12345")
    assert not done.different_serial


def test_store_it_may_not_deliver(services) -> None:
    application_id = application_in(services, ApplicationState.APPROVED)
    delivery = DeliveryService(services.store, services.store_id)
    with pytest.raises(PermissionDenied):
        delivery.confirm(STORE_IT, application_id, IMEI)
    with pytest.raises(PermissionDenied):
        delivery.pending_deliveries(STORE_IT)


def _cli(monkeypatch, capsys, *args: str, pin: str = "135790") -> tuple[int, dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    code = main(["deliver", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_fenqi_deliver(services, monkeypatch, capsys) -> None:
    application_id = application_in(services, ApplicationState.APPROVED, serial=IMEI)
    with services.store.read() as session:
        reference = session.get(Application, application_id).reference
    code, out = _cli(monkeypatch, capsys, reference, "--serial", "490154203237517", "--staff", "sales01")
    assert code == 1 and out["error"]["code"] == "imei_checksum"
    code, out = _cli(monkeypatch, capsys, reference, "--serial", IMEI, "--staff", "sales01", pin="000000")
    assert code == 1 and out["error"]["code"] == "sign_in_refused"
    code, out = _cli(monkeypatch, capsys, reference.lower(), "--serial", IMEI, "--staff", "sales01")
    assert code == 0 and out == {"reference": reference, "state": "delivered", "different_serial": False}
    code, out = _cli(monkeypatch, capsys, reference, "--serial", IMEI, "--staff", "sales01")
    assert code == 1 and out["error"]["code"] == "already_delivered"
