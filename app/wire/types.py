"""The value types of the wire contract between the counter and the lender, strict in both directions: money is
a decimal string with two places inside a range (never a float, NaN or infinity), whole numbers have ranges,
texts have bounded lengths and no control characters or lone surrogates, ids are UUIDs, moments carry a time
zone and days are calendar days inside the years the business knows. A value of the wrong JSON type is
refused rather than coerced (the integer 5 is not the text "5", a number is not a moment)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

MONEY_PATTERN = r"^(0|[1-9][0-9]{0,8})\.[0-9]{2}$"  # 0.00 … 999999999.99
_MONEY = re.compile(MONEY_PATTERN)
PRINTABLE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
NAME_PATTERN = r"^[^\x00-\x1f\x7f]+$"  # a person's name: printable and not empty
FIRST_YEAR, LAST_YEAR = 1900, 2999
MAX_SEQ = 2**62  # cursors and sequence numbers fit a signed 64-bit column with room to spare


class Request(BaseModel):
    """A body the sender composes: unknown keys are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(BaseModel):
    """A body the other side answers with: keys added by a newer server are ignored by an older counter."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def _money(value: object) -> Decimal:
    if isinstance(value, Decimal) and value.is_finite() and _MONEY.fullmatch(f"{value:.2f}"):
        return value.quantize(Decimal("0.01"))
    if isinstance(value, str) and _MONEY.fullmatch(value):
        return Decimal(value)
    raise ValueError('money is a string with two decimal places from "0.00" to "999999999.99"')


Money = Annotated[
    Decimal,
    PlainValidator(_money),
    PlainSerializer(lambda amount: f"{amount:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["4999.00"]}),
]


def _printable(text: str) -> str:
    for char in text:
        code = ord(char)
        if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            raise ValueError("text may not contain control characters or lone surrogates")
    return text


Printable = Annotated[str, Strict(), AfterValidator(_printable), Field(pattern=PRINTABLE_PATTERN)]
"""A string without control characters or lone surrogates; bound its length where used:
`Annotated[Printable, Field(max_length=32)]`."""
Whole = Annotated[int, Strict()]
"""A JSON integer (a boolean or a text is not one); bound its range where used: `Annotated[Whole, Field(ge=1)]`."""


def member_of(choices: tuple[str, ...]) -> AfterValidator:
    """A validator refusing a text that is not one of `choices` (the lists stay in the domain, not repeated)."""

    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(f"must be one of: {', '.join(choices)}")
        return value

    return AfterValidator(check)


def _not_a_number(value: object) -> object:
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError("expected a string")
    return value


def _in_years(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year must be from {FIRST_YEAR} to {LAST_YEAR}")
    return value


Id = Annotated[uuid.UUID, BeforeValidator(_not_a_number)]
Moment = Annotated[dt.datetime, BeforeValidator(_not_a_number), Field(), AfterValidator(_in_years)]
Day = Annotated[dt.date, BeforeValidator(_not_a_number), AfterValidator(_in_years)]
Sha256 = Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9a-f]{64}$")]
StoreCode = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,9}$")]
Flag = Annotated[bool, Strict()]
Seq = Annotated[int, Strict(), Field(ge=0, le=MAX_SEQ)]


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a moment needs its time zone (e.g. +08:00 or Z)")
    return value


AwareMoment = Annotated[Moment, AfterValidator(_aware)]
