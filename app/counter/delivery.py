"""Delivery: once the lender approved an application, the clerk hands the goods over and records the serial
number or IMEI of the very device handed over; the application becomes DELIVERED.

The serial is checked before anything is read (6–40 letters, digits or dashes; a 15-digit IMEI must pass its
Luhn check digit) and compared with the serial recorded with the purchase, if one was: a different device needs
an explicit confirmation, and the audit entry says so. A serial identifies a device that identifies a person, so
the audit chain (kept in plain text, never purged) holds only a keyed hash of it, as evidence that can be checked
by whoever holds the store's key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from stdnum import imei
from stdnum.exceptions import ValidationError

from app.domain.actor import Actor
from app.domain.application import ApplicationState, parse_state, state_label
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, Customer, Purchase
from app.storage.repositories import ApplicationRepository, CustomerRepository

_SERIAL = re.compile(r"^[A-Z0-9-]{6,40}$")
HASH_PURPOSE = "delivery serial"


class SerialMismatch(InvalidInput):
    """The serial handed over is not the one recorded with the purchase; nothing was written."""

    code = "serial_mismatch"


@dataclass(frozen=True)
class PendingDelivery:
    """An approved application whose goods have not been handed over yet."""

    application_id: uuid.UUID
    reference: str
    customer_name: str
    goods: str
    approved_at: dt.datetime
    serial_on_file: bool  # a serial was recorded with the purchase: the one handed over must match it


@dataclass(frozen=True)
class Delivered:
    """What confirming a delivery did."""

    application_id: uuid.UUID
    reference: str
    serial: str  # as recorded, normalised
    different_serial: bool  # a serial had been recorded with the purchase and another device was handed over


def normalize_serial(text: str) -> str:
    """The serial/IMEI as recorded: full-width characters folded, spaces removed, upper case; a 15-digit IMEI
    (dashes allowed) without its dashes. Raises InvalidInput saying what is wrong."""
    compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).upper()
    if not compact:
        raise InvalidInput(
            _("Scan or type the serial number or IMEI of the goods handed over."), code="serial_required"
        )
    if not _SERIAL.match(compact):
        raise InvalidInput(
            _("A serial number or IMEI has 6 to 40 letters, digits or dashes."),
            code="bad_serial",
        )
    digits = compact.replace("-", "")
    if digits.isdigit() and len(digits) == 15:
        try:
            imei.validate(digits)
        except ValidationError as exc:
            raise InvalidInput(
                _("The IMEI has a typing mistake (its check digit is wrong)."), code="imei_checksum"
            ) from exc
        return digits
    return compact


def serial_key(text: str) -> str:
    """What two serials are compared by: letters and digits only, upper case (spacing and dashes vary between
    the box, the device and what was typed)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isascii() and ch.isalnum())


class DeliveryService:
    """Confirms the delivery of approved applications of one store."""

    def __init__(self, store: LocalStore, store_id: uuid.UUID, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.store_id = store_id
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.customers = CustomerRepository.for_store(store)
        self._hash_key = store.derived_key(HASH_PURPOSE)

    def serial_hash(self, serial: str) -> str:
        """The keyed hash the audit chain keeps instead of the serial (HMAC-SHA256, hex)."""
        return hmac.new(self._hash_key, serial_key(serial).encode(), hashlib.sha256).hexdigest()

    def pending_deliveries(self, actor: Actor) -> list[PendingDelivery]:
        """This store's approved applications waiting for their goods, the longest-waiting first."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        with self.store.read() as session:
            rows = session.execute(
                select(Application, Customer, Purchase)
                .outerjoin(Customer, Customer.id == Application.customer_id)
                .outerjoin(Purchase, Purchase.application_id == Application.id)
                .where(
                    Application.store_id == self.store_id,
                    Application.state == ApplicationState.APPROVED.value,
                )
                .order_by(Application.state_changed_at, Application.reference)
            ).all()
            return [
                PendingDelivery(
                    application_id=application.id,
                    reference=application.reference,
                    customer_name="" if customer is None else self.customers.name_of(customer),
                    goods=(purchase.description or purchase.sku or "") if purchase is not None else "",
                    approved_at=application.state_changed_at,
                    serial_on_file=purchase is not None and bool(purchase.serial),
                )
                for application, customer, purchase in rows
            ]

    def confirm(
        self, actor: Actor, application_id: uuid.UUID, serial: str, confirm_different: bool = False
    ) -> Delivered:
        """Record that the goods with `serial` were handed over: Purchase.serial set, APPROVED → DELIVERED,
        audited as `application.delivered`, all in one transaction.

        Refused with a translated InvalidInput, and nothing written, when: the serial is malformed (codes
        serial_required, bad_serial, imei_checksum); the application is not this store's (not_found), already
        delivered (already_delivered) or not approved (not_approved); a different serial was recorded with the
        purchase and `confirm_different` is not set (serial_mismatch). PermissionDenied unless the actor may file
        applications."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        handed_over = normalize_serial(serial)
        now = self.clock()
        with self.store.write() as session:
            application = session.get(Application, application_id)
            if application is None or application.store_id != self.store_id:
                raise InvalidInput(_("No such application."), code="not_found")
            state = parse_state(application.state)
            if state is ApplicationState.DELIVERED:
                raise InvalidInput(
                    _("The goods of {reference} have already been delivered.").format(reference=application.reference),
                    code="already_delivered",
                )
            if state is not ApplicationState.APPROVED:
                raise InvalidInput(
                    _("{reference} is {state}: goods are handed over only once the lender approved it.").format(
                        reference=application.reference, state=state_label(state)
                    ),
                    code="not_approved",
                )
            purchase = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
            if purchase is None:
                raise InvalidInput(
                    _("{reference} has no purchase recorded, so there is nothing to hand over.").format(
                        reference=application.reference
                    ),
                    code="no_purchase",
                )
            recorded = purchase.serial or ""
            different = bool(serial_key(recorded)) and serial_key(recorded) != serial_key(handed_over)
            if different and not confirm_different:
                raise SerialMismatch(
                    _(
                        "This serial/IMEI is not the one recorded with the purchase (ending in {recorded}). Check "
                        "the device; to hand over this one instead, confirm the difference."
                    ).format(recorded=serial_key(recorded)[-4:])
                )
            purchase.serial = handed_over
            ApplicationRepository().transition(
                session, application_id, ApplicationState.DELIVERED, actor.audit_name, now
            )
            detail: dict[str, object] = {"serial_hmac": self.serial_hash(handed_over), "different_serial": different}
            if different:
                detail["recorded_serial_hmac"] = self.serial_hash(recorded)
            self.audit.append(
                session,
                actor.audit_name,
                "application.delivered",
                object_type="application",
                object_id=str(application_id),
                detail=detail,
                at=now,
            )
            return Delivered(application_id, application.reference, handed_over, different)
