"""Resident identity card numbers (居民身份证号码): validation and what they say about their holder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from app.errors import InvalidInput
from app.i18n import _


@dataclass(frozen=True)
class ResidentId:
    """A checked 18-character resident ID number."""

    number: str
    birth_date: dt.date
    is_male: bool
    area_code: str

    def age_on(self, day: dt.date) -> int:
        """Whole years of age on `day`."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def masked(self) -> str:
        """The number as it may be shown without revealing it: first 3 and last 4 characters."""
        return f"{self.number[:3]}{'*' * 11}{self.number[-4:]}"


def normalize_resident_id(number: str) -> str:
    """The canonical form used for storage and blind indexes: no spaces or dashes, upper-case X."""
    return "".join(ric.compact(number).split()).upper()


def parse_resident_id(number: str) -> ResidentId:
    """Validate `number` (length, area, birth date, check digit); raises InvalidInput saying what is wrong."""
    compact = normalize_resident_id(number)
    if len(compact) != 18:
        raise InvalidInput(_("A resident ID number has 18 characters."), code="id_length")
    try:
        ric.validate(compact)
    except KeyError as exc:  # stdnum's area table lacks a county inside a known province
        raise InvalidInput(_("The ID number contains an impossible birth date or area."), code="id_component") from exc
    except ValidationError as exc:
        name = type(exc).__name__
        if name == "InvalidChecksum":
            message, code = _("The check digit of the ID number is wrong."), "id_checksum"
        elif name == "InvalidComponent":
            message, code = _("The ID number contains an impossible birth date or area."), "id_component"
        else:
            message, code = _("This is not a valid resident ID number."), "id_invalid"
        raise InvalidInput(message, code=code) from exc
    return ResidentId(
        number=compact,
        birth_date=ric.get_birth_date(compact),
        is_male=int(compact[16]) % 2 == 1,
        area_code=compact[:6],
    )


def make_resident_id(area_code: str, birth_date: dt.date, sequence: int) -> str:
    """A well-formed number for `area_code`, `birth_date` and a 3-digit sequence (odd for men)."""
    body = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder in the check position
