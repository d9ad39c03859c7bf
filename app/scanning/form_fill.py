"""What a scan puts into the customer details form: which fields it fills, which the clerk must check by eye,
and what the typed values must later agree with. Only the first-moment consents let any of it be kept; this
module only decides what goes where on the screen."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.i18n import _
from app.scanning.payload import ScanResult

DOUBTFUL_BELOW = 0.8  # OCR certainty under which a field is shown for checking by eye


@dataclass(frozen=True)
class FormFill:
    """Form field → text to put in; fields to highlight; the card's values typed ones are cross-checked
    with; a sentence for the clerk in the configured language, which asks to check highlighted fields only
    when some field is highlighted."""

    values: dict[str, str]
    doubtful: frozenset[str]
    cross_check: dict[str, str]
    notice: str


def doubtful_fields(result: ScanResult) -> frozenset[str]:
    """The scanned fields a person should check against the document: a failed check or low certainty."""
    out = set()
    for key in result.fields:
        certainty = result.confidence.get(key)
        if result.validation.get(key) is False or (certainty is not None and certainty < DOUBTFUL_BELOW):
            out.add(key)
    return frozenset(out)


def _pick(result: ScanResult, mapping: dict[str, str]) -> tuple[dict[str, str], frozenset[str]]:
    doubtful = doubtful_fields(result)
    values = {form: str(result.fields[key]) for key, form in mapping.items() if result.fields.get(key)}
    return values, frozenset(mapping[key] for key in doubtful if key in mapping and mapping[key] in values)


def fill_from_scan(result: ScanResult) -> FormFill:
    """The form fields `result` fills. A number whose check fails is still put in (the form then says why it
    is refused); names from a passport zone always need confirming, since the zone has no check digit for
    them; a barcode that is not an identity document fills nothing."""
    kind = result.kind
    if kind == "barcode" and result.fields.get("id_number"):
        kind = "id_number"
    if kind == "barcode" and result.fields.get("document_number"):
        kind = "passport"
    if kind in ("id_card_front", "id_number"):
        values, doubtful = _pick(
            result, {"name": "name", "id_number": "id_number", "birth_date": "birth_date", "address": "address"}
        )
        cross: dict[str, str] = {k: values[k] for k in ("name", "id_number") if k in values and k not in doubtful}
        if result.fields.get("sex") in ("M", "F") and "sex" not in doubtful_fields(result):
            cross["sex"] = str(result.fields["sex"])
        if kind == "id_number":
            notice = _("ID number read.")
        elif doubtful:  # only then is anything highlighted to check
            notice = _("ID card front read: check the highlighted fields against the card.")
        else:
            notice = _("ID card front read: its details have been filled in.")
        return FormFill(values, doubtful, cross, notice)
    if kind == "id_card_chip":
        values, doubtful = _pick(
            result,
            {
                "name": "name",
                "id_number": "id_number",
                "birth_date": "birth_date",
                "address": "address",
                "valid_until": "id_valid_until",
            },
        )
        if result.fields.get("valid_until") is None:
            values["id_valid_until"] = "长期"
        cross = {k: values[k] for k in ("name", "id_number") if k in values and k not in doubtful}
        return FormFill(values, doubtful, cross, _("ID card chip read."))
    if kind == "id_card_back":
        if "valid_from" in result.fields and result.fields.get("valid_until") is None:
            values, doubtful = {"id_valid_until": "长期"}, frozenset()
            if "valid_from" in doubtful_fields(result):
                doubtful = frozenset({"id_valid_until"})
        else:
            values, doubtful = _pick(result, {"valid_until": "id_valid_until"})
        notice = (
            _("ID card back read: its validity has been filled in; check the highlighted date against the card.")
            if doubtful
            else _("ID card back read: its validity has been filled in.")
        )
        return FormFill(values, doubtful, {}, notice)
    if kind == "passport":
        values, doubtful = _pick(result, {"birth_date": "birth_date"})
        name = " ".join(str(result.fields.get(k) or "") for k in ("surname", "given_names")).strip()
        if name:
            values["name"] = name
            doubtful = doubtful | {"name"}
        return FormFill(
            values,
            doubtful,
            {},
            _(
                "Passport read: confirm the name against the page (it carries no check digit). The resident ID "
                "or residence permit number is still needed."
            ),
        )
    notice = (
        _("That was an IMEI, not an identity document: nothing was filled.")
        if kind == "imei"
        else _("That was a barcode, not an identity document: nothing was filled.")
    )
    return FormFill({}, frozenset(), {}, notice)
