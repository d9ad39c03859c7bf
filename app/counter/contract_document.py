"""The contract as a document: HTML for Qt's rich-text engine (which writes the PDF and prints), in the
customer's language, with its QR code. Pure text building; the rendering lives in ui/."""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from app.counter.contract import terms_sha256
from app.kernel.canonical import canonical_json
from app.kernel.i18n import N_, translator_for

QR_RESOURCE = "fenqi-qr.png"
SIGNATURE_RESOURCE = "fenqi-signature.png"

L = {
    "title": N_("Installment loan contract"),
    "customer_copy": N_("Customer copy"),
    "reference": N_("Application reference"),
    "lender": N_("Lender"),
    "borrower": N_("Borrower"),
    "id_number": N_("ID number"),
    "key_terms": N_("Key terms"),
    "apr": N_("Annualised rate (APR, IRR method)"),
    "product": N_("Product"),
    "goods": N_("Goods"),
    "price": N_("Price"),
    "down_payment": N_("Down payment"),
    "financed": N_("Amount financed"),
    "term": N_("Term"),
    "months": N_("{n} months"),
    "upfront_fee": N_("One-off fee"),
    "total_repayable": N_("Total repayable"),
    "total_cost": N_("Total cost of borrowing"),
    "schedule": N_("Repayment schedule"),
    "n": N_("No."),
    "due_date": N_("Due date"),
    "amount": N_("Amount"),
    "consents": N_("Consents given"),
    "consent_line": N_("{title} — version {version}, given {at}, text SHA-256 {sha}"),
    "repay": N_("How to repay"),
    "repay_text": N_(
        "Each installment is debited automatically from your repayment debit card on its due date. Keep enough "
        "money on the card the day before. To change the card, repay early or ask anything, call the lender's "
        "hotline {hotline}."
    ),
    "signature": N_("Borrower's signature"),
    "signed_at": N_("Signed {at}"),
    "confirmed": N_("Signing confirmed by the customer with the code sent by SMS to {phone}, {at}"),
    "pending": N_("Confirmation by SMS pending: the lender will call the customer"),
    "qr": N_("The QR code holds the application reference and the SHA-256 of these terms: {sha}"),
    "cny": N_("{amount} CNY"),
}


@dataclass(frozen=True)
class ConsentRecord:
    title: str
    version: str
    sha256: str
    at: dt.datetime


class SigningConfirmation(Protocol):
    """The customer's confirmation of the signing with the code sent to their phone, as the contract prints it
    (app.counter.verification.Confirmation)."""

    @property
    def confirmed_at(self) -> dt.datetime: ...

    @property
    def masked_phone(self) -> str: ...


def qr_payload(terms: dict[str, Any]) -> str:
    """What the contract's QR code encodes: the reference and the terms' SHA-256, as canonical JSON."""
    return canonical_json({"reference": terms["reference"], "terms_sha256": terms_sha256(terms)}).decode()


def qr_png(terms: dict[str, Any]) -> bytes:
    """The QR code as a PNG (error correction M, generous quiet zone for a phone camera)."""
    import qrcode
    from qrcode.image.pil import PilImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    code.add_data(qr_payload(terms))
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return buffer.getvalue()


