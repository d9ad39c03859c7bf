"""`fenqi staff add|list|disable|enable|unlock|reset-pin`: staff accounts for store IT at this PC.

A PIN is never taken from the command line (it would stay in the shell history and the process list): it is
read from a prompt, or from standard input with --pin-stdin.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from app.cli.output import emit_json, emit_table
from app.domain.roles import Role, role_label
from app.kernel.clock import utc_now
from app.kernel.config import Configuration
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.office.staff import Actor, StaffMember
from app.services import build_services


def _read_pin(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        pin = sys.stdin.readline().rstrip("\n")
    else:
        pin = getpass.getpass(_("New PIN or password: "))
        if getpass.getpass(_("Again: ")) != pin:
            raise InvalidInput(_("The two entries differ."), code="pin_mismatch")
    if not pin:
        raise InvalidInput(_("No PIN was given."), code="weak_secret")
    return pin


def _member_json(member: StaffMember) -> dict[str, Any]:
    return {
        "login": member.login,
        "role": member.role.value,
        "name": member.display_name,
        "active": member.active,
        "locked_until": member.locked_until.isoformat() if member.locked_until else None,
        "phone": member.phone_masked,
    }


def _run(args: argparse.Namespace, config: Configuration) -> int:
    services = build_services(config)
    actor = Actor.command_line()
    try:
        staff = services.staff
        if args.staff_command == "list":
            members = staff.list_staff(actor)
        elif args.staff_command == "add":
            members = [staff.add(actor, args.login, args.name, args.role, args.id_number, args.phone, _read_pin(args))]
        elif args.staff_command == "reset-pin":
            members = [staff.reset_secret(actor, args.login, _read_pin(args))]
        elif args.staff_command == "unlock":
            members = [staff.unlock(actor, args.login)]
        else:
            members = [staff.set_active(actor, args.login, args.staff_command == "enable")]
    finally:
        services.close()
    if args.json:
        emit_json({"staff": [_member_json(m) for m in members]})
        return 0
    now = utc_now()
    rows = []
    for m in members:
        state = _("active") if m.active else _("disabled")
        if m.is_locked(now):
            state += " · " + _("locked")
        rows.append((m.login, f"{m.display_name}\t{role_label(m.role)}\t{state}"))
    emit_table(rows)
    return 0


def register(sub: Any) -> None:
    """Add `staff` to the command tree."""
    staff = sub.add_parser("staff", help=_("staff accounts (store IT)"))
    actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    codes = _(
        "Error codes: permission_denied, no_such_staff, bad_login, login_taken, duplicate_person, "
        "weak_secret, pin_mismatch, id_length, id_checksum, id_component, bad_phone, bad_role."
    )
    p = actions.add_parser("list", help=_("list the store's staff"), epilog=codes)
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("add", help=_("add a staff account"), epilog=codes)
    p.add_argument("login", help=_("staff number used to sign in, e.g. sales04"))
    p.add_argument("--name", required=True, help=_("full name"))
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--id-number", required=True, help=_("resident ID number (kept encrypted)"))
    p.add_argument("--phone", required=True, help=_("mobile number (kept encrypted)"))
    p.add_argument("--pin-stdin", action="store_true", help=_("read the PIN from standard input"))
    p.add_argument("--json", action="store_true")
    for name, text in (
        ("disable", _("disable an account")),
        ("enable", _("enable an account again")),
        ("unlock", _("lift a lockout after failed sign-ins")),
        ("reset-pin", _("set a new PIN or password")),
    ):
        p = actions.add_parser(name, help=text, epilog=codes)
        p.add_argument("login")
        if name == "reset-pin":
            p.add_argument("--pin-stdin", action="store_true", help=_("read the PIN from standard input"))
        p.add_argument("--json", action="store_true")
    staff.set_defaults(handler=_run)
