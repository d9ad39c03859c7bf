"""`fenqi-central`: run the reference central API, and the store IT commands that go with it."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from central.key_commands import db_revision, keys_add, keys_reseal, keys_status
from central.key_commands import fail as _fail

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def _serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from central.db import open_database
    from central.paths import DATA_DIR_ENV, DB_ENV, data_dir, ensure_data_dir

    if args.workers < 1:
        print("--workers must be at least 1.", file=sys.stderr)
        return 2
    folder = ensure_data_dir(data_dir({DATA_DIR_ENV: args.data_dir} if args.data_dir else None))
    # Every worker reads the database and the data folder from the environment (central.api.app_from_env):
    # uvicorn starts its workers from an import string, not from an app object made here.
    os.environ[DB_ENV], os.environ[DATA_DIR_ENV] = args.db, str(folder)
    open_database(args.db).kw["bind"].dispose()  # the schema made once, before any worker opens it
    uvicorn.run(
        "central.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
    )
    return 0


# The store record's fields (app.wire.activation.StoreRecord) and the error code of a refused value of each.
_STORE_FIELDS = {
    "store": "bad_store",
    "store_name": "bad_name",
    "region": "bad_region",
    "opening_hours": "bad_opening_hours",
    "time_zone": "bad_time_zone",
}


def _store_values(args: argparse.Namespace) -> dict[str, str]:
    """The store record's values given on the command line (codes and regions upper case)."""
    given = {
        "store": args.store.strip().upper(),
        "store_name": None if args.name is None else args.name.strip(),
        "region": None if args.region is None else args.region.strip().upper(),
        "opening_hours": None if args.opening_hours is None else args.opening_hours.strip(),
        "time_zone": None if args.time_zone is None else args.time_zone.strip(),
    }
    return {k: v for k, v in given.items() if v is not None}


def _refused_store_value(values: dict[str, str]) -> tuple[str, str] | None:
    """(error code, message) for the first value StoreRecord refuses, or None when all are fine."""
    from pydantic import ValidationError

    from app.wire.activation import StoreRecord

    example = {"store": "S001", "store_name": "-", "region": "BJ", "opening_hours": "09:00-21:00"}
    try:
        StoreRecord.model_validate({**example, "time_zone": "Asia/Shanghai", **values})
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = str(problem["loc"][0])
        value = values.get(field, "")
        if field == "time_zone":
            return _STORE_FIELDS[field], f"Not a time zone: {value} (e.g. Asia/Shanghai)."
        if field == "opening_hours":
            return _STORE_FIELDS[field], f"Opening hours look like 09:00-21:00 (opening before closing), not {value}."
        return _STORE_FIELDS.get(field, "bad_store"), f"{field} {value!r}: {problem['msg']}"
    return None


def _store_out(args: argparse.Namespace, factory: sessionmaker[Session], store: str, **extra: str) -> int:
    from central.db import CentralStore
    from central.devices import store_record

    with factory() as session:
        found = session.get(CentralStore, store)
        assert found is not None
        out = {**store_record(found).model_dump(), **extra}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(
            f"{out['store']} {out['store_name']} ({out['region']}, {out['opening_hours']}, {out['time_zone']})"
            + (f": activation code {extra['activation_code']}" if "activation_code" in extra else "")
        )
    return 0


def _store_add(args: argparse.Namespace) -> int:
    from central.db import open_database
    from central.devices import add_store
    from central.reporting import set_time_zone

    values = _store_values(args)
    refused = _refused_store_value(values)
    if refused is not None:
        return _fail(args, *refused)
    factory, store = open_database(args.db), values["store"]
    code = add_store(factory, store, values["region"], values.get("store_name"), values.get("opening_hours"))
    if "time_zone" in values:
        set_time_zone(factory, store, values["time_zone"])
    return _store_out(args, factory, store, activation_code=code)


def _store_update(args: argparse.Namespace) -> int:
    from central.db import open_database
    from central.devices import update_store
    from central.reporting import set_time_zone

    values = _store_values(args)
    refused = _refused_store_value(values)
    if refused is not None:
        return _fail(args, *refused)
    factory, store = open_database(args.db), values["store"]
    if not update_store(factory, store, values.get("store_name"), values.get("region"), values.get("opening_hours")):
        return _fail(args, "not_found", f"There is no store {store}.")
    if "time_zone" in values:
        set_time_zone(factory, store, values["time_zone"])
    return _store_out(args, factory, store)


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


