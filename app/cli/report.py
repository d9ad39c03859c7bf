"""`fenqi report store` and `fenqi report region`: the managers' reports at the command line."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.end_of_day import _age, _report_actions
from app.cli.output import emit_json, emit_table
from app.kernel.clock import format_store_time
from app.kernel.config import Configuration
from app.kernel.i18n import _


def store_report(args: argparse.Namespace, config: Configuration) -> int:
    """The store report for a period; store IT at the command line sees the whole store or, with --staff,
    one member of it."""
    from app.domain.actor import Actor
    from app.domain.application import state_label
    from app.reports.labels import code_label, funnel_label, term_label
    from app.reports.period import parse_period
    from app.services import build_services

    services = build_services(config)
    try:
        period = parse_period(args.start, args.end, services.reports.today())
        report = services.reports.report(Actor.command_line(), period, args.staff)
    finally:
        services.close()
    if args.json:
        emit_json(report.as_json())
        return 0
    total = report.total
    rows: list[tuple[str, Any]] = [
        (_("Applications"), total.n),
        (_("Approval rate"), "-" if report.approval_rate is None else f"{report.approval_rate}%"),
        (_("Average ticket"), total.average_ticket or "-"),
        (_("Average financed"), report.financed.average_financed or "-"),
        (_("Financed in total"), report.financed.financed_total),
    ]
    rows += [(f"  {state_label(s)}", t.n) for s, t in report.by_state.items() if t.n]
    rows += [(_("Funnel"), "")] + [(f"  {funnel_label(stage)}", n) for stage, n in report.funnel]
    rows += [(_("Products"), "")] + [(f"  {report.product_name(c)}", t.n) for c, t in report.products]
    rows += [(_("Terms"), "")] + [(f"  {term_label(term)}", t.n) for term, t in report.terms]
    rows += [(_("Staff"), "")] + [
        (f"  {s.login} {s.name}", f"{s.total.n} · {'-' if s.approval_rate is None else f'{s.approval_rate}%'}")
        for s in report.staff
    ]
    rows += [(_("Decline reasons"), "")] + [(f"  {code_label(c)}", n) for c, n in report.reasons]
    rows += [(_("Fraud flags"), "")] + [(f"  {code_label(c)}", n) for c, n in report.flags]
    rows += [
        (_("Waiting to be sent"), report.sync.pending),
        (_("Oldest waiting for"), _age(report.sync.oldest_pending_age_s)),
        (_("Refused by the lender"), report.sync.dead_letters),
    ]
    emit_table(
        rows,
        _("Store report {start} – {end} · {store} {name}").format(
            start=report.period.start.isoformat(),
            end=report.period.end.isoformat(),
            store=report.store_code,
            name=report.store_name,
        ),
    )
    return 0


def region_report(args: argparse.Namespace, config: Configuration) -> int:
    """The regional report for a period, with the account `fenqi login --server URL` signed in; the last copy
    of the same period when the server cannot be reached."""
    from app.domain.actor import Actor
    from app.reports.period import parse_period
    from app.services import build_services

    services = build_services(config)
    try:
        period = parse_period(args.start, args.end, services.reports.today())
        report = services.region_reports.report(Actor.command_line(), period, offline_ok=not args.online)
    finally:
        services.close()
    if args.json:
        emit_json(report.as_json())
        return 0
    rows: list[tuple[str, Any]] = []
    for shop in [*report.stores, report.totals]:
        rate = shop.approval_rate
        rows.append(
            (
                shop.code,
                _("{applications} applications · approval {rate} · average ticket {ticket}").format(
                    applications=shop.applications,
                    rate="-" if rate is None else f"{rate}%",
                    ticket=shop.money("average_ticket") or "-",
                ),
            )
        )
    title = _("Regional report {region} {start} – {end}, as of {as_of}").format(
        region=report.body.get("region", ""),
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        as_of=format_store_time(report.as_of, config.settings.time_zone),
    )
    if report.from_cache:
        title += " " + _("(saved copy: the central server could not be reached)")
    emit_table(rows, title)
    return 0


def _period_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", metavar="DATE", help=_("first store-local day, YYYY-MM-DD"))
    p.add_argument("--to", dest="end", metavar="DATE", help=_("last store-local day, YYYY-MM-DD (default: today)"))


def register(sub: Any) -> None:
    """Add `report store` and `report region` to the command tree."""
    p = _report_actions(sub).add_parser(
        "store",
        help=_("the store's applications over a period: funnel, approval rate, mixes, staff, sync health"),
        epilog=_(
            "Error codes: bad_date, bad_range, no_staff, permission_denied, data_key_missing, data_key_wrong, "
            "store_damaged, migration_failed, key_store_unavailable."
        ),
    )
    _period_arguments(p)
    p.add_argument("--staff", metavar="LOGIN", help=_("only this staff member's applications"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=store_report)

    p = _report_actions(sub).add_parser(
        "region",
        help=_("the stores of your region side by side (sign in first with fenqi login --server URL)"),
        epilog=_(
            "Error codes: bad_date, bad_range, not_signed_in, region_refused, region_offline, server_unreachable, "
            "insecure_server_url."
        ),
    )
    _period_arguments(p)
    p.add_argument("--online", action="store_true", help=_("fail rather than show a saved copy when offline"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=region_report)
