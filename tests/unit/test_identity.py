"""Resident ID numbers and mainland mobile numbers: what is accepted, what is refused, and with which code."""

from __future__ import annotations

import datetime as dt

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.identity import make_resident_id, normalize_resident_id, parse_resident_id
from app.domain.phone import normalize_mobile
from app.kernel.errors import InvalidInput

# 110105 is Beijing, Chaoyang district: a county code valid for every year, so any birth date is possible.
AREA = "110105"
# A widely published sample number (born 1949-12-31, female, check character X).
SAMPLE = "11010519491231002X"


def check_char(body: str) -> str:
    """ISO 7064 MOD 11-2 check character of a 17-digit body, computed here independently of the app."""
    assert len(body) == 17 and body.isdigit()
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(body))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def valid_id(area: str, born: dt.date, sequence: int) -> str:
    """A correct 18-character number built by the test itself."""
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    return body + check_char(body)


birth_dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def test_check_char_helper_matches_published_sample() -> None:
    """The test's own check-digit helper agrees with a published number (so the other tests can rely on it)."""
    assert valid_id(AREA, dt.date(1949, 12, 31), 2) == SAMPLE


def test_parse_published_sample() -> None:
    """A real-format number yields its birth date, sex (even sequence = female) and area."""
    rid = parse_resident_id(SAMPLE)
    assert rid.number == SAMPLE
    assert rid.birth_date == dt.date(1949, 12, 31)
    assert rid.is_male is False
    assert rid.area_code == AREA


def test_make_resident_id_reproduces_published_sample() -> None:
    """make_resident_id builds exactly the published number from its parts."""
    assert make_resident_id(AREA, dt.date(1949, 12, 31), 2) == SAMPLE


@settings(database=None)
@given(birth_dates, sequences)
def test_make_resident_id_is_accepted_by_parse(born: dt.date, sequence: int) -> None:
    """Every number make_resident_id produces is accepted by parse_resident_id, with the same date and sex."""
    rid = parse_resident_id(make_resident_id(AREA, born, sequence))
    assert rid.birth_date == born
    assert rid.is_male == (sequence % 2 == 1)


@settings(database=None)
@given(birth_dates, sequences)
def test_parse_reads_birth_date_sex_and_area(born: dt.date, sequence: int) -> None:
    """Any well-formed number parses to the birth date, area and sex (odd sequence = male) it encodes."""
    rid = parse_resident_id(valid_id(AREA, born, sequence))
    assert rid.birth_date == born
    assert rid.area_code == AREA
    assert rid.is_male == (sequence % 2 == 1)


@pytest.mark.parametrize(("sequence", "male"), [(1, True), (2, False), (11, True), (998, False), (999, True)])
def test_sex_follows_sequence_parity(sequence: int, male: bool) -> None:
    """The 17th digit decides sex: odd for men, even for women."""
    assert parse_resident_id(valid_id(AREA, dt.date(1990, 6, 15), sequence)).is_male is male


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (dt.date(2020, 6, 14), 29),  # the day before the 30th birthday
        (dt.date(2020, 6, 15), 30),  # the birthday itself
        (dt.date(2020, 6, 16), 30),  # the day after
        (dt.date(2021, 6, 14), 30),
        (dt.date(1990, 6, 15), 0),
    ],
)
def test_age_on_birthday_edges(day: dt.date, age: int) -> None:
    """Age counts whole years and goes up on the birthday, not a day earlier or later."""
    rid = parse_resident_id(valid_id(AREA, dt.date(1990, 6, 15), 1))
    assert rid.age_on(day) == age


def test_age_on_leap_day_birthday() -> None:
    """Someone born on 29 February is a year older from 1 March in a common year."""
    rid = parse_resident_id(valid_id(AREA, dt.date(2000, 2, 29), 1))
    assert rid.age_on(dt.date(2018, 2, 28)) == 17
    assert rid.age_on(dt.date(2018, 3, 1)) == 18
    assert rid.age_on(dt.date(2020, 2, 29)) == 20


