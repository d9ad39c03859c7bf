"""`fenqi prescreen`, `fenqi model` and `fenqi blacklist`: the offline pre-screen from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.kernel.json_input import JsonTooDeep, loads_bounded

# A request nests two levels (the applicant and the purchase in the document); a few more leave room to grow.
REQUEST_MAX_DEPTH = 8
# `fenqi model drift --days`: at most ten years back (far more than a model stays in use).
MAX_DRIFT_DAYS = 3650


def _decision_label(decision: str) -> str:
    return {
        "approve": _("Approve (preliminary)"),
        "refer": _("Refer to a reviewer (preliminary)"),
        "decline": _("Decline (preliminary)"),
    }[decision]


def prescreen(args: argparse.Namespace, config: Configuration) -> int:
    """Pre-screen the application in a JSON file against this counter's store."""
    from app.domain.catalog import load_catalog
    from app.scoring.request import parse_request
    from app.services import build_services

    try:
        text = Path(args.file).read_text(encoding="utf-8") if args.file != "-" else input()
        data = loads_bounded(text, REQUEST_MAX_DEPTH)
    except JsonTooDeep as exc:
        raise InvalidInput(
            _("{file} nests deeper than {depth} levels: an application is not shaped like that.").format(
                file=args.file, depth=exc.max_depth
            ),
            code="json_too_deep",
        ) from exc
    except (OSError, ValueError, EOFError) as exc:
        raise InvalidInput(
            _("{file} cannot be read as JSON: {reason}").format(file=args.file, reason=exc), code="bad_request"
        ) from exc
    request = parse_request(data)
    catalog = load_catalog(config.settings)
    services = build_services(config)
    try:
        services.prescreen.ensure_blacklist()
        result = services.prescreen.prescreen(request, catalog, record=False)  # a what-if: the store is unchanged
    finally:
        services.close()
    out = {
        "decision": result.decision,
        "score": round(result.score, 2),
        "pd": round(result.pd, 6),
        "reasons": [{"code": f.code, "text": f.text} for f in result.reasons],
        "flags": [{"code": f.code, "text": f.text} for f in result.flags],
        "model_version": result.model_version,
        "preliminary": True,
    }
    if args.json:
        emit_json(out)
        return 0
    emit_table(
        [
            (_("Decision"), _decision_label(result.decision)),
            (_("Score"), f"{result.score:.0f}"),
            (_("Probability of default"), f"{result.pd:.1%}"),
            (_("Model"), result.model_version),
        ],
        title=_("Offline pre-screen — the lender decides when the application arrives"),
    )
    for heading, findings in ((_("Reasons"), result.reasons), (_("Flags"), result.flags)):
        if findings:
            print(heading)
            for finding in findings:
                print(f"  · {finding.text}")
    return 0


def _card(config: Configuration) -> dict[str, Any]:
    from app.scoring.model import load_card

    return load_card(config.settings)


def cutoffs(args: argparse.Namespace, config: Configuration) -> int:
    """The model card's approval-rate / bad-rate trade-off, and the cutoff for a target approval rate."""
    from app.scoring.drift import cutoff_for_approval

    if not 0 < args.target_approval < 1:
        raise InvalidInput(_("The target approval rate is a fraction between 0 and 1, e.g. 0.8."), code="bad_rate")
    card = _card(config)
    chosen = cutoff_for_approval(card["tradeoff"], args.target_approval)
    if args.json:
        emit_json(
            {
                "model_version": card["version"],
                "target_approval": args.target_approval,
                "chosen": chosen,
                "table": card["tradeoff"],
                "card_cutoffs": card["cutoffs"],
            }
        )
        return 0
    print(_("Score cutoff, approval rate and bad rates on the holdout ({version})").format(version=card["version"]))
    headings = (_("cutoff"), _("approved"), _("bad rate, approved"), _("bad rate, declined"))
    print(f"  {headings[0]:>8}  {headings[1]:>9}  {headings[2]:>18}  {headings[3]:>18}")
    for row in card["tradeoff"]:
        mark = " ←" if row is chosen else ""
        approved_bad = "-" if row["bad_rate_approved"] is None else f"{row['bad_rate_approved']:.1%}"
        declined_bad = "-" if row["bad_rate_declined"] is None else f"{row['bad_rate_declined']:.1%}"
        print(f"  {row['cutoff']:>8.1f}  {row['approval_rate']:>9.1%}  {approved_bad:>18}  {declined_bad:>18}{mark}")
    return 0


