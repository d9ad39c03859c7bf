"""Grab the customer window (consents, terms with a signature) in Chinese and English at a tablet's 1280×800,
and render page 1 of a sample contract, to PNG files for a person to look at.

    .venv/bin/python scripts/customer_screenshots.py OUT_DIR
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def sample_terms() -> dict:
    from app.counter.contract import LENDER
    from app.domain.schedule import LoanTerms, Method, build_schedule

    today = dt.date(2026, 11, 29)
    schedule = build_schedule(
        LoanTerms(
            principal=Decimal("3999.00"), term=12, method=Method.ANNUITY, annual_rate=Decimal("0.12"), start_date=today
        ),
        today=today,
    )
    return {
        "application_id": "00000000-0000-0000-0000-000000000000",
        "reference": "S001-261129-0042",
        "customer": {"name": "𠮷田堃", "id_number": "1101**********002X"},
        "product": {"code": "GOODS", "name": "商品分期"},
        "goods": "手机 X1 SN 8612345",
        "price": "4999.00",
        "down_payment": "1000.00",
        "financed": "3999.00",
        "term": 12,
        "method": "annuity",
        "installments": [
            {"n": i.n, "due_date": i.due_date.isoformat(), "amount": f"{i.total:.2f}"} for i in schedule.installments
        ],
        "upfront_fee": "0.00",
        "total_repayable": f"{schedule.total_repayable:.2f}",
        "total_cost": f"{schedule.total_cost:.2f}",
        "apr": "12.68",
        "lender": LENDER,
    }


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/customer-shots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from ui.customer_display.window import CustomerWindow

    app = QApplication(sys.argv[:1])
    terms = sample_terms()
    for language in ("zh_CN", "en"):
        window = CustomerWindow(language)
        window.resize(1280, 800)
        window.show()
        window.ask_first_consents()
        window.first_boxes[0].box.setChecked(True)
        app.processEvents()
        window.grab().save(str(out / f"customer_consents_{language}.png"))
        window.show_terms(terms)
        for box in window.signing_boxes:
            box.box.setChecked(True)
        window.pad.resize(1100, 240)
        for y0 in (90.0, 140.0):
            window.pad.begin(QPointF(80, y0), 0.3)
            for i in range(50):
                window.pad.extend(QPointF(80 + i * 14, y0 + (i % 7) * 6), 0.3 + i * 0.01)
            window.pad.end()
        app.processEvents()
        window.grab().save(str(out / f"customer_terms_{language}.png"))
        print(language, "window", window.size().width(), "×", window.size().height(), "(wanted 1280×800)")
        window.close_for_good()

    from app.counter.contract_document import QR_RESOURCE, SIGNATURE_RESOURCE, ConsentRecord, contract_html, qr_png
    from ui.contract_pdf import contract_pdf
    from ui.signing import _png

    now = dt.datetime.now(dt.UTC)
    records = [ConsentRecord("敏感个人信息处理单独同意书", "2026-11.1/zh_CN", "ab" * 32, now)]
    pdf = contract_pdf(
        contract_html(terms, records, now, "zh_CN", "Asia/Shanghai", None),
        {QR_RESOURCE: qr_png(terms), SIGNATURE_RESOURCE: _png(window.pad.image())},
        terms["reference"],
    )
    (out / "contract.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(out / "contract.pdf"), str(out / "contract_page")], check=True)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
