"""Personal data sealed at rest on the lender's reference server (issue 19), and its schema under Alembic.

What a byte search of the server's SQLite files, or a `pg_dump` of its PostgreSQL schema, finds after the demo
data or after counters sent applications, documents, cancellations and withdrawals: no ID number, phone, name,
address or card number — while the reports, the reviewers' reads and `applications digest` (the SHA-256 of the
unsealed canonical body) work as before. A database made before Alembic, in the clear, is sealed when a server
opens it. The wrong key, a missing or loose key file: the server refuses to start and says why. Keys rotate.
The revisions make the schema the models describe."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import column, select, table, text

from app.domain.identity import make_resident_id
from app.wire.keys import idempotency_key, outbox_key
from central import cli as central_cli
from central import migrate, sealing
from central.db import (
    Base,
    CentralStore,
    ConsentWithdrawal,
    SubmittedApplication,
    VelocityMark,
    central_engine,
    open_database,
)
from central.sealing import KeyRing, SealingError
from tests.support.central_db import KINDS, central_database
from tests.support.central_server import free_port, running_central
from tests.support.lender import store_with_roster
from tests.support.wire_bodies import submission_body

PASSWORD = "Sealed2026x"


# --- What is at rest -----------------------------------------------------------------------------------------


def _pg_dump() -> str | None:
    found = shutil.which("pg_dump")
    if found:
        return found
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))
    return str(installed[-1]) if installed else None


def _at_rest(db: str) -> bytes:
    """Every byte the database keeps: SQLite's file with its write-ahead log, or a pg_dump of the schema."""
    if db.startswith("sqlite"):
        path = Path(db.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))
    from sqlalchemy.engine import make_url

    dump = _pg_dump()
    if dump is None:
        pytest.skip("pg_dump is not installed (the postgresql-client package): the PostgreSQL dump cannot be searched")
    url = make_url(db)
    schema = str(url.query["options"]).split("search_path=", 1)[1]
    done = subprocess.run(
        [
            dump,
            *("--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)),
            *("--username", url.username or "", "--dbname", url.database or "", "--schema", schema),
        ],
        env={**os.environ, "PGPASSWORD": url.password or ""},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert b"CREATE TABLE" in done.stdout and b"COPY" in done.stdout
    return done.stdout


def _found(at_rest: bytes, values: set[str]) -> list[str]:
    return sorted(v for v in values if v.encode("utf-8") in at_rest)


def _digests(db: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", "applications", "digest", "--db", db, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {d["application_id"]: d["sha256"] for d in json.loads(done.stdout)}


def _bodies(db: str) -> dict[str, str]:
    factory = open_database(db)
    try:
        with factory() as session:
            return dict(session.execute(select(SubmittedApplication.application_id, SubmittedApplication.body)).all())
    finally:
        factory.kw["bind"].dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_the_demo_data_leaves_no_id_number_or_phone_at_rest(kind, tmp_path) -> None:
    db = central_database(kind, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", "demo-data", "--db", db, "--count", "300", "--stores", "3", "--json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    bodies = _bodies(db)
    customers = [json.loads(b)["customer"] for b in bodies.values()]
    ids, phones, names = ({c[k] for c in customers} for k in ("id_number", "phone", "name"))
    assert len(bodies) == 300 and len(ids) > 250 and len(phones) > 250
    at_rest = _at_rest(db)
    assert next(iter(bodies)).encode() in at_rest  # the search sees what is kept in the clear (the ids)
    assert _found(at_rest, ids) == [] and _found(at_rest, phones) == [] and _found(at_rest, names) == []
    assert b"id_number" not in at_rest and b'"customer"' not in at_rest
    # `applications digest` hashes the canonical body as it was made, not what is stored.
    assert _digests(db) == {a: hashlib.sha256(b.encode()).hexdigest() for a, b in bodies.items()}


# --- Through the running server --------------------------------------------------------------------------------


def _person(number: int) -> dict[str, str]:
    return {
        "name": f"封存{'甲乙丙丁戊'[number]}",
        "id_number": make_resident_id("310104", dt.date(1970 + number, 3, 1 + number), 101 + 2 * number),
        "phone": f"1390021{number:04d}",
        "address": f"上海市徐汇区封存路{100 + number}号",
        "bank_card": f"62220210{number:011d}",
    }


def _device(base: str, db: str, store: str) -> dict[str, str]:
    code = store_with_roster(db, store, region="SH")
    reply = requests.post(f"{base}/v1/devices/activate", json={"store": store, "code": code}, timeout=10)
    assert reply.status_code == 201, reply.text
    return {"Authorization": f"Bearer {reply.json()['token']}"}


def _signed_in(base: str, db: str, username: str, role: str) -> dict[str, str]:
    from central.accounts import add_account

    factory = open_database(db)
    add_account(factory, username, role, "SH", PASSWORD)
    factory.kw["bind"].dispose()
    reply = requests.post(f"{base}/v1/sessions", json={"username": username, "password": PASSWORD}, timeout=10)
    assert reply.status_code == 201, reply.text
    return {"Authorization": f"Bearer {reply.json()['token']}"}


@pytest.mark.parametrize("kind", KINDS)
def test_what_the_counters_send_is_sealed_at_rest_and_reads_as_before(kind, tmp_path) -> None:
    db = central_database(kind, tmp_path)
    people = [_person(n) for n in range(4)]
    with running_central(db) as (base, _process):
        one = _device(base, db, "SEAL1")
        sent = []
        for n, person in enumerate(people):
            body = submission_body(store="SEAL1", customer=person, financed=f"{1000 + n}.00")
            key = idempotency_key(body["application_id"], 1)
            reply = requests.put(
                f"{base}/v1/applications/{body['application_id']}",
                json=body,
                headers={**one, "Idempotency-Key": key},
                timeout=20,
            )
            assert reply.status_code == 201, reply.text
            sent.append((body, reply.json()["body_sha256"]))
        # An ID image (its bytes hold the number, as a scan's text layer would), a cancellation and a
        # withdrawal whose words name the customer, a reviewer's decline that does too.
        image = f"ID {people[0]['id_number']} {people[0]['name']}".encode() * 50
        stored = requests.put(
            f"{base}/v1/attachments/{hashlib.sha256(image).hexdigest()}",
            data=image,
            headers={**one, "Content-Type": "image/png"},
            timeout=20,
        )
        assert stored.status_code == 201, stored.text
        cancelled_id = sent[1][0]["application_id"]
        cancel = requests.post(
            f"{base}/v1/applications/{cancelled_id}/cancellation",
            json={"reason": f"{people[1]['name']} 改变主意, 电话 {people[1]['phone']}"},
            headers={**one, "Idempotency-Key": str(outbox_key(cancelled_id, "cancel", 1))},
            timeout=20,
        )
        assert cancel.status_code == 200, cancel.text
        at = dt.datetime.now(dt.UTC).isoformat()
        withdrawn = requests.post(
            f"{base}/v1/consent-withdrawals",
            json={"application_id": sent[2][0]["application_id"], "kind": "auto_debit", "at": at},
            headers={**one, "Idempotency-Key": str(outbox_key(sent[2][0]["application_id"], "withdraw", at))},
            timeout=20,
        )
        assert withdrawn.status_code == 201, withdrawn.text

        # The reviewers' reads: every application is referred (nothing is published), listed and decided.
        reviewer = _signed_in(base, db, "seal_reviewer", "reviewer")
        queue = requests.get(f"{base}/v1/reviews", headers=reviewer, timeout=20)
        assert queue.status_code == 200
        waiting = {r["application_id"] for r in queue.json()["referred"]}
        assert waiting == {b["application_id"] for b, _s in sent} - {cancelled_id}
        declined_id = sent[3][0]["application_id"]
        decided = requests.post(
            f"{base}/v1/reviews/{declined_id}",
            json={"decision": "declined", "reason": f"{people[3]['name']} 的收入无法核实"},
            headers=reviewer,
            timeout=20,
        )
        assert decided.status_code == 200, decided.text
        pulled = requests.get(f"{base}/v1/decisions", headers=one, timeout=20).json()["decisions"]
        words = {d["application_id"]: d["reasons"] for d in pulled if d["decision"] in ("declined", "cancelled")}
        assert people[3]["name"] in json.dumps(words[declined_id], ensure_ascii=False)
        assert people[1]["phone"] in json.dumps(words[cancelled_id], ensure_ascii=False)

        # The reports: the regional manager's, and a sibling PC's store figures.
        manager = _signed_in(base, db, "seal_manager", "regional_manager")
        today = dt.datetime.now(dt.UTC).date()
        report = requests.get(
            f"{base}/v1/reports/region",
            params={
                "from": (today - dt.timedelta(days=2)).isoformat(),
                "to": (today + dt.timedelta(days=2)).isoformat(),
            },
            headers=manager,
            timeout=20,
        )
        assert report.status_code == 200, report.text
        totals = report.json()["totals"]
        assert totals["applications"] == 4
        assert (totals["by_state"]["cancelled"], totals["by_state"]["declined"]) == (1, 1)
        two = _device(base, db, "SEAL1")
        figures = requests.get(f"{base}/v1/store/figures", headers=two, timeout=20)
        assert figures.status_code == 200, figures.text
        counted = [r for r in figures.json()["rows"] if r["dim"] == "state"]
        assert sum(r["n"] for r in counted) == 4

    from central.db import StoredAttachment

    factory = open_database(db)
    with factory() as session:
        assert session.get(StoredAttachment, hashlib.sha256(image).hexdigest()).content == image
        assert json.loads(session.scalars(select(ConsentWithdrawal.body)).one())["kind"] == "auto_debit"
    factory.kw["bind"].dispose()
    digests = _digests(db)
    for body, sha in sent:
        from app.wire.applications import Submission

        assert digests[body["application_id"]] == sha == Submission.model_validate(body).sha256()
    at_rest = _at_rest(db)
    secrets = {v for person in people for v in person.values()}
    assert _found(at_rest, secrets) == []
    assert sent[0][0]["application_id"].encode() in at_rest  # what is not personal stays searchable


# --- A database made before Alembic ---------------------------------------------------------------------------

_OLD_LENDER_KEY = b"fenqi central: open credit by ID number"  # the constant the older servers used


def _as_before_alembic(db: str, ring: KeyRing) -> None:
    """Turn a database into what a server before Alembic left: everything in the clear, the lender's ID index
    under the constant of the older code, no alembic_version or sealing_keys, and neither the store record's
    nor the report columns (the oldest servers had neither)."""
    engine = central_engine(db)
    with engine.begin() as connection:
        for target in sealing.sealed_columns(Base.metadata):
            t = table(target.table, column(target.key), column(target.column))
            for key, stored in connection.execute(select(t.c[target.key], t.c[target.column])).all():
                clear: Any = (
                    ring.open(target.table, target.column, bytes(stored))
                    if target.binary
                    else ring.open_text(target.table, target.column, stored)
                )
                connection.execute(t.update().where(t.c[target.key] == key).values({target.column: clear}))
        marks = table("velocity_marks", column("application_id"), column("lender_id_digest"))
        bodies = table("applications", column("application_id"), column("body"))
        for application_id, body in connection.execute(
            select(bodies.c.application_id, bodies.c.body).join(
                marks, marks.c.application_id == bodies.c.application_id
            )
        ).all():
            number = json.loads(body)["customer"]["id_number"]
            old = hmac.new(_OLD_LENDER_KEY, number.encode(), hashlib.sha256).digest()
            connection.execute(
                marks.update().where(marks.c.application_id == application_id).values(lender_id_digest=old)
            )
        for statement in (
            "DROP TABLE alembic_version",
            "DROP TABLE sealing_keys",
            "DROP INDEX ix_applications_store_day",
            *(f"ALTER TABLE applications DROP COLUMN {c}" for c in ("day", "financed_fen", "ticket_fen")),
            *(f"ALTER TABLE applications DROP COLUMN {c}" for c in ("score", "score_decile")),
            *(f"ALTER TABLE stores DROP COLUMN {c}" for c in ("time_zone", "name", "opening_hours")),
            *(f"DROP TABLE {t}" for t in ("report_daily", "report_monthly", "report_versions", "report_day_marks")),
            "DROP TABLE application_codes",
            "ALTER TABLE attachments DROP COLUMN size",  # and what revision 0003 added
            *(f"DROP TABLE {t}" for t in ("confirmation_codes", "card_checks", "rate_events", "audit_events")),
        ):
            connection.exec_driver_sql(statement)
    engine.dispose()
    migrate._compact(engine)  # no sealed copy left behind either: the file is as an old server's
    engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_a_database_made_before_alembic_is_sealed_when_a_server_opens_it(kind, tmp_path, capsys) -> None:
    db = central_database(kind, tmp_path)
    people = [_person(n) for n in range(3)]
    with running_central(db) as (base, _process):
        device = _device(base, db, "OLD1")
        for person in (*people, people[0]):  # the first person twice: two marks with the same lender index
            body = submission_body(store="OLD1", customer=person)
            reply = requests.put(
                f"{base}/v1/applications/{body['application_id']}",
                json=body,
                headers={**device, "Idempotency-Key": idempotency_key(body["application_id"], 1)},
                timeout=20,
            )
            assert reply.status_code == 201, reply.text
    digests, bodies = _digests(db), _bodies(db)
    ring = sealing.server_keys()
    _as_before_alembic(db, ring)
    secrets = {v for person in people for v in person.values()}
    assert _found(_at_rest(db), secrets) == sorted(secrets)  # in the clear, as the old servers kept it

    assert central_cli.main(["db", "current", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"revision": None, "head": migrate.head_revision()}
    assert central_cli.main(["db", "upgrade", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["revision"] == migrate.head_revision()

    assert _found(_at_rest(db), secrets) == []
    assert _bodies(db) == bodies and _digests(db) == digests
    factory = open_database(db)
    with factory() as session:
        marks = session.scalars(select(VelocityMark)).all()
        assert len(marks) == 4
        for mark in marks:
            number = json.loads(bodies[mark.application_id])["customer"]["id_number"]
            assert (
                mark.lender_id_digest
                == ring.lender_digest(number)
                != hmac.new(_OLD_LENDER_KEY, number.encode(), hashlib.sha256).digest()
            )
        assert session.get(CentralStore, "OLD1").name == "OLD1"  # the store record's columns, as before
        assert session.get(CentralStore, "OLD1").time_zone == "Asia/Shanghai"
        counted = session.execute(text("SELECT sum(n) FROM report_daily WHERE dim = 'state'")).scalar_one()
        assert counted == 4  # the report figures counted from the (now sealed) bodies
        assert session.execute(text("SELECT key_id FROM sealing_keys")).scalars().all() == [ring.current_id]
    factory.kw["bind"].dispose()


# --- Keys ----------------------------------------------------------------------------------------------------


def _start(db: str, env: dict[str, str], data_dir: Path | None = None) -> subprocess.CompletedProcess[str] | None:
    """Start `fenqi-central` as the README says: its output when it exits within 30 s (refused), or None when it
    answered (it is stopped then)."""
    port = free_port()
    command = [sys.executable, "-m", "central.cli", "--db", db, "--host", "127.0.0.1", "--port", str(port)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                out, err = process.communicate()
                return subprocess.CompletedProcess(command, process.returncode, out, err)
            try:
                requests.get(f"http://127.0.0.1:{port}/v1/decisions", timeout=1)
                return None
            except requests.ConnectionError:
                time.sleep(0.1)
        pytest.fail("the server neither answered nor exited")
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.parametrize("kind", KINDS)
def test_the_server_refuses_to_start_with_the_wrong_key(kind, tmp_path) -> None:
    db = central_database(kind, tmp_path)
    store_with_roster(db, "KEY1")  # sealed with this process's key (tests/conftest.py)
    ring = sealing.server_keys()
    other = sealing.new_key()
    wrong = KeyRing([other], "a test's other key")
    refused = _start(db, {**os.environ, sealing.KEY_ENV: base64.b64encode(other).decode()})
    assert refused is not None and refused.returncode != 0
    assert f"sealed with key {ring.current_id}" in refused.stderr and wrong.current_id in refused.stderr
    assert "does not start" in refused.stderr and "Traceback" not in refused.stderr
    with pytest.raises(SealingError, match=ring.current_id):
        open_database(db, keys=wrong)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "central.cli",
            "store",
            "add",
            "--db",
            db,
            "--store",
            "KEY2",
            "--region",
            "BJ",
            "--json",
        ],
        env={**os.environ, sealing.KEY_ENV: base64.b64encode(other).decode()},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and json.loads(done.stdout)["error"]["code"] == "keys_refused"
    # The old key after the new one opens everything (a rotation under way) and is accepted.
    rotating = KeyRing([other, base64.b64decode(os.environ[sealing.KEY_ENV])], "a ring in rotation")
    open_database(db, keys=rotating).kw["bind"].dispose()


def test_the_key_file_is_made_once_owner_only_and_must_be_the_right_one(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(sealing.KEY_ENV)
    env = {k: v for k, v in os.environ.items() if k != sealing.KEY_ENV}
    data = tmp_path / "data"
    db = f"sqlite:///{tmp_path / 'c.db'}"
    with running_central(db, data_dir=data):
        pass
    key_file = data / sealing.KEY_FILE_NAME
    assert key_file.stat().st_mode & 0o777 == 0o600
    first = key_file.read_text(encoding="utf-8")
    assert _start(db, env, data) is None  # started again with the same key
    assert key_file.read_text(encoding="utf-8") == first
    monkeypatch.setenv("FENQI_CENTRAL_DATA_DIR", str(data))
    store_with_roster(db, "FILE1")  # the commands find the key file in the same data folder
    assert open_database(db)().get(CentralStore, "FILE1") is not None

    key_file.chmod(0o644)
    refused = _start(db, env, data)
    assert refused is not None and f"chmod 600 {key_file}" in refused.stderr
    key_file.chmod(0o600)
    key_file.write_text(sealing.key_line(sealing.new_key()) + "\n", encoding="utf-8")
    refused = _start(db, env, data)
    assert refused is not None and "does not start" in refused.stderr
    key_file.unlink()
    refused = _start(db, env, data)
    assert refused is not None and f"There is no key file at {key_file}" in refused.stderr
    assert not key_file.exists()  # not made again for a database sealed with another key
    key_file.write_text("not a key\n", encoding="utf-8")
    key_file.chmod(0o600)
    refused = _start(db, env, data)
    assert refused is not None and "not a key" in refused.stderr


def test_keys_rotate_add_restart_reseal_retire(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.delenv(sealing.KEY_ENV)
    data = tmp_path / "data"
    monkeypatch.setenv("FENQI_CENTRAL_DATA_DIR", str(data))
    db = f"sqlite:///{tmp_path / 'c.db'}"
    with running_central(db, data_dir=data) as (base, _process):
        device = _device(base, db, "ROT1")
        for person in (_person(0), _person(1)):
            body = submission_body(store="ROT1", customer=person)
            reply = requests.put(
                f"{base}/v1/applications/{body['application_id']}",
                json=body,
                headers={**device, "Idempotency-Key": idempotency_key(body["application_id"], 1)},
                timeout=20,
            )
            assert reply.status_code == 201
    old = sealing.server_keys()
    bodies = _bodies(db)

    assert central_cli.main(["keys", "add", "--data-dir", str(data), "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    new = sealing.server_keys()
    assert new.ids == (added["key_id"], old.current_id)
    assert (data / sealing.KEY_FILE_NAME).stat().st_mode & 0o777 == 0o600
    factory = open_database(db)  # "restarted": seals with the new key, opens with both
    with factory.begin() as session:
        session.get(CentralStore, "ROT1").velocity_key = b"k" * 32
    factory.kw["bind"].dispose()
    assert central_cli.main(["keys", "status", "--db", db, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert set(status["database_keys"]) == {old.current_id, new.current_id} and status["missing"] == []

    assert central_cli.main(["keys", "reseal", "--db", db, "--json"]) == 0
    resealed = json.loads(capsys.readouterr().out)
    assert resealed["forgotten_keys"] == [old.current_id]
    assert resealed["resealed"]["applications.body"] == 2 and resealed["resealed"]["stores.velocity_key"] == 0
    assert resealed["resealed"]["velocity_marks.lender_id_digest"] == 2
    engine = central_engine(db)
    with engine.connect() as connection:
        for target in sealing.sealed_columns(Base.metadata):
            t = table(target.table, column(target.column))
            for stored in connection.execute(select(t.c[target.column])).scalars():
                raw = bytes(stored) if target.binary else base64.b64decode(stored.removeprefix("fqs1:"))
                assert sealing.key_id_of(raw) == new.current_id, target
    engine.dispose()

    # Retire the old key: the file keeps only the new one, and everything reads as before.
    sealing.write_key_file(
        data / sealing.KEY_FILE_NAME,
        [sealing.parse_keys((data / sealing.KEY_FILE_NAME).read_text(encoding="utf-8"), "test")[0]],
    )
    assert sealing.server_keys().ids == (new.current_id,)
    assert _bodies(db) == bodies
    with open_database(db)() as session:
        for mark in session.scalars(select(VelocityMark)):
            number = json.loads(bodies[mark.application_id])["customer"]["id_number"]
            assert mark.lender_id_digest == new.lender_digest(number) != old.lender_digest(number)


def test_an_old_key_removed_before_the_reseal_stops_the_server(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(sealing.KEY_ENV)
    data = tmp_path / "data"
    monkeypatch.setenv("FENQI_CENTRAL_DATA_DIR", str(data))
    db = f"sqlite:///{tmp_path / 'c.db'}"
    store_with_roster(db, "EARLY")
    old = sealing.server_keys()
    sealing.add_key()
    sealing.write_key_file(
        data / sealing.KEY_FILE_NAME,
        [sealing.parse_keys((data / sealing.KEY_FILE_NAME).read_text(encoding="utf-8"), "test")[0]],
    )
    with pytest.raises(SealingError, match=f"sealed with key {old.current_id}.*keys reseal"):
        open_database(db)


# --- The schema ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_revisions_make_the_schema_the_models_describe(kind, tmp_path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = central_database(kind, tmp_path)
    factory = open_database(db)
    engine = factory.kw["bind"]
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
    shipped = {p.name for p in (Path(migrate.MIGRATIONS_DIR) / "versions").glob("*.py")}
    assert {"0001_schema.py", "0002_seal_personal_data.py"} <= shipped
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"migrations/versions/*.py"' in pyproject  # they ship in the wheel (package data of central)


def test_a_sealed_value_moved_or_altered_does_not_open() -> None:
    ring = KeyRing([sealing.new_key()], "test")
    sealed = ring.seal_text("applications", "body", '{"customer": {}}')
    assert ring.open_text("applications", "body", sealed) == '{"customer": {}}'
    with pytest.raises(SealingError, match="altered"):
        ring.open_text("cancellations", "reason", sealed)  # moved to another column
    raw = bytearray(base64.b64decode(sealed.removeprefix("fqs1:")))
    raw[-1] ^= 1
    with pytest.raises(SealingError, match="altered"):
        ring.open("applications", "body", bytes(raw))
    with pytest.raises(SealingError, match="not sealed"):
        ring.open_text("applications", "body", '{"customer": {}}')
