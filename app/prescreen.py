"""The offline pre-screen of one application: admission rules, the ONNX scorecard and anti-fraud flags against
what this counter's store knows, combined into a preliminary approve / refer / decline with readable reasons.
The lender decides when the application arrives; this is what the counter can say without the network."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.catalog import Catalog
from app.clock import utc_now
from app.domain.application import ApplicationState
from app.domain.identity import parse_resident_id
from app.domain.phone import normalize_mobile
from app.errors import FenqiError, InvalidInput
from app.i18n import _
from app.scoring.blacklist import Blacklist, blacklist_digest
from app.scoring.decision import PrescreenResult, decide
from app.scoring.findings import Finding, score_reason
from app.scoring.fraud import CounterHistory, fraud_flags
from app.scoring.model import Scorecard
from app.scoring.request import PrescreenRequest
from app.scoring.rules import admission_reasons
from app.security.secret_store import SecretStore
from app.settings import Settings, opening_hours
from app.storage.local_store import LocalStore
from app.storage.models import Application, BlacklistEntry, Customer, PrescreenLog, Staff

# Credit this counter knows the applicant has taken on: signed and onwards, until declined or cancelled.
_OPEN_CREDIT = tuple(
    s.value
    for s in (
        ApplicationState.SIGNED,
        ApplicationState.QUEUED,
        ApplicationState.SUBMITTED,
        ApplicationState.REFERRED,
        ApplicationState.APPROVED,
        ApplicationState.DELIVERED,
    )
)
_PRODUCT_REFUSALS = {"term_not_offered", "down_payment_too_small", "amount_out_of_range", "apr_over_cap"}


def model_row(request: PrescreenRequest, age: int, financed: Decimal) -> dict[str, object]:
    """The scorecard's inputs, derived as in training: money only as ratios; missing where income is 0."""
    who, what = request.applicant, request.purchase
    income = float(who.monthly_income) if who.monthly_income > 0 else None

    def per_income(amount: Decimal | None) -> float | None:
        return None if amount is None or income is None else float(amount) / income

    return {
        "age": age,
        "seniority": who.years_at_job,
        "term": what.term,
        "loan_to_price": float(financed) / float(what.price) if what.price > 0 else None,
        "expenses_to_income": per_income(who.monthly_expenses),
        "installment_to_income": None if income is None else float(financed) / what.term / income,
        "assets_to_income": per_income(who.assets),
        "records": "yes" if who.overdue_records > 0 else "no",
        "job": JOB_CATEGORY.get(who.job),
        "home": HOME_CATEGORY.get(who.home),
    }


# The counter's codes → the training data's categories (documented in the model card).
JOB_CATEGORY = {
    "employee": "fixed",
    "civil_servant": "fixed",
    "self_employed": "freelance",
    "freelancer": "freelance",
    "student": "partime",
    "retired": "others",
    "unemployed": "others",
}
HOME_CATEGORY = {"own": "owner", "mortgage": "owner", "rent": "rent", "family": "parents", "dormitory": "other"}


