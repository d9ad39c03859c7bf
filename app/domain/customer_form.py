"""Checking the customer details form as the clerk types: every problem at once, each tied to its field, in the
configured language; and cross-checks of typed data against what was scanned from the ID card."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from stdnum import luhn

from app.domain.customer import CustomerDetails
from app.domain.identity import parse_resident_id
from app.domain.money import parse_money
from app.domain.phone import normalize_mobile
from app.kernel.errors import InvalidInput
from app.kernel.i18n import N_, _

NO_EMPLOYER_NEEDED = frozenset({"self_employed", "freelancer", "student", "retired", "unemployed"})
_MIDDLE_DOTS = "·•・"
_T = TypeVar("_T")

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "job_type": {
        "employee": N_("Employee"),
        "civil_servant": N_("Civil servant"),
        "self_employed": N_("Self-employed"),
        "freelancer": N_("Freelancer"),
        "student": N_("Student"),
        "retired": N_("Retired"),
        "unemployed": N_("Not working"),
    },
    "housing": {
        "own": N_("Own home"),
        "mortgage": N_("Own home with mortgage"),
        "rent": N_("Rented"),
        "family": N_("With family"),
        "dormitory": N_("Dormitory"),
    },
    "emergency_relation": {
        "spouse": N_("Spouse"),
        "parent": N_("Parent"),
        "child": N_("Child"),
        "sibling": N_("Brother or sister"),
        "relative": N_("Other relative"),
        "friend": N_("Friend"),
        "colleague": N_("Colleague"),
    },
}

MAX_ADDRESS, MAX_EMPLOYER = 200, 100  # characters the lender's contract takes (app/wire/applications.py)
JOB_TYPES = tuple(CHOICE_LABELS["job_type"])
HOUSING = tuple(CHOICE_LABELS["housing"])
RELATIONS = tuple(CHOICE_LABELS["emergency_relation"])


def choices(field: str) -> list[tuple[str, str]]:
    """The codes a choice field accepts, each with its label in the configured language, in display order."""
    return [(code, _(label)) for code, label in CHOICE_LABELS[field].items()]


@dataclass(frozen=True)
class CustomerForm:
    """The form as typed (strings), so that every field can be checked and reported at once."""

    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    employer: str = ""
    job_type: str = ""
    years_at_job: str = ""
    monthly_income: str = ""
    monthly_expenses: str = ""
    assets: str = ""
    monthly_debt_payments: str = ""
    overdue_records: str = ""
    housing: str = ""
    emergency_name: str = ""
    emergency_phone: str = ""
    emergency_relation: str = ""
    bank_card: str = ""
    birth_date: str = ""  # typed from the card when there is no scan; cross-checked with the ID number
    id_valid_until: str = ""  # from the card's back: YYYY-MM-DD, or 长期 for a card without an end date


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str


def _is_name_character(ch: str) -> bool:
    # CJK ideographs of every block (𠮷 and other rare characters sit in extension B and beyond), Latin
    # letters for foreign names, and the middle dot of minority and transliterated names.
    if ch in _MIDDLE_DOTS or ch == " ":
        return True
    name = unicodedata.name(ch, "")
    return (
        name.startswith("CJK UNIFIED IDEOGRAPH")
        or name.startswith("CJK COMPATIBILITY IDEOGRAPH")
        or (ch.isalpha() and ch.isascii())
    )


def check_name(name: str) -> str:
    """The name, normalised (NFC, spaces folded); raises InvalidInput if it cannot be a person's name."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise InvalidInput(_("The name is required."), code="name_required")
    if len(cleaned) > 40 or len(cleaned.replace(" ", "")) < 2 or not all(_is_name_character(c) for c in cleaned):
        raise InvalidInput(_("A name has 2 to 40 Chinese characters or letters."), code="bad_name")
    return cleaned


