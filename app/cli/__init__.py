"""The `fenqi` command: the headless face of the application (also `python -m app`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from app.cli import (
    audit,
    consent,
    delivery,
    dev,
    end_of_day,
    idcmd,
    login,
    prescreen,
    purge,
    quote,
    report,
    staff,
    store,
    update,
)
from app.cli import sync as sync_cli
from app.cli.output import emit_error
from app.kernel.config import load_configuration
from app.kernel.errors import EXIT_USAGE, FenqiError, InvalidInput, Unavailable
from app.kernel.i18n import _


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2, as the contract says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full command tree, with help in the configured language."""
    parser = _Parser(prog="fenqi", description=_("Fenqi POS command line."))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in (
        idcmd,
        quote,
        prescreen,
        consent,
        store,
        staff,
        audit,
        dev,
        sync_cli,
        login,
        delivery,
        purge,
        end_of_day,
        report,
        update,
    ):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 invalid input, 2 usage, 3 cannot do the work)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    try:
        config = load_configuration()
    except FenqiError as exc:
        return emit_error(exc, as_json)
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args, config) or 0)
    except FenqiError as exc:
        return emit_error(exc, getattr(args, "json", as_json))
    except BrokenPipeError:  # e.g. `fenqi store info | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return emit_error(InvalidInput(_("Interrupted."), code="interrupted"), as_json)
    except Exception as exc:  # last resort: the contract's JSON and exit 3, the traceback in the log
        import logging

        logging.getLogger("fenqi.cli").error("command failed: %s", type(exc).__name__, exc_info=exc)
        return emit_error(
            Unavailable(_("Something went wrong; the details are in the log."), code="internal_error"), as_json
        )
