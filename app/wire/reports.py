"""The regional report a regional manager reads: per store of their region and in total, applications by
state, approvals, money financed, decline reasons and fraud flags, score drift, and each device's sync health."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from app.wire.types import Answer, AwareMoment, Day, Id

Amount = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$")]


class DeviceHealth(Answer):
    """A device of the store and the sync health it last reported."""

    device_id: Id
    pending: int
    oldest_pending_age_s: float | None = None
    dead_letters: int
    reported_at: AwareMoment | None = None
    revoked: bool


class Figures(Answer):
    """A store's figures, or the region's totals."""

    applications: int
    by_state: dict[str, int]
    decided: int
    approved: int
    approval_rate: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]{2}$")] | None = None
    financed_total: Amount
    average_financed: Amount | None = None
    average_ticket: Amount | None = None
    decline_reasons: dict[str, int]
    fraud_flags: dict[str, int]
    scored: int | None = None


class StoreReport(Figures):
    """One store of the region."""

    store: str
    time_zone: str
    psi: float | None = None
    psi_band: Literal["stable", "watch", "shift"] | None = None
    devices: list[DeviceHealth]


class RegionReport(Answer):
    """The report of one region for the store-local days `from`–`to`."""

    model_config = Answer.model_config | {"populate_by_name": True}

    region: str
    start: Day = Field(alias="from")
    end: Day = Field(alias="to")
    as_of: AwareMoment
    stores: list[StoreReport]
    totals: Figures
