"""The counter flow as a plain state machine (no Qt): consents → identity and customer → purchase →
pre-screen → plan → verification (a live photo; the repayment card with the bank) → contract and signature →
submit → decision → delivery, in the order of DESIGN.md §3.

The step the clerk is on follows from what the store holds about the application (`FlowFacts`), so a page can
never be ahead of the data, and the counter reopens where the clerk was. Going back has rules, and app/ refuses
what breaks them: a changed price, down payment, product or term sends a pre-screened or planned application
back to draft (the pre-screen and the plan were for the old purchase); after signing nothing can change — the
customer would be bound to terms they did not sign — so a change means cancelling and starting again."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy import func, select

from app.domain.application import EDITABLE_STATES, ApplicationState, parse_state
from app.domain.consent import missing_first_moment
from app.kernel.i18n import N_, _
from app.storage.consents import ConsentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Application, Attachment, OutboxItem, Purchase
from app.wire.evidence import EvidenceKind

S = ApplicationState


class Step(StrEnum):
    CONSENTS = "consents"
    CUSTOMER = "customer"
    PURCHASE = "purchase"
    PRESCREEN = "prescreen"
    PLAN = "plan"
    EVIDENCE = "evidence"
    SIGN = "sign"
    SUBMIT = "submit"
    DECISION = "decision"
    DELIVERY = "delivery"
    DONE = "done"


ORDER = tuple(Step)
STEP_LABELS: dict[Step, str] = {
    Step.CONSENTS: N_("Consents"),
    Step.CUSTOMER: N_("Customer"),
    Step.PURCHASE: N_("Purchase"),
    Step.PRESCREEN: N_("Pre-screen"),
    Step.PLAN: N_("Plan"),
    Step.EVIDENCE: N_("Verify"),
    Step.SIGN: N_("Signature"),
    Step.SUBMIT: N_("Send"),
    Step.DECISION: N_("Decision"),
    Step.DELIVERY: N_("Delivery"),
    Step.DONE: N_("Done"),
}
# Steps whose data can still be changed, by application state (later steps are reached by doing the work).
_EDITABLE_STEPS = frozenset({Step.CUSTOMER, Step.PURCHASE, Step.PRESCREEN, Step.PLAN})


def step_label(step: Step) -> str:
    """The step's name in the configured language."""
    return _(STEP_LABELS[step])


@dataclass(frozen=True)
class FlowFacts:
    """What the store holds about one application, as far as the flow cares."""

    state: ApplicationState
    consents_given: bool  # the first-moment consents are held (none withdrawn)
    customer_saved: bool
    purchase_recorded: bool  # price, down payment, product and term are recorded
    waiting_to_send: bool  # an application item is in the outbox, not yet acknowledged
    has_live_photo: bool = False  # a live photo of the customer is kept with the application
    card_blocks_signing: bool = False  # the bank answered that the repayment card does not fit the customer


def current_step(facts: FlowFacts) -> Step:
    """The first step not done yet: where the clerk works (or DONE)."""
    state = facts.state
    if state is S.CANCELLED or state is S.DECLINED or state is S.DELIVERED:
        return Step.DONE
    if state is S.APPROVED:
        return Step.DELIVERY
    if state in (S.SUBMITTED, S.REFERRED):
        return Step.DECISION
    if state is S.QUEUED:
        return Step.DECISION  # sending is the outbox's work from here: the clerk waits for the lender's decision
    if state is S.SIGNED:
        return Step.SUBMIT
    if not facts.consents_given:
        return Step.CONSENTS
    if not facts.customer_saved:
        return Step.CUSTOMER
    if not facts.purchase_recorded:
        return Step.PURCHASE
    if state is S.DRAFT:
        return Step.PRESCREEN
    if state is S.PRESCREENED:
        return Step.PLAN
    # Quoted: who signs is verified first — a live photo of them, and a repayment card the bank did not refuse.
    if not facts.has_live_photo or facts.card_blocks_signing:
        return Step.EVIDENCE
    return Step.SIGN


def reachable_steps(facts: FlowFacts) -> list[Step]:
    """The steps the clerk may open now: every step done so far (to look at, or to change where allowed) and the
    current one; never a step ahead of the data."""
    current = current_step(facts)
    return [s for s in ORDER if ORDER.index(s) <= ORDER.index(current)]


def may_change(facts: FlowFacts, step: Step) -> bool:
    """Whether the data of `step` may still be changed: only before signing, and only the steps that hold data."""
    return facts.state in EDITABLE_STATES and step in _EDITABLE_STEPS and step in reachable_steps(facts)


def previous_step(facts: FlowFacts, step: Step) -> Step | None:
    """Where Esc goes back to from `step` (None at the start)."""
    index = ORDER.index(step)
    return ORDER[index - 1] if index > 0 else None


def next_step(facts: FlowFacts, step: Step) -> Step | None:
    """Where Enter continues to from `step`: the following step if the data allows it, else None."""
    index = ORDER.index(step)
    if index + 1 >= len(ORDER):
        return None
    following = ORDER[index + 1]
    return following if following in reachable_steps(facts) else None


def load_facts(
    store: LocalStore,
    application_id: uuid.UUID,
    card_block: Callable[[uuid.UUID], str | None] | None = None,
) -> FlowFacts | None:
    """The facts of one application, or None if there is no such application. `card_block` tells why the
    repayment card blocks signing, if it does (app.counter.verification's `signing_blocked_by_card`); without it
    the card is taken as not blocking."""
    with store.read() as session:
        application = session.get(Application, application_id)
        if application is None:
            return None
        held = ConsentRepository().held(session, application_id)
        purchase = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
        waiting = session.scalar(
            select(func.count(OutboxItem.id)).where(
                OutboxItem.application_id == application_id,
                OutboxItem.kind == "application",
                OutboxItem.status == "pending",
            )
        )
        live_photo = session.scalar(
            select(Attachment.id).where(
                Attachment.application_id == application_id, Attachment.kind == EvidenceKind.LIVE_PHOTO.value
            )
        )
        state = parse_state(application.state)
        facts = FlowFacts(
            state=state,
            consents_given=state not in EDITABLE_STATES or not missing_first_moment(held),
            customer_saved=application.customer_id is not None,
            purchase_recorded=purchase is not None
            and purchase.price is not None
            and application.product_code is not None
            and application.requested_term is not None,
            waiting_to_send=bool(waiting),
            has_live_photo=live_photo is not None,
        )
    if card_block is not None and state is S.QUOTED and card_block(application_id) is not None:
        return replace(facts, card_blocks_signing=True)  # only a quoted application is about to be signed
    return facts
