"""`fenqi report end-of-day`: the store manager's summary of a day."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.i18n import _


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes = int(seconds // 60)
    return _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=minutes % 60)


def end_of_day(args: argparse.Namespace, config: Configuration) -> int:
    """The day's applications by state, what waits to be sent, and the applications left open."""
    from app.domain.actor import Actor
    from app.domain.application import state_label
    from app.office.end_of_day import parse_day
    from app.services import build_services

    day = parse_day(args.date) if args.date else None  # a bad date is refused before the store is opened
    services = build_services(config)
    try:
        summary = services.end_of_day.end_of_day(Actor.command_line(), day)
    finally:
        services.close()
    if args.json:
        emit_json(summary.as_json())
        return 0
    rows: list[tuple[str, Any]] = [(_("Applications started"), summary.applications)]
    rows += [(f"  {state_label(s)}", n) for s, n in summary.by_state.items() if n]
    rows += [
        (_("Waiting to be sent"), summary.pending_sync),
        (_("Oldest waiting for"), _age(summary.oldest_pending_age_s)),
        (_("Refused by the lender"), summary.refused),
        (_("Left open"), len(summary.drafts)),
    ]
    rows += [(f"  {d.reference}", f"{state_label(d.state)} {d.staff_login}".strip()) for d in summary.drafts]
    emit_table(
        rows,
        _("End of day {date} · {store} {name}").format(
            date=summary.day.isoformat(), store=summary.store_code, name=summary.store_name
        ),
    )
    return 0


def _report_actions(sub: Any) -> Any:
    """The `report` command's subcommands, made here or by another module first (store, region reports)."""
    parser = sub.choices.get("report")
    if parser is None:
        parser = sub.add_parser("report", help=_("the managers' reports"))
        parser.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def register(sub: Any) -> None:
    """Add `report end-of-day` to the command tree."""
    p = _report_actions(sub).add_parser(
        "end-of-day",
        help=_("the day's applications by state, what waits to be sent, and the applications left open"),
        epilog=_(
            "Error codes: bad_date, permission_denied, data_key_missing, data_key_wrong, store_damaged, "
            "migration_failed, key_store_unavailable."
        ),
    )
    p.add_argument("--date", help=_("the store-local day, YYYY-MM-DD (default: today)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=end_of_day)