def drift(args: argparse.Namespace, config: Configuration) -> int:
    """PSI of this counter's recent pre-screen scores against the card's baseline."""
    from sqlalchemy import select

    from app.kernel.clock import utc_now
    from app.scoring.drift import band_label, population_stability
    from app.services import build_services
    from app.storage.models import PrescreenLog

    if not 1 <= args.days <= MAX_DRIFT_DAYS:  # checked first: 10^11 days is past what a date can hold
        raise InvalidInput(
            _("The number of days must be between 1 and {most}.").format(most=MAX_DRIFT_DAYS), code="bad_days"
        )
    card = _card(config)
    services = build_services(config)
    try:
        since = utc_now() - dt.timedelta(days=args.days)
        with services.store.read() as session:
            scores = list(
                session.scalars(
                    select(PrescreenLog.score).where(
                        PrescreenLog.at >= since, PrescreenLog.model_version == card["version"]
                    )
                )
            )
    finally:
        services.close()
    if not scores:
        raise InvalidInput(
            _("No pre-screens with model {version} in the last {days} days: nothing to compare.").format(
                version=card["version"], days=args.days
            ),
            code="no_scores",
        )
    result = population_stability(scores, card["drift_baseline"])
    if args.json:
        emit_json(
            {
                "model_version": card["version"],
                "days": args.days,
                "count": result.count,
                "psi": round(result.psi, 4),
                "band": result.band,
                "shares": [round(s, 4) for s in result.shares],
                "baseline_shares": card["drift_baseline"]["shares"],
            }
        )
        return 0
    emit_table(
        [
            (_("Model"), card["version"]),
            (_("Pre-screens"), str(result.count)),
            (_("PSI"), f"{result.psi:.3f}"),
            (_("Assessment"), band_label(result.band)),
        ],
        title=_("Score drift over the last {days} days").format(days=args.days),
    )
    return 0


def blacklist_import(args: argparse.Namespace, config: Configuration) -> int:
    """Replace the local blacklist with a signed file."""
    from app.services import build_services

    services = build_services(config)
    try:
        info = services.prescreen.blacklist.import_file(Path(args.file), config.settings)
    finally:
        services.close()
    if args.json:
        emit_json({"version": info.version, "entries": info.entries})
    else:
        print(_("Blacklist {version} loaded: {count} entries.").format(version=info.version, count=info.entries))
    return 0


def register(sub: Any) -> None:
    """Add `prescreen`, `model` and `blacklist` to the command tree."""
    p = sub.add_parser(
        "prescreen",
        help=_("pre-screen an application (rules, scorecard, anti-fraud) offline"),
        epilog=_(
            "Error codes: bad_request, missing_field, bad_field, bad_amount, bad_number, bad_date, bad_time, "
            "bad_term, bad_sex, bad_job, bad_home, id_invalid, id_checksum, id_length, bad_phone, "
            "unknown_product, bad_down_payment, no_such_staff, json_too_deep, model_missing, model_tampered, "
            "model_card_invalid, model_invalid, catalog_missing, signature_invalid."
        ),
    )
    p.add_argument("file", help=_("the application as JSON ('-' reads one line from stdin)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=prescreen)

    model = sub.add_parser("model", help=_("the pre-screen scorecard"))
    model_sub = model.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    p = model_sub.add_parser(
        "cutoffs",
        help=_("the approval-rate / bad-rate trade-off and the cutoff for a target approval rate"),
        epilog=_("Error codes: bad_rate, model_missing, model_tampered, model_card_invalid."),
    )
    p.add_argument("--target-approval", type=float, default=0.6, help=_("approval rate to aim for, e.g. 0.8"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cutoffs)
    p = model_sub.add_parser(
        "drift",
        help=_("population stability (PSI) of recent scores against the model card's baseline"),
        epilog=_("Error codes: bad_days, no_scores, model_missing, model_tampered, model_card_invalid."),
    )
    p.add_argument("--days", type=int, default=30, help=_("how many days of pre-screens to compare (1 to 3650)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=drift)

    bl = sub.add_parser("blacklist", help=_("the lender's blacklist on this counter"))
    bl_sub = bl.add_subparsers(dest="blacklist_command", metavar="ACTION", required=True)
    p = bl_sub.add_parser(
        "import",
        help=_("replace the local blacklist with a signed file"),
        epilog=_("Error codes: bad_blacklist, signature_invalid, file_unreadable."),
    )
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=blacklist_import)
