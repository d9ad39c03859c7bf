"""A summary of the local store for the home screen and `fenqi store info`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.application import EDITABLE_STATES, ApplicationState
from app.kernel.config import Configuration
from app.kernel.settings import Settings
from app.security.secret_store import SecretStore
from app.storage.local_store import LocalStore
from app.storage.models import Application, Customer, Store


class OpenStore(Protocol):
    """What the office's summaries read: the open local store and how it is configured (app.services.Services
    is one; the office never reaches up to the composition root itself)."""

    config: Configuration
    secrets: SecretStore
    store: LocalStore

    @property
    def settings(self) -> Settings: ...

    def current_store(self, session: Session) -> Store: ...


@dataclass(frozen=True)
class StoreOverview:
    """How the local store stands: whose it is and how many applications are in each state."""

    store_code: str
    store_name: str
    time_zone: str
    customers: int
    by_state: dict[ApplicationState, int]
    key_store: str
    development_key_store: bool

    @property
    def applications(self) -> int:
        return sum(self.by_state.values())

    @property
    def drafts(self) -> int:
        """Applications still being filled in at the counter (draft, pre-screened or quoted)."""
        return sum(self.by_state[s] for s in EDITABLE_STATES)


def store_overview(services: OpenStore) -> StoreOverview:
    """Count the store's customers and applications by state (a read; takes no write lock)."""
    with services.store.read() as session:
        counts = dict(session.execute(select(Application.state, func.count()).group_by(Application.state)).all())
        customers = session.scalar(select(func.count()).select_from(Customer)) or 0
        store = services.current_store(session)
        return StoreOverview(
            store_code=store.code,
            store_name=store.name,
            time_zone=store.time_zone,
            customers=customers,
            by_state={s: counts.get(s.value, 0) for s in ApplicationState},
            key_store=services.secrets.description,
            development_key_store=services.secrets.is_development,
        )
