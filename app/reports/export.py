"""The managers' reports as CSV for a spreadsheet: sections one under the other, each with a title row and a
header row, column names in the configured language, money as plain two-decimal numbers and rates as percent
numbers without a sign (so Excel sums and sorts them). UTF-8 with a byte-order mark, so Excel opens Chinese
correctly; CRLF line ends as Excel writes them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.application import ApplicationState, state_label
from app.kernel.i18n import _
from app.reports.labels import code_label, funnel_label, term_label
from app.reports.period import PRESETS, preset_label
from app.reports.region import RegionReport, RegionStore
from app.reports.store import StoreReport

BOM = "\ufeff"

Row = Sequence[object]


def _text(value: object) -> str:
    """A cell: empty for None, money and rates with two decimals, everything else as str()."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


class _Sheet:
    """Sections of rows written with the csv module."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.writer = csv.writer(self.out, lineterminator="\r\n")

    def row(self, *cells: object) -> None:
        self.writer.writerow([_text(c) for c in cells])

    def section(self, title: str, header: Row, rows: Iterable[Row]) -> None:
        """A blank line, the section's title, its column names and its rows."""
        self.writer.writerow([])
        self.row(title)
        self.row(*header)
        for row in rows:
            self.row(*row)

    def text(self) -> str:
        return BOM + self.out.getvalue()


def _seconds(age: float | None) -> int | None:
    return None if age is None else round(age)


def _state_name(key: str) -> str:
    try:
        return state_label(ApplicationState(key))
    except ValueError:
        return key


def store_report_csv(report: StoreReport) -> str:
    """The store report as CSV text: what it covers, the totals, then by state, funnel, days (or weeks),
    products, terms, staff, decline reasons, fraud flags."""
    sheet = _Sheet()
    total = report.total
    sheet.row(_("Store report"))
    sheet.row(_("Store"), report.store_code, report.store_name)
    period = preset_label(report.period.preset) if report.period.preset in PRESETS else ""
    sheet.row(_("Period"), report.period.start.isoformat(), report.period.end.isoformat(), period)
    sheet.row(_("Staff member"), report.staff_login or _("All staff"))
    sheet.row(_("As of"), report.as_of.astimezone(dt.UTC).isoformat(timespec="seconds"))
    sheet.section(
        _("Totals"),
        (_("Figure"), _("Value")),
        [
            (_("Applications"), total.n),
            (_("Approved"), report.approved),
            (_("Declined"), report.declined),
            (_("Approval rate (%)"), report.approval_rate),
            (_("Average ticket"), total.average_ticket),
            (_("Average financed"), report.financed.average_financed),
            (_("Financed in total"), report.financed.financed_total),
            (_("Waiting to be sent"), report.sync.pending),
            (_("Oldest waiting (seconds)"), _seconds(report.sync.oldest_pending_age_s)),
            (_("Refused by the lender"), report.sync.dead_letters),
        ],
    )
    sheet.section(
        _("By state"),
        (_("State"), _("Applications"), _("Amount requested")),
        [(state_label(s), t.n, t.financed_total) for s, t in report.by_state.items() if t.n],
    )
    sheet.section(_("Funnel"), (_("Stage"), _("Applications")), [(funnel_label(s), n) for s, n in report.funnel])
    sheet.section(_("Per day"), (_("Day"), _("Applications")), [(d.isoformat(), n) for d, n in report.daily])
    if report.period.length > 62:
        sheet.section(
            _("Per week"), (_("Week from"), _("Applications")), [(d.isoformat(), n) for d, n in report.weekly]
        )
    sheet.section(
        _("Products"),
        (_("Product"), _("Code"), _("Applications"), _("Amount requested"), _("Average ticket")),
        [(report.product_name(c), c, t.n, t.financed_total, t.average_ticket) for c, t in report.products],
    )
    sheet.section(
        _("Terms"),
        (_("Term"), _("Applications"), _("Amount requested")),
        [(term_label(term), t.n, t.financed_total) for term, t in report.terms],
    )
    sheet.section(
        _("Staff"),
        (
            _("Staff number"),
            _("Name"),
            _("Applications"),
            _("Approved"),
            _("Declined"),
            _("Approval rate (%)"),
            _("Financed in total"),
        ),
        [
            (s.login, s.name, s.total.n, s.approved, s.declined, s.approval_rate, s.financed.financed_total)
            for s in report.staff
        ],
    )
    sheet.section(
        _("Decline reasons"), (_("Reason"), _("Code"), _("Count")), [(code_label(c), c, n) for c, n in report.reasons]
    )
    sheet.section(
        _("Fraud flags"), (_("Flag"), _("Code"), _("Count")), [(code_label(c), c, n) for c, n in report.flags]
    )
    return sheet.text()


