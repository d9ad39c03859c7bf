"""Valid bodies of the wire contract for tests that talk to the reference server directly: each is built from
the shared models (app.wire), so a test body and a counter's body can never drift apart."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from app.wire.applications import Submission
from central.bank import TEST_CARD_MATCH

ID_NUMBER = "110105198001010024"  # a valid resident ID (checksum) born 1980-01-01


def submission_body(
    application_id: str | None = None,
    revision: int = 1,
    store: str = "S001",
    *,
    created_at: str | None = None,
    financed: str | None = "3999.00",
    price: str = "4999.00",
    down_payment: str = "1000.00",
    customer: dict[str, Any] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """A submission that passes the contract (validated here), as JSON; `customer` and `more` override fields.
    The customer's repayment card is the development bank's matching test card, as a counter always names one."""
    body: dict[str, Any] = {
        "application_id": application_id or str(uuid.uuid4()),
        "revision": revision,
        "store": store,
        "reference": f"{store}-T-{revision}",
        "created_at": created_at or dt.datetime.now(dt.UTC).isoformat(),
        "product": "GOODS",
        "term": 12,
        "financed": financed,
        "purchase": {"category": "phone", "description": "X", "price": price, "down_payment": down_payment},
        "customer": {
            "name": "李四",
            "id_number": ID_NUMBER,
            "phone": "13800138000",
            "monthly_income": "9000.00",
            "bank_card": TEST_CARD_MATCH,
            **(customer or {}),
        },
        **more,
    }
    dumped: dict[str, Any] = Submission.model_validate(body).model_dump(mode="json")
    return dumped
