"""`fenqi applications evidence REFERENCE`: the documents kept with an application — kind, SHA-256, size, and
whether the lender has them — to compare with the lender's list (`fenqi-central applications evidence`)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.i18n import _


def evidence(args: argparse.Namespace, config: Configuration) -> int:
    """Print the application's documents, one per kind, in the order of the wire contract's kinds."""
    from app.counter.evidence import kind_label
    from app.services import build_services

    services = build_services(config)
    try:
        application_id, items = services.evidence.by_reference(args.reference)
    finally:
        services.close()
    if args.json:
        emit_json(
            {
                "application_id": str(application_id),
                "reference": args.reference.strip().upper(),
                "items": [
                    {"kind": item.kind.value, "sha256": item.sha256, "size": item.size, "sent": item.sent}
                    for item in items
                ],
            }
        )
    else:
        rows = []
        for item in items:
            sent = _("sent") if item.sent else _("not sent yet")
            size = _("{size} bytes").format(size=item.size)
            rows.append((kind_label(item.kind), f"{item.sha256}  {size}  {sent}"))
        title = _("Documents of {reference}").format(reference=args.reference.strip().upper())
        emit_table(rows or [(_("(none)"), "")], title)
    return 0


def register_evidence(actions: Any) -> None:
    """Add `evidence` to the `applications` group (app/cli/sync.py makes the group)."""
    p = actions.add_parser(
        "evidence",
        help=_("the documents kept with an application: kind, SHA-256, size and whether the lender has them"),
        epilog=_("Error codes: not_found."),
    )
    p.add_argument("reference", help=_("the application's reference, e.g. S001-261129-0042"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=evidence)
