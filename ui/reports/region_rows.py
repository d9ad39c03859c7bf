"""What the region view and its PDF show of a RegionReport, as text: the region's figure tiles, one row per
store (and the region's total), the tooltips with each store's decline reasons and counter PCs, the chart
comparing the stores, and the printed report. Labels of codes and drift bands come from app/'s catalog."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCharts import QChart
from PySide6.QtCore import QCoreApplication

from app.kernel.clock import format_store_time, moment_from_text
from app.reports.export import device_health
from app.reports.labels import code_label
from app.reports.region import CentralSession, RegionReport, RegionStore
from ui.reports import charts
from ui.reports.common import ReportTable, age_text, money_text, rate_text
from ui.reports.pdf_report import PrintedChart, PrintedReport, PrintedTable

# The stores table: store, applications, approval rate, average ticket, average financed, fraud flags, PSI,
# sync (worst PC); each store's top decline reasons on a line of their own under its figures.
NUMERIC = (1, 2, 3, 4, 5)
FLAGS, PSI, SYNC = 5, 6, 7
WRAPPED = {PSI: 120, SYNC: 140}


def _band(band: str | None) -> str:
    from app.reports.labels import band_name

    return band_name(band) if band else ""


def _time(text: str | None, zone: ZoneInfo) -> str:
    if not text:
        return "–"
    return format_store_time(moment_from_text(text), zone)


class RegionRows:
    """A RegionReport (or none) in words and numbers for the screen and the PDF."""

    def __init__(self, report: RegionReport | None, zone: ZoneInfo) -> None:
        self.report = report
        self.zone = zone
        self.stores = [] if report is None else report.stores

    def as_of(self) -> str:
        """When the figures were read from the server, in the counter's time zone."""
        assert self.report is not None
        return format_store_time(self.report.as_of, self.zone)

    def tiles(self) -> list[tuple[str, str, str, bool]]:
        """(caption, value, detail, attention) of the region's six tiles."""
        assert self.report is not None
        totals = self.report.totals
        decided = int(totals.raw.get("decided") or 0)
        waiting = [s.code for s in self.stores if device_health(s)[0] or device_health(s)[2]]
        shifted = [s.code for s in self.stores if s.raw.get("psi_band") in ("watch", "shift")]
        detail = []
        if waiting:
            detail.append(QCoreApplication.translate("RegionRows", "{n} with sync waiting").format(n=len(waiting)))
        if shifted:
            detail.append(QCoreApplication.translate("RegionRows", "{n} with score drift").format(n=len(shifted)))
        return [
            (QCoreApplication.translate("RegionRows", "Applications"), str(totals.applications), "", False),
            (
                QCoreApplication.translate("RegionRows", "Approval rate"),
                rate_text(totals.approval_rate),
                QCoreApplication.translate("RegionRows", "of {n} decided").format(n=decided),
                False,
            ),
            (
                QCoreApplication.translate("RegionRows", "Average ticket"),
                money_text(totals.money("average_ticket")),
                "",
                False,
            ),
            (
                QCoreApplication.translate("RegionRows", "Average financed"),
                money_text(totals.money("average_financed")),
                "",
                False,
            ),
            (
                QCoreApplication.translate("RegionRows", "Financed in total"),
                money_text(totals.money("financed_total")),
                "",
                False,
            ),
            (
                QCoreApplication.translate("RegionRows", "Stores"),
                str(len(self.stores)),
                " · ".join(detail),
                bool(waiting or shifted),
            ),
        ]

    def headers(self) -> list[str]:
        """The stores table's column names."""
        return [
            QCoreApplication.translate("RegionRows", "Store"),
            QCoreApplication.translate("RegionRows", "Applications"),
            QCoreApplication.translate("RegionRows", "Approval rate"),
            QCoreApplication.translate("RegionRows", "Average ticket"),
            QCoreApplication.translate("RegionRows", "Average financed"),
            QCoreApplication.translate("RegionRows", "Fraud flags"),
            QCoreApplication.translate("RegionRows", "PSI"),
            QCoreApplication.translate("RegionRows", "Sync (worst PC)"),
        ]

    @staticmethod
    def _reasons(shop: RegionStore, top: int | None = 3) -> str:
        reasons = sorted((shop.raw.get("decline_reasons") or {}).items(), key=lambda kv: (-int(kv[1]), kv[0]))
        return " · ".join(f"{code_label(code)} {n}" for code, n in reasons[:top])

    @staticmethod
    def _sync(shop: RegionStore) -> str:
        pending, age, dead = device_health(shop)
        if not shop.raw.get("devices"):
            return QCoreApplication.translate("RegionRows", "no PC")
        if not pending and not dead:
            return QCoreApplication.translate("RegionRows", "all sent")
        parts = []
        if pending:
            parts.append(
                QCoreApplication.translate("RegionRows", "{n} waiting, {age}").format(n=pending, age=age_text(age))
            )
        if dead:
            parts.append(QCoreApplication.translate("RegionRows", "{n} refused").format(n=dead))
        return "; ".join(parts)

    def _row(self, shop: RegionStore, total: bool = False) -> list[str]:
        flags = sum(int(n or 0) for n in (shop.raw.get("fraud_flags") or {}).values())
        psi = shop.raw.get("psi")
        return [
            QCoreApplication.translate("RegionRows", "Region {region}").format(region=shop.code)
            if total
            else shop.code,
            str(shop.applications),
            rate_text(shop.approval_rate),
            money_text(shop.money("average_ticket")),
            money_text(shop.money("average_financed")),
            str(flags),
            "" if total else ("–" if psi is None else f"{float(psi):.3f} {_band(shop.raw.get('psi_band'))}"),
            "" if total else self._sync(shop),
        ]

    def rows(self) -> list[list[str]]:
        """One row per store, then the region's total (when there is a report)."""
        if self.report is None:
            return []
        return [*(self._row(s) for s in self.stores), self._row(self.report.totals, total=True)]

    def reasons(self) -> list[str]:
        """Per row of `rows()`: the top three decline reasons, as the line under its figures."""
        if self.report is None:
            return []
        return [
            QCoreApplication.translate("RegionRows", "Top decline reasons: {reasons}").format(reasons=text)
            if (text := self._reasons(shop))
            else ""
            for shop in [*self.stores, self.report.totals]
        ]

    def fill_table(self, table: ReportTable) -> None:
        """Show the rows in `table`, each store's top decline reasons under it."""
        table.fill(self.headers(), self.rows(), NUMERIC, stretch=0, wrapped=WRAPPED, notes=self.reasons())

    def _device_lines(self, shop: RegionStore) -> list[str]:
        lines = []
        for device in shop.raw.get("devices") or []:
            line = QCoreApplication.translate(
                "RegionRows", "PC {device}: {pending} waiting{age}, {dead} refused, reported {time}"
            ).format(
                device=str(device.get("device_id", ""))[:8],
                pending=int(device.get("pending") or 0),
                age=f" ({age_text(device.get('oldest_pending_age_s'))})" if device.get("oldest_pending_age_s") else "",
                dead=int(device.get("dead_letters") or 0),
                time=_time(device.get("reported_at"), self.zone),
            )
            if device.get("revoked"):
                line += " · " + QCoreApplication.translate("RegionRows", "revoked")
            lines.append(line)
        return lines or [QCoreApplication.translate("RegionRows", "No counter PC has reported yet.")]

    def details(self) -> list[tuple[dict[int, str], str | None]]:
        """Per row: tooltips by column (all decline reasons and fraud flags; each counter PC) and the PSI band."""
        out: list[tuple[dict[int, str], str | None]] = []
        for shop in self.stores:
            flags = sorted((shop.raw.get("fraud_flags") or {}).items(), key=lambda kv: (-int(kv[1]), kv[0]))
            out.append(
                (
                    {
                        FLAGS: "\n".join(f"{code_label(c)} {n}" for c, n in flags),
                        SYNC: "\n".join(self._device_lines(shop)),
                    },
                    shop.raw.get("psi_band"),
                )
            )
        if self.report is not None:
            out.append(({}, None))
        return out

    def chart(self) -> QChart:
        """The stores compared: applications and approval rate."""
        return charts.compare_chart(
            QCoreApplication.translate("RegionRows", "Stores compared"),
            [(s.code, s.applications, s.approval_rate) for s in self.stores],
            QCoreApplication.translate("RegionRows", "Applications"),
            QCoreApplication.translate("RegionRows", "Approval rate (%)"),
        )

    def printed(self, session: CentralSession | None) -> PrintedReport:
        """The report as its PDF shows it."""
        report = self.report
        assert report is not None
        body = report.body
        lines = [
            QCoreApplication.translate("RegionRows", "Region {region}").format(region=body.get("region", "")),
            QCoreApplication.translate("RegionRows", "Period {start} – {end} (store-local days)").format(
                start=body.get("from", ""), end=body.get("to", "")
            ),
            QCoreApplication.translate("RegionRows", "As of {time}").format(time=self.as_of()),
        ]
        if session is not None:
            lines.append(QCoreApplication.translate("RegionRows", "Read by {user}").format(user=session.username))
        devices = [
            [shop.code, line] for shop in self.stores for line in self._device_lines(shop) if shop.raw.get("devices")
        ]
        return PrintedReport(
            title=QCoreApplication.translate("RegionRows", "Regional report"),
            lines=lines,
            notice=QCoreApplication.translate("RegionRows", "Saved copy: the central server could not be reached.")
            if report.from_cache
            else "",
            figures=[
                (caption, value + (f" ({detail})" if detail else "")) for caption, value, detail, _a in self.tiles()
            ],
            figures_title=QCoreApplication.translate("RegionRows", "The region's figures"),
            charts=[PrintedChart("stores", charts.chart_image(self.chart(), 760, 320))],
            tables=[
                PrintedTable(
                    QCoreApplication.translate("RegionRows", "Stores side by side"),
                    self.headers(),
                    self.rows(),
                    NUMERIC,
                ),
                PrintedTable(
                    QCoreApplication.translate("RegionRows", "Top decline reasons"),
                    [
                        QCoreApplication.translate("RegionRows", "Store"),
                        QCoreApplication.translate("RegionRows", "Decline reasons (applications)"),
                    ],
                    [[shop.code, self._reasons(shop, None)] for shop in self.stores if self._reasons(shop)],
                ),
                PrintedTable(
                    QCoreApplication.translate("RegionRows", "Counter PCs"),
                    [
                        QCoreApplication.translate("RegionRows", "Store"),
                        QCoreApplication.translate("RegionRows", "Sync health"),
                    ],
                    devices,
                ),
            ],
        )
