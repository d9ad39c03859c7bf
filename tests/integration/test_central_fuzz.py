"""schemathesis fuzzes the reference server from its own /openapi.json (issue 19): every operation, with no token,
a device's token, a reviewer's and a regional manager's session. No answer may be a 5xx, and every answer must
fit the schema the server publishes (status codes and bodies, refusals included). The default run keeps a small
budget per operation and caller; `-m fuzz` runs at least 50 examples each (README: "Longer checks")."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from central import accounts, roster
from central.api import create_app
from central.devices import activate, add_store

PASSWORD = "Fuzz2026xyz"
CALLERS = ("none", "device", "reviewer", "regional_manager")
EXAMPLES, LONG_EXAMPLES = 3, 50  # the default run's budget (≤ 90 s in all); `-m fuzz`: at least 50 each
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _world() -> SimpleNamespace:
    """The server on a fresh SQLite database with a store, its device, a reviewer and a regional manager. Built
    when the module is collected: schemathesis makes one test per operation from the app's schema."""
    folder = Path(tempfile.mkdtemp(prefix="fenqi-fuzz-"))
    atexit.register(shutil.rmtree, folder, True)
    app = create_app(f"sqlite:///{folder / 'central.db'}")
    factory = app.state.factory
    code = add_store(factory, "S001", "BJ")
    roster.put_member(factory, "S001", "fuzzclerk", "Clerk", "sales", "246810")
    device = activate(factory, "S001", code).token
    accounts.add_account(factory, "fuzz_rev", "reviewer", "BJ", PASSWORD)
    accounts.add_account(factory, "fuzz_man", "regional_manager", "BJ", PASSWORD)
    tokens = {
        "none": None,
        "device": device,
        "reviewer": accounts.sign_in(factory, "fuzz_rev", PASSWORD).token,
        "regional_manager": accounts.sign_in(factory, "fuzz_man", PASSWORD).token,
    }
    return SimpleNamespace(app=app, tokens=tokens)


WORLD = _world()
schema = schemathesis.openapi.from_asgi("/openapi.json", WORLD.app)


def _call(case, caller: str) -> None:
    token = WORLD.tokens[caller]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"} if token else {}, checks=CHECKS)


def _fuzz(caller: str, examples: int):
    @schema.parametrize()
    @settings(max_examples=examples, deadline=None, derandomize=examples < 50, suppress_health_check=list(HealthCheck))
    def test(case) -> None:
        _call(case, caller)

    return test


for _caller in CALLERS:
    globals()[f"test_as_{_caller}"] = _fuzz(_caller, EXAMPLES)
    globals()[f"test_long_as_{_caller}"] = pytest.mark.fuzz(_fuzz(_caller, LONG_EXAMPLES))
