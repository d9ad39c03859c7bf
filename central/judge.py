"""The lender's automatic decision when an application arrives: the counter's own assessment (admission
rules, anti-fraud flags, the scorecard — app.scoring.assess) run again with the published catalog, policy,
model and blacklist and with what only the lender knows: every counter PC of the store for velocity, every
store for open credit and for declines (a new application within the policy's cool-off after a decline is
referred). Approve, decline, or refer to a reviewer. Without a published model or policy every arrival is
referred.

What the lender checked itself comes last: an application it would approve is referred instead when the
customer did not confirm the signing with the code sent to their phone (`confirmation_pending`: a reviewer
calls them) or when the bank did not confirm the repayment card (flag `card_unverified`: the counter's check of
the same card, holder and phone, else the bank asked on arrival). A decline stays a decline; a referral gets
the same reason and flag for the reviewer."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog, parse_catalog
from app.domain.identity import ResidentId, parse_resident_id
from app.domain.money import from_fen, to_fen
from app.domain.phone import normalize_mobile
from app.domain.policy import LenderPolicy, parse_policy
from app.kernel.errors import FenqiError
from app.scoring.assess import Known, Policy, assess
from app.scoring.blacklist import digest_of_normal
from app.scoring.findings import Finding
from app.scoring.fraud import CounterHistory
from app.scoring.model import Scorecard
from app.scoring.request import parse_request
from app.scoring.velocity import velocity_digest
from app.wire.applications import Submission
from app.wire.evidence import CardResult
from central import card_checks, publications, sealing
from central.confirmations import ConfirmedCode, confirmed_among, confirmed_codes
from central.db import CentralStore, Decision, SubmittedApplication, VelocityMark

OPEN_STATES = ("received", "referred", "approved")
DECISIONS = {"approve": "approved", "decline": "declined", "refer": "referred"}
REAPPLIED = "reapplied_after_decline"  # the flag of a new application within the cool-off after a decline
CONFIRMATION_PENDING = "confirmation_pending"  # the reason of a referral the customer's phone did not confirm
CARD_UNVERIFIED = "card_unverified"  # the flag of an application whose repayment card the bank did not confirm
_CARD_WORDS = {
    None: "The bank could not be asked about the repayment card.",
    CardResult.PHONE_MISMATCH: "The bank holds another phone for the repayment card than the applicant's.",
    CardResult.NO_AUTO_DEBIT: "The repayment card's account does not allow auto-debit.",
    CardResult.HOLDER_MISMATCH: "The repayment card is not in the applicant's name and ID number.",
}


@dataclass(frozen=True)
class Verdict:
    decision: str  # approved | declined | referred
    reasons: list[dict[str, str]]  # reasons then flags, as the decision row keeps them
    score: float | None = None  # the scorecard's score, when the application was scored
    reason_codes: tuple[str, ...] = ()  # the codes of the reasons alone (reports count them for declines)
    flag_codes: tuple[str, ...] = ()  # the codes of the anti-fraud flags alone


@dataclass(frozen=True)
class _Tools:
    catalog: Catalog
    scorecard: Scorecard
    blacklist: tuple[bytes, frozenset[tuple[str, bytes]]] | None
    policy: LenderPolicy


_cache: dict[tuple[str, ...], _Tools] = {}
_cache_lock = threading.Lock()


def _tools(session: Session) -> _Tools | None:
    # What is published is read once per transaction (a batch judges many applications in one).
    if "fenqi_published" not in session.info:
        session.info["fenqi_published"] = publications.manifest(session)
    published = session.info["fenqi_published"]
    # Without the lender's published policy nothing is decided automatically, as without a model: falling back
    # on the policy in this server's own files could judge by limits the lender never published (or has since
    # tightened), while a reviewer's decision is always the lender's own. Counters get the same document, so
    # the counter's pre-screen and this decision never use different limits once it is published.
    if not {"catalog", "policy", "model_card", "model"} <= published.keys():
        return None
    fingerprint = tuple(published.get(k, "") for k in ("catalog", "policy", "model_card", "model", "blacklist"))
    with _cache_lock:
        if fingerprint in _cache:
            return _cache[fingerprint]
        catalog_file = publications.current(session, "catalog")
        policy_file = publications.current(session, "policy")
        card_file = publications.current(session, "model_card")
        model_file = publications.current(session, "model")
        assert catalog_file and policy_file and card_file and model_file
        try:
            policy = parse_policy(policy_file.content)
        except FenqiError:
            return None  # the lender published a policy this version cannot read: refer until fixed
        card = json.loads(card_file.content)
        if card.get("model_sha256") != model_file.sha256:
            return None  # the lender published a model its card does not describe: refer until fixed
        listed = None
        blacklist_file = publications.current(session, "blacklist")
        if blacklist_file is not None:
            doc = json.loads(blacklist_file.content)
            listed = (
                base64.b64decode(doc["hmac_key"]),
                frozenset((str(e["kind"]), bytes.fromhex(e["digest"])) for e in doc["entries"]),
            )
        tools = _Tools(parse_catalog(catalog_file.content), Scorecard(card, model_file.content), listed, policy)
        _cache.clear()
        _cache[fingerprint] = tools
        return tools


def _mark(
    session: Session, application: SubmittedApplication, id_number: str, phone: str, day: dt.date, body: dict[str, Any]
) -> VelocityMark:
    """The arrival's velocity mark (replacing an earlier revision's): counted for every PC of the store."""
    keys = session.info.setdefault("fenqi_velocity_keys", {})
    if application.store_code not in keys:
        store = session.get(CentralStore, application.store_code)
        assert store is not None
        keys[application.store_code] = store.velocity_key
    key = keys[application.store_code]
    purchase = body.get("purchase") or {}
    try:
        financed = Decimal(str(purchase["price"])) - Decimal(str(purchase.get("down_payment") or "0"))
    except (KeyError, ArithmeticError):
        financed = Decimal(0)
    mark = None
    if application.revision > 1:
        session.flush()  # an earlier revision in the same batch may have left its mark pending, unseen by get()
        mark = session.get(VelocityMark, application.application_id)
    mark = mark or VelocityMark(application_id=application.application_id)
    mark.store_code, mark.device_id, mark.day = application.store_code, application.device_id, day
    mark.id_digest = velocity_digest(key, "id_number", id_number)
    mark.phone_digest = velocity_digest(key, "phone", phone)
    # The lender's own blind index, under a key derived from the server's keys (never in the database).
    mark.lender_id_digest = sealing.ring_of(session).lender_digest(id_number)
    mark.financed_fen = to_fen(financed)
    session.add(mark)
    return mark


def _referred(code: str, text: str) -> Verdict:
    return Verdict("referred", [{"code": code, "text": text}])


class Evidence:
    """What the lender checked itself about the applications one arrival transaction judges, loaded for all of
    them at once when the first is looked up (a batch queries once, not per item; one all declined not at all):
    their confirmed codes and their cards' checks, with the bank's answers asked before the transaction
    (central.card_checks.BankAnswers)."""

    def __init__(self, application_ids: Collection[str], answers: card_checks.BankAnswers) -> None:
        self._ids = set(application_ids)
        self._confirmed: dict[str, list[ConfirmedCode]] | None = None
        self.cards = card_checks.ArrivalCards(self._ids, answers)

    def confirmed_at(self, session: Session, application: SubmittedApplication, phone: str) -> dt.datetime | None:
        """When the customer confirmed the signing with a code sent to `phone` (normalised), as
        central.confirmations.confirmed_for tells, without a query per application."""
        application_id = application.application_id
        if self._confirmed is None:
            self._confirmed = confirmed_codes(session, self._ids)
        if application_id not in self._ids:  # not loaded with the others: looked up alone
            self._ids.add(application_id)
            self._confirmed.update(confirmed_codes(session, [application_id]))
        codes = self._confirmed.get(application_id)
        return confirmed_among(session, codes, application.store_code, phone) if codes else None


def judge(session: Session, application: SubmittedApplication, body: dict[str, Any], found: Evidence) -> Verdict:
    """Decide on an arrived application and keep its velocity mark (replacing an earlier revision's); see the
    module's promise. `found` holds the confirmations and card checks (Evidence); a card the counter did not
    have checked is noted for the bank there, counted unverified until the bank's answer is in."""
    try:
        customer = body["customer"]
        day = dt.datetime.fromisoformat(body["created_at"]).date()
        resident = parse_resident_id(customer["id_number"], day)
        phone = normalize_mobile(customer["phone"])
    except (FenqiError, KeyError, TypeError, ValueError):
        return _referred("incomplete", "The application lacks what an automatic decision needs.")
    verdict = _assessed(session, application, body, resident, phone, day)
    if verdict.decision == "declined":
        return verdict
    return _with_evidence(session, found, application, verdict, customer, resident.number, phone)


def _with_evidence(
    session: Session,
    found: Evidence,
    application: SubmittedApplication,
    verdict: Verdict,
    customer: dict[str, Any],
    id_number: str,
    phone: str,
) -> Verdict:
    """The verdict with what the lender checked itself: the code's confirmation and the bank's card check."""
    reasons: list[dict[str, str]] = []
    flags: list[dict[str, str]] = []
    if found.confirmed_at(session, application, phone) is None:
        text = "The customer did not confirm the signing with the code sent to their phone: call them."
        reasons.append({"code": CONFIRMATION_PENDING, "text": text})
    card = str(customer.get("bank_card") or "")
    result = None
    if card:
        result = found.cards.result(session, application, card, str(customer.get("name") or ""), id_number, phone)
    if result is not CardResult.MATCH:
        text = _CARD_WORDS.get(result, "") if card else "The application names no repayment card."
        flags.append({"code": CARD_UNVERIFIED, "text": text})
    if not reasons and not flags:
        return verdict
    # Reasons before flags, as the decision row keeps them.
    split = len(verdict.reasons) - len(verdict.flag_codes)
    return Verdict(
        "referred",
        [*verdict.reasons[:split], *reasons, *verdict.reasons[split:], *flags],
        verdict.score,
        (*verdict.reason_codes, *(r["code"] for r in reasons)),
        (*verdict.flag_codes, *(f["code"] for f in flags)),
    )


def _assessed(
    session: Session,
    application: SubmittedApplication,
    body: dict[str, Any],
    resident: ResidentId,
    phone: str,
    day: dt.date,
) -> Verdict:
    """The verdict of the counter's own assessment and of what only the lender knows (see the module's promise)."""
    mark = _mark(session, application, resident.number, phone, day, body)
    try:
        request = parse_request(_request_document(Submission.model_validate(body)))
    except (FenqiError, KeyError, TypeError, ValueError):
        return _referred("incomplete", "The application lacks what an automatic decision needs.")
    tools = _tools(session)
    if tools is None:
        return _referred("manual_review", "Referred to a reviewer.")
    # Marks made before a key rotation carry the index under an older key until `keys reseal`: look for all.
    lender_digests = sealing.ring_of(session).lender_digests(resident.number)
    known = _known(session, mark, tools.policy.velocity_days, tools, resident.number, phone, lender_digests)
    try:
        result = assess(request, resident, tools.catalog, tools.scorecard, known, Policy(tools.policy, _ALL_DAY))
    except FenqiError as exc:
        return _referred(exc.code, exc.message)
    flags = list(result.flags)
    decision = DECISIONS[result.decision]
    declined_on = _declined_within(session, mark, lender_digests, _moment(body), tools.policy.reapply_cooloff_days)
    if declined_on is not None:
        # Neither approved nor declined by the machine: a person looks at what changed since the decline.
        decision = "referred"
        flags.append(
            Finding(
                REAPPLIED,
                f"The applicant was declined on {declined_on.isoformat()} and applied again within the lender's "
                f"{tools.policy.reapply_cooloff_days}-day cool-off: a reviewer decides.",
            )
        )
    findings = [*result.reasons, *flags]
    return Verdict(
        decision,
        [{"code": f.code, "text": f.text} for f in findings],
        result.score,
        tuple(f.code for f in result.reasons),
        tuple(f.code for f in flags),
    )


def _moment(body: dict[str, Any]) -> dt.datetime:
    """When the application was made (the counter's time; a time without a zone is taken as UTC)."""
    created = dt.datetime.fromisoformat(body["created_at"])
    return created if created.tzinfo is not None else created.replace(tzinfo=dt.UTC)


def _declined_within(
    session: Session, mark: VelocityMark, lender_digests: list[bytes], moment: dt.datetime, days: int
) -> dt.date | None:
    """The day another application of the same person (the lender's own ID blind index, every store) was
    declined, when that was within `days` before `moment` (or after it, the two being in flight together);
    None otherwise. A decline counts from its decision, or from its arrival while its decision row is still
    pending in the same batch."""
    if days <= 0:
        return None
    session.flush()
    since = moment.astimezone(dt.UTC) - dt.timedelta(days=days)  # stored times are UTC (SQLite keeps no zone)
    decided = (
        select(func.max(Decision.decided_at))
        .where(Decision.application_id == SubmittedApplication.application_id, Decision.decision == "declined")
        .correlate(SubmittedApplication)
        .scalar_subquery()
    )
    when = func.coalesce(decided, SubmittedApplication.received_at)
    row = session.execute(
        select(when)
        .join(VelocityMark, VelocityMark.application_id == SubmittedApplication.application_id)
        .where(
            VelocityMark.lender_id_digest.in_(lender_digests),
            VelocityMark.application_id != mark.application_id,
            SubmittedApplication.status == "declined",
            when >= since,
        )
        .order_by(when.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    found: dt.datetime = row[0]
    return found.date()


_ALL_DAY = (dt.time(0, 0), dt.time(23, 59, 59, 999999))


def _known(
    session: Session,
    mark: VelocityMark,
    days: int,
    tools: _Tools,
    id_number: str,
    phone: str,
    lender_digests: list[bytes],
) -> Known:
    session.flush()  # earlier applications of the same batch count too
    since = mark.day - dt.timedelta(days=days)
    others = and_(
        VelocityMark.store_code == mark.store_code,
        VelocityMark.day >= since,
        VelocityMark.application_id != mark.application_id,
    )
    id_count = select(func.count()).where(others, VelocityMark.id_digest == mark.id_digest).scalar_subquery()
    phone_count = select(func.count()).where(others, VelocityMark.phone_digest == mark.phone_digest).scalar_subquery()
    other_ids = (
        select(func.count(distinct(VelocityMark.id_digest)))
        .where(
            VelocityMark.store_code == mark.store_code,
            VelocityMark.phone_digest == mark.phone_digest,
            VelocityMark.id_digest != mark.id_digest,
        )
        .scalar_subquery()
    )
    open_fen = (
        select(func.coalesce(func.sum(VelocityMark.financed_fen), 0))
        .join(SubmittedApplication, SubmittedApplication.application_id == VelocityMark.application_id)
        .where(
            VelocityMark.lender_id_digest.in_(lender_digests),
            VelocityMark.application_id != mark.application_id,
            SubmittedApplication.status.in_(OPEN_STATES),
        )
        .scalar_subquery()
    )
    row = session.execute(select(id_count, phone_count, other_ids, open_fen)).one()
    listed = (False, False)
    if tools.blacklist is not None:
        key, entries = tools.blacklist
        listed = (
            ("id", digest_of_normal(key, "id", id_number)) in entries,
            ("phone", digest_of_normal(key, "phone", phone)) in entries,
        )
    history = CounterHistory(int(row[0]), int(row[1]), int(row[2]), False, tools.blacklist is not None)
    return Known(history, from_fen(int(row[3])) if row[3] else Decimal(0), listed)


def _request_document(submission: Submission) -> dict[str, Any]:
    """The submission in the shape `fenqi prescreen` reads. Both are typed: a field renamed or missing on the wire
    fails the type check here instead of turning into a silent referral at run time."""
    customer, purchase = submission.customer, submission.purchase

    def money(amount: Decimal | None) -> str | None:
        return None if amount is None else f"{amount:.2f}"

    applicant = {
        "id_number": customer.id_number,
        "name": customer.name,
        "phone": customer.phone,
        "monthly_income": money(customer.monthly_income) or "0.00",
        "monthly_expenses": money(customer.monthly_expenses),
        "assets": money(customer.assets),
        "monthly_debt_payments": money(customer.monthly_debt_payments) or "0.00",
        "overdue_records": customer.overdue_records or 0,
        "job": customer.job_type or "",
        "home": customer.housing or "",
        "years_at_job": customer.years_at_job,
        "id_valid_until": (
            "长期"
            if customer.id_long_term
            else None
            if customer.id_valid_until is None
            else customer.id_valid_until.isoformat()
        ),
    }
    return {
        "application_date": submission.created_at.date().isoformat(),
        "applicant": {k: v for k, v in applicant.items() if v is not None},
        "purchase": {
            "product": submission.product,
            "price": money(purchase.price),
            "down_payment": money(purchase.down_payment),
            "term": submission.term,
        },
    }
