"""The one application open at the counter, as every flow page sees it: which application, the step the store's
data puts it on, the customer as typed, the purchase as recorded and the plan chosen. The flow navigator owns
it and is the only writer; pages render it and tell the navigator what the clerk did (their signals)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from app.counter.flow import FlowFacts
from app.counter.purchase import RecordedPurchase
from app.domain.customer_form import CustomerForm
from app.domain.schedule import Schedule


@dataclass(frozen=True)
class CustomerOnScreen:
    """The customer's details as they stand on the customer page (typed or scanned, saved or not), with what a
    scan read to check them against."""

    form: CustomerForm
    cross_check: dict[str, str] = field(default_factory=dict)


class OpenApplication(QObject):
    """State of the open application; each change is announced by its own signal."""

    opened = Signal(bool)  # another application (or none) is open; True when it was resumed, not just started
    facts_changed = Signal()  # the step the store's data puts it on
    customer_changed = Signal()
    purchase_changed = Signal()
    plan_changed = Signal()
    draft_restored = Signal(str, dict)  # step, values typed there but never saved as the step (a reopened draft)
    id_images_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.application_id: uuid.UUID | None = None
        self.reference = ""
        self.facts: FlowFacts | None = None
        self.customer: CustomerOnScreen | None = None
        self.purchase: RecordedPurchase | None = None
        self.plan: Schedule | None = None
        # The ID photos kept for it in this session (kind → JPEG), shown to the clerk filing it; never read back.
        self.id_images: dict[str, bytes] = {}

    @property
    def is_open(self) -> bool:
        return self.application_id is not None

    def open(self, application_id: uuid.UUID | None, reference: str = "", resumed: bool = False) -> None:
        """Work on `application_id` from now on (None: none open); everything known of the previous one goes."""
        self.application_id, self.reference = application_id, reference if application_id else ""
        self.facts, self.purchase, self.plan = None, None, None
        self.id_images = {}
        if resumed or application_id is None:
            self.customer = None  # a resumed application shows its saved customer; a new one keeps what is typed
        self.opened.emit(resumed)

    def set_facts(self, facts: FlowFacts | None) -> None:
        self.facts = facts
        self.facts_changed.emit()

    def set_customer(self, customer: CustomerOnScreen | None) -> None:
        self.customer = customer
        self.customer_changed.emit()

    def set_purchase(self, purchase: RecordedPurchase | None) -> None:
        self.purchase = purchase
        self.purchase_changed.emit()

    def set_plan(self, plan: Schedule | None) -> None:
        self.plan = plan
        self.plan_changed.emit()

    def keep_id_image(self, kind: str, image: bytes) -> None:
        """An ID photo of `kind` was kept with the application (the newest of a kind replaces the one before)."""
        self.id_images[kind] = image
        self.id_images_changed.emit()

    def restore_draft(self, step: str, values: dict[str, str]) -> None:
        """Hand a reopened draft's typed values to the page of `step`."""
        self.draft_restored.emit(step, dict(values))
