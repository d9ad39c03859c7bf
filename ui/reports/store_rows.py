"""What the store view and its PDF show of a StoreReport, as text: the status line, the six figure tiles, the
four charts, the tables per staff member, decline reason and fraud flag, and the printed report. Labels of
stages, codes, products and terms come from app/'s catalog."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCharts import QChart
from PySide6.QtCore import QCoreApplication

from app.kernel.clock import format_store_time
from app.reports.labels import code_label, funnel_label, term_label
from app.reports.store import StoreReport
from ui.reports import charts
from ui.reports.common import age_text, money_text, rate_text
from ui.reports.pdf_report import PrintedChart, PrintedReport, PrintedTable

WEEKLY_AFTER_DAYS = 62  # longer periods are charted per week


def captions() -> list[str]:
    """The tiles' captions, in order."""
    return [
        QCoreApplication.translate("StoreRows", "Applications"),
        QCoreApplication.translate("StoreRows", "Approval rate"),
        QCoreApplication.translate("StoreRows", "Average ticket"),
        QCoreApplication.translate("StoreRows", "Average financed"),
        QCoreApplication.translate("StoreRows", "Financed in total"),
        QCoreApplication.translate("StoreRows", "Waiting to be sent (sync)"),
    ]


class StoreRows:
    """A StoreReport (or none) in words and numbers for the screen and the PDF."""

    def __init__(self, report: StoreReport | None, zone: ZoneInfo) -> None:
        self.report = report
        self.zone = zone

    def _as_of(self) -> str:
        assert self.report is not None
        return format_store_time(self.report.as_of, self.zone)

    def status(self) -> str:
        """Store, period, as of, and whose applications when not the whole store's."""
        report = self.report
        if report is None:
            return ""
        text = QCoreApplication.translate("StoreRows", "{store} {name} · {start} – {end} · as of {time}").format(
            store=report.store_code,
            name=report.store_name,
            start=report.period.start.isoformat(),
            end=report.period.end.isoformat(),
            time=self._as_of(),
        )
        if report.staff_login:
            text += " · " + QCoreApplication.translate("StoreRows", "only {login}").format(login=report.staff_login)
        return text

    def tiles(self) -> list[tuple[str, str, bool]]:
        """(value, detail, attention) of the six tiles."""
        report = self.report
        assert report is not None
        total, sync = report.total, report.sync
        decided = report.approved + report.declined
        parts = []
        if sync.pending:
            parts.append(
                QCoreApplication.translate("StoreRows", "the oldest for {age}").format(
                    age=age_text(sync.oldest_pending_age_s)
                )
            )
        parts.append(
            QCoreApplication.translate("StoreRows", "{n} refused by the lender").format(n=sync.dead_letters)
            if sync.dead_letters
            else QCoreApplication.translate("StoreRows", "nothing refused")
        )
        return [
            (
                str(total.n),
                QCoreApplication.translate("StoreRows", "approved {approved} · declined {declined}").format(
                    approved=report.approved, declined=report.declined
                ),
                False,
            ),
            (
                rate_text(report.approval_rate),
                QCoreApplication.translate("StoreRows", "of {n} decided").format(n=decided),
                False,
            ),
            (money_text(total.average_ticket), "", False),
            (money_text(report.financed.average_financed), "", False),
            (money_text(report.financed.financed_total), "", False),
            (str(sync.pending), " · ".join(parts), bool(sync.pending or sync.dead_letters)),
        ]

    def charts(self) -> list[QChart]:
        """The trend (per day, or per week for long periods), the funnel, the product and the term mix."""
        report = self.report
        assert report is not None
        weekly = report.period.length > WEEKLY_AFTER_DAYS
        return [
            charts.trend_chart(
                QCoreApplication.translate("StoreRows", "Applications per week")
                if weekly
                else QCoreApplication.translate("StoreRows", "Applications per day"),
                report.weekly if weekly else report.daily,
            ),
            charts.hbar_chart(
                QCoreApplication.translate("StoreRows", "Funnel"),
                [(funnel_label(stage), n) for stage, n in report.funnel],
            ),
            charts.hbar_chart(
                QCoreApplication.translate("StoreRows", "Product mix"),
                [(report.product_name(c), t.n) for c, t in report.products],
                charts.GREEN,
            ),
            charts.hbar_chart(
                QCoreApplication.translate("StoreRows", "Term mix"),
                [(term_label(term), t.n) for term, t in report.terms],
                charts.GREY,
            ),
        ]

    def tables(self) -> list[PrintedTable]:
        """Per staff member, decline reasons, fraud flags (empty without a report)."""
        report = self.report
        staff = [] if report is None else report.staff
        applications = QCoreApplication.translate("StoreRows", "Applications")
        return [
            PrintedTable(
                QCoreApplication.translate("StoreRows", "Per staff member"),
                [
                    QCoreApplication.translate("StoreRows", "Staff member"),
                    applications,
                    QCoreApplication.translate("StoreRows", "Approved"),
                    QCoreApplication.translate("StoreRows", "Declined"),
                    QCoreApplication.translate("StoreRows", "Approval rate"),
                    QCoreApplication.translate("StoreRows", "Financed in total"),
                ],
                [
                    [
                        f"{s.name} ({s.login})",
                        str(s.total.n),
                        str(s.approved),
                        str(s.declined),
                        rate_text(s.approval_rate),
                        money_text(s.financed.financed_total),
                    ]
                    for s in staff
                ],
                (1, 2, 3, 4, 5),
            ),
            PrintedTable(
                QCoreApplication.translate("StoreRows", "Decline reasons"),
                [QCoreApplication.translate("StoreRows", "Reason"), applications],
                [[code_label(c), str(n)] for c, n in ([] if report is None else report.reasons)],
                (1,),
            ),
            PrintedTable(
                QCoreApplication.translate("StoreRows", "Fraud flags"),
                [QCoreApplication.translate("StoreRows", "Flag"), applications],
                [[code_label(c), str(n)] for c, n in ([] if report is None else report.flags)],
                (1,),
            ),
        ]

    def printed(self) -> PrintedReport:
        """The report as its PDF shows it (charts rendered now, at print resolution: on the GUI thread)."""
        report = self.report
        assert report is not None
        made = self.charts()
        images = [
            PrintedChart(made[0].title(), charts.chart_image(made[0], 760, 300)),
            *(
                PrintedChart(c.title(), charts.chart_image(c, 400, charts.chart_height(c, 300)), full_width=False)
                for c in made[1:3]
            ),
            PrintedChart(made[3].title(), charts.chart_image(made[3], 760, charts.chart_height(made[3], 260))),
        ]
        lines = [
            QCoreApplication.translate("StoreRows", "Store {store} {name}").format(
                store=report.store_code, name=report.store_name
            ),
            QCoreApplication.translate("StoreRows", "Period {start} – {end} (store-local days)").format(
                start=report.period.start.isoformat(), end=report.period.end.isoformat()
            ),
        ]
        if report.staff_login:
            lines.append(
                QCoreApplication.translate("StoreRows", "Only the applications of {login}").format(
                    login=report.staff_login
                )
            )
        lines.append(QCoreApplication.translate("StoreRows", "As of {time}").format(time=self._as_of()))
        figures = [
            (caption, value + (f" ({detail})" if detail else ""))
            for caption, (value, detail, _attention) in zip(captions(), self.tiles(), strict=True)
        ]
        return PrintedReport(
            title=QCoreApplication.translate("StoreRows", "Store report"),
            lines=lines,
            figures=figures,
            charts=images,
            tables=self.tables(),
            figures_title=QCoreApplication.translate("StoreRows", "Figures"),
        )
