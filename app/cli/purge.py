"""`fenqi purge`: remove the personal data of finished applications past the retention period."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.i18n import _


def purge(args: argparse.Namespace, config: Configuration) -> int:
    """Purge what is due now (or, with --dry-run, count it); the purge is audited with counts only."""
    from app.domain.actor import Actor
    from app.kernel.clock import utc_now
    from app.services import build_services

    services = build_services(config)
    try:
        report = services.purge.purge_due(
            Actor.command_line(), utc_now(), dry_run=args.dry_run, compact=args.compact
        )
    finally:
        services.close()
    if args.json:
        emit_json(report.as_json())
        return 0
    title = (
        _("Would purge (dry run, nothing changed)")
        if report.dry_run
        else _("Personal data purged after {days} days").format(days=report.retention_days)
    )
    rows: list[tuple[str, Any]] = [
        (_("Retention period (days)"), report.retention_days),
        (_("Applications purged"), report.purged),
        (_("Customers removed"), report.customers_removed),
        (_("Documents removed"), report.attachments_removed),
        (_("Outbox items removed"), report.outbox_items_removed),
        (_("Purchases cleared of serial and description"), report.purchases_cleared),
        (_("Draft and other rows removed"), report.other_rows_removed),
        (_("Migration safety copies deleted"), report.copies_removed),
        (_("Due but waiting for sync (kept)"), report.waiting_for_sync),
    ]
    emit_table(rows, title)
    return 0


def register(sub: Any) -> None:
    """Add `purge` to the command tree."""
    p = sub.add_parser(
        "purge",
        help=_("remove the personal data of finished applications past the retention period"),
        epilog=_(
            "Applications delivered, declined or cancelled longer ago than the setting retention_days, and synced, "
            "keep only their figures. Error codes: data_key_missing, data_key_wrong, store_damaged, "
            "migration_failed, key_store_unavailable."
        ),
    )
    p.add_argument("--dry-run", action="store_true", help=_("only count what would be purged; change nothing"))
    p.add_argument(
        "--compact",
        action="store_true",
        help=_("afterwards rewrite the database file (VACUUM) so no old copy of any value is left in free space"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=purge)
