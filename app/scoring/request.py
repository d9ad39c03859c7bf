"""What a pre-screen is asked about: the applicant and the purchase, read from the counter's form or from the
`fenqi prescreen` JSON (money as strings), every bad value refused with its own code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.customer_form import (
    HOUSING,
    JOB_TYPES,
    CustomerForm,
    check_customer_form,
    check_id_validity,
    details_from_form,
)
from app.domain.money import parse_money
from app.kernel.errors import InvalidInput
from app.kernel.i18n import _


@dataclass(frozen=True)
class Applicant:
    """The applicant as the pre-screen needs them."""

    id_number: str
    name: str
    phone: str
    monthly_income: Decimal
    monthly_expenses: Decimal | None = None
    assets: Decimal | None = None
    monthly_debt_payments: Decimal = Decimal(0)
    overdue_records: int = 0
    job: str = ""
    home: str = ""
    years_at_job: int | None = None
    birth_date: dt.date | None = None  # as typed or scanned: cross-checked with the ID number
    sex: str | None = None  # "M" / "F", as typed or scanned
    id_valid_until: dt.date | None = None
    id_long_term: bool = False


@dataclass(frozen=True)
class PurchaseRequest:
    product: str
    price: Decimal
    down_payment: Decimal
    term: int


@dataclass(frozen=True)
class PrescreenRequest:
    """One application to pre-screen. `application_time` (store-local) is checked against opening hours."""

    application_date: dt.date
    applicant: Applicant
    purchase: PurchaseRequest
    staff: str | None = None
    application_time: dt.time | None = None


def _bad(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code)


def _text(data: dict[str, Any], key: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _bad(_("{key} is required.").format(key=key), "missing_field")
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _bad(_("{key} must be text.").format(key=key), "bad_field")
    return str(value).strip()


def _money(data: dict[str, Any], key: str, required: bool = True) -> Decimal | None:
    if isinstance(data.get(key), float):  # money is given as a string: a float has already lost precision
        raise _bad(_('{key} must be a string such as "1234.50".').format(key=key), "bad_amount")
    text = _text(data, key, required)
    return parse_money(text) if text else None


def _whole(data: dict[str, Any], key: str, default: int | None) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise _bad(_("{key} must be a whole number.").format(key=key), "bad_number") from exc
    if not 0 <= number <= 99:
        raise _bad(_("{key} must be a whole number from 0 to 99.").format(key=key), "bad_number")
    return number


def _date(data: dict[str, Any], key: str, required: bool) -> dt.date | None:
    text = _text(data, key, required)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise _bad(_("Not a date (YYYY-MM-DD): {text}").format(text=text), "bad_date") from exc


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = _text(data, key)
    if value not in allowed:
        raise _bad(_("{key} must be one of: {allowed}.").format(key=key, allowed=", ".join(allowed)), f"bad_{key}")
    return value


def parse_request(data: Any) -> PrescreenRequest:
    """A pre-screen request from parsed JSON; raises InvalidInput naming the first bad value."""
    if not isinstance(data, dict) or not isinstance(data.get("applicant"), dict):
        raise _bad(_("The request needs an applicant and a purchase."), "bad_request")
    if not isinstance(data.get("purchase"), dict):
        raise _bad(_("The request needs an applicant and a purchase."), "bad_request")
    who, what = data["applicant"], data["purchase"]
    day = _date(data, "application_date", True)
    assert day is not None
    time_text = _text(data, "application_time", required=False)
    try:
        at = dt.time.fromisoformat(time_text) if time_text else None
    except ValueError as exc:
        raise _bad(_("Not a time (HH:MM): {text}").format(text=time_text), "bad_time") from exc
    sex = _text(who, "sex", required=False).upper() or None
    if sex not in (None, "M", "F"):
        raise _bad(_("sex must be M or F."), "bad_sex")
    validity = _text(who, "id_valid_until", required=False)
    until: dt.date | None = None
    long_term = False
    if validity:
        try:
            until = check_id_validity(validity, dt.date.min)
        except InvalidInput as exc:
            raise _bad(exc.message, "bad_date") from exc
        long_term = until is None
    term = _whole(what, "term", None)
    if term is None or term < 1:
        raise _bad(_("term must be a whole number of months."), "bad_term")
    income = _money(who, "monthly_income")
    assert income is not None
    applicant = Applicant(
        id_number=_text(who, "id_number"),
        name=_text(who, "name"),
        phone=_text(who, "phone"),
        monthly_income=income,
        monthly_expenses=_money(who, "monthly_expenses", required=False),
        assets=_money(who, "assets", required=False),
        monthly_debt_payments=_money(who, "monthly_debt_payments", required=False) or Decimal(0),
        overdue_records=_whole(who, "overdue_records", 0) or 0,
        job=_choice(who, "job", JOB_TYPES),
        home=_choice(who, "home", HOUSING),
        years_at_job=_whole(who, "years_at_job", None),
        birth_date=_date(who, "birth_date", False),
        sex=sex,
        id_valid_until=until,
        id_long_term=long_term,
    )
    price = _money(what, "price")
    down = _money(what, "down_payment", required=False) or Decimal(0)
    assert price is not None
    purchase = PurchaseRequest(_text(what, "product"), price, down, term)
    staff = _text(data, "staff", required=False) or None
    return PrescreenRequest(day, applicant, purchase, staff, at)


def request_from_form(
    form: CustomerForm,
    purchase: PurchaseRequest,
    moment: dt.datetime,
    staff: str | None,
    cross_check: dict[str, str] | None = None,
) -> PrescreenRequest:
    """A pre-screen request from the counter's customer form and purchase at a store-local `moment`; raises
    InvalidInput when the form still has problems (the form shows which)."""
    day = moment.date()
    details = details_from_form(form, day)
    if cross_check and check_customer_form(form, day, cross_check):
        raise _bad(_("The customer details have problems: correct the marked fields."), "invalid_form")
    birth = dt.date.fromisoformat(form.birth_date.strip()) if form.birth_date.strip() else None
    applicant = Applicant(
        id_number=details.id_number,
        name=details.name,
        phone=details.phone,
        monthly_income=details.monthly_income or Decimal(0),
        monthly_expenses=details.monthly_expenses,
        assets=details.assets,
        monthly_debt_payments=details.monthly_debt_payments or Decimal(0),
        overdue_records=details.overdue_records or 0,
        job=details.job_type,
        home=details.housing,
        years_at_job=details.years_at_job,
        birth_date=birth,
        sex=(cross_check or {}).get("sex"),
        id_valid_until=details.id_valid_until,
        id_long_term=details.id_long_term,
    )
    return PrescreenRequest(day, applicant, purchase, staff, moment.time().replace(second=0, microsecond=0))
