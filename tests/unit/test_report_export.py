"""CSV exports of the store and regional reports: UTF-8 with a BOM, sections a spreadsheet reads back, the
totals where the report has them, column names and labels in the configured language."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from app.domain.actor import Actor
from app.kernel.i18n import set_language
from app.reports.export import device_health, region_report_csv, store_report_csv, write_csv
from app.reports.period import Period
from app.reports.region import RegionReport
from tests.unit.test_store_report import fixed  # noqa: F401 - the five hand-computed applications

REGION_BODY = {
    "region": "BJ",
    "from": "2026-11-01",
    "to": "2026-11-30",
    "as_of": "2026-11-30T06:00:00+00:00",
    "stores": [
        {
            "store": "S001",
            "applications": 120,
            "by_state": {"submitted": 10, "referred": 5, "approved": 70, "declined": 30, "cancelled": 5},
            "decided": 100,
            "approved": 70,
            "approval_rate": "70.00",
            "financed_total": "350000.00",
            "average_financed": "5000.00",
            "average_ticket": "5500.00",
            "decline_reasons": {"no_income": 12, "debt_service_too_high": 9},
            "fraud_flags": {"id_velocity": 3, "phone_shared": 1},
            "psi": 0.0312,
            "psi_band": "stable",
            "devices": [
                {
                    "device_id": "pc-1",
                    "pending": 2,
                    "oldest_pending_age_s": 125.4,
                    "dead_letters": 0,
                    "reported_at": "2026-11-30T05:59:00+00:00",
                    "revoked": False,
                },
                {
                    "device_id": "pc-2",
                    "pending": 7,
                    "oldest_pending_age_s": 60.0,
                    "dead_letters": 1,
                    "reported_at": "2026-11-30T05:58:00+00:00",
                    "revoked": False,
                },
                {
                    "device_id": "pc-old",
                    "pending": 99,
                    "oldest_pending_age_s": 99999.0,
                    "dead_letters": 9,
                    "reported_at": None,
                    "revoked": True,
                },
            ],
        },
        {
            "store": "S002",
            "applications": 0,
            "by_state": {"submitted": 0, "referred": 0, "approved": 0, "declined": 0, "cancelled": 0},
            "decided": 0,
            "approved": 0,
            "approval_rate": None,
            "financed_total": "0.00",
            "average_financed": None,
            "average_ticket": None,
            "decline_reasons": {},
            "fraud_flags": {},
            "psi": None,
            "psi_band": None,
            "devices": [],
        },
    ],
    "totals": {
        "applications": 120,
        "by_state": {"submitted": 10, "referred": 5, "approved": 70, "declined": 30, "cancelled": 5},
        "decided": 100,
        "approved": 70,
        "approval_rate": "70.00",
        "financed_total": "350000.00",
        "average_financed": "5000.00",
        "average_ticket": "5500.00",
        "decline_reasons": {"no_income": 12, "debt_service_too_high": 9},
        "fraud_flags": {"id_velocity": 3, "phone_shared": 1},
    },
}


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _section(rows: list[list[str]], title: str) -> list[list[str]]:
    """The header and rows of the section titled `title` (up to the next blank line)."""
    start = rows.index([title]) + 1
    end = next((i for i in range(start, len(rows)) if not rows[i]), len(rows))
    return rows[start:end]


def _store_report(services, staff: str | None = None):
    period = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 8), "this_week")
    return services.reports.report(Actor.command_line(), period, staff)


def test_store_csv_reads_back_with_the_totals(fixed, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "store.csv", store_report_csv(_store_report(fixed)))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Store report"]
    assert rows[2] == ["Period", "2026-11-02", "2026-11-08", "This week"]
    totals = dict(_section(rows, "Totals")[1:])
    assert totals["Applications"] == "5" and totals["Approved"] == "2" and totals["Declined"] == "1"
    assert totals["Approval rate (%)"] == "66.67"
    assert totals["Financed in total"] == "4500.00" and totals["Average financed"] == "2250.00"
    assert totals["Average ticket"] == "5000.00" and totals["Oldest waiting (seconds)"] == ""
    days = _section(rows, "Per day")
    assert days[0] == ["Day", "Applications"] and [r[1] for r in days[1:]] == ["1", "1", "0", "2", "0", "1", "0"]
    staff = _section(rows, "Staff")
    assert staff[1][:6] == ["sales01", staff[1][1], "3", "1", "1", "50.00"]
    assert _section(rows, "Decline reasons")[1:] == [["No monthly income", "no_income", "1"]]
    assert _section(rows, "Fraud flags")[1:] == [["Many applications with one ID", "id_velocity", "1"]]
    assert "Per week" not in [r[0] for r in rows if r]  # a week's report has no weekly section


def test_store_csv_of_one_staff_member_in_chinese(fixed) -> None:
    set_language("zh_CN")
    try:
        rows = _rows(store_report_csv(_store_report(fixed, "sales02")))
    finally:
        set_language("en")
    assert rows[3][1] == "sales02"
    assert ["申请", "2"] in rows  # sales02 filed two applications; the column names are Chinese


def test_region_csv_has_stores_totals_and_devices() -> None:
    report = RegionReport(REGION_BODY, dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC), from_cache=True)
    rows = _rows(region_report_csv(report))
    assert rows[0] == ["Regional report"] and rows[1] == ["Region", "BJ"]
    assert rows[4][1].startswith("saved copy")
    stores = _section(rows, "Stores")
    header = stores[0]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in stores[1:]}
    assert set(by_code) == {"S001", "S002", "Total"}
    s1 = by_code["S001"]
    assert (s1["Applications"], s1["Approval rate (%)"], s1["Average ticket"]) == ("120", "70.00", "5500.00")
    assert (s1["Fraud flags"], s1["PSI"], s1["PSI band"]) == ("4", "0.0312", "stable")
    # The revoked PC no longer syncs: the worst of the two live ones.
    health = (s1["Most waiting on a PC"], s1["Oldest waiting (seconds)"], s1["Refused by the lender"])
    assert health == ("7", "125", "1")
    assert by_code["S002"]["Approval rate (%)"] == "" and by_code["S002"]["Average ticket"] == ""
    assert by_code["Total"]["Applications"] == "120" and by_code["Total"]["Financed in total"] == "350000.00"
    reasons = _section(rows, "Decline reasons")
    assert ["S001", "No monthly income", "no_income", "12"] in reasons
    devices = _section(rows, "Counter PCs")
    assert len(devices) == 4 and devices[3][-1] == "yes"


def test_device_health_ignores_revoked_and_handles_none() -> None:
    report = RegionReport(REGION_BODY, dt.datetime.now(dt.UTC), from_cache=False)
    assert device_health(report.stores[0]) == (7, 125.4, 1)
    assert device_health(report.stores[1]) == (0, None, 0)
