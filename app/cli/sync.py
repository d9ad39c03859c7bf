"""`fenqi device activate`, `fenqi sync` and `fenqi sync status`: this PC and the lender's central server."""

from __future__ import annotations

import argparse
import time
from typing import Any

from app.cli.applications import register_evidence
from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

LAST_SUCCESS = "sync_last_success"


def _client(config: Configuration, server: str | None, services: Any) -> Any:
    from app.sync.client import CentralClient

    url = server or config.settings.server_url
    if not url:
        raise InvalidInput(_("Give the central server's address (--server URL)."), code="no_server")
    return CentralClient(url, config.settings, services.secrets)


def activate(args: argparse.Namespace, config: Configuration) -> int:
    """Activate this PC for a store with the store's one-time code and make it that store's counter (the store's
    record and roster from the lender, the demo accounts removed); remember the server's address. A counter window
    already running takes all of it at once (SyncService.activate, the same call its Sync page makes)."""
    from app.domain.actor import Actor
    from app.services import build_services

    services = build_services(config)
    try:
        done = services.sync.activate(Actor.command_line(), args.server, args.store, args.code)
    finally:
        services.close()
    if args.json:
        emit_json(
            {
                "device_id": done.device_id,
                "store": done.store,
                "store_name": done.store_name,
                "region": done.region,
                "server": done.server,
                "applications_under_other_store": done.applications_under_other_store,
            }
        )
    else:
        print(_("This PC is now the counter of store {store} {name}.").format(store=done.store, name=done.store_name))
        if done.roster_members is None:
            print(_("The store's staff list could not be fetched yet; it comes with the next sync (fenqi sync)."))
        if done.applications_under_other_store:
            print(
                _("{count} applications filed here before stay under the store they were filed in.").format(
                    count=done.applications_under_other_store
                )
            )
    return 0


def sync(args: argparse.Namespace, config: Configuration) -> int:
    """Send what is due; with --once a single pass, otherwise until nothing is due."""
    from app.kernel.clock import utc_now
    from app.services import build_services
    from app.storage.models import Meta
    from app.sync.sender import Sender

    services = build_services(config)
    try:
        sender = Sender(
            services.store,
            _client(config, args.server, services),
            max_backoff_s=config.settings.sync_max_backoff_seconds,
        )
        totals = {"sent": 0, "dead": 0, "retrying": 0, "reconciled": 0}
        while True:
            report = sender.drain_once()
            for key in totals:
                totals[key] += getattr(report, key)
            if not report.errors and (report.sent or report.reconciled or report.dead):
                with services.store.write() as session:
                    session.merge(Meta(key=LAST_SUCCESS, value=utc_now().isoformat()))
            due = sender.next_due_in()
            if args.once or due is None:
                break
            time.sleep(min(due, 60.0) + 0.01)  # until the next item is due: sync resumes by itself
        from app.sync.decisions import pull_decisions
        from app.sync.exchange import exchange

        notices = pull_decisions(services.store, sender.client)
        status = sender.status()
        exchanged = exchange(
            services.store,
            services.secrets,
            sender.client,
            config.settings,
            config.paths.settings_file,
            config.paths.data_dir / "downloads",
            status,
        )
    finally:
        services.close()
    out = {
        **totals,
        "pending": status.pending,
        "dead_letters": status.dead_letters,
        "decisions": [{"reference": n.reference, "decision": n.decision} for n in notices],
        "downloads": exchanged.downloads.installed,
        "downloads_refused": exchanged.downloads.refused,
        "roster_members": exchanged.roster_members,
        "audit_alarm": exchanged.audit_alarm,
    }
    if args.json:
        emit_json(out)
    else:
        emit_table([(k, str(v)) for k, v in out.items() if k not in ("decisions", "downloads_refused")], _("Sync"))
        for refused in exchanged.downloads.refused:
            print(_("Not installed: {what}").format(what=refused))
        for notice in notices:
            print(
                _("Decision for {reference}: {decision}").format(reference=notice.reference, decision=notice.decision)
            )
    return 0


def status(args: argparse.Namespace, config: Configuration) -> int:
    """online, pending, oldest pending age, dead letters, last success."""
    from app.kernel.clock import utc_now
    from app.services import build_services
    from app.storage.models import Meta
    from app.storage.outbox import outbox_status
    from app.sync.client import NotActivated, ServerUnreachable
    from app.sync.meta_keys import AUDIT_ALARM

    services = build_services(config)
    try:
        online = False
        if args.server or config.settings.server_url:
            try:
                reply = _client(config, args.server, services).status("00000000-0000-0000-0000-000000000000")
                online = reply.status_code in (200, 404)
            except (ServerUnreachable, NotActivated):
                online = False
        sync_status = outbox_status(services.store, utc_now())
        with services.store.read() as session:
            last = session.get(Meta, LAST_SUCCESS)
            last_success = None if last is None else last.value
            alarm = session.get(Meta, AUDIT_ALARM)
    finally:
        services.close()
    age = sync_status.oldest_pending_age_s
    out = {
        "online": online,
        "pending": sync_status.pending,
        "oldest_pending_age_s": None if age is None else round(age, 1),
        "dead_letters": sync_status.dead_letters,
        "last_success": last_success,
        "audit_alarm": None if alarm is None else alarm.value,
    }
    if args.json:
        emit_json(out)
    else:
        shown = dict(out)
        if last_success is not None:  # for a person: the store's time, in their language (JSON keeps ISO UTC)
            shown["last_success"] = _shown_time(last_success, config)
        emit_table([(k, str(v)) for k, v in shown.items()], title=_("Sync status"))
    return 0


