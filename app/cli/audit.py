"""`fenqi audit verify`: walk the audit chain and name the first entry that was tampered with."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.errors import EXIT_INVALID_INPUT, EXIT_OK
from app.kernel.i18n import N_, _
from app.kernel.logs import get_logger
from app.services import build_services
from app.storage.audit import AuditLog, ChainReport

log = get_logger("audit")

CHAIN_BROKEN = "audit_chain_broken"

# The problem words, translated when shown: "Audit entry 7 was edited."
_PROBLEM_WORDS = {
    "edited": N_("edited"),
    "deleted": N_("deleted"),
    "reordered": N_("reordered"),
}


def problem_word(problem: str) -> str:
    """The translated word for a ChainReport problem ("edited", "deleted", "reordered")."""
    return _(_PROBLEM_WORDS.get(problem, problem))


def broken_message(report: ChainReport) -> str:
    """The translated sentence naming a broken chain's first bad entry and what happened to it."""
    return _("Audit entry {seq} was {problem}.").format(
        seq=report.first_bad_seq, problem=problem_word(report.problem or "")
    )


def verify(args: argparse.Namespace, config: Configuration) -> int:
    """Verify the local store's audit chain: exit 0 when intact, 1 naming the first bad entry when not."""
    services = build_services(config)
    try:
        with services.store.read() as session:
            report = AuditLog.for_store(services.store).verify(session)
    finally:
        services.close()
    if report.intact:
        out: dict[str, Any] = {
            "intact": True,
            "entries": report.entries,
            "head_seq": report.head_seq,
            "head_mac": report.head_mac,
        }
        if args.json:
            emit_json(out)
        else:
            emit_table(
                [
                    (_("Entries"), report.entries),
                    (_("Last entry"), report.head_seq if report.head_seq is not None else "-"),
                    (_("Last MAC"), report.head_mac or "-"),
                ],
                _("The audit log is intact."),
            )
        return EXIT_OK
    message = broken_message(report)
    log.warning("audit chain broken at entry %s (%s)", report.first_bad_seq, report.problem)
    if args.json:
        emit_json(
            {
                "intact": False,
                "entries": report.entries,
                "first_bad_entry": report.first_bad_seq,
                "problem": report.problem,
                "error": {"code": CHAIN_BROKEN, "message": message},
            }
        )
    else:
        emit_table(
            [
                (_("Entries"), report.entries),
                (_("First bad entry"), report.first_bad_seq),
                (_("Problem"), problem_word(report.problem or "")),
            ],
            _("The audit log has been tampered with."),
        )
        sys.stderr.write(message + "\n")
    return EXIT_INVALID_INPUT


def register(sub: Any) -> None:
    """Add `audit verify` to the command tree."""
    au = sub.add_parser("audit", help=_("the append-only audit log"))
    au_sub = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = au_sub.add_parser(
        "verify",
        help=_("check the audit chain and name the first tampered entry"),
        epilog=_(
            "Error codes: audit_chain_broken, data_key_missing, data_key_wrong, store_damaged, migration_failed, "
            "key_store_unavailable."
        ),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=verify)
