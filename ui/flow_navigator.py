"""Ties the flow's pages into the counter flow of one open application. It owns the open application's state
(ui/open_application.py) and is its only writer: pages render that state and tell the navigator what the clerk
did through their signals; no page touches another page's widgets. It also shows the flow bar, handles Enter to
continue and Esc to go back, and autosaves what is typed. Which step comes next and what may still change are
app.counter.flow's rules; this only follows them."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.counter.consents import StartedApplication
from app.counter.drafts import Draft, DraftService
from app.counter.flow import FlowFacts, Step, current_step, load_facts, next_step, previous_step
from app.counter.purchase import PurchaseService, RecordedPurchase
from app.domain.actor import Actor
from app.domain.application import ApplicationState
from app.scoring.decision import PrescreenResult
from app.storage.local_store import LocalStore
from app.storage.models import Application
from ui.autosave import Autosaver
from ui.controller import Controller
from ui.open_application import CustomerOnScreen, OpenApplication
from ui.pages.base import Page
from ui.pages.customer import CustomerPage
from ui.pages.drafts import DraftsPage
from ui.pages.evidence import EvidencePage
from ui.pages.new_application import NewApplicationPage
from ui.pages.plan import PlanPage
from ui.pages.prescreen import PrescreenPage
from ui.pages.purchase import PurchasePage
from ui.pages.sync import SyncPage
from ui.widgets.flow_bar import FlowBar

# What a clerk types or chooses in: Esc there leaves the field, not the page.
_FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit)

STEP_PAGES = {
    "consents": "new",
    "customer": "customer",
    "purchase": "purchase",
    "prescreen": "prescreen",
    "plan": "plan",
    "evidence": "evidence",
    "sign": "new",
    "submit": "new",
    "decision": "sync",
    "delivery": "delivery",
    "done": "new",
}


class Navigation(Protocol):
    """What the navigator needs of the shell: which page is shown, and showing another."""

    def current_key(self) -> str: ...

    def open_page(self, key: str) -> None: ...

    def page_widget(self, key: str) -> QWidget | None: ...


@dataclass(frozen=True)
class FlowPages:
    """The pages the flow goes through, each by its type."""

    new: NewApplicationPage
    customer: CustomerPage
    purchase: PurchasePage
    prescreen: PrescreenPage
    plan: PlanPage
    evidence: EvidencePage
    drafts: DraftsPage
    sync: SyncPage


@dataclass(frozen=True)
class FlowServices:
    """The app/ services the navigator itself uses."""

    store: LocalStore
    purchases: PurchaseService
    drafts: DraftService
    card_block: Callable[[uuid.UUID], str | None] | None = None  # why the repayment card blocks signing, if it does


class FlowNavigator(QObject):
    """The open application's flow across the shell's pages."""

    def __init__(
        self,
        controller: Controller,
        services: FlowServices,
        application: OpenApplication,
        pages: FlowPages,
        navigation: Navigation,
        bar: FlowBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.services = services
        self.application = application
        self.pages = pages
        self.navigation = navigation
        self.bar = bar
        # Every change on the customer and purchase pages is saved as a draft (500 ms after the last change,
        # at most 2 s apart), and written out when the clerk leaves the page, locks or signs out.
        self.autosaver = Autosaver.for_controller(controller, services.drafts, parent=self)
        controller.leaving.connect(self.autosaver.flush)
        # What the clerk does on each page:
        pages.new.start_requested.connect(lambda: self.open(None))
        pages.new.continue_requested.connect(lambda: self.refresh(go=True))
        pages.new.started.connect(self._started)
        pages.new.ended.connect(lambda: self.open(None))
        pages.new.submitted.connect(lambda _id: self.refresh(go=False))
        pages.new.submitted.connect(lambda _id: pages.sync.refresh())  # the status bar counts what waits
        pages.new.progressed.connect(self._progressed)
        pages.sync.state_changed.connect(lambda _overview: self.refresh(go=False))  # a decision came back
        pages.drafts.resume_requested.connect(lambda application_id, _step: self.resume_by_id(application_id))
        pages.customer.edited.connect(self._customer_edited)
        pages.customer.saved.connect(lambda _saved: self.refresh(go=True))
        pages.purchase.edited.connect(lambda values: self._autosave("purchase", values))
        pages.purchase.recorded.connect(self._purchase_recorded)
        pages.prescreen.screened.connect(self._screened)
        pages.prescreen.customer_incomplete.connect(self._customer_incomplete)
        pages.plan.plan_chosen.connect(self.application.set_plan)
        pages.plan.signing_requested.connect(self._send_for_signing)
        pages.customer.id_image_kept.connect(self.application.keep_id_image)
        pages.evidence.kept.connect(lambda: self.refresh(go=False))
        pages.evidence.card_changed.connect(self._card_changed)
        pages.evidence.continue_requested.connect(self._begin_signing)
        self._fixing_plan = False  # the plan page sent its plan: once it is fixed, the customer is verified

    @property
    def application_id(self) -> uuid.UUID | None:
        return self.application.application_id

    @property
    def facts(self) -> FlowFacts | None:
        return self.application.facts

    # --- what the clerk typed -----------------------------------------------------------------------------------

    def _customer_edited(self, customer: CustomerOnScreen) -> None:
        self.application.set_customer(customer)
        values = {key: str(value) for key, value in dataclasses.asdict(customer.form).items()}
        self._autosave("customer", values)

    def _autosave(self, step: str, values: dict[str, str]) -> None:
        if self.application.application_id is not None:
            self.autosaver.set_target(self.application.application_id, step)
            self.autosaver.changed(values)

    def page_left(self) -> None:
        """The clerk leaves a page: what was typed there is saved now."""
        self.autosaver.flush()

    # --- opening ------------------------------------------------------------------------------------------------

    def _started(self, started: StartedApplication) -> None:
        self.open(started.application_id, started.reference, go=True)  # on to the customer's details

    def open(
        self, application_id: uuid.UUID | None, reference: str = "", resumed: bool = False, go: bool = False
    ) -> None:
        """Work on this application from now on (None: none open); its recorded purchase and flow follow. With
        `go`, the page of the step it is on opens."""
        self.autosaver.flush()
        self.application.open(application_id, reference, resumed)
        if application_id is None:
            self.bar.show_flow("", None)
            return
        purchases = self.services.purchases
        self.controller.call(
            lambda _actor: purchases.recorded(application_id),
            on_done=lambda recorded: self._purchase_loaded(application_id, recorded),
        )
        self.refresh(go=go)

    def _purchase_loaded(self, application_id: uuid.UUID, recorded: RecordedPurchase | None) -> None:
        if application_id == self.application.application_id and recorded is not None:
            self.application.set_purchase(recorded)

    def reopen_last(self) -> None:
        """After sign-in: reopen the application this clerk was working on (after a crash or kill -9 too), on
        the step they were on, with what they had typed (at most the last 2 s are lost)."""
        self.controller.call(self.services.drafts.last_open, on_done=self._reopen)

    def _reopen(self, draft: Draft | None) -> None:
        if draft is not None:
            self.resume(draft.application_id, draft.reference, draft)

    def resume_by_id(self, application_id: uuid.UUID) -> None:
        """Continue an application from where its data says (a draft, or the counter reopened after a crash)."""
        store, drafts = self.services.store, self.services.drafts

        def found(_actor: Actor) -> tuple[str, Draft | None]:
            with store.read() as session:
                row = session.get(Application, application_id)
                reference = "" if row is None else row.reference
            return reference, drafts.load(application_id)

        self.controller.call(found, on_done=lambda got: self.resume(application_id, *got) if got[0] else None)

    def resume(self, application_id: uuid.UUID, reference: str, draft: Draft | None = None) -> None:
        """Open `application_id` on every page of the flow and go to its current step; what the draft holds
        that was never saved as a step (typed, not yet valid) is put back on its page."""
        self.open(application_id, reference, resumed=True)
        if draft is not None and draft.values:
            step, values = draft.step, dict(draft.values)
            # After what the store holds has been shown: the database thread keeps the order of the calls.
            self.controller.call(
                lambda _actor: None,
                on_done=lambda _none: self._restore(application_id, step, values),
            )
        self.refresh(go=draft is None or draft.step not in STEP_PAGES)
        if draft is not None and draft.step in STEP_PAGES:
            self.navigation.open_page(STEP_PAGES[draft.step])

    def _restore(self, application_id: uuid.UUID, step: str, values: dict[str, str]) -> None:
        if application_id == self.application.application_id:
            self.application.restore_draft(step, values)

    def _purchase_recorded(self, recorded: RecordedPurchase) -> None:
        """The purchase is recorded: the pre-screen runs on it by itself (nothing to type or press)."""
        self.application.set_purchase(recorded)
        self.refresh(go=False)
        self.navigation.open_page("prescreen")
        self.pages.prescreen.run()

    def _screened(self, result: PrescreenResult) -> None:
        # A decline stays on the pre-screen, with its reasons; otherwise on to the plan.
        self.refresh(go=result.decision != "decline")

    def _customer_incomplete(self) -> None:
        self.navigation.open_page("customer")
        self.pages.customer.reveal_problems()

    def _send_for_signing(self, goods: str) -> None:
        self.navigation.open_page("new")  # where a refusal to fix the plan shows
        self._fixing_plan = True
        self.pages.new.send_for_signing(goods)

    def _progressed(self) -> None:
        """The plan was fixed (on to verifying the customer), or the contract signed."""
        fixing, self._fixing_plan = self._fixing_plan, False
        self.refresh(go=False, verify=fixing)

    def _card_changed(self) -> None:
        """Another repayment card was saved on the verification page: the customer page shows the details as
        saved, so an older card typed there is never saved back over it."""
        if self.application_id is not None:
            self.pages.customer.show_saved_customer(self.application_id, self.application.reference)

    def _begin_signing(self) -> None:
        """The customer is verified: the terms go to their screen to sign."""
        self._fixing_plan = False
        self.navigation.open_page("new")  # where the customer's progress shows
        self.pages.new.begin_signing()

    # --- the flow -----------------------------------------------------------------------------------------------

    def refresh(self, go: bool, verify: bool = False) -> None:
        """Load the flow's facts (off the GUI thread) and show them; with `go`, open the current step's page; with
        `verify`, the verification page if the plan is fixed (it shows what is kept even when nothing is missing)."""
        application_id, store = self.application.application_id, self.services.store
        card_block = self.services.card_block
        if application_id is None:
            return
        self.controller.call(
            lambda _actor: load_facts(store, application_id, card_block),
            on_done=lambda facts: self._show(application_id, facts, go, verify),
        )

    def _show(self, application_id: uuid.UUID, facts: FlowFacts | None, go: bool, verify: bool = False) -> None:
        if application_id != self.application.application_id:
            return  # another application was opened meanwhile
        self.application.set_facts(facts)
        self.bar.show_flow(self.application.reference, facts)
        if verify and facts is not None and facts.state is ApplicationState.QUOTED:
            self.navigation.open_page(STEP_PAGES[Step.EVIDENCE.value])
        elif go and facts is not None:
            self.navigation.open_page(STEP_PAGES[current_step(facts).value])

    def _page_step(self) -> Step | None:
        facts = self.application.facts
        if facts is None:
            return None
        key = self.navigation.current_key()
        current = current_step(facts)
        if STEP_PAGES[current.value] == key:
            return current
        steps = [s for s in Step if STEP_PAGES[s.value] == key]
        return steps[0] if steps else None

    def key(self, key: int) -> bool:
        """A key no page used: Enter continues (or presses the focused button), Esc goes back. True if used."""
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self._focused()
            if isinstance(focused, QAbstractButton) and focused.isEnabled():
                focused.click()
            else:
                self.continue_()
            return True
        if key == Qt.Key.Key_Escape:
            page = self.focus_target()
            if isinstance(self._focused(), _FIELDS) and page is not None:
                page.setFocus()  # Esc in a field leaves the field, not the page; a second Esc goes back
            else:
                self.back()
            return True
        return False

    def _focused(self) -> QWidget | None:
        """The focused widget if it is on the page shown (not one left behind on a hidden page)."""
        focused, page = QApplication.focusWidget(), self.focus_target()
        if focused is None or page is None or not focused.isVisible() or not page.isAncestorOf(focused):
            return None
        return focused

    def continue_(self) -> None:
        """Enter: the page's own next action (record the purchase, send the plan for signing…), or else on to the
        next step the data allows (a text field that takes Enter itself keeps it)."""
        if isinstance(self._focused(), QLineEdit):
            return
        page = self.focus_target()
        if isinstance(page, Page) and page.next_action():
            return
        facts = self.application.facts
        step = self._page_step()
        if step is None or facts is None:
            return
        following = next_step(facts, step) or current_step(facts)
        self.navigation.open_page(STEP_PAGES[following.value])

    def back(self) -> None:
        """Esc: back to the previous step's page (a scanner burst is never cut: the scanner filter eats it)."""
        facts = self.application.facts
        if facts is None:
            return
        step = self._page_step()
        before = previous_step(facts, step) if step is not None else None
        if before is not None:
            self.navigation.open_page(STEP_PAGES[before.value])

    def focus_target(self) -> QWidget | None:
        """The page the flow is on."""
        return self.navigation.page_widget(self.navigation.current_key())
