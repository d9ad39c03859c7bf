"""`fenqi update check` and `fenqi update stage`: the lender's signed update manifest, for store IT."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.i18n import _

BLOCKERS = {
    "no_manifest": lambda: _("no update manifest has come from the lender yet"),
    "signature_invalid": lambda: _("the manifest is not signed by the lender"),
    "manifest_invalid": lambda: _("the manifest cannot be read"),
    "not_newer": lambda: _("the version offered is not newer than this one"),
    "outbox_not_empty": lambda: _("applications are still waiting to reach the lender"),
}


def _manifest_file(args: argparse.Namespace, config: Configuration) -> Path:
    from app.office.updates import MANIFEST_NAME

    return Path(args.manifest) if args.manifest else config.paths.data_dir / "downloads" / "update" / MANIFEST_NAME


def _check(args: argparse.Namespace, config: Configuration) -> Any:
    from app.domain.catalog import trusted_keys
    from app.office.updates import check_update
    from app.services import build_services

    services = build_services(config)
    try:
        return check_update(services.store, _manifest_file(args, config), trusted_keys(services.settings))
    finally:
        services.close()


def check(args: argparse.Namespace, config: Configuration) -> int:
    """Whether the lender offers a newer version, whether its manifest is genuine, and what stops it now."""
    result = _check(args, config)
    if args.json:
        emit_json(result.as_json())
        return 0
    rows: list[tuple[str, Any]] = [
        (_("This version"), result.current),
        (_("Offered"), result.latest or "-"),
        (_("Signed by the lender"), _("yes") if result.verified else _("no")),
    ]
    if result.required:
        rows.append((_("Required"), _("this version is no longer supported: update before the next sync")))
    rows += [(_("Blocked by"), BLOCKERS.get(b, lambda b=b: b)()) for b in result.blocked_by]
    if result.reason:
        rows.append((_("Reason"), result.reason))
    emit_table(rows, _("Update"))
    return 0


def stage(args: argparse.Namespace, config: Configuration) -> int:
    """Copy the offered release's files from a folder after checking each against the signed manifest."""
    from app.kernel.clock import utc_now
    from app.office.updates import stage_update

    result = _check(args, config)
    staged = stage_update(result, Path(args.source), config.paths.data_dir / "updates", utc_now())
    if args.json:
        emit_json(staged.as_json())
    else:
        print(
            _("Version {version} is ready to install from {folder}.").format(
                version=staged.version, folder=staged.folder
            )
        )
    return 0


def register(sub: Any) -> None:
    """Add `update check` and `update stage` to the command tree."""
    update = sub.add_parser("update", help=_("the lender's signed application updates"))
    actions = update.add_subparsers(dest="update_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "check",
        help=_("whether a newer version is offered, genuine, and free to install"),
        epilog=_("Blocked by: no_manifest, signature_invalid, manifest_invalid, not_newer, outbox_not_empty."),
    )
    p.add_argument("--manifest", metavar="FILE", help=_("a manifest file (default: the one sync downloaded)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=check)
    p = actions.add_parser(
        "stage",
        help=_("copy the offered release's files, each checked against the signed manifest, for the installer"),
        epilog=_("Error codes: update_blocked, update_file_missing, update_file_mismatch, update_copy_failed."),
    )
    p.add_argument("--from", dest="source", required=True, metavar="DIR", help=_("the folder holding the files"))
    p.add_argument("--manifest", metavar="FILE", help=_("a manifest file (default: the one sync downloaded)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=stage)
