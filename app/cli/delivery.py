"""`fenqi deliver REFERENCE --serial S --staff LOGIN`: confirm that the goods of an approved application were
handed over, with the serial/IMEI of the device. Delivery is a clerk's act, so the staff member signs in with
their PIN (read from stdin, or asked for on a terminal), as at the counter."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.output import emit_json
from app.kernel.config import Configuration
from app.kernel.i18n import _


def _secret() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    import getpass

    return getpass.getpass(_("PIN or password: "))


def deliver(args: argparse.Namespace, config: Configuration) -> int:
    """Record the serial/IMEI handed over and mark the application delivered."""
    from app.counter.delivery import normalize_serial
    from app.services import build_services

    normalize_serial(args.serial)  # a malformed serial is refused before the PIN is asked for
    secret = _secret()
    services = build_services(config)
    try:
        actor = services.staff.sign_in(args.staff, secret)
        application_id = services.consents.application_by_reference(args.reference)
        done = services.delivery.confirm(
            actor, application_id, args.serial, confirm_different=args.confirm_different
        )
    finally:
        services.close()
    if args.json:
        emit_json({"reference": done.reference, "state": "delivered", "different_serial": done.different_serial})
    else:
        print(_("{reference} is delivered.").format(reference=done.reference))
    return 0


def register(sub: Any) -> None:
    """Add `deliver` to the command tree."""
    p = sub.add_parser(
        "deliver",
        help=_("confirm that the goods of an approved application were handed over"),
        epilog=_(
            "Error codes: serial_required, bad_serial, imei_checksum, sign_in_refused, account_locked, not_found, "
            "not_approved, already_delivered, no_purchase, serial_mismatch, permission_denied."
        ),
    )
    p.add_argument("reference", help=_("the application's reference, e.g. S001-261129-0042"))
    p.add_argument("--serial", required=True, help=_("the serial number or IMEI of the device handed over"))
    p.add_argument("--staff", required=True, help=_("the staff number of the clerk handing the goods over"))
    p.add_argument(
        "--confirm-different",
        action="store_true",
        help=_("hand over a device other than the one recorded with the purchase"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=deliver)
