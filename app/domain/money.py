"""Money is Decimal yuan with two places; this module is the one place rounding is decided."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

CENT = Decimal("0.01")
ROUNDING = ROUND_HALF_UP
MAX_DIGITS_BEFORE_POINT = 11  # far above any loan; keeps every amount exact in two-place arithmetic


def round_money(amount: Decimal) -> Decimal:
    """`amount` rounded to the fen, half up (the rounding the lender's contracts state)."""
    return amount.quantize(CENT, rounding=ROUNDING)


def parse_money(text: str) -> Decimal:
    """A non-negative amount typed or given by a person, e.g. '4999' or '4,999.50'; at most two decimals."""
    cleaned = text.strip().replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise InvalidInput(_("Not an amount: {text}").format(text=text), code="bad_amount") from exc
    if not amount.is_finite() or amount < 0 or amount.adjusted() > MAX_DIGITS_BEFORE_POINT:
        raise InvalidInput(_("Not an amount: {text}").format(text=text), code="bad_amount")
    if amount != amount.quantize(CENT):
        raise InvalidInput(_("Amounts have at most two decimals: {text}").format(text=text), code="bad_amount")
    return amount.quantize(CENT) + 0  # + 0 turns -0 into 0


def to_fen(amount: Decimal) -> int:
    """The amount in fen (1/100 yuan) as stored; the amount must already be rounded to the fen."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount {amount} is not a whole number of fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """The amount in yuan for a stored number of fen."""
    return (Decimal(fen) / 100).quantize(CENT)


def format_money(amount: Decimal) -> str:
    """The amount as the JSON contract prints it: a string with two decimals."""
    return f"{round_money(amount):.2f}"


def share_of(amount: Decimal, percent_text: str) -> Decimal:
    """`percent_text` percent of `amount` (e.g. '20' or '20%' of 4999 → 999.80), rounded to the fen."""
    cleaned = percent_text.strip().rstrip("%").strip()
    try:
        percent = Decimal(cleaned)
    except InvalidOperation as exc:
        raise InvalidInput(_("Not a percentage: {text}").format(text=percent_text), code="bad_percent") from exc
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise InvalidInput(_("Not a percentage: {text}").format(text=percent_text), code="bad_percent")
    return round_money(amount * percent / 100)
