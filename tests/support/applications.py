"""Applications taken through the flow by app/ services, as the counter would, for tests."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from app.consents import GivenConsent, consent_text
from app.domain.actor import Actor
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT
from app.domain.roles import Role
from tests.unit.test_customer_form import GOOD

CLERK = Actor(login="sales01", role=Role.SALES, display_name="Clerk", staff_id=None)


def given(kinds, language: str = "zh_CN") -> list[GivenConsent]:
    """The consents as the customer screen hands them over: current text, ticked now."""
    return [GivenConsent(k, consent_text(k, language), dt.datetime.now(dt.UTC)) for k in kinds]


def quoted_application(services, catalog, form=GOOD) -> tuple[uuid.UUID, dict[str, Any]]:
    """Started with consents, customer saved, moved past the pre-screen, plan chosen: ready to sign."""
    from app.domain.application import ApplicationState
    from app.storage.repositories import ApplicationRepository

    started = services.consents.begin_application(CLERK, given(FIRST_MOMENT))
    services.intake.save(CLERK, started.application_id, form)
    with services.store.write() as session:
        ApplicationRepository().transition(
            session, started.application_id, ApplicationState.PRESCREENED, "test", dt.datetime.now(dt.UTC)
        )
    price, down = Decimal("4999.00"), Decimal("1000.00")
    schedule = catalog.quote("GOODS", price, down, 12, dt.date.today())
    terms = services.contracts.choose_plan(
        CLERK, started.application_id, "GOODS", "商品分期", "phone", "手机 X1 SN123", price, down, schedule
    )
    return started.application_id, terms


def signature(width: float = 600) -> list[list[tuple[float, float, float, float]]]:
    """A plausible signature: two strokes across most of the pad."""
    first = [(40 + i * 12.0, 120 + (i % 6) * 9.0, i * 8.0, 0.5) for i in range(30)]
    second = [(60 + i * 10.0, 160 - (i % 4) * 7.0, 300 + i * 8.0, 0.6) for i in range(25)]
    return [first, second]


__all__ = ["CLERK", "SIGNING_MOMENT", "given", "quoted_application", "signature"]
