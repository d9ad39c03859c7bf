"""Barcode images made here (never downloaded): each format, tilted, blurred, noisy, JPEG-compressed."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image, ImageFilter

FORMATS = {
    "PDF417": zxingcpp.BarcodeFormat.PDF417,
    "QRCode": zxingcpp.BarcodeFormat.QRCode,
    "DataMatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "Code128": zxingcpp.BarcodeFormat.Code128,
}
DISTORTIONS = ("clean", "tilt3", "tilt6", "tilt10", "blur", "noise", "jpeg", "tilt6+jpeg")


def render(text: str, fmt: str, distortion: str, seed: int = 0) -> Image.Image:
    """`text` as a `fmt` barcode on a white margin, with one distortion applied."""
    rng = random.Random(seed)
    code = Image.fromarray(np.asarray(zxingcpp.create_barcode(text, FORMATS[fmt]).to_image(scale=3))).convert("L")
    page = Image.new("L", (code.width + 120, code.height + 120), 255)
    page.paste(code, (60, 60))
    if "tilt" in distortion:
        degrees = int(distortion.split("+")[0].removeprefix("tilt"))
        page = page.rotate(rng.choice((-1, 1)) * degrees, expand=True, fillcolor=255, resample=Image.BICUBIC)
    if distortion == "blur":
        page = page.filter(ImageFilter.GaussianBlur(1.2))
    if distortion == "noise":
        pixels = np.asarray(page, dtype=np.int16)
        noisy = pixels + np.random.default_rng(seed).normal(0, 28, pixels.shape)
        page = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    if "jpeg" in distortion:
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=35)
        page = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return page


def save(text: str, fmt: str, distortion: str, folder: Path, seed: int = 0) -> Path:
    path = folder / f"{fmt}-{distortion}-{seed}.png"
    render(text, fmt, distortion, seed).save(path)
    return path
