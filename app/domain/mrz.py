"""Machine-readable zones of travel documents (ICAO Doc 9303): TD1 (3×30), TD2 (2×36), TD3 (2×44).

Written here rather than taken from a library: the parser must report every check separately and later take
OCR output corrected by field type, which the small MRZ packages on PyPI do not offer; the rules are short.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

_WEIGHTS = (7, 3, 1)
_ALLOWED = re.compile(r"^[A-Z0-9<]+$")
FORMATS = {(3, 30): "TD1", (2, 36): "TD2", (2, 44): "TD3"}


def _value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if ch == "<":
        return 0
    return ord(ch) - ord("A") + 10


def check_digit(data: str) -> str:
    """The ICAO check digit of `data` (weights 7, 3, 1; A–Z count 10–35, the filler '<' 0)."""
    return str(sum(_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(data)) % 10)


def _digit_ok(data: str, digit: str) -> bool:
    # An optional field left empty may carry '<' as its check digit.
    if digit == "<":
        return set(data) <= {"<"}
    return check_digit(data) == digit


@dataclass(frozen=True)
class Mrz:
    """A parsed zone; `checks` says which check digits hold."""

    format: str
    document_type: str
    issuing_country: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: dt.date | None
    sex: str
    expiry_date: dt.date | None
    optional_data: str
    checks: dict[str, bool] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return all(self.checks.values()) and self.birth_date is not None and self.expiry_date is not None

    def first_failed_check(self) -> str | None:
        return next((name for name, ok in self.checks.items() if not ok), None)


def _clean(field_text: str) -> str:
    return field_text.replace("<", " ").strip()


def _names(zone: str) -> tuple[str, str]:
    surname, _sep, given = zone.partition("<<")
    return " ".join(surname.replace("<", " ").split()), " ".join(given.replace("<", " ").split())


def _date(yymmdd: str, today: dt.date, future: bool) -> dt.date | None:
    """YYMMDD with its century: a birth date is never in the future; an expiry date lies within 50 years of
    today, either side."""
    if not yymmdd.isdigit():
        return None
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    for century in (2000, 1900) if not future else (2000, 2100, 1900):
        try:
            candidate = dt.date(century + yy, month, day)
        except ValueError:
            return None
        if not future and candidate <= today:
            return candidate
        if future and abs((candidate - today).days) <= 50 * 366:
            return candidate
    return None


def split_lines(text: str) -> list[str]:
    """The zone's lines: surrounding spaces dropped, empty lines ignored, letters upper-cased."""
    return [line.strip().upper() for line in text.strip().splitlines() if line.strip()]


def parse_mrz(text: str, today: dt.date | None = None) -> Mrz:
    """Parse a zone (lines separated by newlines). Raises InvalidInput if it is not one; a zone whose check
    digits fail is returned with those checks False."""
    today = today or dt.date.today()
    lines = split_lines(text)
    shape = (len(lines), len(lines[0]) if lines else 0)
    fmt = FORMATS.get(shape)
    if fmt is None or any(len(line) != shape[1] for line in lines):
        raise InvalidInput(
            _("Not a machine-readable zone: expected 3 lines of 30, or 2 lines of 36 or 44 characters."),
            code="mrz_format",
        )
    if not all(_ALLOWED.match(line) for line in lines):
        raise InvalidInput(_("A machine-readable zone holds only A–Z, 0–9 and '<'."), code="mrz_characters")
    return _td1(lines, today) if fmt == "TD1" else _td23(lines, fmt, today)


def _td23(lines: list[str], fmt: str, today: dt.date) -> Mrz:
    one, two = lines
    width = len(two)
    surname, given = _names(one[5:])
    number, birth, expiry = two[0:9], two[13:19], two[21:27]
    optional_end = width - 2 if fmt == "TD3" else width - 1
    optional = two[28:optional_end]
    checks = {
        "document_number": _digit_ok(number, two[9]),
        "birth_date": _digit_ok(birth, two[19]),
        "expiry_date": _digit_ok(expiry, two[27]),
    }
    if fmt == "TD3":
        checks["optional_data"] = _digit_ok(optional, two[42])
    checks["composite"] = _digit_ok(two[0:10] + two[13:20] + two[21 : width - 1], two[width - 1])
    return Mrz(
        fmt,
        _clean(one[0:2]),
        _clean(one[2:5]),
        _clean(number),
        surname,
        given,
        _clean(two[10:13]),
        _date(birth, today, future=False),
        _sex(two[20]),
        _date(expiry, today, future=True),
        _clean(optional),
        checks,
    )


def _td1(lines: list[str], today: dt.date) -> Mrz:
    one, two, three = lines
    number, number_check, optional1 = one[5:14], one[14], one[15:30]
    run = optional1.split("<", 1)[0]
    if number_check == "<" and run:
        # A number longer than 9 characters continues in the optional field; its check digit ends that run.
        number, number_check, optional1 = number + run[:-1], run[-1], optional1[len(run) :]
    surname, given = _names(three)
    birth, expiry = two[0:6], two[8:14]
    checks = {
        "document_number": _digit_ok(number, number_check),
        "birth_date": _digit_ok(birth, two[6]),
        "expiry_date": _digit_ok(expiry, two[14]),
        "composite": _digit_ok(one[5:30] + two[0:7] + two[8:15] + two[18:29], two[29]),
    }
    return Mrz(
        "TD1",
        _clean(one[0:2]),
        _clean(one[2:5]),
        _clean(number),
        surname,
        given,
        _clean(two[15:18]),
        _date(birth, today, future=False),
        _sex(two[7]),
        _date(expiry, today, future=True),
        _clean(optional1 + two[18:29]),
        checks,
    )


def _sex(ch: str) -> str:
    return ch if ch in ("M", "F") else "X"
