"""What the counter knows about a customer."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CustomerDetails:
    """A customer's details in plain form; only ever held in memory, stored encrypted where personal."""

    name: str
    id_number: str
    phone: str
    address: str = ""
    employer: str = ""
    bank_card: str = ""
    monthly_income: Decimal | None = None
    id: uuid.UUID | None = None
    job_type: str = ""
    years_at_job: int | None = None
    monthly_expenses: Decimal | None = None
    assets: Decimal | None = None
    monthly_debt_payments: Decimal | None = None
    overdue_records: int | None = None
    housing: str = ""
    emergency_name: str = ""
    emergency_phone: str = ""
    emergency_relation: str = ""
    id_valid_until: dt.date | None = None  # from the card's back; None with id_long_term for a 长期 card
    id_long_term: bool = False
