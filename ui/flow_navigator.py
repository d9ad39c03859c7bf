"""Ties the shell's pages into the counter flow of one open application: which page each step is on, the flow
bar, Enter to continue and Esc to go back, and handing each page what the previous steps recorded. The rules
— which step comes next, what may still change — are app.counter.flow's; this only follows them."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from ui.controller import Controller
from ui.widgets.flow_bar import FlowBar

STEP_PAGES = {
    "consents": "new",
    "customer": "customer",
    "purchase": "purchase",
    "prescreen": "prescreen",
    "plan": "plan",
    "sign": "new",
    "submit": "new",
    "decision": "sync",
    "delivery": "delivery",
    "done": "new",
}


class FlowNavigator(QObject):
    """The open application's flow across the shell's pages."""

    def __init__(self, controller: Controller, shell: Any, bar: FlowBar) -> None:
        super().__init__(shell)
        self.controller = controller
        self.shell = shell
        self.bar = bar
        self.application_id: uuid.UUID | None = None
        self.reference = ""
        self.facts: Any = None
        pages = shell.pages
        pages["new"].application_opened.connect(self.open)
        pages["new"].submitted.connect(lambda _id: self.refresh(go=False))
        pages["new"].progressed.connect(lambda: self.refresh(go=False))
        pages["sync"].state_changed.connect(lambda _overview: self.refresh(go=False))  # a decision came back
        pages["drafts"].resume_requested.connect(lambda application_id, _step: self.resume_by_id(application_id))
        # Every change on the customer and purchase pages is saved as a draft (500 ms after the last change,
        # at most 2 s apart), and written out when the clerk leaves the page, locks or signs out.
        from ui.autosave import Autosaver

        self.autosaver = Autosaver.for_controller(controller, parent=self)
        pages["customer"].form.changed.connect(self._customer_changed)
        for field in ("sku", "serial", "description", "price", "down"):
            getattr(pages["purchase"], field).textEdited.connect(self._purchase_changed)
        for field in ("category", "product", "term"):
            getattr(pages["purchase"], field).activated.connect(self._purchase_changed)
        controller.leaving.connect(self.autosaver.flush)
        pages["customer"].saved.connect(lambda _saved: self.refresh(go=True))
        pages["purchase"].recorded.connect(self._purchase_recorded)
        pages["prescreen"].screened.connect(lambda _result: self.refresh(go=False))

    def _customer_changed(self) -> None:
        import dataclasses

        if self.application_id is not None:
            self.autosaver.set_target(self.application_id, "customer")
            values = dataclasses.asdict(self.shell.pages["customer"].form.form())
            self.autosaver.changed({k: str(v) for k, v in values.items()})

    def _purchase_changed(self, *_args: object) -> None:
        if self.application_id is not None:
            import dataclasses

            self.autosaver.set_target(self.application_id, "purchase")
            values = dataclasses.asdict(self.shell.pages["purchase"].details())
            self.autosaver.changed({k: str(v) for k, v in values.items()})

    def page_left(self) -> None:
        """The clerk leaves a page: what was typed there is saved now."""
        self.autosaver.flush()

    def open(self, application_id: uuid.UUID | None, reference: str = "") -> None:
        """Work on this application from now on (None: none open)."""
        self.autosaver.flush()
        self.application_id, self.reference, self.facts = application_id, reference, None
        pages = self.shell.pages
        pages["purchase"].set_application(application_id, reference)
        for key in ("prescreen", "plan"):
            pages[key].set_purchase(None)
        if application_id is None:
            self.bar.show_flow("", None)
            return
        services = self.controller.services
        if services is not None:
            from app.counter.purchase import PurchaseService

            self.controller.call(
                lambda _actor: PurchaseService(services.store).recorded(application_id),
                on_done=self._hand_on_purchase,
            )
        self.refresh(go=False)

    def reopen_last(self) -> None:
        """After sign-in: reopen the application this clerk was working on (after a crash or kill -9 too), on
        the step they were on, with what they had typed (at most the last 2 s are lost)."""
        services = self.controller.services
        if services is None:
            return
        from ui.autosave import drafts_of

        drafts = drafts_of(services)
        if drafts is None:
            return
        self.controller.call(drafts.last_open, on_done=self._reopen)

    def _reopen(self, draft: Any) -> None:
        if draft is None:
            return
        self.resume(draft.application_id, draft.reference, draft)

    def resume_by_id(self, application_id: uuid.UUID) -> None:
        """Continue an application from where its data says (a draft, or the counter reopened after a crash)."""
        services = self.controller.services
        if services is None:
            return
        from app.storage.models import Application

        def reference(_actor: Any) -> str:
            with services.store.read() as session:
                found = session.get(Application, application_id)
                return "" if found is None else found.reference

        from ui.autosave import drafts_of

        drafts = drafts_of(services)

        def found(_actor: Any) -> tuple[str, Any]:
            with services.store.read() as session:
                row = session.get(Application, application_id)
                reference = "" if row is None else row.reference
            return reference, (drafts.load(application_id) if drafts is not None else None)

        self.controller.call(found, on_done=lambda got: self.resume(application_id, got[0], got[1]) if got[0] else None)

    def resume(self, application_id: uuid.UUID, reference: str, draft: Any = None) -> None:
        """Open `application_id` on every page of the flow and go to its current step; what the draft holds
        that was never saved as a step (typed, not yet valid) is put back on its page."""
        pages = self.shell.pages
        pages["customer"].clear_sensitive()
        pages["customer"].show_saved_customer(application_id, reference)
        pages["new"].open_application(application_id, reference, signed=False)
        self.open(application_id, reference)
        if draft is not None and draft.values:
            self._restore(draft)
        self.refresh(go=draft is None or draft.step not in STEP_PAGES)
        if draft is not None and draft.step in STEP_PAGES:
            self.shell.open_page(STEP_PAGES[draft.step])

    def _restore(self, draft: Any) -> None:
        """Put a draft's typed values back (after what the store holds has been shown)."""
        values = dict(draft.values)
        if draft.step == "customer":
            self.controller.call(
                lambda _actor: None,  # after the saved customer arrived (the DB thread keeps the order)
                on_done=lambda _none: self.shell.pages["customer"].form.set_values(values),
            )
        elif draft.step == "purchase":
            self.controller.call(
                lambda _actor: None, on_done=lambda _none: self.shell.pages["purchase"].restore(values)
            )

    def _purchase_recorded(self, recorded: Any) -> None:
        self._hand_on_purchase(recorded)
        self.refresh(go=True)

    def _hand_on_purchase(self, recorded: Any) -> None:
        pages = self.shell.pages
        if recorded is None:
            return
        for key in ("prescreen", "plan", "new"):
            pages[key].set_purchase(recorded)

    def refresh(self, go: bool) -> None:
        """Load the flow's facts (off the GUI thread) and show them; with `go`, open the current step's page."""
        services, application_id = self.controller.services, self.application_id
        if services is None or application_id is None:
            return
        from app.counter.flow import load_facts

        self.controller.call(
            lambda _actor: load_facts(services.store, application_id),
            on_done=lambda facts: self._show(application_id, facts, go),
        )

    def _show(self, application_id: uuid.UUID, facts: Any, go: bool) -> None:
        if application_id != self.application_id:
            return  # another application was opened meanwhile
        self.facts = facts
        self.bar.show_flow(self.reference, facts)
        if go and facts is not None:
            from app.counter.flow import current_step

            self.shell.pages["new"].submit_button.setEnabled(facts.state.value == "signed")
            self.shell.open_page(STEP_PAGES[current_step(facts).value])

    def _page_step(self) -> Any:
        from app.counter.flow import Step

        key = self.shell.current_key()
        if self.facts is None:
            return None
        from app.counter.flow import current_step

        current = current_step(self.facts)
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
        """Enter: on to the next step the data allows (a field that takes Enter itself keeps it)."""
        if isinstance(self._focused(), QLineEdit) or self.facts is None:
            return
        from app.counter.flow import current_step, next_step

        step = self._page_step()
        if step is None:
            return
        following = next_step(self.facts, step) or current_step(self.facts)
        if step.value == "plan" and following.value == "plan":
            self.shell.open_page("new")  # the plan chosen here is fixed on the signing page
            return
        self.shell.open_page(STEP_PAGES[following.value])

    def back(self) -> None:
        """Esc: back to the previous step's page (a scanner burst is never cut: the scanner filter eats it)."""
        if self.facts is None:
            return
        from app.counter.flow import previous_step

        step = self._page_step()
        before = previous_step(self.facts, step) if step is not None else None
        if before is not None:
            self.shell.open_page(STEP_PAGES[before.value])

    def focus_target(self) -> QWidget | None:
        """The page the flow is on."""
        return self.shell.pages.get(self.shell.current_key())
