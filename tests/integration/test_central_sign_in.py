"""Signing in to the reference server holds (issue 19, sign-in part): a wrong password counts towards the
lockout even though the refusal rolls its request back, five lock the account (the right password then too);
an unknown username, a wrong password, a locked and a disabled account all get one answer after the same
Argon2id work; a new password, disabling the account or `session revoke` end its sessions. On SQLite and
PostgreSQL, through the running server and its commands."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
import requests

from central import accounts
from central.db import open_database
from tests.support.central_db import KINDS, central_database
from tests.support.central_server import running_central

PASSWORD = "Review2026w"


def _cli(db: str, *args: str, stdin: str = "") -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", *args, "--db", db, "--json"], input=stdin, capture_output=True, text=True
    )
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}


@pytest.fixture(scope="module", params=KINDS)
def server(request, tmp_path_factory):
    db = central_database(request.param, tmp_path_factory.mktemp("central"))
    for name in ("rev1", "rev2", "rev3"):
        code, _out = _cli(
            db, "account", "add", "--role", "reviewer", "--region", "BJ", "--username", name, stdin=PASSWORD + "\n"
        )
        assert code == 0
    with running_central(db) as (base, _process):
        yield base, db


def _sign_in(base: str, username: str, password: str) -> requests.Response:
    return requests.post(f"{base}/v1/sessions", json={"username": username, "password": password}, timeout=10)


def _queue(base: str, token: str) -> int:
    return requests.get(f"{base}/v1/reviews", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(server) -> None:
    base, db = server
    for _ in range(4):
        assert _sign_in(base, "rev1", "Wrong2026x").status_code == 401
    assert _sign_in(base, "rev1", PASSWORD).status_code == 201  # four: not yet; a success starts the count again
    refusals = [_sign_in(base, "rev1", "Wrong2026x") for _ in range(5)]
    assert {r.status_code for r in refusals} == {401}
    locked = _sign_in(base, "rev1", PASSWORD)
    assert locked.status_code == 401 and locked.json() == refusals[0].json()
    with open_database(db)() as session:
        account = session.get(accounts.Account, "rev1")
        assert account is not None and account.locked_until is not None
        until = account.locked_until.replace(tzinfo=dt.UTC)
    assert dt.timedelta(minutes=14) < until - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=15)


def test_every_refusal_is_the_same_answer(server) -> None:
    base, db = server
    assert _cli(db, "account", "disable", "--username", "rev3")[0] == 0
    answers = {
        "unknown": _sign_in(base, "nobody-here", PASSWORD),
        "wrong password": _sign_in(base, "rev2", "Wrong2026x"),
        "disabled": _sign_in(base, "rev3", PASSWORD),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 401)
    assert len({json.dumps(r.json(), sort_keys=True) for r in answers.values()}) == 1
    assert answers["unknown"].json()["error"]["code"] == "sign_in_refused"
    assert _cli(db, "account", "enable", "--username", "rev3")[0] == 0
    assert _sign_in(base, "rev3", PASSWORD).status_code == 201


def test_an_unknown_username_costs_the_same_argon2id_work(server, monkeypatch) -> None:
    """Checked by counting the password checks, not by timing (timing belongs in bench/)."""
    _base, db = server
    checked: list[str] = []
    real = accounts.verify_secret

    def counting(stored: str, secret: str) -> bool:
        checked.append(stored[:9])
        return real(stored, secret)

    monkeypatch.setattr(accounts, "verify_secret", counting)
    factory = open_database(db)
    for username in ("nobody-at-all", "rev2"):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(factory, username, "Wrong2026x")
    assert checked == ["$argon2id", "$argon2id"]


def test_a_new_password_disabling_and_revoking_end_the_sessions(server) -> None:
    base, db = server
    token = _sign_in(base, "rev2", PASSWORD).json()["token"]
    assert _queue(base, token) == 200
    assert _cli(db, "session", "revoke", "--username", "rev2") == (0, {"username": "rev2", "sessions_ended": 1})
    assert _queue(base, token) == 401
    token = _sign_in(base, "rev2", PASSWORD).json()["token"]
    code, _out = _cli(
        db, "account", "add", "--role", "reviewer", "--region", "BJ", "--username", "rev2", stdin="Review2026z\n"
    )
    assert code == 0 and _queue(base, token) == 401  # the password was reset: its sessions went with it
    token = _sign_in(base, "rev2", "Review2026z").json()["token"]
    assert _cli(db, "account", "disable", "--username", "rev2")[0] == 0
    assert _queue(base, token) == 401
    assert _cli(db, "account", "enable", "--username", "rev2")[0] == 0
    assert _queue(base, token) == 401  # enabling again does not bring the old session back
    code, out = _cli(db, "session", "revoke", "--username", "ghost")
    assert code == 1 and out["error"]["code"] == "not_found"


def test_the_answer_says_when_the_session_expires(server) -> None:
    base, _db = server
    signed = _sign_in(base, "rev3", PASSWORD)
    expires = dt.datetime.fromisoformat(signed.json()["expires_at"])
    assert dt.timedelta(minutes=55) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=1)
