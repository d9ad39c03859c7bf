"""`fenqi-central keys add|reseal|status` and `db current|upgrade`: the server's sealing keys and its schema
revision (central.sealing, central.migrate), and how every command reports a refusal."""

from __future__ import annotations

import argparse
import json
import sys


def keys_add(args: argparse.Namespace) -> int:
    """`keys add`: a new sealing key first in the key file."""
    from central.sealing import add_key

    path, key_id = add_key()
    out = {"key_file": str(path), "key_id": key_id}
    if args.json:
        print(json.dumps(out))
    else:
        print(
            f"Key {key_id} added to {path}; it seals once the servers are restarted. Then run "
            "`fenqi-central keys reseal`, and remove the old key's line after it."
        )
    return 0


def keys_reseal(args: argparse.Namespace) -> int:
    """`keys reseal`: everything sealed again with the first key; keys nothing uses any more are forgotten."""
    from central import sealing
    from central.db import Base, open_database

    engine = open_database(args.db).kw["bind"]
    ring = sealing.ring_of(engine)
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        # A page at a time, each committed: the servers keep working meanwhile. A second pass finds what a
        # server still on the old key wrote during the first; the old keys are forgotten only when none is left.
        for _attempt in range(3):
            again = 0
            for target in sealing.sealed_columns(Base.metadata):
                done = sealing.seal_column(connection, ring, target, plaintext=False, after_page=connection.commit)
                counts[f"{target.table}.{target.column}"] = counts.get(f"{target.table}.{target.column}", 0) + done
                again += done
            counts["velocity_marks.lender_id_digest"] = counts.get(
                "velocity_marks.lender_id_digest", 0
            ) + sealing.redigest_lender_marks(connection, ring, after_page=connection.commit)
            connection.commit()
            if again == 0:
                break
        else:
            return fail(args, "still_changing", "Values sealed with an old key keep arriving: restart every server.")
        forgotten = sealing.forget_key_ids(connection, keep=ring.current_id)
        connection.commit()
    engine.dispose()
    out = {"key_id": ring.current_id, "resealed": counts, "forgotten_keys": forgotten}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"Everything is sealed with key {ring.current_id}: {sum(counts.values())} values sealed again.")
        if forgotten:
            print(f"Keys no longer needed (remove their lines from the key file): {', '.join(forgotten)}")
    return 0


def keys_status(args: argparse.Namespace) -> int:
    """`keys status`: the server's keys and the keys the database was sealed with."""
    from central import sealing
    from central.db import central_engine

    engine = central_engine(args.db)
    try:
        with engine.connect() as connection:
            recorded = sorted(sealing.recorded_key_ids(connection))
    finally:
        engine.dispose()
    ring = sealing.server_keys(create=False)
    out = {
        "keys": list(ring.ids),
        "sealing_key": ring.current_id,
        "source": ring.source,
        "database_keys": recorded,
        "missing": sorted(set(recorded) - set(ring.ids)),
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(f"Keys ({ring.source}): {', '.join(ring.ids)}; {ring.current_id} seals.")
        print(f"Keys this database was sealed with: {', '.join(recorded) or 'none yet'}.")
        if out["missing"]:
            print(f"Missing: {', '.join(out['missing'])}: the server will not start with these keys.")
    return 0


def db_revision(args: argparse.Namespace) -> int:
    """`db current|upgrade`: the schema's revision, after bringing it to the newest when asked."""
    from central import migrate
    from central.db import central_engine, open_database

    engine = central_engine(args.db)
    try:
        with engine.connect() as connection:
            before = migrate.current_revision(connection)
    finally:
        engine.dispose()
    if args.action == "upgrade":
        open_database(args.db).kw["bind"].dispose()
    out = {"revision": migrate.head_revision() if args.action == "upgrade" else before, "head": migrate.head_revision()}
    if args.action == "upgrade":
        out["before"] = before
    if args.json:
        print(json.dumps(out))
    elif args.action == "upgrade":
        print(f"Schema revision {before or 'none'} -> {out['revision']}.")
    else:
        print(f"Schema revision {before or 'none'} (this server's newest: {out['head']}).")
    return 0


def fail(args: argparse.Namespace, code: str, message: str) -> int:
    """Report a refusal (JSON with --json, else a line on stderr); exit status 1."""
    if getattr(args, "json", False):
        print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
    else:
        print(message, file=sys.stderr)
    return 1
