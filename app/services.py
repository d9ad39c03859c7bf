"""The composition root: builds every service from the settings, once, for the GUI or the CLI. Nothing else in
app/ or ui/ constructs a service; pages and commands receive the ones they use from here."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.counter.cancellation import CancellationService
from app.counter.consents import ConsentService
from app.counter.contract import ContractService
from app.counter.delivery import DeliveryService
from app.counter.drafts import DraftService
from app.counter.evidence import EvidenceService
from app.counter.intake import CustomerIntake
from app.counter.prescreen import PrescreenService
from app.counter.purchase import PurchaseService
from app.counter.returning import ReturningCustomers
from app.counter.reveal import RevealService
from app.counter.verification import VerificationService
from app.domain.catalog import load_catalog
from app.kernel.clock import utc_now
from app.kernel.config import Configuration, load_configuration
from app.kernel.errors import FenqiError
from app.kernel.logs import get_logger
from app.kernel.settings import Settings
from app.office.end_of_day import EndOfDayService
from app.office.purge import PurgeService
from app.office.settings_service import SettingsService
from app.office.staff import StaffService
from app.reports.region import RegionReportService
from app.reports.store import StoreReportService
from app.security.secret_store import SecretStore, open_secret_store
from app.storage.local_store import LocalStore, open_local_store
from app.storage.models import Store
from app.storage.stores import ensure_store
from app.sync.client import connect
from app.sync.service import SyncService
from app.sync.submission import SubmissionService

log = get_logger("services")


@dataclass
class Services:
    """Everything the application works with, built from one configuration."""

    config: Configuration
    secrets: SecretStore
    store: LocalStore
    store_id: uuid.UUID
    settings_service: SettingsService
    staff: StaffService
    intake: CustomerIntake
    returning: ReturningCustomers
    reveal: RevealService
    purchases: PurchaseService
    prescreen: PrescreenService
    consents: ConsentService
    contracts: ContractService
    evidence: EvidenceService
    submissions: SubmissionService
    drafts: DraftService
    cancellation: CancellationService
    delivery: DeliveryService
    end_of_day: EndOfDayService
    purge: PurgeService
    sync: SyncService
    reports: StoreReportService
    region_reports: RegionReportService
    verification: VerificationService

    @property
    def settings(self) -> Settings:
        """The settings in effect now (they may change while the application runs)."""
        return self.settings_service.current

    def current_store(self, session: Session) -> Store:
        """The counter's store, loaded in `session`."""
        store = session.get(Store, self.store_id)
        assert store is not None, "the store row is made before the services exist"
        return store

    def follow_store(self, settings: Settings) -> None:
        """Make the store named in `settings` the counter's store for every service, when it is another one than
        theirs and this PC has its row: an activation here, or `fenqi device activate` while the window runs, made
        this PC another store's counter, and new applications are filed under that store from now on."""
        current = self.store_id
        with self.store.read() as session:
            found = session.scalar(select(Store.id).where(Store.code == settings.store_code))
        if found is None or found == current:
            return
        scoped: tuple[_StoreScoped, ...] = (
            self.staff,
            self.intake,
            self.returning,
            self.prescreen,
            self.consents,
            self.drafts,
            self.delivery,
            self.end_of_day,
            self.reports,
        )
        for service in scoped:
            service.store_id = found
        self.store_id = found
        log.info("the counter now works for store %s", settings.store_code)

    def close(self) -> None:
        """Close the local store."""
        self.store.close()


class _StoreScoped(Protocol):
    """A service that works for one store of this PC."""

    store_id: uuid.UUID


def build_services(config: Configuration | None = None, env: Mapping[str, str] | None = None) -> Services:
    """Open the secret store and the local store (creating the demo store on a first run) and build every
    service on them."""
    env = os.environ if env is None else env
    config = config or load_configuration(env)
    secrets = open_secret_store(config.settings.key_store, config.paths.key_file, env)
    if secrets.is_development:
        log.warning("development key store in use")
    store = open_local_store(config.paths.database_file, secrets)
    try:
        with store.write() as session:
            store_id = ensure_store(session, store, config.settings, utc_now()).id
    except BaseException:
        store.close()
        raise
    settings_service = SettingsService(config.paths.settings_file, config.settings, store)

    def settings() -> Settings:
        return settings_service.current

    consents = ConsentService(store, store_id)
    submissions = SubmissionService(store)
    cancellation = CancellationService(store)
    services = Services(
        config=config,
        secrets=secrets,
        store=store,
        store_id=store_id,
        settings_service=settings_service,
        staff=StaffService(store, store_id, settings),
        intake=CustomerIntake(store, store_id),
        returning=ReturningCustomers(store, store_id),
        reveal=RevealService(store),
        purchases=PurchaseService(store),
        prescreen=PrescreenService(store, store_id, secrets, settings),
        consents=consents,
        contracts=ContractService(store, consents),
        evidence=EvidenceService(store),
        submissions=submissions,
        drafts=DraftService(store, store_id, cancellation=cancellation),
        cancellation=cancellation,
        delivery=DeliveryService(store, store_id),
        end_of_day=EndOfDayService(store, store_id),
        purge=PurgeService(store, settings),
        reports=StoreReportService(store, store_id, lambda: product_names(settings())),
        region_reports=RegionReportService(store, secrets, settings),
        sync=SyncService(
            store,
            secrets,
            settings,
            files=(config.paths.settings_file, config.paths.data_dir / "downloads", settings_service.reload),
            submissions=submissions,
        ),
        verification=VerificationService(store, lambda: connect(settings(), secrets)),
    )
    settings_service.on_change(services.follow_store)
    return services


def product_names(settings: Settings) -> dict[str, str]:
    """Each catalog product's name in the configured language; none when the catalog cannot be read (the
    reports then show the codes)."""
    try:
        return {product.code: product.name for product in load_catalog(settings).products}
    except FenqiError:
        return {}
