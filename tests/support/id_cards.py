"""ID-card photos made here (never downloaded): the front and back of a card, drawn with a CJK font, then
tilted, blurred, noised or JPEG-compressed like a counter camera's frame."""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from app.domain.identity import make_resident_id

NAMES = ("王晓明", "李娜", "张伟", "陈静", "刘洋", "欧阳娜娜", "赵子涵", "周一诺", "吴思雨", "徐浩宇")
ADDRESSES = (
    "上海市徐汇区漕溪北路88号3室",
    "北京市朝阳区建国路12号院5号楼801",
    "广东省深圳市南山区科技园路1号",
    "四川省成都市武侯区人民南路四段27号",
    "浙江省杭州市西湖区文三路90号2幢",
)
AREAS = ("310104", "110105", "440305", "510107", "330106")
DISTORTIONS = ("clean", "tilt", "blur", "noise", "jpeg")


@dataclass(frozen=True)
class Card:
    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date
    address: str
    id_number: str
    issuing_authority: str
    valid_from: dt.date
    valid_until: dt.date | None


@cache
def _font_file() -> str:
    return subprocess.run(
        ["fc-match", "-f", "%{file}", "WenQuanYi Micro Hei"], capture_output=True, text=True, check=True
    ).stdout


def make_card(seed: int) -> Card:
    rng = random.Random(seed)
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(14000))
    area = rng.choice(AREAS)
    sequence = rng.randrange(1000)
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
    return Card(
        rng.choice(NAMES),
        "M" if sequence % 2 else "F",
        rng.choice(("汉", "回", "满", "壮")),
        born,
        rng.choice(ADDRESSES),
        make_resident_id(area, born, sequence),
        "某市公安局某分局",
        start,
        None if rng.random() < 0.2 else start.replace(year=start.year + 20),
    )


def _distort(image: Image.Image, distortion: str, rng: random.Random) -> Image.Image:
    if distortion == "tilt":
        image = image.rotate(
            rng.choice((-1, 1)) * rng.uniform(2, 6), expand=True, fillcolor=(250, 250, 250), resample=Image.BICUBIC
        )
    elif distortion == "blur":
        image = image.filter(ImageFilter.GaussianBlur(1.0))
    elif distortion == "noise":
        pixels = np.asarray(image, dtype=np.int16)
        noisy = pixels + np.random.default_rng(rng.randrange(10**6)).normal(0, 18, pixels.shape)
        image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    elif distortion == "jpeg":
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=40)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def render_front(card: Card, distortion: str = "clean", seed: int = 0) -> Image.Image:
    font = ImageFont.truetype(_font_file(), 30)
    small = ImageFont.truetype(_font_file(), 24)
    image = Image.new("RGB", (900, 570), (232, 238, 244))
    draw = ImageDraw.Draw(image)
    label, ink = (70, 95, 130), (15, 15, 15)
    draw.text((60, 60), "姓名", font=small, fill=label)
    draw.text((140, 56), card.name, font=font, fill=ink)
    draw.text((60, 120), "性别", font=small, fill=label)
    draw.text((140, 116), "男" if card.sex == "M" else "女", font=font, fill=ink)
    draw.text((260, 120), "民族", font=small, fill=label)
    draw.text((340, 116), card.ethnicity, font=font, fill=ink)
    draw.text((60, 180), "出生", font=small, fill=label)
    b = card.birth_date
    draw.text((140, 176), f"{b.year} 年 {b.month} 月 {b.day} 日", font=font, fill=ink)
    draw.text((60, 240), "住址", font=small, fill=label)
    draw.text((140, 236), card.address[:12], font=font, fill=ink)
    if len(card.address) > 12:
        draw.text((140, 280), card.address[12:], font=font, fill=ink)
    draw.rectangle((640, 60, 840, 310), fill=(200, 210, 220))  # the photo's place
    draw.text((60, 460), "公民身份号码", font=small, fill=label)
    draw.text((260, 456), card.id_number, font=font, fill=ink)
    return _distort(image, distortion, random.Random(seed))


def render_back(card: Card, distortion: str = "clean", seed: int = 0) -> Image.Image:
    font = ImageFont.truetype(_font_file(), 30)
    small = ImageFont.truetype(_font_file(), 24)
    image = Image.new("RGB", (900, 570), (236, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.text((250, 90), "中华人民共和国", font=ImageFont.truetype(_font_file(), 40), fill=(20, 20, 20))
    draw.text((300, 160), "居民身份证", font=ImageFont.truetype(_font_file(), 44), fill=(20, 20, 20))
    draw.text((120, 380), "签发机关", font=small, fill=(60, 60, 60))
    draw.text((240, 376), card.issuing_authority, font=font, fill=(10, 10, 10))
    draw.text((120, 440), "有效期限", font=small, fill=(60, 60, 60))
    until = "长期" if card.valid_until is None else f"{card.valid_until:%Y.%m.%d}"
    draw.text((240, 436), f"{card.valid_from:%Y.%m.%d}-{until}", font=font, fill=(10, 10, 10))
    return _distort(image, distortion, random.Random(seed))


def save_pair(card: Card, distortion: str, folder: Path, seed: int = 0) -> tuple[Path, Path]:
    front, back = folder / f"front-{seed}-{distortion}.png", folder / f"back-{seed}-{distortion}.png"
    render_front(card, distortion, seed).save(front)
    render_back(card, distortion, seed).save(back)
    return front, back


def expected_front(card: Card) -> dict[str, str]:
    return {
        "name": card.name,
        "sex": card.sex,
        "ethnicity": card.ethnicity,
        "birth_date": card.birth_date.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
    }


def expected_back(card: Card) -> dict[str, str | None]:
    return {
        "issuing_authority": card.issuing_authority,
        "valid_from": card.valid_from.isoformat(),
        "valid_until": card.valid_until.isoformat() if card.valid_until else None,
    }
