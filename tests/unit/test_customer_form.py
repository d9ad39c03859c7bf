"""The customer details form's checks: every problem at once, by field, and cross-checks with the ID card."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.customer_form import CustomerForm, check_customer_form

TODAY = dt.date(2026, 11, 29)
GOOD = CustomerForm(
    name="王晓明",
    id_number="11010519491231002X",
    phone="13812345678",
    address="北京市朝阳区建国路12号",
    employer="顺丰速运",
    job_type="employee",
    years_at_job="3",
    monthly_income="8000",
    monthly_expenses="3000",
    assets="50000",
    monthly_debt_payments="1200",
    overdue_records="0",
    housing="rent",
    emergency_name="李娜",
    emergency_phone="13987654321",
    emergency_relation="spouse",
    bank_card="6222020200000000006",
    id_valid_until="2036-05-01",
    birth_date="1949-12-31",
)


def _codes(form: CustomerForm, **scanned: str) -> dict[str, str]:
    return {p.field: p.code for p in check_customer_form(form, TODAY, scanned or None)}


def test_a_complete_form_passes() -> None:
    """Every field right: no problems."""
    assert _codes(GOOD) == {}


def test_rare_characters_and_minority_names_are_names() -> None:
    """𠮷 (extension B), 堃 and a middle dot are accepted; digits are not."""
    for name in ("𠮷田堃", "阿依古丽·买买提", "John Smith"):
        assert "name" not in _codes(dataclasses.replace(GOOD, name=name)), name
    assert _codes(dataclasses.replace(GOOD, name="王2"))["name"] == "bad_name"


def test_every_problem_is_reported_at_once() -> None:
    """An empty form lists each required field."""
    codes = _codes(CustomerForm())
    for field in (
        "name",
        "id_number",
        "phone",
        "address",
        "job_type",
        "monthly_income",
        "overdue_records",
        "housing",
        "emergency_name",
        "emergency_phone",
        "emergency_relation",
        "bank_card",
    ):
        assert field in codes, field
    assert "auto_debit" not in codes  # the customer authorises auto-debit on the customer screen, not the clerk


def test_values_are_checked() -> None:
    """Bad ID, phone, card check digit, money and counts each get their own code."""
    form = dataclasses.replace(
        GOOD,
        id_number="11010519491231002Y",
        phone="12345",
        bank_card="6222020200000000007",
        monthly_income="abc",
        overdue_records="-1",
        emergency_phone="13812345678",
    )
    codes = _codes(form)
    assert codes["id_number"] == "id_invalid" and codes["phone"] == "bad_phone"
    assert codes["bank_card"] == "bad_card_checksum" and codes["monthly_income"] == "bad_amount"
    assert codes["overdue_records"] == "bad_number"


def test_emergency_contact_needs_another_phone() -> None:
    """The emergency contact cannot share the customer's phone number."""
    assert _codes(dataclasses.replace(GOOD, emergency_phone="138 1234 5678"))["emergency_phone"] == "same_phone"


def test_typed_data_is_cross_checked() -> None:
    """A typed birth date that disagrees with the ID number, or a name and number that differ from the scanned
    card, are flagged."""
    assert _codes(dataclasses.replace(GOOD, birth_date="1949-12-30"))["birth_date"] == "birth_date_mismatch"
    codes = _codes(GOOD, name="王晓敏", id_number="110105194912310029")
    assert codes["name"] == "name_mismatch" and codes["id_number"] == "id_mismatch"


def test_the_card_validity_from_its_back_is_checked() -> None:
    """An expired card is refused with its date; a long-term card (长期) and a future date pass."""
    codes = {p.field: p for p in check_customer_form(dataclasses.replace(GOOD, id_valid_until="2026-11-28"), TODAY)}
    assert codes["id_valid_until"].code == "id_expired" and "2026-11-28" in codes["id_valid_until"].message
    for text in ("长期", "2026-11-29", "2030.01.31"):
        assert "id_valid_until" not in _codes(dataclasses.replace(GOOD, id_valid_until=text)), text
    assert _codes(dataclasses.replace(GOOD, id_valid_until="soon"))["id_valid_until"] == "bad_date"


def test_debts_above_income_are_questioned() -> None:
    """Monthly debt payments above the income are flagged for the clerk to check."""
    assert _codes(dataclasses.replace(GOOD, monthly_debt_payments="9000"))["monthly_debt_payments"] == (
        "debts_over_income"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        CustomerForm,
        **{f.name: st.text(max_size=25) for f in dataclasses.fields(CustomerForm)},
    )
)
def test_any_input_gives_problems_not_exceptions(form: CustomerForm) -> None:
    """Whatever is typed, the check answers with problems (typed, translated), never an exception."""
    for problem in check_customer_form(form, TODAY):
        assert problem.message and problem.code


def test_address_and_employer_fit_what_the_lender_takes() -> None:
    """The lender's contract (app/wire) takes at most 200 characters of address and 100 of employer: the form says
    so at the counter, before the customer signs, instead of the submission failing after."""
    from pydantic import ValidationError

    from app.wire.applications import Customer

    long_form = dataclasses.replace(GOOD, address="北京市朝阳区" + "建国路" * 70, employer="公司" * 51)
    assert _codes(long_form) == {"address": "too_long", "employer": "too_long"}
    fits = dataclasses.replace(GOOD, address="北京市朝阳区" + "路" * 194, employer="公司" * 50)
    assert "address" not in _codes(fits) and "employer" not in _codes(fits)
    for field, value in (("address", long_form.address), ("employer", long_form.employer)):
        try:
            Customer(name="李四", id_number="110105198001010024", phone="13800138000", **{field: value})
        except ValidationError:
            continue
        raise AssertionError(f"the wire took a {field} the form refuses")