def check_bank_card(number: str) -> str:
    """A debit card number (16–19 digits, Luhn-checked), spaces removed."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", number))
    if not digits.isdigit() or not 16 <= len(digits) <= 19:
        raise InvalidInput(_("A bank card number has 16 to 19 digits."), code="bad_card")
    if not luhn.is_valid(digits):
        raise InvalidInput(
            _("The bank card number has a typing mistake (its check digit is wrong)."), code="bad_card_checksum"
        )
    return digits


def _whole(text: str, low: int, high: int, field: str) -> int:
    try:
        value = int(unicodedata.normalize("NFKC", text).strip())
    except ValueError as exc:
        raise InvalidInput(
            _("Enter a whole number from {low} to {high}.").format(low=low, high=high), code="bad_number"
        ) from exc
    if not low <= value <= high:
        raise InvalidInput(
            _("Enter a whole number from {low} to {high}.").format(low=low, high=high), code="bad_number"
        )
    return value


REQUIRED = N_("This field is required.")
LONG_TERM = frozenset({"长期", "long-term", "long_term", "longterm"})


def check_id_validity(text: str, today: dt.date) -> dt.date | None:
    """The last day the ID card is valid (None for a long-term card); raises InvalidInput if it has expired."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if cleaned in LONG_TERM:
        return None
    try:
        until = dt.date.fromisoformat(cleaned.replace(".", "-"))
    except ValueError as exc:
        raise InvalidInput(
            _("Not a date (YYYY-MM-DD, or 长期 for long-term): {text}").format(text=text), code="bad_date"
        ) from exc
    if until < today:
        raise InvalidInput(
            _("The ID card expired on {date}: ask for a valid one.").format(date=until.isoformat()),
            code="id_expired",
        )
    return until


