"""The counter's one-time code and card check (app.counter.verification) against the real reference server in
process: the code sent to the customer's phone is read from the development SMS provider's outbox
(`<data-dir>/sms-outbox.jsonl`) and typed back; wrong, expired-by-limit, unavailable and offline answers come
back as outcomes with plain words; the card's bank answers are recorded per card and block signing until a card
matches. Every outcome is audited with the phone masked and the card by its last four digits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.counter.verification import Confirmation, VerificationService
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.storage.models import AuditEntry, Verification
from app.storage.outbox import payload_of
from app.storage.repositories import CustomerRepository
from app.sync.submission import SubmissionService, newest_submission
from central.bank import (
    TEST_CARD_HOLDER_MISMATCH,
    TEST_CARD_MATCH,
    TEST_CARD_NO_AUTO_DEBIT,
    TEST_CARD_PHONE_MISMATCH,
    TEST_CARD_UNAVAILABLE,
)
from central.sms import UNAVAILABLE_PHONE
from tests.support.applications import CLERK, GOOD, given, quoted_application, signature
from tests.support.confirmation import code_in_outbox
from tests.support.in_process import counter_of, lender_in_process

PHONE, MASKED = GOOD.phone, "138****5678"


@pytest.fixture
def world(tmp_path, services, signed_files):
    """The lender in process on SQLite, this PC activated as its S001, and a verification service that reaches
    it; `catalog` for making applications."""
    with lender_in_process(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "central-data") as lender:
        connect = counter_of(lender, services)
        lender.data_dir = tmp_path / "central-data"
        lender.verification = VerificationService(services.store, connect)
        lender.catalog = load_catalog(signed_files.settings)
        yield lender


def _audit(services, action: str) -> list[dict]:
    with services.store.read() as session:
        return [json.loads(e.detail) for e in session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def _verifications(services, application_id) -> list[tuple[str, str]]:
    with services.store.read() as session:
        rows = session.scalars(
            select(Verification).where(Verification.application_id == application_id).order_by(Verification.at)
        )
        return [(v.kind, v.outcome) for v in rows]


def test_the_code_from_the_customers_phone_confirms_the_signing(world, services) -> None:
    application_id, terms = quoted_application(services, world.catalog)
    sent = world.verification.send_code(CLERK, application_id)
    assert sent.status == "sent" and sent.expires_at > dt.datetime.now(dt.UTC) and MASKED in sent.message
    code = code_in_outbox(world.data_dir, str(application_id))
    wrong = world.verification.confirm_code(CLERK, application_id, "000000" if code != "000000" else "111111")
    assert (wrong.status, wrong.tries_left) == ("code_wrong", 4) and "4" in wrong.message
    assert world.verification.confirmation(application_id) is None
    confirmed = world.verification.confirm_code(CLERK, application_id, code)
    assert confirmed.status == "confirmed" and confirmed.confirmed_at is not None
    assert world.verification.confirmation(application_id) == Confirmation(confirmed.confirmed_at, MASKED)
    assert _verifications(services, application_id) == [("confirmation", "pending"), ("confirmation", "confirmed")]
    assert [a["outcome"] for a in _audit(services, "confirmation.code_entered")] == ["code_wrong", "confirmed"]
    assert {a["phone"] for a in _audit(services, "confirmation.code_requested")} == {MASKED}
    # Signed and queued: the submission carries the counter's record of the confirmation.
    from app.counter.contract import terms_sha256

    services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF-1.4"
    )
    SubmissionService(services.store).queue(CLERK, application_id)
    with services.store.read() as session:
        body = payload_of(services.store, newest_submission(session, application_id))
    assert dt.datetime.fromisoformat(body["confirmed_at"]) == confirmed.confirmed_at
    assert {item["kind"] for item in body["evidence"]} == {"terms", "signature_strokes", "signature_image", "contract"}


def test_no_sms_too_many_codes_and_offline_are_outcomes_not_errors(world, services) -> None:
    unreachable = dataclasses.replace(GOOD, phone=UNAVAILABLE_PHONE)
    application_id, _terms = quoted_application(services, world.catalog, unreachable)
    no_sms = world.verification.send_code(CLERK, application_id)
    assert no_sms.status == "sms_unavailable" and "pending" in no_sms.message
    other, _terms = quoted_application(services, world.catalog)
    assert world.verification.send_code(CLERK, other).status == "sent"
    code = code_in_outbox(world.data_dir, str(other))
    wrong = "000000" if code != "000000" else "111111"
    tries = [world.verification.confirm_code(CLERK, other, wrong) for _ in range(5)]
    assert [t.tries_left for t in tries[:4]] == [4, 3, 2, 1]  # the fifth wrong code uses the tries up
    assert tries[4].status == "too_many_tries" and "pending" in tries[4].message and tries[4].retry_after
    assert world.verification.confirm_code(CLERK, other, code).status == "too_many_tries"  # used up, even right
    again = world.verification.send_code(CLERK, other)  # at most one code a minute to one phone
    assert again.status == "rate_limited" and again.retry_after and again.retry_after > 0
    world.http.down = True
    assert world.verification.send_code(CLERK, other).status == "offline"
    assert world.verification.confirm_code(CLERK, other, "123456").status == "offline"
    assert world.verification.check_card(CLERK, other).status == "offline"
    world.http.down = False
    offline = services.verification.send_code(CLERK, other)  # as built for this PC: no server set up
    assert offline.status == "offline" and "pending" in offline.message
    assert _verifications(services, application_id) == [("confirmation", "sms_unavailable")]
    assert _verifications(services, other) == [("confirmation", "pending")]  # nothing recorded for the others
    outcomes = [a["outcome"] for a in _audit(services, "confirmation.code_requested")]
    assert outcomes == ["sms_unavailable", "sent", "rate_limited", "offline", "offline"]


def test_the_card_is_checked_per_card_and_a_mismatch_blocks_signing_until_one_matches(world, services) -> None:
    application_id, _terms = quoted_application(services, world.catalog)
    verification = world.verification
    for card, status in (
        (TEST_CARD_PHONE_MISMATCH, "phone_mismatch"),
        (TEST_CARD_NO_AUTO_DEBIT, "no_auto_debit"),
        (TEST_CARD_HOLDER_MISMATCH, "holder_mismatch"),
    ):
        outcome = verification.check_card(CLERK, application_id, card)
        assert (outcome.status, outcome.blocks_signing) == (status, True) and outcome.message
        assert verification.signing_blocked_by_card(application_id) == outcome.message
    unavailable = verification.check_card(CLERK, application_id, TEST_CARD_UNAVAILABLE)
    assert (unavailable.status, unavailable.blocks_signing) == ("unavailable", False)
    assert verification.signing_blocked_by_card(application_id) is None  # this card was never answered on
    back = verification.check_card(CLERK, application_id, TEST_CARD_HOLDER_MISMATCH)  # answered before: blocks
    assert back.blocks_signing and verification.signing_blocked_by_card(application_id)
    matched = verification.check_card(CLERK, application_id, f"{TEST_CARD_MATCH[:8]} {TEST_CARD_MATCH[8:]}")
    assert (matched.status, matched.blocks_signing) == ("match", False)
    assert verification.signing_blocked_by_card(application_id) is None
    customers = CustomerRepository.for_store(services.store)
    with services.store.read() as session:
        from app.storage.models import Application

        application = session.get(Application, application_id)
        assert customers.get(session, application.customer_id).bank_card == TEST_CARD_MATCH  # sealed like any edit
        assert application.state == "quoted"  # the card is in neither the pre-screen nor the plan
    assert [o for k, o in _verifications(services, application_id)] == [
        "phone_mismatch",
        "no_auto_debit",
        "holder_mismatch",
        "holder_mismatch",
        "match",
    ]
    checked = _audit(services, "card.checked")
    assert [a["card_last4"] for a in checked][-1] == TEST_CARD_MATCH[-4:]
    assert all(set(a) == {"outcome", "card_last4"} for a in checked)
    assert len(_audit(services, "customer.card_changed")) == 6


def test_a_card_with_a_typing_mistake_is_refused_before_anything_is_asked(world, services) -> None:
    from app.kernel.errors import InvalidInput

    application_id, _terms = quoted_application(services, world.catalog)
    with pytest.raises(InvalidInput) as refused:
        world.verification.check_card(CLERK, application_id, TEST_CARD_MATCH[:-1] + "0")
    assert refused.value.code == "bad_card_checksum"
    assert not any(path.endswith("card-check") for _method, path in world.http.requests)
    with pytest.raises(InvalidInput) as bad:
        world.verification.confirm_code(CLERK, application_id, "12a456")
    assert bad.value.code == "bad_code"
