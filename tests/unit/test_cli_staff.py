"""`fenqi staff …` and `fenqi audit verify` as store IT uses them, in separate processes."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO
from tests.support.fixtures import known_customers


def _fenqi(env: dict[str, str], *args: str, stdin: str = "") -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "app", *args, "--json"],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}


def test_staff_lifecycle_from_the_command_line(subprocess_env) -> None:
    """add (PIN from stdin, never argv), list, disable, enable, reset-pin, unlock; all audited and verifiable."""
    person = known_customers(1, tag=11)[0]
    code, out = _fenqi(
        subprocess_env,
        "staff",
        "add",
        "sales04",
        "--name",
        "周九",
        "--role",
        "sales",
        "--id-number",
        person.id_number,
        "--phone",
        person.phone,
        "--pin-stdin",
        stdin="590318\n",
    )
    assert code == 0, out
    assert out["staff"][0] == {
        "login": "sales04",
        "role": "sales",
        "name": "周九",
        "active": True,
        "locked_until": None,
        "phone": person.phone[:3] + "****" + person.phone[-4:],
    }
    code, out = _fenqi(subprocess_env, "staff", "list")
    assert code == 0 and [m["login"] for m in out["staff"]] == [
        "admin",
        "manager",
        "sales01",
        "sales02",
        "sales03",
        "sales04",
    ]
    assert _fenqi(subprocess_env, "staff", "disable", "sales04")[1]["staff"][0]["active"] is False
    assert _fenqi(subprocess_env, "staff", "enable", "sales04")[1]["staff"][0]["active"] is True
    assert (
        _fenqi(subprocess_env, "staff", "reset-pin", "sales04", "--pin-stdin", stdin="123456\n")[1]["error"]["code"]
        == "weak_secret"
    )
    assert _fenqi(subprocess_env, "staff", "reset-pin", "sales04", "--pin-stdin", stdin="730461\n")[0] == 0
    assert _fenqi(subprocess_env, "staff", "unlock", "sales04")[0] == 0
    code, out = _fenqi(subprocess_env, "staff", "disable", "nobody")
    assert code == 1 and out["error"]["code"] == "no_such_staff"
    code, out = _fenqi(subprocess_env, "audit", "verify")
    assert code == 0 and out["intact"] is True and out["entries"] == 5
