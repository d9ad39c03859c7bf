"""Resident identity card numbers (居民身份证号码, GB 11643): validation and what they say about the holder.

python-stdnum's `cn.ric` is not used for validation: it insists that a region code already existed in the
year of birth, but people born before a district was created were numbered there when they registered, and
renamed or merged districts keep their old codes on cards that stay valid. The rule kept here: a code is
refused only if it was retired before the holder was born (nobody born later can have been numbered there);
its latest name is shown. The residence permits of Hong Kong, Macao and Taiwan residents (810000, 820000,
830000) are accepted too. stdnum's region table is still the source of names.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK = "10X98765432"
_BODY = re.compile(r"^\d{17}[\dX]$")
MAX_AGE = 120
RESIDENCE_PERMITS = {"810000": "香港特别行政区", "820000": "澳门特别行政区", "830000": "台湾地区"}
_CITY_PLACEHOLDERS = {"市辖区", "县"}  # and every "…直辖县级…" group: table rows, not cities


@dataclass(frozen=True)
class Region:
    province: str
    city: str | None
    county: str | None


@dataclass(frozen=True)
class ResidentId:
    """A checked 18-character resident ID number."""

    number: str
    birth_date: dt.date
    is_male: bool
    area_code: str
    region: Region

    def age_on(self, day: dt.date) -> int:
        """Whole years of age on `day`."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def sex(self) -> str:
        """'M' or 'F', from the 17th digit."""
        return "M" if self.is_male else "F"

    @property
    def masked(self) -> str:
        """The number as it may be shown without revealing it (`1101**********1237`, app.domain.masking)."""
        from app.domain.masking import mask_id_number

        return mask_id_number(self.number)


def normalize_resident_id(number: str) -> str:
    """The canonical form: full-width characters folded (an IME types １１０１…), spaces and dashes removed,
    upper-case X."""
    folded = unicodedata.normalize("NFKC", number)
    return re.sub(r"[\s\-]", "", folded).upper()


def check_character(body: str) -> str:
    """The MOD 11-2 check character (ISO 7064) of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _latest_name(raw: str | None) -> str | None:
    if not raw:
        return None
    return re.sub(r"^\[[^\]]*\]", "", raw.split(",")[-1]).strip() or None


def _retired_before(raw: str, year: int) -> bool:
    ends = []
    for name in raw.split(","):
        match = re.match(r"^\[(\d*)-(\d*)\]", name)
        if match is None or not match.group(2):
            return False  # a name with no end year is still in use
        ends.append(int(match.group(2)))
    return max(ends) < year


@functools.lru_cache(maxsize=4096)
def _region_entry(code: str) -> tuple[str, str | None, str | None, str] | None:
    """(province, city, county, the county's raw history) of a code, by latest names; None if unknown."""
    from stdnum import numdb

    db = numdb.get("cn/loc")
    county_info = {k: v for _part, props in db.info(code) for k, v in props.items()}
    if "province" not in county_info or "county" not in county_info:
        return None
    province = county_info["province"]
    city_info = {k: v for _part, props in db.info(code[:4] + "00") for k, v in props.items()}
    city = _latest_name(city_info.get("county")) if code[2:4] != "00" else None
    if city in _CITY_PLACEHOLDERS or (city and "直辖" in city):
        city = province if code[:2] in ("11", "12", "31", "50") else None
    county = _latest_name(county_info["county"]) if code[4:] != "00" else None
    return province, city, county, county_info["county"]


def region_of(code: str, born_in: int | None = None) -> Region | None:
    """The province, city and county of a 6-digit region code, by their latest names; None if unknown, or if
    the code was retired before `born_in`."""
    if code in RESIDENCE_PERMITS:
        return Region(RESIDENCE_PERMITS[code], None, None)
    entry = _region_entry(code)
    if entry is None or (born_in is not None and _retired_before(entry[3], born_in)):
        return None
    return Region(*entry[:3])


def parse_resident_id(number: str, as_of: dt.date | None = None) -> ResidentId:
    """Validate `number` (length, format, region, birth date, check character) on day `as_of` (default today);
    raises InvalidInput saying what is wrong."""
    compact = normalize_resident_id(number)
    if len(compact) == 15 and compact.isdigit():
        raise InvalidInput(
            _(
                "This is a 15-digit first-generation ID number, which is no longer accepted. Ask for the current "
                "18-digit card."
            ),
            code="id_first_generation",
        )
    if len(compact) != 18:
        raise InvalidInput(_("A resident ID number has 18 characters."), code="id_length")
    if not _BODY.match(compact):
        raise InvalidInput(_("This is not a valid resident ID number."), code="id_invalid")
    if check_character(compact[:17]) != compact[17]:
        raise InvalidInput(_("The check digit of the ID number is wrong."), code="id_checksum")
    try:
        birth = dt.date(int(compact[6:10]), int(compact[10:12]), int(compact[12:14]))
    except ValueError as exc:
        raise InvalidInput(_("The ID number contains an impossible birth date or area."), code="id_component") from exc
    today = as_of or dt.date.today()
    if birth > today:
        raise InvalidInput(_("The birth date in the ID number is in the future."), code="id_future_birth")
    region = region_of(compact[:6], birth.year)
    if region is None:
        raise InvalidInput(_("The ID number contains an impossible birth date or area."), code="id_component")
    resident = ResidentId(compact, birth, int(compact[16]) % 2 == 1, compact[:6], region)
    if resident.age_on(today) > MAX_AGE:
        raise InvalidInput(
            _("The birth date in the ID number means an age over {max}.").format(max=MAX_AGE), code="id_too_old"
        )
    return resident


def make_resident_id(area_code: str, birth_date: dt.date, sequence: int) -> str:
    """A well-formed number for `area_code`, `birth_date` and a 3-digit sequence (odd for men)."""
    body = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + check_character(body)