@settings(database=None)
@given(birth_dates, sequences, st.sampled_from("0123456789X"))
def test_wrong_check_character_is_refused(born: dt.date, sequence: int, char: str) -> None:
    """Replacing the check character by any other one gives id_checksum."""
    number = valid_id(AREA, born, sequence)
    if char == number[-1]:
        return
    with pytest.raises(InvalidInput) as info:
        parse_resident_id(number[:-1] + char)
    assert info.value.code == "id_checksum"


@pytest.mark.parametrize("number", ["", "1101051949123100", SAMPLE[:-1], SAMPLE + "0", "123"])
def test_wrong_length_is_refused(number: str) -> None:
    """Anything but 18 characters gives id_length."""
    with pytest.raises(InvalidInput) as info:
        parse_resident_id(number)
    assert info.value.code == "id_length"


@pytest.mark.parametrize("date_part", ["19990230", "19991301", "19990000", "20010229"])
def test_impossible_birth_date_is_refused(date_part: str) -> None:
    """A correct check digit over an impossible date (e.g. 30 February) gives id_component."""
    body = f"{AREA}{date_part}001"
    with pytest.raises(InvalidInput) as info:
        parse_resident_id(body + check_char(body))
    assert info.value.code == "id_component"


def test_unknown_area_is_refused() -> None:
    """A well-formed number from an area that does not exist gives id_component."""
    body = "00000019900101001"
    with pytest.raises(InvalidInput) as info:
        parse_resident_id(body + check_char(body))
    assert info.value.code == "id_component"


def test_unknown_county_in_known_province_is_refused_as_invalid_input() -> None:
    """A number whose county code does not exist is refused with InvalidInput, not a crash."""
    body = "11019919900101001"
    with pytest.raises(InvalidInput) as info:
        parse_resident_id(body + check_char(body))
    assert info.value.code == "id_component"


def test_letters_in_the_body_are_refused() -> None:
    """Letters before the check character are not a resident ID number (id_invalid)."""
    with pytest.raises(InvalidInput) as info:
        parse_resident_id("1101051949123100AX")
    assert info.value.code == "id_invalid"


def test_lowercase_x_is_normalised() -> None:
    """A lowercase x check character is accepted and stored as upper-case X."""
    lower = SAMPLE[:-1] + "x"
    assert normalize_resident_id(lower) == SAMPLE
    assert parse_resident_id(f"  {lower} ").number == SAMPLE


def test_inner_spaces_are_removed() -> None:
    """A number typed in groups with spaces normalises to the 18 characters."""
    assert normalize_resident_id("110105 19491231 002x") == SAMPLE


@settings(database=None)
@given(birth_dates, sequences)
def test_masked_shows_only_first_four_and_last_four(born: dt.date, sequence: int) -> None:
    """The masked form keeps the first 4 (province and city) and last 4 characters, hides the 10 between, and
    leaks no birth date."""
    number = valid_id(AREA, born, sequence)
    masked = parse_resident_id(number).masked
    assert len(masked) == 18
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert masked[4:14] == "*" * 10
    assert f"{born:%Y%m%d}" not in masked


# --- mobile numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["13812345678", "+86 138 1234 5678", "+8613812345678", "138-1234-5678", " 138 1234 5678 ", "0086 13812345678"],
)
def test_normalize_mobile_accepts_mainland_mobiles(text: str) -> None:
    """Local, international and grouped spellings of a mainland mobile give the 11-digit national form."""
    assert normalize_mobile(text) == "13812345678"


def test_landline_is_known_to_phonenumbers_as_fixed_line() -> None:
    """Precondition for the next test: phonenumbers treats 010-62345678 as a valid Beijing fixed line."""
    parsed = phonenumbers.parse("01062345678", "CN")
    assert phonenumbers.is_valid_number(parsed)
    assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.FIXED_LINE


@pytest.mark.parametrize(
    "text",
    [
        "12345",  # too short
        "01062345678",  # Beijing landline
        "02012345678",  # Guangzhou landline
        "+1 650 253 0000",  # a US number
        "+852 6123 4567",  # a Hong Kong mobile: not mainland
        "abc",  # not a number at all
        "",
    ],
)
def test_normalize_mobile_rejects_non_mobiles(text: str) -> None:
    """Short numbers, landlines, foreign numbers and text are refused with code bad_phone."""
    with pytest.raises(InvalidInput) as info:
        normalize_mobile(text)
    assert info.value.code == "bad_phone"