def _evidence(args: argparse.Namespace) -> int:
    import uuid

    from central.db import open_database
    from central.evidence import items_of

    try:
        application_id = str(uuid.UUID(args.application.strip()))
    except ValueError:
        application_id = ""
    items = items_of(open_database(args.db), application_id) if application_id else None
    if items is None:
        return _fail(args, "not_found", f"No application has the id {args.application}.")
    rows = [{"kind": i.kind, "sha256": i.sha256, "size": i.size} for i in items]
    if args.json:
        print(json.dumps({"application_id": application_id, "items": rows}))
    elif not rows:
        print(f"Application {application_id} names no documents.")
    else:
        print("\n".join(f"{r['kind']:<18} {r['sha256']}  {r['size'] if r['size'] is not None else '-'}" for r in rows))
    return 0


def _review(args: argparse.Namespace) -> int:
    from central.db import open_database
    from central.submissions import review

    outcome = review(open_database(args.db), args.application, args.decision, args.reason or "")
    print(json.dumps(outcome.body) if args.json else outcome.body)
    return 0 if outcome.status_code == 200 else 1


def _secret(args: argparse.Namespace, what: str) -> str:
    """A password or PIN from stdin when piped, otherwise from a prompt (never from the command line)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    import getpass

    return getpass.getpass(f"{what}: ")


def _account_add(args: argparse.Namespace) -> int:
    from app.kernel.errors import InvalidInput
    from central.accounts import SignInRefused, add_account
    from central.db import open_database

    try:
        add_account(
            open_database(args.db),
            args.username.strip(),
            args.role,
            args.region.strip().upper(),
            _secret(args, "Password"),
        )
    except (SignInRefused, InvalidInput) as exc:
        return _fail(args, "bad_account", str(getattr(exc, "message", exc)))
    out = {"username": args.username.strip(), "role": args.role, "region": args.region.strip().upper()}
    print(json.dumps(out) if args.json else f"{out['username']}: {out['role']} ({out['region']})")
    return 0


def _account_active(args: argparse.Namespace) -> int:
    from central.accounts import AccountUnknown, set_active
    from central.db import open_database

    username = args.username.strip()
    try:
        set_active(open_database(args.db), username, args.active)
    except AccountUnknown:
        return _fail(args, "not_found", f"No account is called {username}.")
    out = {"username": username, "active": args.active}
    print(json.dumps(out) if args.json else f"{username}: {'enabled' if args.active else 'disabled'}")
    return 0


def _session_revoke(args: argparse.Namespace) -> int:
    from central.accounts import AccountUnknown, revoke_sessions
    from central.db import open_database

    username = args.username.strip()
    try:
        ended = revoke_sessions(open_database(args.db), username)
    except AccountUnknown:
        return _fail(args, "not_found", f"No account is called {username}.")
    out = {"username": username, "sessions_ended": ended}
    print(json.dumps(out) if args.json else f"{username}: {ended} session(s) ended")
    return 0


def _staff_put(args: argparse.Namespace) -> int:
    from app.kernel.errors import InvalidInput
    from central.db import open_database
    from central.roster import RosterRefused, put_member

    secret = None if args.keep_secret else _secret(args, "PIN or password")
    try:
        version = put_member(
            open_database(args.db),
            args.store.strip().upper(),
            args.login,
            args.name,
            args.role,
            secret,
            active=not args.inactive,
        )
    except (RosterRefused, InvalidInput) as exc:
        return _fail(args, "bad_staff", str(getattr(exc, "message", exc)))
    out = {"store": args.store.strip().upper(), "login": args.login.strip().lower(), "roster_version": version}
    print(json.dumps(out) if args.json else f"{out['login']} at {out['store']}: roster version {version}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from pathlib import Path

    from central.db import open_database
    from central.publications import NotPublishable, publish

    path = Path(args.file)
    signature_file = path.with_name(path.name + ".sig")
    signature = signature_file.read_bytes() if signature_file.exists() else None
    try:
        published = publish(open_database(args.db), args.kind, path.read_bytes(), signature)
    except (NotPublishable, OSError) as exc:
        return _fail(args, "not_publishable", str(exc))
    out = {"kind": published.kind, "sha256": published.sha256}
    print(json.dumps(out) if args.json else f"{out['kind']}: {out['sha256']}")
    return 0


def _device_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from central.db import Device, DeviceHealth, open_database

    with open_database(args.db)() as session:
        rows = session.execute(
            select(Device, DeviceHealth).outerjoin(DeviceHealth, DeviceHealth.device_id == Device.id)
        ).all()
    out = [
        {
            "device_id": d.id,
            "store": d.store_code,
            "revoked": d.revoked_reason,
            "pending": h.pending if h else None,
            "oldest_pending_age_s": h.oldest_pending_age_s if h else None,
            "dead_letters": h.dead_letters if h else None,
            "audit_seq": h.audit_seq if h else None,
            "audit_alarm": h.audit_alarm if h else None,
            "reported_at": h.reported_at.isoformat() if h else None,
        }
        for d, h in rows
    ]
    print(json.dumps(out) if args.json else "\n".join(f"{d['device_id']} {d['store']} {d}" for d in out))
    return 0


def _device_revoke(args: argparse.Namespace) -> int:
    from central.db import open_database
    from central.devices import revoke

    if not revoke(open_database(args.db), args.device, args.reason):
        return _fail(args, "not_found", f"There is no device {args.device}.")
    print(json.dumps({"device_id": args.device, "revoked": args.reason}) if args.json else f"revoked {args.device}")
    return 0


def _demo_data(args: argparse.Namespace) -> int:
    from central.db import open_database
    from central.demo_data import generate

    if args.count < 0 or args.stores < 1:
        return _fail(args, "bad_count", "The count must not be negative and there must be a store.")

    def progress(done: int) -> None:
        if not args.json:
            print(f"{done} / {args.count}", file=sys.stderr)

    result = generate(
        open_database(args.db),
        args.count,
        stores=args.stores,
        regions=[r for r in args.region.split(",") if r.strip()] or ["EAST"],
        seed=args.seed,
        progress=progress,
    )
    out = {
        "applications": result.applications,
        "decisions": result.decisions,
        "stores": len(result.stores),
        "devices": result.devices,
        "seconds": round(result.seconds, 1),
    }
    print(json.dumps(out) if args.json else f"{out['applications']} applications in {out['seconds']} s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """`fenqi-central --db URL --host H --port P [--workers N] [--data-dir DIR]`, or one of its subcommands with
    the same --db."""
    from app.wire.applications import Decision

    parser = argparse.ArgumentParser(prog="fenqi-central", description="Fenqi reference central API.")
    parser.add_argument("--db", default="sqlite:///fenqi-central.db", help="SQLAlchemy URL (SQLite or PostgreSQL)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (uvicorn's); they share nothing but the database"
    )
    parser.add_argument(
        "--data-dir",
        help="the server's folder for its files (key file, provider outboxes); default: the platform's data folder",
    )
    parser.set_defaults(handler=_serve)
    sub = parser.add_subparsers(dest="command")
    store = sub.add_parser("store", help="stores and their activation codes").add_subparsers(
        dest="action", required=True
    )
    for action, text in (
        ("add", "register a store (or give it a new code) and print a one-time activation code"),
        ("update", "change a store's record; its PCs take it at their next sync (no new activation code)"),
    ):
        p = store.add_parser(action, help=text)
        p.add_argument("--db", default=argparse.SUPPRESS)
        p.add_argument("--store", required=True)
        p.add_argument("--region", required=action == "add")
        p.add_argument("--name", help="the store's name shown at its counters (a new store: its code)")
        p.add_argument("--opening-hours", help="HH:MM-HH:MM, store time (a new store: 08:00-22:00)")
        p.add_argument("--time-zone", help="IANA time zone of the store's days (a new store: Asia/Shanghai)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=_store_add if action == "add" else _store_update)
    apps = sub.add_parser("applications", help="applications received").add_subparsers(dest="action", required=True)
    p = apps.add_parser("digest", help="each application's id and the SHA-256 of its body as submitted")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_digest)
    p = apps.add_parser(
        "evidence",
        help="the documents an application names (kind, SHA-256) and the size of each the lender holds",
        epilog="Error codes: not_found.",
    )
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--application", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_evidence)
    p = apps.add_parser("review", help="a reviewer approves or declines a referred application")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--application", required=True)
    p.add_argument("--decision", required=True, choices=(Decision.APPROVED.value, Decision.DECLINED.value))
    p.add_argument("--reason")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_review)
    account = sub.add_parser("account", help="reviewers' and regional managers' accounts").add_subparsers(
        dest="action", required=True
    )
    p = account.add_parser("add", help="add an account (password from a prompt or stdin)")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--role", required=True, choices=("reviewer", "regional_manager"))
    p.add_argument("--region", required=True)
    p.add_argument("--username", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_account_add)
    for action, text in (("disable", "disable an account (its sessions end at once)"), ("enable", "enable it again")):
        p = account.add_parser(action, help=text)
        p.add_argument("--db", default=argparse.SUPPRESS)
        p.add_argument("--username", required=True)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=_account_active, active=action == "enable")
    session = sub.add_parser("session", help="reviewers' and regional managers' sessions").add_subparsers(
        dest="action", required=True
    )
    p = session.add_parser("revoke", help="end every session of an account")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--username", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_session_revoke)
    staff = sub.add_parser("staff", help="store staff rosters (synced down to the store's counters)")
    staff_sub = staff.add_subparsers(dest="action", required=True)
    p = staff_sub.add_parser("put", help="add or change a staff member (PIN or password from a prompt or stdin)")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--store", required=True)
    p.add_argument("--login", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=("sales", "store_manager", "admin"))
    p.add_argument("--inactive", action="store_true", help="the member may no longer sign in")
    p.add_argument("--keep-secret", action="store_true", help="keep the current PIN or password")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_staff_put)
    p = sub.add_parser("publish", help="publish a file the lender signed (FILE.sig next to it) for the counters")
    p.add_argument("--db", default=argparse.SUPPRESS)
    kinds = ("catalog", "policy", "blacklist", "model_card", "model", "update_manifest")
    p.add_argument("--kind", required=True, choices=kinds)
    p.add_argument("--file", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_publish)
    device = sub.add_parser("device", help="counter PCs").add_subparsers(dest="action", required=True)
    p = device.add_parser("list", help="devices with their last reported sync health and audit anchor")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_device_list)
    p = device.add_parser("revoke", help="stop a device from syncing; it is told the reason")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--device", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_device_revoke)
    p = sub.add_parser("demo-data", help="fill the database with N demo applications (and their report figures)")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--stores", type=int, default=50, help="demo stores D001… (default 50)")
    p.add_argument("--region", default="EAST", help="region, or regions separated by commas, taken in turn")
    p.add_argument("--seed", type=int, default=0, help="another seed to add more to the same stores")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_demo_data)
    keys = sub.add_parser("keys", help="the key ring that seals personal data at rest").add_subparsers(
        dest="action", required=True
    )
    for action, text, handler in (
        ("add", "put a new key first in the key file (it seals after the servers restart)", keys_add),
        ("reseal", "seal everything again with the first key; forget the keys no longer needed", keys_reseal),
        ("status", "the keys the server has and the keys the database was sealed with", keys_status),
    ):
        p = keys.add_parser(action, help=text)
        if action != "add":
            p.add_argument("--db", default=argparse.SUPPRESS)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)
    db = sub.add_parser("db", help="the database's schema (Alembic revisions)").add_subparsers(
        dest="action", required=True
    )
    for action, text in (
        ("upgrade", "bring the schema to this server's newest revision (the server does it when it starts)"),
        ("current", "the schema's revision and this server's newest"),
    ):
        p = db.add_parser(action, help=text)
        p.add_argument("--db", default=argparse.SUPPRESS)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=db_revision)
    _data_dir_everywhere(sub)
    return parser


def _data_dir_everywhere(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Every command takes --data-dir after its name too (where the key file is), as it takes --db."""
    for command in sub.choices.values():
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            _data_dir_everywhere(nested[0])
        else:
            command.add_argument("--data-dir", default=argparse.SUPPRESS, help="the server's data folder (key file)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server or one command."""
    import os

    from central.migrate import SchemaError
    from central.paths import DATA_DIR_ENV
    from central.sealing import SealingError

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.data_dir:  # the key file's folder for the commands (the server passes it on to its workers too)
        os.environ[DATA_DIR_ENV] = args.data_dir
    try:
        return int(args.handler(args) or 0)
    except SealingError as exc:
        return _fail(args, "keys_refused", f"fenqi-central: {exc}")
    except SchemaError as exc:
        return _fail(args, "schema_refused", f"fenqi-central: {exc}")


if __name__ == "__main__":
    raise SystemExit(main())