def device_health(shop: RegionStore) -> tuple[int, float | None, int]:
    """A store's worst sync health across its devices: most pending, oldest pending age (seconds), most dead
    letters (revoked devices left out: they no longer sync)."""
    devices = [d for d in shop.raw.get("devices") or [] if not d.get("revoked")]
    ages = [float(d["oldest_pending_age_s"]) for d in devices if d.get("oldest_pending_age_s") is not None]
    return (
        max((int(d.get("pending") or 0) for d in devices), default=0),
        max(ages, default=None),
        max((int(d.get("dead_letters") or 0) for d in devices), default=0),
    )


def _count(value: Any) -> int:
    return int(value or 0)


def _store_row(shop: RegionStore) -> list[object]:
    raw = shop.raw
    pending, age, dead = device_health(shop)
    band = raw.get("psi_band")
    return [
        shop.code,
        shop.applications,
        _count(raw.get("approved")),
        _count((raw.get("by_state") or {}).get("declined")),
        shop.approval_rate,
        shop.money("financed_total"),
        shop.money("average_financed"),
        shop.money("average_ticket"),
        sum(_count(n) for n in (raw.get("fraud_flags") or {}).values()),
        raw.get("psi"),
        _band_name(band) if band else None,
        pending,
        _seconds(age),
        dead,
    ]


def _band_name(band: str) -> str:
    from app.scoring.drift import band_label

    try:
        return band_label(band)
    except KeyError:
        return band


def region_report_csv(report: RegionReport) -> str:
    """The regional report as CSV text: what it covers and where it came from, the stores side by side with
    the region's totals, then by state, decline reasons, fraud flags and devices per store."""
    sheet = _Sheet()
    body = report.body
    sheet.row(_("Regional report"))
    sheet.row(_("Region"), body.get("region", ""))
    sheet.row(_("Period"), body.get("from", ""), body.get("to", ""))
    sheet.row(_("As of"), report.as_of.astimezone(dt.UTC).isoformat(timespec="seconds"))
    sheet.row(
        _("Source"),
        _("saved copy: the central server could not be reached") if report.from_cache else _("central server"),
    )
    stores = report.stores
    totals = _store_row(report.totals)
    totals[0] = _("Total")
    totals[9:11] = [None, None]  # the PSI of the region is not in the report
    sheet.section(
        _("Stores"),
        (
            _("Store"),
            _("Applications"),
            _("Approved"),
            _("Declined"),
            _("Approval rate (%)"),
            _("Financed in total"),
            _("Average financed"),
            _("Average ticket"),
            _("Fraud flags"),
            _("PSI"),
            _("PSI band"),
            _("Most waiting on a PC"),
            _("Oldest waiting (seconds)"),
            _("Refused by the lender"),
        ),
        [*(_store_row(s) for s in stores), totals],
    )
    sheet.section(
        _("By state"),
        (_("Store"), _("State"), _("Applications")),
        [(s.code, _state_name(k), _count(n)) for s in stores for k, n in (s.raw.get("by_state") or {}).items()],
    )
    for title, key, label in (
        (_("Decline reasons"), "decline_reasons", _("Reason")),
        (_("Fraud flags"), "fraud_flags", _("Flag")),
    ):
        sheet.section(
            title,
            (_("Store"), label, _("Code"), _("Count")),
            [(s.code, code_label(c), c, _count(n)) for s in stores for c, n in (s.raw.get(key) or {}).items()],
        )
    sheet.section(
        _("Counter PCs"),
        (
            _("Store"),
            _("PC"),
            _("Waiting to be sent"),
            _("Oldest waiting (seconds)"),
            _("Refused by the lender"),
            _("Reported at"),
            _("Revoked"),
        ),
        [
            (
                s.code,
                d.get("device_id", ""),
                _count(d.get("pending")),
                _seconds(d.get("oldest_pending_age_s")),
                _count(d.get("dead_letters")),
                d.get("reported_at") or "",
                _("yes") if d.get("revoked") else _("no"),
            )
            for s in stores
            for d in s.raw.get("devices") or []
        ],
    )
    return sheet.text()


def write_csv(path: Path, text: str) -> Path:
    """Write CSV text made here to `path` (UTF-8; the text carries its BOM and CRLF line ends)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    return path


__all__ = ["device_health", "region_report_csv", "store_report_csv", "write_csv"]
