"""Activation makes the PC that store's counter (issue 19), against the real reference server on SQLite and
PostgreSQL: after `activate --store S002` the counter files under S002 (it used to file as the demo store S001,
and every application became a dead letter `wrong_store`), takes the store's name, region, opening hours and
time zone from the lender, pulls the roster at once and drops the demo accounts; with no roster at the lender
the activation is refused (`roster_empty`) and nothing changes, here or there. A later `fenqi-central store
update` reaches the PC at its next sync."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid

import pytest
import requests
from sqlalchemy import select

from app.cli import main
from app.counter.contract import terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT
from app.kernel.errors import Unavailable
from app.kernel.settings import load_settings
from app.office.staff import SignInRefused
from app.storage.models import Application, AuditEntry, OutboxItem, Staff, Store
from app.storage.stores import opening_hours_in_effect
from app.sync import client as sync_client
from app.sync.client import TOKEN, ServerUnreachable
from central import cli as central_cli
from central.db import CentralStore, Device, SubmittedApplication, open_database
from central.devices import add_store
from central.roster import put_member
from tests.integration.test_central import server  # noqa: F401 - the running server fixture
from tests.support.applications import CLERK, given, quoted_application, signature
from tests.support.lender import manager_of, store_with_roster
from tests.unit.test_settings_follow_file import ADMIN


def _queued(services, signed_files) -> uuid.UUID:
    application_id, terms = quoted_application(services, load_catalog(signed_files.settings))
    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
    )
    services.submissions.queue(CLERK, application_id)
    return application_id


def _at_the_lender(db: str, application_id: uuid.UUID) -> str | None:
    """The store the lender filed the application under, or None when it never arrived."""
    factory = open_database(db)
    try:
        with factory() as session:
            row = session.get(SubmittedApplication, str(application_id))
            return None if row is None else row.store_code
    finally:
        factory.kw["bind"].dispose()


def _devices(db: str, store: str) -> int:
    factory = open_database(db)
    try:
        with factory() as session:
            return len(session.scalars(select(Device).where(Device.store_code == store)).all())
    finally:
        factory.kw["bind"].dispose()


def _sign_in(services, login: str, secret: str) -> bool:
    try:
        services.staff.sign_in(login, secret)
    except SignInRefused:
        return False
    return True


def test_an_activated_pc_files_under_its_store_and_not_the_demo_one(server, signed_files, services) -> None:
    base, db = server
    # The store's clerk has the demo clerk's login (the pre-screen checks the filing clerk is staff) but the PIN
    # the lender holds, not the one in the README.
    roster = [("sales01", "sales", "王晓明", "864209"), manager_of("S002")]
    code = store_with_roster(
        db, "S002", "SH", roster, name="徐汇店", opening_hours="09:00-21:00", time_zone="Asia/Shanghai"
    )
    with services.store.read() as session:
        demo_ids = set(session.scalars(select(Staff.id)))
    earlier = services.consents.begin_application(CLERK, given(FIRST_MOMENT))  # a draft of the demo store
    assert _sign_in(services, "sales01", "135790")  # the demo account works before

    done = services.sync.activate(ADMIN, base, "S002", code)
    assert (done.store, done.store_name, done.region) == ("S002", "徐汇店", "SH")
    assert done.applications_under_other_store == 1 and done.roster_members == 2

    application_id = _queued(services, signed_files)  # the same services, as the open counter window keeps them
    run = services.sync.run_once()
    assert run is not None and run.online and run.report.sent == 1 and run.report.dead == 0
    assert _at_the_lender(db, application_id) == "S002"
    with services.store.read() as session:
        item = session.scalars(select(OutboxItem).where(OutboxItem.application_id == application_id)).one()
        assert item.status == "sent" and item.last_error is None
        shop = session.scalars(select(Store).where(Store.code == "S002")).one()
        assert session.get(Application, application_id).store_id == shop.id
        assert (shop.name, shop.time_zone) == ("徐汇店", "Asia/Shanghai")
        assert session.get(Application, earlier.application_id).store_id != shop.id  # it stays where it was filed
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "device.activated")).one()
        detail = json.loads(entry.detail)
        assert (detail["store"], detail["applications_under_other_store"], detail["accounts_removed"]) == ("S002", 1, 5)
        active = {row.login: row.id for row in session.scalars(select(Staff).where(Staff.active.is_(True)))}
        assert not demo_ids & set(session.scalars(select(Staff.id)))  # unused demo accounts are deleted
    # The demo accounts are gone; the lender's roster is the store's staff.
    assert set(active) == {"sales01", "mgr-s002"} and not demo_ids & set(active.values())
    assert not _sign_in(services, "sales01", "135790") and not _sign_in(services, "admin", "Fenqi2026admin")
    assert _sign_in(services, "sales01", "864209") and _sign_in(services, "mgr-s002", "482613")
    settings = load_settings(services.config.paths.settings_file)
    assert (settings.store_code, settings.store_name, settings.store_region) == ("S002", "徐汇店", "SH")
    assert (settings.store_opening_hours, settings.store_time_zone, settings.server_url) == (
        "09:00-21:00",
        "Asia/Shanghai",
        base,
    )
    assert services.settings.store_code == "S002"


def test_with_no_roster_at_the_lender_nothing_changes(server, signed_files, services, capsys) -> None:
    base, db = server
    factory = open_database(db)
    code = central_cli.main(["store", "add", "--db", db, "--store", "S003", "--region", "BJ", "--json"])
    assert code == 0
    with factory() as session:
        assert session.get(CentralStore, "S003").activation_hash is not None
    before = load_settings(services.config.paths.settings_file)
    with pytest.raises(Unavailable) as refused:
        services.sync.activate(ADMIN, base, "S003", "0000-0000-0000-0000")
    assert refused.value.code == "activation_refused"  # a wrong code says nothing about the roster
    activation = _code_of(db, "S003")
    with pytest.raises(Unavailable) as refused:
        services.sync.activate(ADMIN, base, "S003", activation)
    assert refused.value.code == "roster_empty" and "roster" in refused.value.message
    capsys.readouterr()
    assert main(["device", "activate", "--server", base, "--store", "S003", "--code", activation, "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "roster_empty"
    assert services.secrets.get(TOKEN) is None and load_settings(services.config.paths.settings_file) == before
    assert _sign_in(services, "sales01", "135790") and _devices(db, "S003") == 0
    with services.store.read() as session:
        assert session.scalars(select(Store.code)).all() == ["S001"]
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "device.activated")).first() is None
    # The code was not used: once the lender has the store's staff, the same code activates.
    login, role, name, secret = manager_of("S003")
    put_member(factory, "S003", login, name, role, secret)
    factory.kw["bind"].dispose()
    assert services.sync.activate(ADMIN, base, "S003", activation).store == "S003"
    assert _devices(db, "S003") == 1 and not _sign_in(services, "sales01", "135790")


def _code_of(db: str, store: str) -> str:
    """A fresh one-time code for an existing store (`store add` again, as the README says)."""
    factory = open_database(db)
    try:
        with factory() as session:
            region = session.get(CentralStore, store).region
        return add_store(factory, store, region)
    finally:
        factory.kw["bind"].dispose()


def test_the_lender_refuses_activation_without_a_roster_and_keeps_the_code(server) -> None:
    base, db = server
    factory = open_database(db)
    code = add_store(factory, "S004", "BJ", "静安店", "10:00-20:00")
    reply = requests.post(f"{base}/v1/devices/activate", json={"store": "S004", "code": code}, timeout=5)
    assert reply.status_code == 409 and reply.json()["error"]["code"] == "roster_empty"
    with factory() as session:
        assert session.get(CentralStore, "S004").activation_hash is not None  # still unused
    factory.kw["bind"].dispose()
    assert _devices(db, "S004") == 0
    store_with_roster(db, "S004", members=[manager_of("S004")])
    code = _code_of(db, "S004")
    reply = requests.post(f"{base}/v1/devices/activate", json={"store": "S004", "code": code}, timeout=5)
    assert reply.status_code == 201
    answer = reply.json()
    assert set(answer) == {"device_id", "token", "store", "store_name", "region", "opening_hours", "time_zone"}
    assert (answer["store"], answer["store_name"], answer["region"]) == ("S004", "静安店", "BJ")
    assert (answer["opening_hours"], answer["time_zone"]) == ("10:00-20:00", "Asia/Shanghai")
    assert uuid.UUID(answer["device_id"]) and _devices(db, "S004") == 1
    again = requests.post(f"{base}/v1/devices/activate", json={"store": "S004", "code": code}, timeout=5)
    assert again.status_code == 403 and again.json()["error"]["code"] == "activation_refused"
    schema = requests.get(f"{base}/openapi.json", timeout=5).json()
    operation = schema["paths"]["/v1/devices/activate"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("ActivationRequest")
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("ActivationAnswer")
    assert {"403", "409"} <= set(operation["responses"])


def test_fenqi_device_activate_json_and_a_store_update_at_the_next_sync(server, signed_files, capsys) -> None:
    base, db = server
    code = store_with_roster(db, "S005", "SZ", name="南山店", opening_hours="09:30-21:30", time_zone="Asia/Shanghai")
    assert main(["device", "activate", "--server", base, "--store", "S005", "--code", code, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"device_id", "store", "store_name", "region", "server", "applications_under_other_store"}
    assert (out["store"], out["store_name"], out["region"], out["server"]) == ("S005", "南山店", "SZ", base)
    assert out["applications_under_other_store"] == 0 and uuid.UUID(out["device_id"])
    args = ["store", "update", "--db", db, "--store", "S005", "--name", "南山旗舰店", "--opening-hours", "10:00-22:00"]
    assert central_cli.main([*args, "--time-zone", "Asia/Urumqi", "--json"]) == 0
    updated = json.loads(capsys.readouterr().out)
    assert (updated["store_name"], updated["opening_hours"], updated["time_zone"]) == (
        "南山旗舰店",
        "10:00-22:00",
        "Asia/Urumqi",
    )
    assert "activation_code" not in updated
    assert main(["sync", "--server", base, "--json"]) == 0
    capsys.readouterr()
    from app.services import build_services

    services = build_services()
    try:
        settings = services.settings
        assert (settings.store_name, settings.store_opening_hours, settings.store_time_zone) == (
            "南山旗舰店",
            "10:00-22:00",
            "Asia/Urumqi",
        )
        with services.store.read() as session:
            shop = services.current_store(session)
            assert (shop.code, shop.name, shop.time_zone) == ("S005", "南山旗舰店", "Asia/Urumqi")
        # The flag reads the store's hours; only development mode lets a setting stand in for them (tests do).
        assert opening_hours_in_effect(settings) == (dt.time(0, 0), dt.time(23, 59))
        production = dataclasses.replace(settings, key_store="os")
        assert opening_hours_in_effect(production) == (dt.time(10, 0), dt.time(22, 0))
    finally:
        services.close()


def test_when_the_roster_cannot_be_pulled_the_next_sync_replaces_the_accounts(
    server, signed_files, services, monkeypatch
) -> None:
    base, db = server
    code = store_with_roster(db, "S006", members=[manager_of("S006")])

    def unreachable(_client):
        raise ServerUnreachable("the line dropped")

    with monkeypatch.context() as patched:
        patched.setattr(sync_client.CentralClient, "roster", unreachable)
        done = services.sync.activate(ADMIN, base, "S006", code)
    assert done.store == "S006" and done.roster_members is None
    with services.store.read() as session:  # the demo accounts stay until the roster comes (not at this store)
        assert {r.login for r in session.scalars(select(Staff).where(Staff.active.is_(True)))} >= {"sales01", "admin"}
    assert not _sign_in(services, "sales01", "135790")
    run = services.sync.run_once()
    assert run is not None and run.online and run.exchanged is not None and run.exchanged.roster_members == 1
    assert not _sign_in(services, "sales01", "135790") and _sign_in(services, "mgr-s006", "482613")
    with services.store.read() as session:
        assert session.scalars(select(Store.code)).all() == ["S006"]  # nothing was filed under the demo store


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--opening-hours", "21:00-09:00"], "bad_opening_hours"),
        (["--opening-hours", "9-21"], "bad_opening_hours"),
        (["--time-zone", "Mars/Olympus"], "bad_time_zone"),
        (["--name", "bad\x07name"], "bad_name"),
        (["--store", "S 01"], "bad_store"),
    ],
)
def test_store_add_and_update_refuse_bad_values_and_change_nothing(tmp_path, capsys, args, error) -> None:
    db = f"sqlite:///{tmp_path / 'central.db'}"
    base = ["--db", db, "--json"]
    assert central_cli.main(["store", "add", "--store", "S010", "--region", "BJ", *base]) == 0
    capsys.readouterr()
    store = ["--store", "S010"] if "--store" not in args else []
    assert central_cli.main(["store", "add", *store, "--region", "BJ", *args, *base]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == error
    assert central_cli.main(["store", "update", *store, *args, *base]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == error
    factory = open_database(db)
    with factory() as session:
        stores = session.scalars(select(CentralStore)).all()
        assert [(s.code, s.name, s.opening_hours, s.time_zone) for s in stores] == [
            ("S010", "S010", "08:00-22:00", "Asia/Shanghai")
        ]
    factory.kw["bind"].dispose()
    assert central_cli.main(["store", "update", "--store", "S999", "--name", "x", *base]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "not_found"
