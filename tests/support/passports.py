"""Passport data pages made here (never downloaded): a TD3 zone with correct check digits in a monospace face,
plus some printed text, then distorted like a camera frame."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from app.domain.mrz import check_digit
from tests.support.id_cards import _distort

SURNAMES = ("ZHANG", "WANG", "LI", "ZHAO", "CHEN", "OUYANG", "SMITH", "NGUYEN")
GIVEN = ("SAN", "XIAOMING", "NA", "WEI", "ANNA MARIA", "JING", "HAO YU")
COUNTRIES = ("CHN", "UTO", "HKG", "USA", "GBR")


@dataclass(frozen=True)
class Passport:
    lines: tuple[str, str]
    document_number: str
    surname: str
    given_names: str
    birth_date: dt.date
    expiry_date: dt.date
    sex: str
    nationality: str


@cache
def _mono() -> str:
    return subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans Mono"], capture_output=True, text=True, check=True
    ).stdout


def make_passport(seed: int) -> Passport:
    rng = random.Random(seed)
    country = rng.choice(COUNTRIES)
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
    number = rng.choice("EGP") + "".join(rng.choice("0123456789") for _ in range(8))
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000))
    expiry = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(3000))
    sex = rng.choice("MF")
    one = f"P<{country}{surname}<<{given.replace(' ', '<')}".ljust(44, "<")[:44]
    body = f"{number}{check_digit(number)}{country}{born:%y%m%d}{check_digit(f'{born:%y%m%d}')}{sex}"
    body += f"{expiry:%y%m%d}{check_digit(f'{expiry:%y%m%d}')}" + "<" * 14 + "<"
    two = body + check_digit(body[0:10] + body[13:20] + body[21:43])
    return Passport((one, two), number, surname, given, born, expiry, sex, country)


def render_page(passport: Passport, distortion: str = "clean", seed: int = 0) -> Image.Image:
    image = Image.new("RGB", (1000, 640), (244, 240, 232))
    draw = ImageDraw.Draw(image)
    label = ImageFont.truetype(_mono(), 18)
    draw.text((300, 60), "PASSPORT", font=ImageFont.truetype(_mono(), 30), fill=(40, 40, 80))
    draw.text((300, 130), f"Surname / {passport.surname}", font=label, fill=(30, 30, 30))
    draw.text((300, 170), f"Given names / {passport.given_names}", font=label, fill=(30, 30, 30))
    draw.rectangle((60, 100, 260, 360), fill=(205, 205, 210))
    mono = ImageFont.truetype(_mono(), 26)
    draw.text((40, 520), passport.lines[0], font=mono, fill=(10, 10, 10))
    draw.text((40, 565), passport.lines[1], font=mono, fill=(10, 10, 10))
    return _distort(image, distortion, random.Random(seed))
