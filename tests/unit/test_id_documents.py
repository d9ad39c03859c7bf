"""Resident ID numbers (GB 11643) and machine-readable zones (ICAO 9303), and their commands."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from app.cli import main
from app.domain.identity import check_character, make_resident_id, parse_resident_id
from app.domain.mrz import check_digit, parse_mrz
from app.kernel.errors import InvalidInput
from tests.conftest import REPO

TODAY = dt.date(2026, 11, 29)
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"


# --- resident ID numbers --------------------------------------------------------------------------------------


def test_published_sample_and_its_details() -> None:
    """GB 11643's sample 11010519491231002X: a woman born 1949-12-31 in Beijing, Chaoyang."""
    resident = parse_resident_id("11010519491231002x", TODAY)
    assert resident.number == "11010519491231002X" and resident.sex == "F"
    assert resident.age_on(TODAY) == 76
    assert (resident.region.province, resident.region.city, resident.region.county) == ("北京市", "北京市", "朝阳区")


def test_full_width_digits_and_spaces_are_normalised() -> None:
    """What a Chinese IME types (full-width digits, ｘ) and grouping spaces are folded to the 18 characters."""
    assert parse_resident_id("１１０１０５ １９４９１２３１ ００２ｘ", TODAY).number == "11010519491231002X"


def test_first_generation_numbers_are_refused_clearly() -> None:
    """A 15-digit number gets its own message, not 'wrong length'."""
    with pytest.raises(InvalidInput) as caught:
        parse_resident_id("110105491231002", TODAY)
    assert caught.value.code == "id_first_generation" and "15-digit" in caught.value.message


@pytest.mark.parametrize(
    ("born", "code"), [(dt.date(2027, 1, 1), "id_future_birth"), (dt.date(1900, 1, 1), "id_too_old")]
)
def test_impossible_ages_are_refused(born: dt.date, code: str) -> None:
    """Birth dates in the future and ages over 120 are refused."""
    with pytest.raises(InvalidInput) as caught:
        parse_resident_id(make_resident_id("110105", born, 2), TODAY)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("area", "province"), [("810000", "香港特别行政区"), ("820000", "澳门特别行政区"), ("830000", "台湾地区")]
)
def test_residence_permits_are_accepted(area: str, province: str) -> None:
    """Hong Kong, Macao and Taiwan residents' 18-digit residence permits are valid numbers."""
    resident = parse_resident_id(make_resident_id(area, dt.date(1990, 6, 1), 35), TODAY)
    assert resident.region.province == province


def test_codes_of_districts_created_after_birth_are_accepted_where_stdnum_refuses() -> None:
    """Nanshan (440305, created 1983-1990) on a card of someone born in 1960 is real; stdnum refuses it."""
    number = make_resident_id("440305", dt.date(1960, 5, 5), 123)
    assert not ric.is_valid(number)
    assert parse_resident_id(number, TODAY).region.county == "南山区"


def test_merged_district_codes_stay_valid_but_not_for_people_born_after() -> None:
    """Chongwen (110103) was merged away in 2010: valid on older cards, impossible for a 2012 birth."""
    assert parse_resident_id(make_resident_id("110103", dt.date(1980, 1, 1), 123), TODAY).region.county == "崇文区"
    with pytest.raises(InvalidInput):
        parse_resident_id(make_resident_id("110103", dt.date(2012, 1, 1), 123), TODAY)


