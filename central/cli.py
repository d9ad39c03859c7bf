"""`fenqi-central`: run the reference central API, and the store IT commands that go with it."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from central.api import create_app

    uvicorn.run(create_app(args.db), host=args.host, port=args.port, log_level="warning")
    return 0


def _store_add(args: argparse.Namespace) -> int:
    from central.db import open_database
    from central.devices import add_store

    code = add_store(open_database(args.db), args.store.strip().upper(), args.region.strip().upper())
    out = {"store": args.store.strip().upper(), "activation_code": code}
    print(json.dumps(out) if args.json else f"{out['store']}: activation code {code}")
    return 0


def _digest(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from central.db import SubmittedApplication, open_database

    factory = open_database(args.db)
    with factory() as session:
        rows = session.execute(
            select(SubmittedApplication.application_id, SubmittedApplication.body).order_by(
                SubmittedApplication.application_id
            )
        ).all()
    digest = [{"application_id": a, "sha256": hashlib.sha256(body.encode()).hexdigest()} for a, body in rows]
    print(json.dumps(digest) if args.json else "\n".join(f"{d['application_id']}  {d['sha256']}" for d in digest))
    return 0


def _review(args: argparse.Namespace) -> int:
    from central.db import open_database
    from central.submissions import review

    outcome = review(open_database(args.db), args.application, args.decision, args.reason or "")
    print(json.dumps(outcome.body) if args.json else outcome.body)
    return 0 if outcome.status_code == 200 else 1


def build_parser() -> argparse.ArgumentParser:
    """`fenqi-central --db URL --host H --port P`, or one of its subcommands with the same --db."""
    parser = argparse.ArgumentParser(prog="fenqi-central", description="Fenqi reference central API.")
    parser.add_argument("--db", default="sqlite:///fenqi-central.db", help="SQLAlchemy URL (SQLite or PostgreSQL)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600)
    parser.set_defaults(handler=_serve)
    sub = parser.add_subparsers(dest="command")
    store = sub.add_parser("store", help="stores and their activation codes").add_subparsers(
        dest="action", required=True
    )
    p = store.add_parser("add", help="register a store and print a one-time activation code")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--store", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_store_add)
    apps = sub.add_parser("applications", help="applications received").add_subparsers(dest="action", required=True)
    p = apps.add_parser("digest", help="each application's id and the SHA-256 of its body as submitted")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_digest)
    p = apps.add_parser("review", help="a reviewer approves or declines a referred application")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--application", required=True)
    p.add_argument("--decision", required=True, choices=("approved", "declined"))
    p.add_argument("--reason")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_review)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server or one command."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
