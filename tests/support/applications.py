"""Applications taken through the flow by app/ services, as the counter would, for tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from app.counter.consents import GivenConsent, consent_text
from app.domain.actor import Actor
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT
from app.domain.roles import Role
from tests.unit.test_customer_form import GOOD as _FORM

# The customer-form test's complete form, for someone of working age (its own applicant is 76).
GOOD = dataclasses.replace(_FORM, id_number="110105198001010024", birth_date="1980-01-01")

CLERK = Actor(login="sales01", role=Role.SALES, display_name="Clerk", staff_id=None)


def given(kinds, language: str = "zh_CN") -> list[GivenConsent]:
    """The consents as the customer screen hands them over: current text, ticked now."""
    return [GivenConsent(k, consent_text(k, language), dt.datetime.now(dt.UTC)) for k in kinds]


def quoted_application(services, catalog, form=GOOD, actor: Actor = CLERK) -> tuple[uuid.UUID, dict[str, Any]]:
    """Started with consents, customer saved, pre-screened on this purchase, plan chosen: ready to sign."""
    from zoneinfo import ZoneInfo

    from app.scoring.request import PurchaseRequest, request_from_form

    started = services.consents.begin_application(actor, given(FIRST_MOMENT))
    services.intake.save(actor, started.application_id, form)
    price, down = Decimal("4999.00"), Decimal("1000.00")
    moment = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=14)
    request = request_from_form(form, PurchaseRequest("GOODS", price, down, 12), moment, "sales01")
    result = services.prescreen.prescreen(request, catalog, started.application_id)
    assert result.decision != "decline", result
    terms = services.contracts.choose_plan(
        actor, started.application_id, catalog, "GOODS", "手机 X1 SN123", price, down, 12, moment.date()
    )
    return started.application_id, terms


def signature(width: float = 600) -> list[list[tuple[float, float, float, float]]]:
    """A plausible signature: two strokes across most of the pad."""
    first = [(40 + i * 12.0, 120 + (i % 6) * 9.0, i * 8.0, 0.5) for i in range(30)]
    second = [(60 + i * 10.0, 160 - (i % 4) * 7.0, 300 + i * 8.0, 0.6) for i in range(25)]
    return [first, second]


__all__ = ["CLERK", "SIGNING_MOMENT", "given", "quoted_application", "signature"]