class PrescreenService:
    """Pre-screens applications with the shipped scorecard, loaded once (off the GUI thread) on first use."""

    def __init__(
        self,
        store: LocalStore,
        store_id: uuid.UUID,
        secrets: SecretStore,
        settings: Callable[[], Settings],
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.store = store
        self.store_id = store_id
        self._settings = settings
        self.clock = clock
        self.blacklist = Blacklist(store, secrets)
        self._scorecard: Scorecard | None = None
        self._lock = threading.Lock()

    def scorecard(self) -> Scorecard:
        """The verified scorecard; raises ModelUnavailable (the counter keeps working without it)."""
        with self._lock:
            if self._scorecard is None:
                self._scorecard = Scorecard.load(self._settings())
            return self._scorecard

    def ensure_blacklist(self) -> None:
        """Load the shipped demo blacklist if none is loaded and it carries a trusted signature."""
        from app.scoring.blacklist import shipped_demo_blacklist

        if self.blacklist.info() is None and shipped_demo_blacklist().exists():
            # Not signed by a trusted key (a store build): the lender's copy comes with sync.
            with contextlib.suppress(FenqiError):
                self.blacklist.import_file(shipped_demo_blacklist(), self._settings())

    def prescreen(
        self,
        request: PrescreenRequest,
        catalog: Catalog,
        application_id: uuid.UUID | None = None,
        record: bool = True,
    ) -> PrescreenResult:
        """The preliminary decision for `request`. Raises InvalidInput for input that cannot be assessed (an
        invalid ID number or phone, an unknown product) and ModelUnavailable when the scorecard is refused.
        Every result is logged (figures and codes only) for drift monitoring unless `record` is False."""
        settings = self._settings()
        scorecard = self.scorecard()
        who, what = request.applicant, request.purchase
        resident = parse_resident_id(who.id_number, request.application_date)
        phone = normalize_mobile(who.phone)
        age = resident.age_on(request.application_date)
        financed = what.price - what.down_payment
        product_refusal: str | None = None
        try:
            schedule = catalog.quote(what.product, what.price, what.down_payment, what.term, request.application_date)
            installment = schedule.max_payment
        except InvalidInput as refusal:
            if refusal.code not in _PRODUCT_REFUSALS:
                raise
            product_refusal = refusal.message
            installment = (financed / what.term).quantize(Decimal("0.01"))
        with self.store.read() as session:
            history, unsecured, blacklisted = self._history(session, request, resident.number, phone, application_id)
        reasons = admission_reasons(
            request,
            age,
            installment,
            product_refusal,
            unsecured,
            financed,
            settings.max_debt_service_percent,
            blacklisted,
        )
        flags = fraud_flags(
            request,
            resident,
            history,
            settings.velocity_days,
            settings.velocity_count,
            opening_hours(settings.opening_hours),
        )
        scores = scorecard.score([model_row(request, age, financed)])
        score, pd = float(scores.score[0]), float(scores.pd[0])
        names = scorecard.names
        score_reasons: list[Finding] = [
            score_reason(names[int(i)])
            for i, gap in zip(scores.reason_index[0], scores.reason_gap[0], strict=True)
            if gap > 1e-9
        ]
        result = decide(reasons, score_reasons, flags, score, pd, scorecard.card["cutoffs"], scorecard.version)
        if record:
            self._record(result, application_id)
        return result

    def _history(
        self,
        session: Session,
        request: PrescreenRequest,
        id_number: str,
        phone: str,
        application_id: uuid.UUID | None,
    ) -> tuple[CounterHistory, Decimal, tuple[bool, bool]]:
        cipher = self.store.cipher
        id_bi, phone_bi = cipher.blind_index("id_number", id_number), cipher.blind_index("phone", phone)
        settings = self._settings()
        zone = ZoneInfo(settings.store_time_zone)
        window_start = dt.datetime.combine(
            request.application_date - dt.timedelta(days=settings.velocity_days), dt.time(), zone
        )
        recent = and_(
            Application.store_id == self.store_id,
            Application.created_at >= window_start,
            Application.id != (application_id or uuid.UUID(int=0)),
        )
        joined = select(func.count(Application.id)).join(Customer, Application.customer_id == Customer.id)
        id_count = session.scalar(joined.where(recent, Customer.id_number_bi == id_bi)) or 0
        phone_count = session.scalar(joined.where(recent, Customer.phone_bi == phone_bi)) or 0
        other_ids = session.scalar(
            select(func.count(Customer.id)).where(Customer.phone_bi == phone_bi, Customer.id_number_bi != id_bi)
        )
        staff_is_applicant = False
        if request.staff:
            staff = session.scalar(select(Staff).where(Staff.login == request.staff.strip().lower()))
            if staff is None:
                raise InvalidInput(
                    _("There is no staff member {login}.").format(login=request.staff), code="no_such_staff"
                )
            staff_is_applicant = staff.id_number_bi == id_bi or staff.phone_bi == phone_bi
        unsecured = session.scalar(
            select(func.sum(Application.principal))
            .join(Customer, Application.customer_id == Customer.id)
            .where(Customer.id_number_bi == id_bi, Application.state.in_(_OPEN_CREDIT))
        )
        info = self.blacklist.info()
        hits = (False, False)
        loaded = info is not None
        key = self.blacklist.key(info.version) if info is not None else None
        if info is not None and key is not None:
            listed = set(
                session.execute(
                    select(BlacklistEntry.kind, BlacklistEntry.digest).where(
                        BlacklistEntry.digest.in_(
                            [blacklist_digest(key, "id", id_number), blacklist_digest(key, "phone", phone)]
                        )
                    )
                ).all()
            )
            hits = (
                ("id", blacklist_digest(key, "id", id_number)) in listed,
                ("phone", blacklist_digest(key, "phone", phone)) in listed,
            )
        elif info is not None:
            loaded = False  # the table is there but its key is not: treat as not loaded
        history = CounterHistory(int(id_count), int(phone_count), int(other_ids or 0), staff_is_applicant, loaded)
        return history, unsecured or Decimal("0.00"), hits  # SUM keeps the Money type: Decimal yuan

    def _record(self, result: PrescreenResult, application_id: uuid.UUID | None) -> None:
        with self.store.write() as session:
            session.add(
                PrescreenLog(
                    at=self.clock(),
                    application_id=application_id,
                    model_version=result.model_version,
                    score=result.score,
                    pd=result.pd,
                    decision=result.decision,
                    codes=" ".join(f.code for f in [*result.reasons, *result.flags]),
                )
            )
