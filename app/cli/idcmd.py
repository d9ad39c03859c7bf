"""`fenqi id check` and `fenqi id mrz`: identity numbers and machine-readable zones, offline."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from app.cli.output import emit_json, emit_table
from app.domain.identity import normalize_resident_id, parse_resident_id
from app.domain.mrz import Mrz, parse_mrz
from app.kernel.config import Configuration
from app.kernel.errors import EXIT_INVALID_INPUT, InvalidInput
from app.kernel.i18n import N_, _


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(_("Not a date (YYYY-MM-DD): {text}").format(text=text), code="bad_date") from exc


def check(args: argparse.Namespace, config: Configuration) -> int:
    """Validate a resident ID number; exit 0 when valid, 1 when not (the JSON says why)."""
    as_of = _as_of(args.as_of) or dt.datetime.now(config.settings.time_zone).date()
    out: dict[str, Any] = {
        "valid": False,
        "normalized": normalize_resident_id(args.number),
        "birth_date": None,
        "sex": None,
        "age": None,
        "region": None,
        "error": None,
    }
    try:
        resident = parse_resident_id(args.number, as_of)
    except InvalidInput as exc:
        out["error"] = {"code": exc.code, "message": exc.message}
    else:
        out.update(
            valid=True,
            normalized=resident.number,
            birth_date=resident.birth_date.isoformat(),
            sex=resident.sex,
            age=resident.age_on(as_of),
            region={
                "province": resident.region.province,
                "city": resident.region.city,
                "county": resident.region.county,
            },
        )
    if args.json:
        emit_json(out)
    elif out["valid"]:
        region = out["region"]
        emit_table(
            [
                (_("ID number"), out["normalized"]),
                (_("Birth date"), out["birth_date"]),
                (_("Sex"), _("male") if out["sex"] == "M" else _("female")),
                (_("Age"), out["age"]),
                (_("Region"), " ".join(v for v in region.values() if v)),
            ],
            _("Valid"),
        )
    else:
        sys.stderr.write(out["error"]["message"] + "\n")
    return 0 if out["valid"] else EXIT_INVALID_INPUT


def mrz_json(zone: Mrz) -> dict[str, Any]:
    """A parsed zone in the JSON contract's keys (without `valid` and `error`)."""
    return {
        "format": zone.format,
        "document_type": zone.document_type,
        "issuing_country": zone.issuing_country,
        "document_number": zone.document_number,
        "surname": zone.surname,
        "given_names": zone.given_names,
        "nationality": zone.nationality,
        "birth_date": zone.birth_date.isoformat() if zone.birth_date else None,
        "sex": zone.sex,
        "expiry_date": zone.expiry_date.isoformat() if zone.expiry_date else None,
        "checks": zone.checks,
    }


_FIELD_NAMES_MSGIDS = {
    "document_number": N_("document number"),
    "birth_date": N_("birth date"),
    "expiry_date": N_("expiry date"),
    "optional_data": N_("optional data"),
    "composite": N_("composite"),
}


def mrz(args: argparse.Namespace, config: Configuration) -> int:
    """Parse and check a machine-readable zone; exit 0 when every check holds, 1 otherwise."""
    text = sys.stdin.read() if args.text == "-" else args.text
    out: dict[str, Any] = {
        "valid": False,
        "format": None,
        "document_type": None,
        "issuing_country": None,
        "document_number": None,
        "surname": None,
        "given_names": None,
        "nationality": None,
        "birth_date": None,
        "sex": None,
        "expiry_date": None,
        "checks": {},
        "error": None,
    }
    try:
        zone = parse_mrz(text, dt.datetime.now(config.settings.time_zone).date())
    except InvalidInput as exc:
        out["error"] = {"code": exc.code, "message": exc.message}
    else:
        out.update(mrz_json(zone), valid=zone.valid)
        failed = zone.first_failed_check()
        if failed:
            out["error"] = {
                "code": "mrz_check",
                "message": _("The check digit of the {field} is wrong.").format(field=_(_FIELD_NAMES_MSGIDS[failed])),
            }
        elif not zone.valid:
            out["error"] = {"code": "mrz_date", "message": _("A date in the zone is impossible.")}
    if args.json:
        emit_json(out)
    elif out["valid"]:
        emit_table([(k, v) for k, v in out.items() if k not in ("checks", "error", "valid")], _("Valid"))
    else:
        sys.stderr.write(out["error"]["message"] + "\n")
    return 0 if out["valid"] else EXIT_INVALID_INPUT


def scan(args: argparse.Namespace, config: Configuration) -> int:
    """Read an image: a barcode or QR code, either side of a resident ID card, or a passport page."""
    from pathlib import Path

    from app.scanning.images import scan_image

    result = scan_image(Path(args.image), dt.datetime.now(config.settings.time_zone).date())
    out = {
        "kind": result.kind,
        "fields": result.fields,
        "confidence": result.confidence,
        "validation": result.validation,
    }
    if args.json:
        emit_json(out)
    else:
        emit_table([(k, v) for k, v in result.fields.items()], result.kind)
    return 0


def register(sub: Any) -> None:
    """Add `id check` and `id mrz` to the command tree."""
    ident = sub.add_parser("id", help=_("identity documents"))
    actions = ident.add_subparsers(dest="id_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "check",
        help=_("validate a resident ID number"),
        epilog=_(
            "Error codes: id_length, id_invalid, id_checksum, id_component, id_future_birth, "
            "id_too_old, id_first_generation, bad_date."
        ),
    )
    p.add_argument("number")
    p.add_argument("--as-of", help=_("the day ages are computed on (YYYY-MM-DD), default today"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=check)
    p = actions.add_parser(
        "mrz",
        help=_("parse and check a passport or ID-card machine-readable zone"),
        epilog=_("Error codes: mrz_format, mrz_characters, mrz_check, mrz_date."),
    )
    p.add_argument("--text", required=True, help=_("the zone's lines separated by newlines; - reads stdin"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=mrz)
    p = actions.add_parser(
        "scan",
        help=_("read an ID card, passport page, barcode or QR code from an image file"),
        epilog=_("Error codes: bad_image, image_too_large, scan_nothing_found."),
    )
    p.add_argument("--image", required=True, help=_("PNG or JPEG file"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=scan)
