"""The customer's confirmation of a signing, done for a test the way the counter does it: a one-time code asked
through the lender's API for the application's phone, read from the development SMS provider's outbox
(`<data-dir>/sms-outbox.jsonl`), and typed back through the API. The lender approves nothing automatically
without it (central.judge), so a test that expects an automatic approval confirms first — with the real routes,
never by writing the confirmation into the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from central.sms import outbox_lines

# post(path, json body) -> an answer with .status_code and .json(), as a device of the application's store.
Post = Callable[[str, dict[str, Any]], Any]


def code_in_outbox(data_dir: Path, application_id: str) -> str:
    """The newest code the development SMS provider wrote to `data_dir`'s outbox for the application."""
    codes = [line["code"] for line in outbox_lines(data_dir) if line["application_id"] == application_id]
    assert codes, f"no code in {data_dir}'s SMS outbox for {application_id}"
    return codes[-1]


def confirm_signing(post: Post, data_dir: Path, application_id: str, phone: str) -> str:
    """Ask the lender for a code to `phone`, read it from the outbox and type it: the confirmed_at the lender
    answers."""
    sent = post(f"/v1/applications/{application_id}/confirmation-code", {"phone": phone})
    assert sent.status_code == 202, sent.json()
    code = code_in_outbox(data_dir, application_id)
    confirmed = post(f"/v1/applications/{application_id}/confirmation", {"code": code})
    assert confirmed.status_code == 200, confirmed.json()
    return str(confirmed.json()["confirmed_at"])


def http_poster(base: str, headers: dict[str, str]) -> Post:
    """A Post over HTTP to the server at `base` with a device's Authorization header."""
    return lambda path, body: requests.post(f"{base}{path}", json=body, headers=headers, timeout=10)


def client_poster(client: Any, headers: dict[str, str]) -> Post:
    """A Post through an in-process TestClient with a device's Authorization header."""
    return lambda path, body: client.post(path, json=body, headers=headers)


def counter_headers(services: Any) -> dict[str, str]:
    """The Authorization header of this counter PC's device token (kept in its secret store at activation)."""
    from app.sync.client import TOKEN

    token = services.secrets.get(TOKEN)
    assert token, "this PC is not activated"
    return {"Authorization": f"Bearer {token.decode()}"}