def _shown_time(text: str, config: Configuration) -> str:
    from app.kernel.clock import format_store_time, moment_from_text

    try:
        return format_store_time(moment_from_text(text), config.settings.time_zone)
    except ValueError:
        return text


def digest(args: argparse.Namespace, config: Configuration) -> int:
    """Each submitted (or queued) application's id and the SHA-256 of its latest body, as the server stores it."""
    import hashlib

    from sqlalchemy import select

    from app.kernel.canonical import canonical_json
    from app.services import build_services
    from app.storage.models import OutboxItem
    from app.storage.outbox import payload_of

    services = build_services(config)
    try:
        latest: dict[str, bytes] = {}
        with services.store.read() as session:
            for item in session.scalars(
                select(OutboxItem).where(OutboxItem.kind == "application").order_by(OutboxItem.created_at)
            ):
                body = payload_of(services.store, item)
                latest[body["application_id"]] = canonical_json(body)  # a later revision replaces an earlier
    finally:
        services.close()
    out = [{"application_id": a, "sha256": hashlib.sha256(b).hexdigest()} for a, b in sorted(latest.items())]
    if args.json:
        emit_json(out)
    else:
        for row in out:
            print(f"{row['application_id']}  {row['sha256']}")
    return 0


def cancel(args: argparse.Namespace, config: Configuration) -> int:
    """Cancel an application the customer no longer wants (here, or by asking the lender at the next sync)."""
    from app.domain.actor import Actor
    from app.domain.application import ApplicationState
    from app.services import build_services

    services = build_services(config)
    try:
        application_id = services.consents.application_by_reference(args.reference)
        state = services.cancellation.cancel(Actor.command_line(), application_id, args.reason)
    finally:
        services.close()
    reference = args.reference.strip().upper()
    cancelled = state is ApplicationState.CANCELLED
    if args.json:
        emit_json({"reference": reference, "cancelled": cancelled, "requested": not cancelled})
    elif cancelled:
        print(_("{reference} is cancelled.").format(reference=reference))
    else:
        print(_("The lender will be asked to cancel {reference} at the next sync.").format(reference=reference))
    return 0


def register(sub: Any) -> None:
    """Add `device` and `sync` to the command tree."""
    device = sub.add_parser("device", help=_("this PC's registration with the central server"))
    device_sub = device.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    p = device_sub.add_parser(
        "activate",
        help=_("activate this PC for a store with its one-time code"),
        epilog=_(
            "Error codes: activation_refused, roster_empty, bad_activation_input, server_unreachable, "
            "insecure_server_url, no_store, no_code, settings_too_new."
        ),
    )
    p.add_argument("--server", required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=activate)

    p = sub.add_parser(
        "sync",
        help=_("send waiting applications to the central server"),
        epilog=_("Error codes: no_server, device_not_activated, server_unreachable, reauthenticate, device_revoked."),
    )
    p.add_argument("--server")
    p.add_argument("--once", action="store_true", help=_("one pass only (otherwise: until nothing is waiting)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=sync)
    sync_sub = p.add_subparsers(dest="sync_command", metavar="ACTION")
    s = sync_sub.add_parser("status", help=_("online, pending, oldest pending age, dead letters, last success"))
    s.add_argument("--server")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=status)

    apps = sub.add_parser("applications", help=_("applications sent or waiting to be sent"))
    apps_sub = apps.add_subparsers(dest="applications_command", metavar="ACTION", required=True)
    p = apps_sub.add_parser(
        "digest",
        help=_("each application's id and the SHA-256 of its body as submitted"),
        epilog=_("Error codes: data_key_missing, data_key_wrong."),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=digest)
    p = apps_sub.add_parser(
        "cancel",
        help=_("cancel an application the customer no longer wants"),
        epilog=_("Error codes: not_found, reason_required, not_cancellable, already_requested, permission_denied."),
    )
    p.add_argument("reference", help=_("the application's reference, e.g. S001-261129-0042"))
    p.add_argument("--reason", required=True, help=_("why, in the customer's words"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cancel)
    register_evidence(apps_sub)
