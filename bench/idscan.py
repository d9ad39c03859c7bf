"""ID validation throughput: resident ID numbers and MRZs per second, against python-stdnum's ric.is_valid.

    .venv/bin/python bench/idscan.py [--count 20000] [--json]

Also: barcode reading latency on generated images (each format, tilted, blurred, noisy, JPEG).
Reading ID-card and passport photos (OCR latency) joins this benchmark when the OCR reader lands.
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

TODAY = dt.date(2026, 11, 29)
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000)
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
    result = {
        "id_numbers_per_second": round(args.count / ours),
        "stdnum_ric_is_valid_per_second": round(args.count / stdnum),
        "ratio_to_stdnum": round(ours / stdnum, 3),
        "mrz_per_second": round(args.count / mrz),
        "barcode_images_read": f"{read_ok}/{len(latencies)}",
        "barcode_median_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "barcode_max_ms": round(latencies[-1] * 1000, 1),
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
