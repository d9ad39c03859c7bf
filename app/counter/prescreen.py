"""The offline pre-screen of one application: admission rules, the ONNX scorecard and anti-fraud flags against
what this counter's store knows, combined into a preliminary approve / refer / decline with readable reasons.
The lender decides when the application arrives; this is what the counter can say without the network."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, text

from app.domain.application import ApplicationState
from app.domain.catalog import Catalog
from app.domain.consent import consent_label, missing_first_moment
from app.domain.identity import parse_resident_id
from app.domain.money import from_fen
from app.domain.phone import normalize_mobile
from app.domain.policy import LenderPolicy, load_policy, policy_paths
from app.kernel.clock import utc_now
from app.kernel.errors import FenqiError, InvalidInput
from app.kernel.i18n import _
from app.kernel.settings import Settings
from app.scoring.assess import Known, Policy, assess
from app.scoring.blacklist import META_VERSION, Blacklist, digest_of_normal
from app.scoring.decision import PrescreenResult
from app.scoring.fraud import CounterHistory
from app.scoring.model import Scorecard
from app.scoring.request import PrescreenRequest
from app.scoring.velocity import VELOCITY_KEY, velocity_digest
from app.security.secret_store import SecretStore
from app.storage.consents import ConsentRepository
from app.storage.local_store import LocalStore
from app.storage.models import Application, ApplicationCode, Customer, PrescreenLog, Purchase
from app.storage.repositories import ApplicationRepository, CustomerRepository
from app.storage.stores import opening_hours_in_effect
from app.storage.types import stored_time, stored_uuid

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
_OPEN = ", ".join(f"'{state}'" for state in _OPEN_CREDIT)
_HISTORY_SQL = text(
    f"""
    SELECT
      (SELECT count(*) FROM applications a JOIN customers c ON a.customer_id = c.id
        WHERE c.id_number_bi = :id_bi AND a.store_id = :store AND a.created_at >= :since AND a.id != :app)
        AS id_count,
      (SELECT count(*) FROM applications a JOIN customers c ON a.customer_id = c.id
        WHERE c.phone_bi = :phone_bi AND a.store_id = :store AND a.created_at >= :since AND a.id != :app)
        AS phone_count,
      (SELECT coalesce(sum(count), 0) FROM store_velocity
        WHERE kind = 'id_number' AND digest = :v_id AND day >= :since_day) AS other_pcs_id,
      (SELECT coalesce(sum(count), 0) FROM store_velocity
        WHERE kind = 'phone' AND digest = :v_phone AND day >= :since_day) AS other_pcs_phone,
      (SELECT count(*) FROM customers WHERE phone_bi = :phone_bi AND id_number_bi != :id_bi) AS other_ids,
      (SELECT coalesce(sum(a.principal), 0) FROM applications a JOIN customers c ON a.customer_id = c.id
        WHERE c.id_number_bi = :id_bi AND a.state IN ({_OPEN})) AS unsecured,
      (SELECT count(*) FROM blacklist_entries WHERE kind = 'id' AND digest = :bl_id) AS bl_id,
      (SELECT count(*) FROM blacklist_entries WHERE kind = 'phone' AND digest = :bl_phone) AS bl_phone,
      (SELECT value FROM meta WHERE key = '{META_VERSION}') AS bl_version,
      (SELECT count(*) FROM staff WHERE login = :staff) AS staff_found,
      (SELECT count(*) FROM staff WHERE login = :staff AND (id_number_bi = :id_bi OR phone_bi = :phone_bi))
        AS staff_match
    """
)


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
        self.customers = CustomerRepository.for_store(store)
        self.blacklist = Blacklist(store, secrets)
        self._scorecard: Scorecard | None = None
        self._policy: tuple[list[object], LenderPolicy] | None = None
        self._policy_files: tuple[str, tuple[str, ...]] | None = None
        self._blacklist_key: tuple[str, bytes] | None = None
        self.secrets = secrets
        self._shared_key: bytes | None = None
        self._shared_key_checked = -1e9
        self._lock = threading.Lock()

    def scorecard(self) -> Scorecard:
        """The verified scorecard; raises ModelUnavailable (the counter keeps working without it)."""
        with self._lock:
            if self._scorecard is None:
                self._scorecard = Scorecard.load(self._settings())
            return self._scorecard

    def policy(self) -> LenderPolicy:
        """The lender's policy in force (app.domain.policy.load_policy: the newest verified of the installed and
        the shipped one), read again whenever its files or the setting naming them change; raises
        PolicyUnavailable, whose message says the pre-screen is off, when none verifies."""
        settings = self._settings()
        files = self._policy_files
        if files is None or files[0] != settings.policy_file:  # the policy's files and signatures, named once
            names = tuple(str(f) for path in policy_paths(settings) for f in (path, path.with_name(path.name + ".sig")))
            files = self._policy_files = (settings.policy_file, names)
        stamp: list[object] = [settings.policy_file, settings.trusted_signing_keys, settings.key_store]
        for name in files[1]:  # a stat each (microseconds): the pre-screen takes a replaced policy at once
            try:
                st = os.stat(name)
            except OSError:
                stamp.append(None)
            else:
                stamp.append((st.st_ino, st.st_size, st.st_mtime_ns))
        with self._lock:
            if self._policy is not None and self._policy[0] == stamp:
                return self._policy[1]
        policy = load_policy(settings)
        with self._lock:
            self._policy = (stamp, policy)
        return policy

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
        invalid ID number or phone, an unknown product), ModelUnavailable when the scorecard is refused and
        PolicyUnavailable when no verified lender's policy is there.

        With `application_id`, the application must hold the first-moment consents and its saved customer must
        have this ID number; the result is logged (figures and codes only, for drift monitoring), the purchase
        assessed is kept as the one the plan must match, and a draft not declined moves to pre-screened. Without
        it (a what-if from the command line) nothing is written unless `record` asks for the log entry."""
        settings = self._settings()
        limits = self.policy()
        scorecard = self.scorecard()
        who = request.applicant
        resident = parse_resident_id(who.id_number, request.application_date)
        phone = normalize_mobile(who.phone)
        if application_id is not None:
            self._require_bound(application_id, resident.number)
        history, unsecured, blacklisted = self._history(request, resident.number, phone, application_id, limits)
        policy = Policy(limits, opening_hours_in_effect(settings))
        result = assess(request, resident, catalog, scorecard, Known(history, unsecured, blacklisted), policy)
        if record or application_id is not None:
            self._record(result, application_id, request)
        return result

    def _require_bound(self, application_id: uuid.UUID, id_number: str) -> None:
        with self.store.read() as session:
            application = session.get(Application, application_id)
            if application is None or application.store_id != self.store_id:
                raise InvalidInput(_("No such application."), code="not_found")
            missing = missing_first_moment(ConsentRepository().held(session, application_id))
            if missing:
                raise InvalidInput(
                    _("The customer has not yet given consent to: {kinds}. Nothing has been saved.").format(
                        kinds=_("; ").join(consent_label(kind) for kind in missing)
                    ),
                    code="consent_missing",
                )
            customer = session.get(Customer, application.customer_id) if application.customer_id else None
            if customer is None or customer.id_number_bi != self.customers.index_of(Customer.id_number_bi, id_number):
                raise InvalidInput(
                    _("Save the customer's details first: the pre-screen uses the details as saved."),
                    code="customer_not_saved",
                )

    def _history(
        self,
        request: PrescreenRequest,
        id_number: str,
        phone: str,
        application_id: uuid.UUID | None,
        limits: LenderPolicy,
    ) -> tuple[CounterHistory, Decimal, tuple[bool, bool]]:
        # One round trip for everything the counter knows (velocity, shared phones, open credit, blacklist):
        # the ORM's per-query overhead would cost several milliseconds per application.
        settings = self._settings()
        zone = ZoneInfo(settings.store_time_zone)
        since = dt.datetime.combine(
            request.application_date - dt.timedelta(days=limits.velocity_days), dt.time(), zone
        )
        listed = self._listed_key()
        shared = self._velocity_key()
        params = {
            "v_id": velocity_digest(shared, "id_number", id_number) if shared else b"",
            "v_phone": velocity_digest(shared, "phone", phone) if shared else b"",
            "since_day": since.date().isoformat(),
            "id_bi": self.customers.index_of(Customer.id_number_bi, id_number),
            "phone_bi": self.customers.index_of(Customer.phone_bi, phone),
            "store": stored_uuid(self.store_id),
            "since": stored_time(since),
            "app": stored_uuid(application_id or uuid.UUID(int=0)),
            "bl_id": digest_of_normal(listed[1], "id", id_number) if listed else b"",
            "bl_phone": digest_of_normal(listed[1], "phone", phone) if listed else b"",
            "staff": (request.staff or "").strip().lower(),
        }
        with self.store.engine.connect() as conn:
            row = conn.execute(_HISTORY_SQL, params).one()
        if request.staff and row.staff_found == 0:
            raise InvalidInput(_("There is no staff member {login}.").format(login=request.staff), code="no_such_staff")
        version = row.bl_version
        if version is not None and (listed is None or listed[0] != version):
            self._blacklist_key = None  # another process loaded a new list: look again
            if self._listed_key() is not None:
                return self._history(request, id_number, phone, application_id, limits)
        loaded = version is not None and listed is not None and listed[0] == version
        history = CounterHistory(
            int(row.id_count) + int(row.other_pcs_id),
            int(row.phone_count) + int(row.other_pcs_phone),
            int(row.other_ids),
            bool(row.staff_match),
            loaded,
        )
        hits = (loaded and row.bl_id > 0, loaded and row.bl_phone > 0)
        return history, from_fen(int(row.unsecured)), hits

    def _velocity_key(self) -> bytes | None:
        """The store-wide velocity key the lender sent (None before the first sync); looked up again at most
        once a minute while missing, so a first sync is noticed without a keyring read per pre-screen."""
        now = time.monotonic()
        if self._shared_key is None and now - self._shared_key_checked > 60:
            self._shared_key_checked = now
            self._shared_key = self.secrets.get(VELOCITY_KEY)
        return self._shared_key

    def _listed_key(self) -> tuple[str, bytes] | None:
        """The loaded blacklist's version and key, remembered until a new list is loaded."""
        if self._blacklist_key is None:
            info = self.blacklist.info()
            key = self.blacklist.key(info.version) if info is not None else None
            self._blacklist_key = (info.version, key) if info is not None and key is not None else None
        return self._blacklist_key

    def _record(self, result: PrescreenResult, application_id: uuid.UUID | None, request: PrescreenRequest) -> None:
        with self.store.write() as session:
            application = session.get(Application, application_id) if application_id is not None else None
            if application is not None and application_id is not None:
                what = request.purchase
                purchase = session.scalar(select(Purchase).where(Purchase.application_id == application_id))
                if purchase is None:
                    purchase = Purchase(id=uuid.uuid4(), application_id=application_id, category="")
                    session.add(purchase)
                purchase.price, purchase.down_payment = what.price, what.down_payment
                application.product_code, application.requested_term = what.product, what.term
                application.principal = what.price - what.down_payment
                # A pre-screened draft moves on to planning unless declined (the lender may still be asked).
                if result.decision != "decline" and application.state == ApplicationState.DRAFT.value:
                    ApplicationRepository().transition(
                        session, application_id, ApplicationState.PRESCREENED, "prescreen", self.clock()
                    )
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
            if application is not None:
                session.execute(delete(ApplicationCode).where(ApplicationCode.application_id == application.id))
                session.add_all(
                    ApplicationCode(application_id=application.id, code=code, kind=kind)
                    for code, kind in report_codes(result).items()
                )


def report_codes(result: PrescreenResult) -> dict[str, str]:
    """The codes the reports count for this pre-screen, each with its kind: every fraud flag ("flag"), and the
    reasons ("reason") only when it declined."""
    codes = {f.code: "flag" for f in result.flags}
    if result.decision == "decline":
        for reason in result.reasons:
            codes.setdefault(reason.code, "reason")
    return codes
