"""`fenqi consent withdraw`: a customer's later withdrawal of a consent, recorded and queued for the lender."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.output import emit_json
from app.kernel.config import Configuration
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _


def withdraw(args: argparse.Namespace, config: Configuration) -> int:
    """Record the withdrawal of one consent of an application, found by its reference."""
    from app.domain.actor import Actor
    from app.domain.consent import ConsentKind, consent_label
    from app.services import build_services

    try:
        kind = ConsentKind(args.kind)
    except ValueError as exc:
        raise InvalidInput(
            _("Unknown consent: {kind}. One of: {kinds}.").format(
                kind=args.kind, kinds=", ".join(k.value for k in ConsentKind)
            ),
            code="bad_consent",
        ) from exc
    services = build_services(config)
    try:
        application_id = services.consents.application_by_reference(args.reference)
        services.consents.withdraw(Actor.command_line(), application_id, kind)
    finally:
        services.close()
    if args.json:
        emit_json({"reference": args.reference.strip().upper(), "consent": kind.value, "withdrawn": True})
    else:
        print(
            _(
                "Recorded: the customer withdrew “{consent}” for {reference}; the lender will be told at the next sync."
            ).format(consent=consent_label(kind), reference=args.reference.strip().upper())
        )
    return 0


def register(sub: Any) -> None:
    """Add `consent` to the command tree."""
    consent = sub.add_parser("consent", help=_("a customer's consents"))
    consent_sub = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    p = consent_sub.add_parser(
        "withdraw",
        help=_("record that a customer withdrew a consent"),
        epilog=_("Error codes: bad_consent, not_found, no_consent, permission_denied."),
    )
    p.add_argument("reference", help=_("the application's reference, e.g. S001-261129-0042"))
    p.add_argument("kind", help=_("sensitive_personal_info, credit_inquiry, loan_contract or auto_debit"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=withdraw)