def test_check_character_matches_stdnum() -> None:
    """Our MOD 11-2 agrees with python-stdnum's on many bodies."""
    for n in range(0, 10**17, 10**17 // 997):
        body = f"{n:017d}"
        assert check_character(body) == ric.calc_check_digit(body + "0")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_parser_answers_or_refuses_nothing_else(text: str) -> None:
    """Any text gets a checked number or a typed InvalidInput (never another exception)."""
    with contextlib.suppress(InvalidInput):
        parse_resident_id(text, TODAY)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A[0-9]{17}[0-9Xx]\Z"))
def test_random_numbers_answer_or_refuse(text: str) -> None:
    """Random 18-character numbers: valid ones agree with their own check character."""
    try:
        resident = parse_resident_id(text, TODAY)
    except InvalidInput:
        return
    assert check_character(resident.number[:17]) == resident.number[17]


# --- machine-readable zones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "fmt"), [(TD3, "TD3"), (TD2, "TD2"), (TD1, "TD1")])
def test_icao_specimens(text: str, fmt: str) -> None:
    """ICAO 9303's specimen zones: every check holds, names and dates read as printed."""
    zone = parse_mrz(text, TODAY)
    assert zone.format == fmt and zone.valid and all(zone.checks.values())
    assert (zone.surname, zone.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert zone.issuing_country == "UTO" and zone.sex == "F"
    assert zone.birth_date == dt.date(1974, 8, 12) and zone.expiry_date == dt.date(2012, 4, 15)


def test_a_changed_character_fails_its_check() -> None:
    """One wrong digit in the birth date fails that check and the composite."""
    zone = parse_mrz(TD3.replace("7408122F", "7408132F"), TODAY)
    assert not zone.valid and zone.checks["birth_date"] is False and zone.checks["composite"] is False
    assert zone.checks["document_number"] is True


def test_long_document_number_in_td1() -> None:
    """A TD1 number longer than 9 characters continues in the optional field, its check digit after it."""
    number = "D23145890734"
    head, tail = number[:9], number[9:] + check_digit(number)
    one = f"I<UTO{head}<{tail}".ljust(30, "<")
    two = "7408122F1204159UTO<<<<<<<<<<<"
    two += check_digit(one[5:30] + two[0:7] + two[8:15] + two[18:29])
    zone = parse_mrz(f"{one}\n{two}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", TODAY)
    assert zone.document_number == number and zone.valid


def test_centuries() -> None:
    """Birth dates are never in the future; expiry dates fall within 50 years of today."""
    line2 = "L898902C36UTO0501018M3101015<<<<<<<<<<<<<<0"
    line2 = line2[:19] + check_digit("050101") + line2[20:27] + check_digit("310101") + line2[28:]
    line2 = line2[:43] + check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    zone = parse_mrz(f"P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n{line2}", TODAY)
    assert zone.birth_date == dt.date(2005, 1, 1) and zone.expiry_date == dt.date(2031, 1, 1) and zone.valid


MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


@st.composite
def zone_shaped(draw: st.DrawFn) -> str:
    rows, width = draw(st.sampled_from([(3, 30), (2, 36), (2, 44)]))
    return "\n".join(draw(st.text(alphabet=MRZ_ALPHABET, min_size=width, max_size=width)) for _ in range(rows))


@settings(max_examples=400, deadline=None)
@given(st.one_of(zone_shaped(), st.text(max_size=100)))
def test_mrz_parser_answers_or_refuses(text: str) -> None:
    """Any text, random zones of the right shape included, gets a zone or a typed InvalidInput."""
    with contextlib.suppress(InvalidInput):
        zone = parse_mrz(text, TODAY)
        assert zone.format in ("TD1", "TD2", "TD3") and isinstance(zone.valid, bool)


# --- commands -------------------------------------------------------------------------------------------------

ID_KEYS = ["valid", "normalized", "birth_date", "sex", "age", "region", "error"]
MRZ_KEYS = [
    "valid",
    "format",
    "document_type",
    "issuing_country",
    "document_number",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "checks",
    "error",
]


def test_id_check_command(capsys) -> None:
    """Exact keys; exit 0 valid with region; exit 1 with error.code when invalid."""
    assert main(["id", "check", "11010519491231002X", "--as-of", "2026-11-29", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ID_KEYS and out["age"] == 76 and out["sex"] == "F"
    assert out["region"] == {"province": "北京市", "city": "北京市", "county": "朝阳区"} and out["error"] is None
    assert main(["id", "check", "11010519491231002Y", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ID_KEYS and out["valid"] is False and out["error"]["code"] == "id_invalid"


def test_id_mrz_command_reads_stdin(subprocess_env) -> None:
    """`--text -` reads the zone from stdin; a failed check exits 1 naming the field."""
    run = [sys.executable, "-m", "app", "id", "mrz", "--text", "-", "--json"]
    done = subprocess.run(run, cwd=REPO, env=subprocess_env, input=TD1, capture_output=True, text=True, timeout=60)
    out = json.loads(done.stdout)
    assert done.returncode == 0 and list(out) == MRZ_KEYS and out["format"] == "TD1" and out["valid"] is True
    bad = TD3.replace("L898902C3", "L898902C4")
    done = subprocess.run(run, cwd=REPO, env=subprocess_env, input=bad, capture_output=True, text=True, timeout=60)
    out = json.loads(done.stdout)
    assert done.returncode == 1 and out["error"]["code"] == "mrz_check" and "document number" in out["error"]["message"]


def test_td1_filler_after_the_number_is_not_a_long_number() -> None:
    """Found by fuzzing: a '<' check digit followed by a filler then data is not a continued number."""
    with contextlib.suppress(InvalidInput):
        zone = parse_mrz("00000000000000<<00000000000000\n" + "0" * 30 + "\n" + "0" * 30, TODAY)
        assert zone.valid is False
