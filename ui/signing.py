"""Signing the contract in one trip off the GUI thread: the consents the application holds and the customer's
confirmation with the code sent to their phone are read, the contract is laid out with the customer's signature
and written as PDF (QImage, Qt's text layout and PDF writer
are reentrant, so this runs on the database worker), and app/ checks and keeps it all in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageWriter

from app.counter.consents import ConsentService, GivenConsent
from app.counter.contract import ContractService, Point, SignedContract, terms_sha256
from app.counter.contract_document import (
    QR_RESOURCE,
    SIGNATURE_RESOURCE,
    ConsentRecord,
    SigningConfirmation,
    contract_html,
    qr_png,
)
from app.domain.actor import Actor
from app.kernel.clock import utc_now
from ui.contract_pdf import contract_pdf


class Confirmations(Protocol):
    """Where the customer's confirmation of an application's signing is read (app.counter.verification)."""

    def confirmation(self, application_id: uuid.UUID) -> SigningConfirmation | None: ...


@dataclass(frozen=True)
class Signature:
    """What the customer's screen hands over when the customer signs the terms it showed."""

    application_id: uuid.UUID
    terms: dict[str, Any]
    given: Sequence[GivenConsent]
    strokes: Sequence[Sequence[Point]]
    pad_width: float
    image: QImage
    language: str
    time_zone: str


@dataclass(frozen=True)
class SignedCopy:
    """The signed contract as kept, and what it takes to print it again (or the customer's copy)."""

    signed: SignedContract
    html: str
    resources: dict[str, bytes]
    records: list[ConsentRecord]
    language: str
    signed_at: dt.datetime
    terms: dict[str, Any]
    confirmation: SigningConfirmation | None  # None: pending, the lender will call the customer


def sign_contract(
    actor: Actor,
    consents: ConsentService,
    contracts: ContractService,
    confirmations: Confirmations,
    signature: Signature,
) -> SignedCopy:
    """Render the contract with the signature and the customer's confirmation (or that it is pending) and have
    app/ sign it; raises what app/ refuses."""
    held = consents.held_records(signature.application_id, signature.language)
    confirmation = confirmations.confirmation(signature.application_id)
    records = [ConsentRecord(*row) for row in held] + [
        ConsentRecord(g.text.title, g.text.stored_version, g.text.sha256, g.at) for g in signature.given
    ]
    png = _png(signature.image)
    resources = {QR_RESOURCE: qr_png(signature.terms), SIGNATURE_RESOURCE: png}
    signed_at = utc_now()
    html = contract_html(signature.terms, records, signed_at, signature.language, signature.time_zone, confirmation)
    pdf = contract_pdf(html, resources, signature.terms["reference"])
    signed = contracts.sign(
        actor,
        signature.application_id,
        terms_sha256(signature.terms),
        signature.given,
        signature.strokes,
        signature.pad_width,
        png,
        pdf,
    )
    return SignedCopy(signed, html, resources, records, signature.language, signed_at, signature.terms, confirmation)


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # QImageWriter rather than QImage.save: PySide6's stubs want the format as bytes, its binding takes only str.
    QImageWriter(buffer, QByteArray(b"PNG")).write(image)
    buffer.close()
    return bytes(data.data())
