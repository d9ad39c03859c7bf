"""The SMS provider the lender sends one-time codes through: an interface, and the development provider that
writes each message to a file in the server's data folder instead of a phone network. The app keeps its provider
on `app.state.sms` (central.api.create_app), so a deployment or a test can give it another."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Protocol

from central.paths import ensure_data_dir

OUTBOX_NAME = "sms-outbox.jsonl"
# The development provider fails for this one mainland mobile number, so tests and the counter's screens can
# show what happens when no SMS can be sent (409 sms_unavailable). Documented in README.md.
UNAVAILABLE_PHONE = "13800000000"


class SmsUnavailable(Exception):
    """The provider could not take the message (down, refused the number, out of credit): nothing was sent."""


class SmsProvider(Protocol):
    """Sends one text message to a mainland mobile number (11 digits, normalised)."""

    def send(self, phone: str, text: str, *, code: str, application_id: str, sent_at: dt.datetime) -> None:
        """Hand the message to the network, or raise SmsUnavailable. `code` and `application_id` are what the
        text carries, for providers that fill a registered template instead of sending free text."""
        ...


def code_text(code: str, minutes: int) -> str:
    """The message that carries a signing code. In Chinese, unlike the server's other texts: the applicant
    reads it on a mainland mobile, and it warns them not to tell the code to anyone, the store's staff included
    (the code proves the applicant, not the clerk, agreed)."""
    return f"【分期】您的签约验证码为{code}，{minutes}分钟内有效。请勿告诉任何人，包括门店店员。"


class DevelopmentSms:
    """The development provider: appends `{"phone", "code", "sent_at", "application_id"}` as one JSON line to
    `<data folder>/sms-outbox.jsonl` (owner-only; several workers append to it safely, one write per line), and
    fails for UNAVAILABLE_PHONE."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / OUTBOX_NAME

    def send(self, phone: str, text: str, *, code: str, application_id: str, sent_at: dt.datetime) -> None:
        """Append the message to the outbox file; SmsUnavailable for UNAVAILABLE_PHONE or when the file cannot
        be written."""
        if phone == UNAVAILABLE_PHONE:
            raise SmsUnavailable(f"The development SMS provider does not deliver to {UNAVAILABLE_PHONE}.")
        line = json.dumps(
            {"phone": phone, "code": code, "sent_at": sent_at.isoformat(), "application_id": application_id},
            ensure_ascii=False,
        )
        try:
            ensure_data_dir(self.path.parent)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, (line + "\n").encode("utf-8"))
            finally:
                os.close(descriptor)
        except OSError as exc:
            raise SmsUnavailable(f"The development SMS outbox {self.path} cannot be written: {exc}") from exc


def outbox_lines(data_dir: Path) -> list[dict[str, str]]:
    """The messages the development provider wrote to `data_dir`'s outbox, oldest first (none without a file)."""
    try:
        text = (data_dir / OUTBOX_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]
