"""Showing a saved customer: ID number masked by default, the full number only on purpose.

Revealing a full ID number needs the store manager's permission and leaves an entry in the audit chain
(`customer.id_revealed`, naming the customer by UUID only); refused, it writes nothing. Loading a saved
customer back into the form (a resumed application) gives the form's values with the number masked for
display, so the page shows the mask and never the number unless revealed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.counter.returning import form_from_details
from app.domain.actor import Actor
from app.domain.customer_form import CustomerForm
from app.domain.masking import mask_id_number
from app.domain.roles import Permission, require_permission
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.audit import AuditLog
from app.storage.local_store import LocalStore
from app.storage.models import Application, Customer
from app.storage.repositories import CustomerRepository


@dataclass(frozen=True)
class SavedCustomerForm:
    """A saved customer as the form shows them again: the values, and the ID number as displayed (masked)."""

    customer_id: uuid.UUID
    application_id: uuid.UUID
    form: CustomerForm
    id_number_masked: str


class RevealService:
    """Reveals full ID numbers to those allowed, audited; loads saved customers for the form, masked."""

    def __init__(self, store: LocalStore, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.customers = CustomerRepository.for_store(store)

    def reveal_id_number(self, actor: Actor, subject_id: uuid.UUID) -> str:
        """The full ID number of the customer `subject_id`, or of the customer of application `subject_id`.

        Raises PermissionDenied unless the actor may reveal ID numbers (the store manager), and InvalidInput when
        there is no such customer (or their details were removed after the retention period); nothing is
        written then. Otherwise records `customer.id_revealed` (the customer's UUID only) in the same
        transaction that reads the number."""
        require_permission(actor.role, Permission.REVEAL_ID_NUMBER)
        now = self.clock()
        with self.store.write() as session:
            customer = self._customer(session, subject_id)
            number = self.customers.id_number_of(customer)
            self.audit.append(
                session,
                actor.audit_name,
                "customer.id_revealed",
                object_type="customer",
                object_id=str(customer.id),
                at=now,
            )
        return number

    def saved_form(self, actor: Actor, application_id: uuid.UUID) -> SavedCustomerForm | None:
        """The application's saved customer as form values, with the ID number masked for display; None when
        no customer has been saved for it yet. For those who file applications (a resumed application)."""
        require_permission(actor.role, Permission.FILE_APPLICATION)
        with self.store.read() as session:
            application = session.get(Application, application_id)
            if application is None:
                raise InvalidInput(_("No such application."), code="not_found")
            if application.customer_id is None:
                return None
            details = self.customers.get(session, application.customer_id)
        if details is None:
            return None
        return SavedCustomerForm(
            customer_id=application.customer_id,
            application_id=application_id,
            form=form_from_details(details),
            id_number_masked=mask_id_number(details.id_number),
        )

    def _customer(self, session: Session, subject_id: uuid.UUID) -> Customer:
        customer = session.get(Customer, subject_id)
        if customer is not None:
            return customer
        application = session.get(Application, subject_id)
        if application is None:
            raise InvalidInput(_("No such customer or application."), code="not_found")
        customer = session.get(Customer, application.customer_id) if application.customer_id else None
        if customer is None:
            raise InvalidInput(
                _(
                    "Application {reference} holds no customer details: none were saved, or they were removed "
                    "after the retention period."
                ).format(reference=application.reference),
                code="no_customer",
            )
        return customer
