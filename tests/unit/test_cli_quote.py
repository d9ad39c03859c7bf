"""`fenqi quote`: the JSON contract, the catalog form, and errors."""

from __future__ import annotations

import json

from app.cli import main

KEYS = [
    "principal",
    "term",
    "method",
    "installments",
    "total_interest",
    "total_fees",
    "total_repayable",
    "apr",
    "effective_annual_rate",
]
ROW_KEYS = ["n", "due_date", "principal", "interest", "fee", "total", "balance"]


def _run(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_raw_quote_json_contract(capsys) -> None:
    """Exact keys; money as two-decimal strings; rates as percent strings without %."""
    code, out = _run(
        capsys,
        "quote",
        "--principal",
        "10000",
        "--term",
        "12",
        "--method",
        "annuity",
        "--annual-rate",
        "0.12",
        "--start-date",
        "2026-01-31",
    )
    assert code == 0
    assert list(out) == KEYS and list(out["installments"][0]) == ROW_KEYS
    assert out["principal"] == "10000.00" and out["term"] == 12 and out["method"] == "annuity"
    assert out["installments"][0] == {
        "n": 1,
        "due_date": "2026-02-28",
        "principal": "788.49",
        "interest": "100.00",
        "fee": "0.00",
        "total": "888.49",
        "balance": "9211.51",
    }
    assert out["installments"][-1]["balance"] == "0.00"
    assert (out["apr"], out["effective_annual_rate"]) == ("12.00", "12.68")


def test_flat_fee_with_repayment_day(capsys) -> None:
    """Card installments with a chosen repayment day."""
    code, out = _run(
        capsys,
        "quote",
        "--principal",
        "12000",
        "--term",
        "12",
        "--method",
        "flat-fee",
        "--monthly-fee-rate",
        "0.006",
        "--start-date",
        "2026-01-25",
        "--repayment-day",
        "5",
    )
    assert code == 0
    assert out["installments"][0]["due_date"] == "2026-03-05"
    assert out["total_fees"] == "864.00" and out["apr"] == "13.03"


def test_catalog_quote(capsys, signed_catalog) -> None:
    """`--product CODE --price X --down-payment Y --term N` quotes from the signed catalog."""
    code, out = _run(capsys, "quote", "--product", "CASH", "--price", "20000", "--term", "12")
    assert code == 0 and out["principal"] == "20000.00" and out["apr"] == "18.00"


def test_errors_exit_1_with_code(capsys) -> None:
    """Invalid input exits 1 with error.code; the catalog form without a signed catalog cannot work (exit 3)."""
    cases = [
        (["quote", "--principal", "-5", "--term", "12", "--method", "annuity", "--annual-rate", "0.1"], "bad_amount"),
        (
            ["quote", "--principal", "1000", "--term", "12", "--method", "annuity", "--annual-rate", "0.3"],
            "apr_over_cap",
        ),
        (["quote", "--principal", "1000", "--term", "12", "--method", "annuity", "--annual-rate", "abc"], "bad_rate"),
        (
            [
                "quote",
                "--principal",
                "1000",
                "--term",
                "12",
                "--method",
                "annuity",
                "--annual-rate",
                "0.1",
                "--start-date",
                "2026-02-30",
            ],
            "bad_date",
        ),
        (["quote", "--term", "12"], "missing_terms"),
    ]
    for argv, expected in cases:
        code, out = _run(capsys, *argv)
        assert code == 1 and out["error"]["code"] == expected, argv
    code, out = _run(capsys, "quote", "--product", "CASH", "--price", "20000", "--term", "12")
    assert code == 3 and out["error"]["code"] == "signature_invalid"