def check_customer_form(
    form: CustomerForm, today: dt.date, scanned: dict[str, str] | None = None
) -> list[FieldProblem]:
    """Every problem in the form, in field order; an empty list means it can be saved. `scanned` holds fields
    read from the ID card (name, id_number, birth_date, sex), which typed values must agree with."""
    problems: list[FieldProblem] = []

    def check(field: str, fn: Callable[..., _T], *args: object) -> _T | None:
        try:
            return fn(*args)
        except InvalidInput as exc:
            problems.append(FieldProblem(field, exc.code, exc.message))
            return None

    def required(field: str, value: str) -> bool:
        if value.strip():
            return True
        problems.append(FieldProblem(field, "required", _(REQUIRED)))
        return False

    name = check("name", check_name, form.name)
    resident = (
        check("id_number", parse_resident_id, form.id_number, today) if required("id_number", form.id_number) else None
    )
    phone = check("phone", normalize_mobile, form.phone) if required("phone", form.phone) else None
    if required("address", form.address) and len(form.address.strip()) < 5:
        problems.append(FieldProblem("address", "bad_address", _("Give the full address.")))
    for field, longest in (("address", MAX_ADDRESS), ("employer", MAX_EMPLOYER)):
        if len(" ".join(getattr(form, field).split())) > longest:  # as the lender takes it (app/wire)
            problems.append(FieldProblem(field, "too_long", _("At most {count} characters.").format(count=longest)))
    if form.job_type not in JOB_TYPES:
        problems.append(FieldProblem("job_type", "required", _(REQUIRED)))
    elif form.job_type not in NO_EMPLOYER_NEEDED:
        required("employer", form.employer)
    if form.years_at_job.strip():
        check("years_at_job", _whole, form.years_at_job, 0, 50, "years_at_job")
    income = (
        check("monthly_income", parse_money, form.monthly_income)
        if required("monthly_income", form.monthly_income)
        else None
    )
    for field in ("monthly_expenses", "assets"):
        value = getattr(form, field)
        if value.strip():
            check(field, parse_money, value)
    if form.monthly_debt_payments.strip():
        debts = check("monthly_debt_payments", parse_money, form.monthly_debt_payments)
        if isinstance(debts, Decimal) and isinstance(income, Decimal) and income > 0 and debts > income:
            problems.append(
                FieldProblem(
                    "monthly_debt_payments",
                    "debts_over_income",
                    _("Monthly debt payments are higher than the monthly income: check both."),
                )
            )
    if required("overdue_records", form.overdue_records):
        check("overdue_records", _whole, form.overdue_records, 0, 99, "overdue_records")
    if form.housing not in HOUSING:
        problems.append(FieldProblem("housing", "required", _(REQUIRED)))
    check("emergency_name", check_name, form.emergency_name)
    if required("emergency_phone", form.emergency_phone):
        emergency = check("emergency_phone", normalize_mobile, form.emergency_phone)
        if emergency is not None and emergency == phone:
            problems.append(
                FieldProblem(
                    "emergency_phone", "same_phone", _("The emergency contact needs a phone number of their own.")
                )
            )
    if form.emergency_relation not in RELATIONS:
        problems.append(FieldProblem("emergency_relation", "required", _(REQUIRED)))
    if required("bank_card", form.bank_card):
        check("bank_card", check_bank_card, form.bank_card)
    # The auto-debit authorisation for this card is the customer's to give, on the customer screen with the
    # contract; the clerk's form only names the card.
    if form.id_valid_until.strip():
        check("id_valid_until", check_id_validity, form.id_valid_until, today)
    # Cross-checks: what was typed must agree with the ID number and with the scanned card.
    if resident is not None and form.birth_date.strip():
        try:
            typed = dt.date.fromisoformat(form.birth_date.strip())
        except ValueError:
            problems.append(
                FieldProblem(
                    "birth_date", "bad_date", _("Not a date (YYYY-MM-DD): {text}").format(text=form.birth_date)
                )
            )
        else:
            if typed != resident.birth_date:
                problems.append(
                    FieldProblem("birth_date", "birth_date_mismatch", _("The birth date does not match the ID number."))
                )
    if scanned:
        if name and scanned.get("name") and scanned["name"] != name:
            problems.append(FieldProblem("name", "name_mismatch", _("The name differs from the scanned ID card.")))
        if resident is not None and scanned.get("id_number") and scanned["id_number"] != resident.number:
            problems.append(
                FieldProblem("id_number", "id_mismatch", _("The ID number differs from the scanned ID card."))
            )
    return problems


def _money_or_none(text: str) -> Decimal | None:
    return parse_money(text) if text.strip() else None


def _int_or_none(text: str) -> int | None:
    return int(unicodedata.normalize("NFKC", text).strip()) if text.strip() else None


def details_from_form(form: CustomerForm, today: dt.date) -> CustomerDetails:
    """The customer's details in their normal forms; raises InvalidInput unless the form has no problems."""
    if check_customer_form(form, today):
        raise InvalidInput(_("The customer details have problems: correct the marked fields."), code="invalid_form")
    validity = form.id_valid_until.strip()
    return CustomerDetails(
        name=check_name(form.name),
        id_number=parse_resident_id(form.id_number, today).number,
        phone=normalize_mobile(form.phone),
        address=" ".join(form.address.split()),
        employer=" ".join(form.employer.split()),
        bank_card=check_bank_card(form.bank_card),
        monthly_income=parse_money(form.monthly_income),
        job_type=form.job_type,
        years_at_job=_int_or_none(form.years_at_job),
        monthly_expenses=_money_or_none(form.monthly_expenses),
        assets=_money_or_none(form.assets),
        monthly_debt_payments=_money_or_none(form.monthly_debt_payments),
        overdue_records=_int_or_none(form.overdue_records),
        housing=form.housing,
        emergency_name=check_name(form.emergency_name),
        emergency_phone=normalize_mobile(form.emergency_phone),
        emergency_relation=form.emergency_relation,
        id_valid_until=check_id_validity(validity, today) if validity else None,
        id_long_term=bool(validity) and check_id_validity(validity, today) is None,
    )
