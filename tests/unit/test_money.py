"""Money: parsing what people type, rounding half up, and the fen conversion used for storage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.money import format_money, from_fen, parse_money, round_money, to_fen
from app.kernel.errors import InvalidInput

# Whole-fen amounts from 0 to 100 million yuan, with exactly two places.
cents = st.integers(min_value=0, max_value=10_000_000_000).map(lambda n: Decimal(n).scaleb(-2))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4999", Decimal("4999.00")),
        ("4,999.50", Decimal("4999.50")),
        ("¥12.3", Decimal("12.30")),
        ("￥12.30", Decimal("12.30")),
        ("  0.01 ", Decimal("0.01")),
        ("0", Decimal("0.00")),
    ],
)
def test_parse_money_accepts_typed_amounts(text: str, expected: Decimal) -> None:
    """Plain, comma-grouped and yen-prefixed amounts parse to the right value."""
    assert parse_money(text) == expected


def test_parse_money_always_has_two_places() -> None:
    """The parsed amount carries exactly two decimal places, whatever was typed."""
    assert parse_money("4999").as_tuple().exponent == -2
    assert str(parse_money("¥12.3")) == "12.30"


@pytest.mark.parametrize("text", ["-1", "-0.01", "abc", "1.234", "0.001", "NaN", "Infinity", "-Infinity", "sNaN", ""])
def test_parse_money_rejects_bad_amounts(text: str) -> None:
    """Negative, non-numeric, non-finite and over-precise amounts are refused with code bad_amount."""
    with pytest.raises(InvalidInput) as info:
        parse_money(text)
    assert info.value.code == "bad_amount"


@pytest.mark.parametrize("text", ["1e30", "12345678901234567890123456789"])
def test_parse_money_rejects_absurdly_large_amounts_as_bad_amount(text: str) -> None:
    """An amount too large for two-place arithmetic is refused as bad_amount, not with a decimal error."""
    with pytest.raises(InvalidInput) as info:
        parse_money(text)
    assert info.value.code == "bad_amount"


def test_parse_money_minus_zero_is_not_negative() -> None:
    """'-0' either is refused or becomes a plain zero that prints as '0.00', never '-0.00'."""
    try:
        amount = parse_money("-0")
    except InvalidInput:
        return
    assert format_money(amount) == "0.00"


@settings(database=None)
@given(cents)
def test_to_fen_from_fen_round_trip(amount: Decimal) -> None:
    """Any whole-fen amount survives yuan -> fen -> yuan unchanged, and fen is 100 times the yuan."""
    fen = to_fen(amount)
    assert isinstance(fen, int)
    assert Decimal(fen) == amount * 100
    assert from_fen(fen) == amount
    assert from_fen(fen).as_tuple().exponent == -2


@settings(database=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_from_fen_to_fen_round_trip(fen: int) -> None:
    """Any stored fen count survives fen -> yuan -> fen unchanged."""
    assert to_fen(from_fen(fen)) == fen


@pytest.mark.parametrize("amount", [Decimal("0.001"), Decimal("12.345"), Decimal("0.005")])
def test_to_fen_refuses_fractional_fen(amount: Decimal) -> None:
    """An amount that is not a whole number of fen cannot be stored."""
    with pytest.raises(ValueError):
        to_fen(amount)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("2.665", "2.67"),
        ("1.994", "1.99"),
        ("1.995", "2.00"),
        ("10", "10.00"),
    ],
)
def test_round_money_is_half_up(amount: str, expected: str) -> None:
    """Rounding to the fen goes half up (not banker's rounding)."""
    assert round_money(Decimal(amount)) == Decimal(expected)
    assert str(round_money(Decimal(amount))) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("4999"), "4999.00"),
        (Decimal("12.3"), "12.30"),
        (Decimal("0"), "0.00"),
        (Decimal("2.675"), "2.68"),
        (Decimal("1234567.891"), "1234567.89"),
    ],
)
def test_format_money_gives_two_decimals(amount: Decimal, expected: str) -> None:
    """The JSON form of an amount is a plain string with exactly two decimals, rounded half up."""
    assert format_money(amount) == expected


@settings(database=None)
@given(cents)
def test_format_then_parse_round_trip(amount: Decimal) -> None:
    """What format_money prints, parse_money reads back as the same amount."""
    assert parse_money(format_money(amount)) == amount
