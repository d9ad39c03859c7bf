"""`fenqi demo-data` and `fenqi store info`: filling and describing the local store."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from app.cli.output import emit_json, emit_table
from app.demo import data as demo_data
from app.domain.application import ApplicationState, parse_state, state_label
from app.kernel.clock import utc_now
from app.kernel.config import Configuration
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.office.overview import store_overview
from app.services import build_services
from app.storage.stores import staff_ids


def demo(args: argparse.Namespace, config: Configuration) -> int:
    """Fill the local store with N realistic applications."""
    if args.count < 0:
        raise InvalidInput(_("The count must not be negative."), code="bad_count")
    state = parse_state(args.state) if args.state else None
    if state is ApplicationState.QUEUED:
        return _demo_queued(args, config)
    services = build_services(config)
    try:
        with services.store.read() as session:
            store = services.current_store(session)
            staff = staff_ids(session, store)
        started = time.perf_counter()
        result = demo_data.generate(
            services.store,
            store,
            staff,
            args.count,
            utc_now(),
            state=state,
            seed=args.seed,
            progress=_progress(args),
        )
        seconds = time.perf_counter() - started
    finally:
        services.close()
    out = {
        "applications": result.applications,
        "customers": result.customers,
        "purchases": result.purchases,
        "consents": result.consents,
        "seconds": round(seconds, 2),
        "store": store.code,
    }
    _report(args, out)
    return 0


def _demo_queued(args: argparse.Namespace, config: Configuration) -> int:
    """N applications taken through the counter's flow to signed and queued, each a sealed outbox item. The
    catalog and the scorecard are verified before anything is written."""
    from app.demo.flow import queue_demo_applications
    from app.domain.catalog import load_catalog

    catalog = load_catalog(config.settings)
    services = build_services(config)
    try:
        with services.store.read() as session:
            store_code = services.current_store(session).code
        started = time.perf_counter()
        result = queue_demo_applications(services, catalog, args.count, seed=args.seed, progress=_progress(args))
        seconds = time.perf_counter() - started
    finally:
        services.close()
    out = {
        "applications": len(result.application_ids),
        "customers": result.customers,
        "purchases": result.purchases,
        "consents": result.consents,
        "seconds": round(seconds, 2),
        "store": store_code,
        "queued": len(result.application_ids),
    }
    _report(args, out)
    return 0


def _progress(args: argparse.Namespace) -> Callable[[int], None]:
    def progress(done: int) -> None:
        if not args.json and sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{args.count}")

    return progress


def _report(args: argparse.Namespace, out: dict[str, Any]) -> None:
    if args.json:
        emit_json(out)
        return
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    rows = [
        (_("Applications"), out["applications"]),
        (_("New customers"), out["customers"]),
        (_("Purchases"), out["purchases"]),
        (_("Consents"), out["consents"]),
    ]
    if "queued" in out:
        rows.append((_("Queued for the lender"), out["queued"]))
    emit_table([*rows, (_("Seconds"), out["seconds"])], _("Demo data written"))


def info(args: argparse.Namespace, config: Configuration) -> int:
    """Describe the local store: where it is, its schema, its key store, and how many applications."""
    services = build_services(config)
    try:
        overview = store_overview(services)
        out: dict[str, Any] = {
            "database": str(services.store.path),
            "schema_revision": services.store.report.revision,
            "install_id": str(services.store.install_id),
            "key_store": overview.key_store,
            "development_key_store": overview.development_key_store,
            "store": {"code": overview.store_code, "name": overview.store_name, "time_zone": overview.time_zone},
            "applications": overview.applications,
            "applications_by_state": {s.value: n for s, n in overview.by_state.items()},
            "customers": overview.customers,
        }
    finally:
        services.close()
    if args.json:
        emit_json(out)
    else:
        rows: list[tuple[str, Any]] = [
            (_("Database"), out["database"]),
            (_("Schema revision"), out["schema_revision"]),
            (_("Key store"), out["key_store"]),
            (_("Store"), f"{overview.store_code} {overview.store_name}"),
            (_("Customers"), overview.customers),
            (_("Applications"), overview.applications),
        ]
        rows += [(f"  {state_label(s)}", n) for s, n in overview.by_state.items()]
        emit_table(rows, _("Local store"))
    return 0


def register(sub: Any) -> None:
    """Add `demo-data` and `store` to the command tree."""
    p = sub.add_parser(
        "demo-data",
        help=_("fill the local store with N realistic applications"),
        epilog=_(
            "Error codes: bad_count, bad_state, data_key_missing, data_key_wrong, key_store_unavailable; "
            "with --state queued also catalog_missing, catalog_invalid, signature_invalid, model_missing, "
            "model_tampered, no_staff, demo_declined."
        ),
    )
    p.add_argument("--count", type=int, required=True, help=_("how many applications"))
    p.add_argument(
        "--state",
        help=_(
            "put every application in this state (e.g. draft, approved); queued takes each through the counter's "
            "flow (consents, customer, pre-screen, plan, signature, contract) to a signed application in the outbox"
        ),
    )
    p.add_argument("--seed", type=int, help=_("random seed, for repeatable data"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=demo)

    st = sub.add_parser("store", help=_("the local store"))
    st_sub = st.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    p = st_sub.add_parser(
        "info",
        help=_("where the store is, its schema and contents"),
        epilog=_(
            "Error codes: data_key_missing, data_key_wrong, store_damaged, migration_failed, key_store_unavailable."
        ),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=info)
