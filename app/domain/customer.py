"""What the counter knows about a customer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CustomerDetails:
    """A customer's details in plain form; only ever held in memory, stored encrypted."""

    name: str
    id_number: str
    phone: str
    address: str = ""
    employer: str = ""
    bank_card: str = ""
    monthly_income: Decimal | None = None
    id: uuid.UUID | None = None
