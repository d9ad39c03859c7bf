"""The counter flow as a state machine, driven by hypothesis through the real app/ services on a real local
store: whatever the clerk does in whatever order, the step shown follows from the data, a changed purchase
sends a pre-screened or planned application back to draft, nothing changes after signing, and a refused action
changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from app.counter.contract import terms_sha256
from app.counter.flow import (
    ORDER,
    FlowFacts,
    Step,
    current_step,
    load_facts,
    may_change,
    next_step,
    previous_step,
    reachable_steps,
    step_label,
)
from app.counter.purchase import PurchaseDetails, PurchaseService
from app.domain.application import EDITABLE_STATES, FINAL_STATES, ApplicationState
from app.domain.catalog import load_catalog
from app.domain.consent import SIGNING_MOMENT
from app.kernel.errors import FenqiError
from app.scoring.request import PurchaseRequest, request_from_form
from app.storage.repositories import ApplicationRepository
from app.sync.submission import SubmissionService
from tests.support.applications import CLERK, FIRST_MOMENT, GOOD, given, signature

S = ApplicationState


def _facts(state: S, **kw: bool) -> FlowFacts:
    base = {"consents_given": True, "customer_saved": True, "purchase_recorded": True, "waiting_to_send": False}
    return FlowFacts(state, **{**base, **kw})


@pytest.mark.parametrize(
    ("facts", "step"),
    [
        (_facts(S.DRAFT, consents_given=False, customer_saved=False, purchase_recorded=False), Step.CONSENTS),
        (_facts(S.DRAFT, customer_saved=False, purchase_recorded=False), Step.CUSTOMER),
        (_facts(S.DRAFT, purchase_recorded=False), Step.PURCHASE),
        (_facts(S.DRAFT), Step.PRESCREEN),
        (_facts(S.PRESCREENED), Step.PLAN),
        (_facts(S.QUOTED), Step.EVIDENCE),  # the plan is fixed: who signs is verified first
        (_facts(S.QUOTED, has_live_photo=True, card_blocks_signing=True), Step.EVIDENCE),  # another card needed
        (_facts(S.QUOTED, has_live_photo=True), Step.SIGN),
        (_facts(S.SIGNED), Step.SUBMIT),
        (_facts(S.QUEUED, waiting_to_send=True), Step.DECISION),  # the outbox sends it; the clerk is done
        (_facts(S.SUBMITTED), Step.DECISION),
        (_facts(S.REFERRED), Step.DECISION),
        (_facts(S.APPROVED), Step.DELIVERY),
        (_facts(S.DELIVERED), Step.DONE),
        (_facts(S.CANCELLED), Step.DONE),
    ],
)
def test_the_step_follows_from_the_data(facts: FlowFacts, step: Step) -> None:
    assert current_step(facts) == step
    assert reachable_steps(facts)[-1] == step
    assert next_step(facts, step) is None  # never ahead of the data
    if step is not Step.CONSENTS:
        assert previous_step(facts, step) == ORDER[ORDER.index(step) - 1]


def test_nothing_changes_after_signing() -> None:
    for state in (S.SIGNED, S.QUEUED, S.SUBMITTED, S.APPROVED):
        assert not any(may_change(_facts(state), step) for step in Step)
    assert may_change(_facts(S.QUOTED), Step.PURCHASE) and not may_change(_facts(S.QUOTED), Step.SIGN)
    assert not may_change(_facts(S.QUOTED), Step.EVIDENCE)  # photos and card checks are added, never edited


def test_verifying_comes_between_the_plan_and_the_signature() -> None:
    quoted = _facts(S.QUOTED)
    assert previous_step(quoted, Step.EVIDENCE) is Step.PLAN  # Esc on the verification goes back to the plan
    assert next_step(quoted, Step.PLAN) is Step.EVIDENCE and next_step(quoted, Step.EVIDENCE) is None
    assert next_step(_facts(S.QUOTED, has_live_photo=True), Step.EVIDENCE) is Step.SIGN
    assert step_label(Step.EVIDENCE) == "Verify"


PRICES = st.sampled_from([("4999.00", "1000.00"), ("5999.00", "1500.00"), ("3999.00", "800.00")])
TERMS = st.sampled_from([6, 12])


class CounterFlow(RuleBasedStateMachine):
    """One clerk, one application at a time, doing things in any order; app/ decides what is allowed."""

    def __init__(self) -> None:
        super().__init__()
        self.services, self.catalog = SERVICES[0], SERVICES[1]
        self.purchases = PurchaseService(self.services.store)
        self.application_id: uuid.UUID | None = None
        self.prescreened: tuple[str, str, int] | None = None  # the purchase the pre-screen saw
        self.recorded: tuple[str, str, int] | None = None
        self.terms: dict | None = None
        self.card_refused = False  # the bank's last answer on the repayment card blocks signing

    def _facts(self):
        return load_facts(
            self.services.store, self.application_id, lambda _id: "refused" if self.card_refused else None
        )

    def _state(self) -> S:
        facts = self._facts()
        assert facts is not None
        return facts.state

    def _try(self, action) -> bool:
        """Run an action; when app/ refuses it, nothing may have changed."""
        before = self._state() if self.application_id else None
        try:
            action()
            return True
        except FenqiError:
            assert self.application_id is None or self._state() == before
            return False

    @precondition(lambda self: self.application_id is None or self._state() in FINAL_STATES)
    @rule()
    def start(self) -> None:
        self.application_id = self.services.consents.begin_application(CLERK, given(FIRST_MOMENT)).application_id
        self.prescreened = self.recorded = None
        self.terms = None
        self.card_refused = False

    @precondition(lambda self: self.application_id is not None)
    @rule()
    def save_customer(self) -> None:
        self._try(lambda: self.services.intake.save(CLERK, self.application_id, GOOD))

    @precondition(lambda self: self.application_id is not None)
    @rule(amounts=PRICES, term=TERMS)
    def record_purchase(self, amounts: tuple[str, str], term: int) -> None:
        details = PurchaseDetails("phone", "MATE70-256", "", "手机", amounts[0], amounts[1], "GOODS", term)
        before = self._state()
        if self._try(lambda: self.purchases.record(CLERK, self.application_id, details)):
            changed = self.recorded is not None and self.recorded != (amounts[0], amounts[1], term)
            self.recorded = (amounts[0], amounts[1], term)
            if changed and before in (S.PRESCREENED, S.QUOTED):
                assert self._state() is S.DRAFT  # the pre-screen and plan were for the old purchase
                self.prescreened, self.terms = None, None
        else:
            assert before not in EDITABLE_STATES

    @precondition(lambda self: self.application_id is not None and self.recorded is not None)
    @rule()
    def prescreen(self) -> None:
        price, down, term = self.recorded
        moment = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=14)
        request = request_from_form(GOOD, PurchaseRequest("GOODS", Decimal(price), Decimal(down), term), moment, None)
        if self._try(lambda: self.services.prescreen.prescreen(request, self.catalog, self.application_id)):
            self.prescreened = self.recorded

    @precondition(lambda self: self.application_id is not None and self.prescreened is not None)
    @rule()
    def choose_plan(self) -> None:
        price, down, term = self.prescreened
        today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()

        def plan() -> None:
            self.terms = self.services.contracts.choose_plan(
                CLERK, self.application_id, self.catalog, "GOODS", "手机", Decimal(price), Decimal(down), term, today
            )

        self._try(plan)

    @precondition(lambda self: self.application_id is not None)
    @rule()
    def take_live_photo(self) -> None:
        from app.storage.attachments import AttachmentRepository

        with self.services.store.write() as session:
            now = dt.datetime.now(dt.UTC)
            AttachmentRepository(self.services.store).put(
                session, self.application_id, "live_photo", "image/jpeg", b"face", now
            )

    @precondition(lambda self: self.application_id is not None)
    @rule(refused=st.booleans())
    def check_card(self, refused: bool) -> None:
        self.card_refused = refused

    @precondition(lambda self: self.terms is not None)
    @rule()
    def sign(self) -> None:
        self._try(
            lambda: self.services.contracts.sign(
                CLERK,
                self.application_id,
                terms_sha256(self.terms),
                given(SIGNING_MOMENT),
                signature(),
                600,
                b"png",
                b"%PDF-1.4",
            )
        )

    @precondition(lambda self: self.application_id is not None)
    @rule()
    def submit(self) -> None:
        self._try(lambda: SubmissionService(self.services.store).queue(CLERK, self.application_id))

    @precondition(lambda self: self.application_id is not None)
    @precondition(lambda self: self.application_id is not None and self._state() not in EDITABLE_STATES)
    @rule(to=st.sampled_from([S.SUBMITTED, S.REFERRED, S.APPROVED, S.DECLINED, S.DELIVERED]))
    def lender_or_delivery(self, to: S) -> None:
        def move() -> None:
            with self.services.store.write() as session:
                ApplicationRepository().transition(session, self.application_id, to, "central", dt.datetime.now(dt.UTC))

        self._try(move)

    @precondition(lambda self: self.application_id is not None)
    @rule(dice=st.integers(0, 5))
    def cancel(self, dice: int) -> None:
        from app.counter.cancellation import CancellationService

        if dice:  # the customer changes their mind now and then, not at every turn
            return
        self._try(lambda: CancellationService(self.services.store).cancel(CLERK, self.application_id, "changed mind"))

    @precondition(lambda self: self.application_id is not None)
    @rule()
    def advance(self) -> None:
        """Do what the step shown asks for (the clerk following the screen), so deep states are reached too."""
        facts = self._facts()
        assert facts is not None
        step = current_step(facts)
        if step is Step.CUSTOMER:
            self.save_customer()
        elif step is Step.PURCHASE:
            self.record_purchase(("4999.00", "1000.00"), 12)
        elif step is Step.PRESCREEN:
            self.prescreen()
        elif step is Step.PLAN:
            self.choose_plan()
        elif step is Step.EVIDENCE:
            self.take_live_photo()
            self.check_card(refused=False)
        elif step is Step.SIGN:
            self.sign()
        elif step is Step.SUBMIT:
            self.submit()

    @invariant()
    def the_step_follows_from_the_data(self) -> None:
        if self.application_id is None:
            return
        facts = self._facts()
        assert facts is not None
        step = current_step(facts)
        assert step in reachable_steps(facts)
        if facts.state in EDITABLE_STATES and facts.customer_saved and facts.purchase_recorded:
            assert step in (Step.PRESCREEN, Step.PLAN, Step.EVIDENCE, Step.SIGN)
        if step is Step.SIGN:
            assert facts.has_live_photo and not facts.card_blocks_signing
        if facts.state not in EDITABLE_STATES:
            assert not any(may_change(facts, s) for s in Step)


SERVICES: list = []


def test_any_order_of_actions_keeps_the_flow_consistent(signed_files, services) -> None:
    SERVICES[:] = [services, load_catalog(signed_files.settings)]
    run_state_machine_as_test(
        CounterFlow,
        settings=settings(
            max_examples=30, stateful_step_count=40, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
