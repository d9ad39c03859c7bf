"""The composition root: builds every service from the settings, once, for the GUI or the CLI."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.counter.consents import ConsentService
from app.counter.contract import ContractService
from app.counter.intake import CustomerIntake
from app.counter.prescreen import PrescreenService
from app.kernel.clock import utc_now
from app.kernel.config import Configuration, load_configuration
from app.kernel.errors import FenqiError
from app.kernel.logs import get_logger
from app.kernel.settings import Settings
from app.office.settings_service import SettingsService
from app.office.staff import StaffService
from app.reports.region import RegionReportService
from app.reports.store import StoreReportService
from app.security.secret_store import SecretStore, open_secret_store
from app.storage.local_store import LocalStore, open_local_store
from app.storage.models import Store
from app.storage.stores import ensure_store
from app.sync.service import SyncService

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
    prescreen: PrescreenService
    consents: ConsentService
    contracts: ContractService
    sync: SyncService
    reports: StoreReportService
    region_reports: RegionReportService

    @property
    def settings(self) -> Settings:
        """The settings in effect now (they may change while the application runs)."""
        return self.settings_service.current

    def current_store(self, session: Session) -> Store:
        """The counter's store, loaded in `session`."""
        store = session.get(Store, self.store_id)
        assert store is not None
        return store

    def close(self) -> None:
        """Close the local store."""
        self.store.close()


def build_services(config: Configuration | None = None, env: Mapping[str, str] | None = None) -> Services:
    """Open the secret store and the local store (creating the demo store on a first run)."""
    env = os.environ if env is None else env
    config = config or load_configuration(env)
    secrets = open_secret_store(config.settings.key_store, config.paths.key_file, env)
    if secrets.is_development:
        log.warning("development key store in use")
    store = open_local_store(config.paths.database_file, secrets)
    try:
        with store.write() as session:
            store_id = ensure_store(session, store.cipher, config.settings, utc_now()).id
    except BaseException:
        store.close()
        raise
    settings_service = SettingsService(config.paths.settings_file, config.settings, store)
    staff = StaffService(store, store_id, lambda: settings_service.current)
    consents = ConsentService(store, store_id)
    return Services(
        config=config,
        secrets=secrets,
        store=store,
        store_id=store_id,
        settings_service=settings_service,
        staff=staff,
        intake=CustomerIntake(store, store_id),
        prescreen=PrescreenService(store, store_id, secrets, lambda: settings_service.current),
        consents=consents,
        contracts=ContractService(store, consents),
        reports=StoreReportService(store, store_id, lambda: product_names(settings_service.current)),
        region_reports=RegionReportService(store, secrets, lambda: settings_service.current),
        sync=SyncService(
            store,
            secrets,
            lambda: settings_service.current,
            files=(config.paths.settings_file, config.paths.data_dir / "downloads", settings_service.reload),
        ),
    )


def product_names(settings: Settings) -> dict[str, str]:
    """Each catalog product's name in the configured language; none when the catalog cannot be read (the
    reports then show the codes)."""
    from app.domain.catalog import load_catalog

    try:
        return {product.code: product.name for product in load_catalog(settings).products}
    except FenqiError:
        return {}
