"""Filling the customer details form in UI tests, as a clerk would after a scan."""

from __future__ import annotations

GOOD_CUSTOMER = {
    "name": "王芳",
    "id_number": "110105198001010024",
    "birth_date": "",
    "id_valid_until": "2035-01-01",
    "phone": "13812345678",
    "address": "北京市朝阳区建国路12号",
    "employer": "顺丰速运",
    "years_at_job": "6",
    "monthly_income": "9000",
    "monthly_expenses": "2500",
    "assets": "60000",
    "monthly_debt_payments": "800",
    "overdue_records": "0",
    "emergency_name": "李娜",
    "emergency_phone": "13987654321",
    "bank_card": "6222020200000000006",
    "job_type": "employee",
    "housing": "own",
    "emergency_relation": "spouse",
}


def fill_customer(form, **changes: str) -> None:
    """Put a complete, valid customer into the form widget, with `changes` applied."""
    form.set_values({**GOOD_CUSTOMER, **changes})
