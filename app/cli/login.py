"""`fenqi login --server URL`: a regional manager or reviewer signs in to the central server; the short-lived
token is kept in the SecretStore (never in a file or a log) for the commands that read central reports."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.output import emit_json
from app.kernel.clock import format_store_time, moment_from_text
from app.kernel.config import Configuration
from app.kernel.i18n import _


def _password(args: argparse.Namespace) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    import getpass

    return getpass.getpass(_("Password: "))


def login(args: argparse.Namespace, config: Configuration) -> int:
    """Sign in with a central account; keep the session token until it expires."""
    from app.domain.actor import Actor
    from app.services import build_services

    username = args.username or input(_("Username: ")).strip()
    password = _password(args)
    services = build_services(config)
    try:
        session = services.region_reports.sign_in(Actor.command_line(), args.server, username, password).as_json()
    finally:
        services.close()
    out = {k: session[k] for k in ("username", "role", "region", "expires_at")}
    if args.json:
        emit_json(out)
    else:
        print(
            _("Signed in as {username} ({role}, region {region}) until {until}.").format(
                username=out["username"],
                role=out["role"],
                region=out["region"],
                until=format_store_time(moment_from_text(out["expires_at"]), config.settings.time_zone),
            )
        )
    return 0


def register(sub: Any) -> None:
    """Add `login` to the command tree."""
    p = sub.add_parser(
        "login",
        help=_("sign in to the central server as a regional manager or reviewer"),
        epilog=_("Error codes: sign_in_refused, server_unreachable, insecure_server_url."),
    )
    p.add_argument("--server", required=True)
    p.add_argument("--username", help=_("your central account (asked for when not given)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=login)
