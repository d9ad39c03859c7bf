"""Reading generated ID-card and passport photos offline (RapidOCR on onnxruntime): accuracy we state and meet.

Cards: every field of both sides over 5 cards, one per distortion (clean, tilted, blurred, noisy, JPEG);
at least 95 % of fields must read exactly, and whenever the number's check digit holds, the number read must be
the real one. Passports: the zone must be confirmed by its check digits on at least 4 of 5 pages, and a zone
whose checks all hold must never be wrong.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
from PIL import Image

from app.scanning.images import scan_image
from tests.support.barcode_images import render as render_barcode
from tests.support.id_cards import DISTORTIONS, expected_back, expected_front, make_card, render_front, save_pair
from tests.support.passports import make_passport, render_page

TODAY = dt.date(2026, 11, 29)


def test_id_cards_read_field_by_field(tmp_path: Path) -> None:
    """≥ 95 % of fields exact; a validated ID number is always the right one; birth date and sex cross-checked."""
    right = total = 0
    for seed, distortion in enumerate(DISTORTIONS):
        card = make_card(100 + seed)
        front, back = save_pair(card, distortion, tmp_path, seed)
        read_front = scan_image(front, TODAY)
        read_back = scan_image(back, TODAY)
        assert (read_front.kind, read_back.kind) == ("id_card_front", "id_card_back")
        assert (read_front.document, read_back.document) == ("id_front", "id_back")
        for result in (read_front, read_back):  # the card fills the photo: so does its crop, nearly
            assert result.document_image is not None
            crop = Image.open(io.BytesIO(result.document_image))
            assert crop.format == "JPEG" and crop.width >= 0.75 * 900 and crop.height >= 0.75 * 570
        for result, expected in ((read_front, expected_front(card)), (read_back, expected_back(card))):
            for key, value in expected.items():
                total += 1
                right += result.fields.get(key) == value
        if read_front.validation.get("id_number"):
            assert read_front.fields["id_number"] == card.id_number
            assert read_front.validation.get("birth_date") in (True, None)
    assert right / total >= 0.95, f"{right}/{total} fields read exactly"


def test_passport_zones_are_accepted_only_when_their_checks_hold(tmp_path: Path) -> None:
    """At least 4 of 5 pages confirmed by their check digits; every confirmed zone exactly right; names (from the
    printed zone, for the clerk to confirm) right on at least 4 of 5."""
    confirmed = names = 0
    for seed, distortion in enumerate(DISTORTIONS):
        passport = make_passport(200 + seed)
        page = tmp_path / f"page-{seed}.png"
        render_page(passport, distortion, seed).save(page)
        result = scan_image(page, TODAY)
        assert result.kind == "passport" and result.document == "passport" and result.document_image
        names += (result.fields["surname"], result.fields["given_names"]) == (passport.surname, passport.given_names)
        if all(result.validation.values()):
            confirmed += 1
            assert result.fields["document_number"] == passport.document_number
            assert result.fields["birth_date"] == passport.birth_date.isoformat()
            assert result.fields["expiry_date"] == passport.expiry_date.isoformat()
            assert result.confidence["surname"] < 1.0  # names carry no check digit: the clerk confirms them
    assert confirmed >= 4, f"only {confirmed} of 5 zones confirmed"
    assert names >= 4, f"names right on only {names} of 5 pages"


def test_a_card_held_up_to_the_camera_comes_back_cropped_to_the_card() -> None:
    """The front of a card in a 1280 × 720 camera frame: the crop keeps the card's print and its portrait (right of
    the text, where nothing is read) and little of the counter around it. A barcode read has no document."""
    card = render_front(make_card(7)).resize((720, 456))  # the portrait: a flat 160 × 200 px rectangle
    frame = Image.new("RGB", (1280, 720), (90, 70, 50))
    frame.paste(card, (300, 130))
    result = scan_image(frame, TODAY)
    assert (result.kind, result.document) == ("id_card_front", "id_front")
    assert result.document_image is not None
    crop = Image.open(io.BytesIO(result.document_image)).convert("RGB")
    assert 0.95 * 720 <= crop.width <= 780 and 0.95 * 456 <= crop.height <= 516  # a blank border may be trimmed
    pixels = np.asarray(crop, dtype=np.int16)
    portrait = (np.abs(pixels - (200, 210, 220)).max(axis=2) < 12).sum()
    assert portrait >= 0.95 * 160 * 200
    counter = (np.abs(pixels - (90, 70, 50)).max(axis=2) < 12).mean()
    assert counter < 0.1
    barcode = scan_image(render_barcode("110105198001010024", "QRCode", "clean"), TODAY)
    assert barcode.document is None and barcode.document_image is None
