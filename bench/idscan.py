"""ID validation throughput: resident ID numbers and MRZs per second, against python-stdnum's ric.is_valid.

    .venv/bin/python bench/idscan.py [--count 20000] [--json]

Also: barcode reading latency on generated images (each format, tilted, blurred, noisy, JPEG), and OCR field
accuracy and latency on generated ID cards (both sides) and passport pages (--photos N, default 10 of each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stdnum.cn import ric

from app.domain.identity import make_resident_id, parse_resident_id
from app.domain.mrz import parse_mrz
from app.kernel.errors import InvalidInput

TODAY = dt.date(2026, 11, 29)
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _ocr_figures(count: int, folder: Path) -> dict[str, object]:
    from app.scanning.images import scan_image
    from app.scanning.ocr import _ocr
    from tests.support.id_cards import DISTORTIONS as CARD_DISTORTIONS
    from tests.support.id_cards import expected_back, expected_front, make_card, save_pair
    from tests.support.passports import make_passport, render_page

    engine = _ocr()
    card_times, bare_times, right, total = [], [], 0, 0
    for seed in range(count):
        card = make_card(1000 + seed)
        for path, expected in zip(
            save_pair(card, CARD_DISTORTIONS[seed % 5], folder, seed),
            (expected_front(card), expected_back(card)),
            strict=True,
        ):
            started = time.perf_counter()
            engine(str(path))  # the baseline: the bare OCR engine on the same file, no reading of fields
            bare_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = scan_image(path, TODAY)
            card_times.append(time.perf_counter() - started)
            right += sum(result.fields.get(k) == v for k, v in expected.items())
            total += len(expected)
    page_times, confirmed, wrong, names = [], 0, 0, 0
    for seed in range(count):
        passport = make_passport(2000 + seed)
        page = folder / f"page-{seed}.png"
        render_page(passport, CARD_DISTORTIONS[seed % 5], seed).save(page)
        started = time.perf_counter()
        try:
            result = scan_image(page, TODAY)
        except InvalidInput:
            continue
        finally:
            page_times.append(time.perf_counter() - started)
        names += (result.fields["surname"], result.fields["given_names"]) == (passport.surname, passport.given_names)
        if all(result.validation.values()):
            confirmed += 1
            wrong += result.fields["document_number"] != passport.document_number
    ratio = sum(card_times) / sum(bare_times)
    card_times.sort()
    page_times.sort()
    return {
        "card_fields_exact": f"{right}/{total}",
        "card_ratio_to_bare_ocr": round(ratio, 2),
        "card_median_s": round(card_times[len(card_times) // 2], 2),
        "card_max_s": round(card_times[-1], 2),
        "passport_zones_confirmed": f"{confirmed}/{count}",
        "passport_confirmed_wrong": wrong,
        "passport_names_right": f"{names}/{count}",
        "passport_median_s": round(page_times[len(page_times) // 2], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    areas = ["110105", "310104", "440305", "510107", "330106", "420106"]
    numbers = [
        make_resident_id(
            rng.choice(areas), dt.date(1985, 1, 1) + dt.timedelta(days=rng.randrange(9000)), rng.randrange(1000)
        )
        for _ in range(args.count)
    ]
    started = time.perf_counter()
    for n in numbers:
        parse_resident_id(n, TODAY)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for n in numbers:
        ric.is_valid(n)
    stdnum = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(args.count):
        parse_mrz(TD3, TODAY)
    mrz = time.perf_counter() - started
    import tempfile

    from app.scanning.barcodes import read_barcodes
    from tests.support.barcode_images import DISTORTIONS, FORMATS, save

    folder = Path(tempfile.mkdtemp(prefix="fenqi-bench-barcodes-"))
    latencies, read_ok = [], 0
    for fmt in FORMATS:
        for distortion in DISTORTIONS:
            path = save("11010519491231002X", fmt, distortion, folder, seed=3)
            started = time.perf_counter()
            found = read_barcodes(path)
            latencies.append(time.perf_counter() - started)
            read_ok += bool(found) and found[0].text == "11010519491231002X"
    latencies.sort()
    ocr = _ocr_figures(args.photos, folder)
    result = {
        "id_numbers_per_second": round(args.count / ours),
        "stdnum_ric_is_valid_per_second": round(args.count / stdnum),
        "ratio_to_stdnum": round(ours / stdnum, 3),
        "mrz_per_second": round(args.count / mrz),
        "barcode_images_read": f"{read_ok}/{len(latencies)}",
        "barcode_median_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "barcode_max_ms": round(latencies[-1] * 1000, 1),
        **ocr,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"resident ID numbers: {result['id_numbers_per_second']}/s (with region and age); "
            f"python-stdnum ric.is_valid {result['stdnum_ric_is_valid_per_second']}/s; "
            f"time ratio {result['ratio_to_stdnum']}"
        )
        print(f"TD3 machine-readable zones: {result['mrz_per_second']}/s")
        print(
            f"barcode images: {result['barcode_images_read']} read, median {result['barcode_median_ms']} ms, "
            f"max {result['barcode_max_ms']} ms"
        )
        print(
            f"ID-card photos: {result['card_fields_exact']} fields exact, median {result['card_median_s']} s, "
            f"max {result['card_max_s']} s; {result['card_ratio_to_bare_ocr']}× the bare OCR engine on the same "
            "photos (deskewing, retries and field reading included)"
        )
        print(
            f"passport pages: {result['passport_zones_confirmed']} zones confirmed by their check digits "
            f"({result['passport_confirmed_wrong']} confirmed but wrong), names right on "
            f"{result['passport_names_right']} (for the clerk to confirm), median {result['passport_median_s']} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