def contract_html(
    terms: dict[str, Any],
    consents: Sequence[ConsentRecord],
    signed_at: dt.datetime,
    language: str,
    time_zone: str,
    confirmation: SigningConfirmation | None,
    customer_copy: bool = False,
) -> str:
    """The whole contract as HTML; the QR code and signature image are resources named QR_RESOURCE and
    SIGNATURE_RESOURCE, which the renderer supplies. Below the signature: the customer's confirmation with the
    code sent to their phone (the time in the store's time zone and the masked number), or, for None, that the
    confirmation is pending and the lender will call the customer."""
    t = translator_for(language)
    zone = ZoneInfo(time_zone)

    def esc(value: object) -> str:
        return html.escape(str(value))

    def when(moment: dt.datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")

    def money(amount: str) -> str:
        return esc(t(L["cny"]).format(amount=amount))

    rows = [
        (t(L["product"]), esc(terms["product"]["name"])),
        (t(L["goods"]), esc(terms["goods"])),
        (t(L["price"]), money(terms["price"])),
        (t(L["down_payment"]), money(terms["down_payment"])),
        (t(L["financed"]), money(terms["financed"])),
        (t(L["term"]), esc(t(L["months"]).format(n=terms["term"]))),
        (t(L["upfront_fee"]), money(terms["upfront_fee"])),
        (t(L["total_repayable"]), money(terms["total_repayable"])),
        (t(L["total_cost"]), money(terms["total_cost"])),
    ]
    key_terms = "".join(f"<tr><td class='k'>{esc(k)}</td><td>{v}</td></tr>" for k, v in rows)
    schedule = "".join(
        f"<tr><td>{i['n']}</td><td>{esc(i['due_date'])}</td><td align='right'>{esc(i['amount'])}</td></tr>"
        for i in terms["installments"]
    )
    consent_lines = "".join(
        "<li>"
        + esc(t(L["consent_line"]).format(title=c.title, version=c.version, at=when(c.at), sha=c.sha256[:16] + "…"))
        + "</li>"
        for c in consents
    )
    confirmed = (
        t(L["confirmed"]).format(phone=confirmation.masked_phone, at=when(confirmation.confirmed_at))
        if confirmation is not None
        else t(L["pending"])
    )
    copy = f"<p class='copy'>{esc(t(L['customer_copy']))}</p>" if customer_copy else ""
    sha = terms_sha256(terms)
    return f"""<html><head><style>
body {{ font-size: 10pt; }}
h1 {{ font-size: 17pt; text-align: center; }}
h2 {{ font-size: 12pt; margin-top: 12px; }}
.apr {{ font-size: 20pt; font-weight: bold; color: #0d47a1; }}
.copy {{ text-align: right; font-weight: bold; color: #b71c1c; }}
td.k {{ color: #37474f; }}
table.grid td, table.grid th {{ border: 1px solid #90a4ae; padding: 3px 6px; }}
</style></head><body>
{copy}<h1>{esc(t(L["title"]))}</h1>
<p>{esc(t(L["reference"]))}: <b>{esc(terms["reference"])}</b></p>
<p>{esc(t(L["lender"]))}: {esc(terms["lender"]["name"])}<br/>
{esc(t(L["borrower"]))}: <b>{esc(terms["customer"]["name"])}</b> ·
{esc(t(L["id_number"]))}: {esc(terms["customer"]["id_number"])}</p>
<h2>{esc(t(L["key_terms"]))}</h2>
<p>{esc(t(L["apr"]))}: <span class="apr">{esc(terms["apr"])}%</span></p>
<table cellspacing="0" cellpadding="3">{key_terms}</table>
<h2>{esc(t(L["schedule"]))}</h2>
<table class="grid" cellspacing="0"><tr><th>{esc(t(L["n"]))}</th><th>{esc(t(L["due_date"]))}</th>
<th>{esc(t(L["amount"]))}</th></tr>{schedule}</table>
<h2>{esc(t(L["consents"]))}</h2><ul>{consent_lines}</ul>
<h2>{esc(t(L["repay"]))}</h2>
<p>{esc(t(L["repay_text"]).format(hotline=terms["lender"]["hotline"]))}</p>
<h2>{esc(t(L["signature"]))}</h2>
<p><img src="{SIGNATURE_RESOURCE}" width="300"/><br/>{esc(t(L["signed_at"]).format(at=when(signed_at)))}<br/>
{esc(confirmed)}</p>
<p><img src="{QR_RESOURCE}" width="120"/><br/><small>{esc(t(L["qr"]).format(sha=sha))}</small></p>
</body></html>"""
