"""Taking the customer's details at the counter: checked as a whole, and kept only once the application holds
the customer's first-moment consents (PIPL art. 29, 征信业管理条例 art. 18). Until then nothing typed or scanned
about the customer reaches the store."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.domain.application import EDITABLE_STATES, ApplicationState, parse_state, state_label
from app.domain.consent import ConsentKind, consent_label, missing_first_moment
from app.domain.customer_form import CustomerForm, FieldProblem, check_customer_form, details_from_form
from app.domain.roles import Permission, require_permission
from app.kernel.clock import local_day, utc_now
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _
from app.storage.audit import AuditLog
from app.storage.consents import ConsentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Application, Store
from app.storage.repositories import ApplicationRepository, CustomerRepository


class ConsentMissing(InvalidInput):
    """The application does not (or no longer) hold the consents needed before customer data is kept."""

    code = "consent_missing"

    def __init__(self, message: str, missing: list[ConsentKind]) -> None:
        super().__init__(message)
        self.missing = missing


class FormInvalid(InvalidInput):
    """The form has problems; each is tied to its field."""

    code = "invalid_form"

    def __init__(self, message: str, problems: list[FieldProblem]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class SavedCustomer:
    """What saving the customer's details did: which customer row, for which application, and whether the
    customer was already known by their ID number."""

    customer_id: uuid.UUID
    application_id: uuid.UUID
    reference: str
    returning: bool
    state: ApplicationState


class CustomerIntake:
    """Checks and keeps the customer details of an application, behind the consent gate."""

    def __init__(self, store: LocalStore, store_id: uuid.UUID, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.store_id = store_id
        self.clock = clock
        self.audit = AuditLog.for_store(store)
        self.customers = CustomerRepository.for_store(store)
        self.applications = ApplicationRepository()
        self.consents = ConsentRepository()

    def missing_consents(self, application_id: uuid.UUID) -> list[ConsentKind]:
        """The first-moment consents the application does not hold now (empty when details may be kept)."""
        with self.store.read() as session:
            return missing_first_moment(self.consents.held(session, application_id))

    def save(
        self, actor: Actor, application_id: uuid.UUID, form: CustomerForm, scanned: dict[str, str] | None = None
    ) -> SavedCustomer:
        """Keep the form's details as the application's customer, all or nothing.

        Refused, with nothing written, when: the actor may not file applications; the application is not this
        store's or is past the point where its customer can change; it lacks a first-moment consent (the
        consent is checked before the form is even read); the form has any problem (all are reported, each by
        field, including disagreements with `scanned` ID-card fields). Saving a pre-screened or quoted
        application sends it back to draft, since its pre-screen and plan no longer fit the data.
        """
        require_permission(actor.role, Permission.FILE_APPLICATION)
        with self.store.write() as session:
            application = self._editable(session, application_id)
            missing = missing_first_moment(self.consents.held(session, application_id))
            if missing:
                raise ConsentMissing(
                    _("The customer has not yet given consent to: {kinds}. Nothing has been saved.").format(
                        kinds=_("; ").join(consent_label(kind) for kind in missing)
                    ),
                    missing,
                )
            now = self.clock()
            store = session.get(Store, self.store_id)
            assert store is not None
            today = local_day(now, ZoneInfo(store.time_zone))
            problems = check_customer_form(form, today, scanned)
            if problems:
                raise FormInvalid(_("The customer details have problems: correct the marked fields."), problems)
            details = details_from_form(form, today)
            returning = self.customers.find_by_id_number(session, details.id_number) is not None
            customer_id = self.customers.save(session, details, now)
            application.customer_id = customer_id
            state = parse_state(application.state)
            if state is not ApplicationState.DRAFT:
                application = self.applications.transition(
                    session, application_id, ApplicationState.DRAFT, actor.audit_name, now
                )
            else:
                application.updated_at = now
            self.audit.append(
                session,
                actor.audit_name,
                "customer.saved",
                object_type="application",
                object_id=str(application_id),
                detail={"customer": str(customer_id), "returning": returning},
                at=now,
            )
            return SavedCustomer(customer_id, application_id, application.reference, returning, ApplicationState.DRAFT)

    def _editable(self, session: Session, application_id: uuid.UUID) -> Application:
        application = session.get(Application, application_id)
        if application is None or application.store_id != self.store_id:
            raise InvalidInput(_("No such application."), code="not_found")
        state = parse_state(application.state)
        if state not in EDITABLE_STATES:
            raise InvalidInput(
                _("This application is {state}: its customer can no longer be changed.").format(
                    state=state_label(state)
                ),
                code="not_editable",
            )
        return application
