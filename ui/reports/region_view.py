"""The regional report on screen, for regional managers with a central account: sign in to the central server
(the session is kept by app/, never in a file), then the region's stores side by side — figures, top decline
reasons, fraud flags, the scorecard's drift (PSI) and each store's sync health — with a chart comparing them.
The "as of" time is always shown, and a notice says when the figures are the saved copy because the server
cannot be reached. Network work runs on the I/O pool; app/ (RegionReportService) decides everything."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kernel.clock import format_store_time
from app.kernel.errors import FenqiError
from app.reports.region import CentralSession, NotSignedIn, RegionReport, RegionReportService
from app.reports.store import StoreReportService
from ui.controller import Controller
from ui.reports import charts
from ui.reports.central_sign_in import CentralSignIn
from ui.reports.common import (
    Exports,
    PeriodPicker,
    ReportTable,
    SavePathChooser,
    ask_save_path,
    busy_bar,
    figure_tile,
    period_of,
    scroll_area,
    wrapped_label,
)
from ui.reports.pdf_report import PrintedReport
from ui.reports.region_rows import PSI, RegionRows

BAND_COLOURS = {"watch": "#fff4ce", "shift": "#ffd7d7"}


class RegionView(Exports, QWidget):
    """The Region tab of the reports page."""

    def __init__(
        self,
        controller: Controller,
        region_reports: RegionReportService,
        reports: StoreReportService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.region_reports, self.reports = region_reports, reports
        self.report: RegionReport | None = None
        self.session: CentralSession | None = None
        self.choose_save_path: SavePathChooser = ask_save_path
        self._asked = 0
        self._checked = False  # whether the kept session was looked up since the last lock
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        self.sign_in_frame = CentralSignIn()
        form = self.sign_in_frame
        self.server, self.username, self.password = form.server, form.username, form.password
        self.sign_in_button, self.sign_in_error = form.button, form.error
        outer.addWidget(form)
        controls = QHBoxLayout()
        self.period = PeriodPicker()
        self.refresh_button, self.csv_button, self.pdf_button = QPushButton(), QPushButton(), QPushButton()
        self.refresh_button.setObjectName("primary")
        controls.addWidget(self.period)
        controls.addStretch(1)
        for button in (self.refresh_button, self.csv_button, self.pdf_button):
            controls.addWidget(button)
        self.report_controls = QWidget()
        self.report_controls.setLayout(controls)
        controls.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.report_controls)
        status = QHBoxLayout()
        status.setContentsMargins(0, 0, 0, 0)
        self.busy, self.status, self.account_label = busy_bar(), wrapped_label("asOf"), wrapped_label("account")
        self.account_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.sign_out_button = QPushButton()
        status.addWidget(self.busy)
        status.addWidget(self.status, 3)
        status.addWidget(self.account_label, 2)
        status.addWidget(self.sign_out_button)
        self.account_box = QWidget()
        self.account_box.setLayout(status)
        outer.addWidget(self.account_box)
        self.notice, self.message = wrapped_label("notice", hidden=True), wrapped_label("error", hidden=True)
        outer.addWidget(self.notice)
        outer.addWidget(self.message)
        self.scroller = scroll_area(self._content())
        outer.addWidget(self.scroller, 1)
        form.submitted.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.period.changed.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(lambda: self.ask_export("csv"))
        self.pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        self._show_session()
        self.retranslate()

    def _content(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 4, 8, 8)
        column.setSpacing(14)
        tiles = QGridLayout()
        tiles.setSpacing(10)
        self.tiles = [
            figure_tile(name)
            for name in ("applications", "approvalRate", "averageTicket", "averageFinanced", "financedTotal", "stores")
        ]
        for index, tile in enumerate(self.tiles):
            tiles.addWidget(tile, index // 3, index % 3)
            tiles.setColumnStretch(index % 3, 1)
        column.addLayout(tiles)
        self.stores_title = QLabel()
        self.stores_title.setObjectName("formSection")
        self.table = ReportTable("stores", max_rows=40)
        self.chart = charts.ChartView(300)
        column.addWidget(self.stores_title)
        column.addWidget(self.table)
        column.addWidget(self.chart)
        column.addStretch(1)
        return content

    def retranslate(self) -> None:
        self.period.retranslate()
        self.sign_in_frame.retranslate()
        self.sign_out_button.setText(self.tr("Sign out (central)"))
        self.sign_out_button.setToolTip(self.tr("Sign out of the central server on this PC"))
        self.refresh_button.setText(self.tr("&Refresh (F5)"))
        self.csv_button.setText(self.tr("Export &CSV…"))
        self.pdf_button.setText(self.tr("Export P&DF…"))
        self.stores_title.setText(self.tr("Stores side by side"))
        self._show_session()
        if self.report is not None:
            self.show_report(self.report)
        else:
            self._rows().fill_table(self.table)

    def _rows(self) -> RegionRows:
        return RegionRows(self.report, self.controller.settings.time_zone)

    # --- the central session ----------------------------------------------------------------------------------

    def check_session(self) -> None:
        """Look up the kept central session (in the OS keyring: on the I/O pool), then load the report."""
        if self.controller.actor is None:
            return
        if not self.server.text():
            self.server.setText(self.controller.settings.server_url)
        self._checked = True
        self.controller.run_io(
            self.region_reports.session,
            self.controller.actor,
            on_done=self._session_found,
            on_error=self._failed,
        )

    def _session_found(self, session: CentralSession | None) -> None:
        self.session = session
        self._show_session()
        if session is not None:
            self.refresh()

    def _show_session(self) -> None:
        session = self.session
        signed_in = session is not None
        self.sign_in_frame.setVisible(not signed_in)
        for widget in (self.account_box, self.report_controls, self.scroller):
            widget.setVisible(signed_in)
        if not signed_in:
            self.notice.hide()
            self.status.clear()
            return
        assert session is not None
        zone = self.controller.settings.time_zone
        expired = session.expires_at <= dt.datetime.now(dt.UTC)
        text = (
            self.tr("{username} (region {region}) at {server}: the sign-in expired at {time}")
            if expired
            else self.tr("{username} (region {region}) at {server}, signed in until {time}")
        )
        self.account_label.setText(
            text.format(
                server=session.server,
                username=session.username,
                region=session.region,
                time=format_store_time(session.expires_at, zone),
            )
        )

    def sign_in(self, server: str, username: str, password: str) -> None:
        """Sign in with the central account typed (on the I/O pool); the report follows."""
        if self.controller.actor is None:
            self.sign_in_frame.answered()
            return
        self.controller.run_io(
            self.region_reports.sign_in,
            self.controller.actor,
            server,
            username,
            password,
            on_done=self._signed_in,
            on_error=lambda error: self.sign_in_frame.answered(self._error_text(error)),
        )

    def _signed_in(self, session: CentralSession) -> None:
        self.sign_in_frame.answered()
        self._session_found(session)

    def sign_out(self) -> None:
        """Forget the central session on this PC (the saved figures stay)."""
        self._asked += 1
        self.controller.run_io(
            self.region_reports.sign_out,
            self.controller.actor,
            on_done=lambda _r: self._forget(),
            on_error=self._failed,
        )

    def _forget(self) -> None:
        self.session, self.report = None, None
        self.busy.hide()
        self.message.hide()
        self._show_session()

    # --- the report -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the regional report for the period chosen (from the server, or the saved copy offline)."""
        if self.controller.actor is None or self.session is None:
            return
        preset, start, end = self.period.choice()
        region, reports, actor = self.region_reports, self.reports, self.controller.actor

        def read() -> RegionReport:
            return region.report(actor, period_of(preset, start, end, reports.today()))

        self._asked += 1
        asked = self._asked
        self.busy.show()
        self.status.setText(self.tr("Asking the central server…"))
        self.controller.run_io(
            read, on_done=lambda r: self._loaded(asked, r), on_error=lambda e: self._report_failed(asked, e)
        )

    def _loaded(self, asked: int, report: RegionReport) -> None:
        if asked != self._asked:
            return
        self.busy.hide()
        self.message.hide()
        self.show_report(report)

    def _report_failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self.busy.hide()
        self._show_status()
        if isinstance(error, NotSignedIn):
            self.session = None
            self._show_session()
            self.sign_in_error.setText(self._error_text(error))
            return
        self.show_error(error)

    def _failed(self, error: BaseException) -> None:
        self.show_error(error)

    def _error_text(self, error: BaseException) -> str:
        if isinstance(error, FenqiError):
            return error.message
        self.controller.log_background_error(error)
        return self.tr("That did not work; the error has been logged.")

    def _show_status(self) -> None:
        report = self.report
        if report is None:
            self.status.clear()
            self.notice.hide()
            return
        rows = self._rows()
        self.status.setText(
            self.tr("Region {region} · {start} – {end} · as of {time}").format(
                region=report.body.get("region", ""),
                start=report.body.get("from", ""),
                end=report.body.get("to", ""),
                time=rows.as_of(),
            )
        )
        self.notice.setText(
            self.tr(
                "The central server cannot be reached: these are the figures saved on this PC as of {time}."
            ).format(time=rows.as_of())
        )
        self.notice.setVisible(report.from_cache)

    def show_report(self, report: RegionReport) -> None:
        """Show a RegionReport: the region's tiles, the stores table and the comparison chart."""
        self.report = report
        self._show_status()
        with contextlib.suppress(KeyError, TypeError, ValueError):  # a server that does not say: the days stay
            self.period.show_days(dt.date.fromisoformat(report.body["from"]), dt.date.fromisoformat(report.body["to"]))
        rows = self._rows()
        for tile, (caption, value, detail, attention) in zip(self.tiles, rows.tiles(), strict=True):
            tile.caption.setText(caption)
            tile.show_value(value, detail, attention)
        rows.fill_table(self.table)
        self._mark_table(rows)
        self.chart.show_chart(rows.chart())

    def _mark_table(self, rows: RegionRows) -> None:
        for r, (tips, band) in enumerate(rows.details()):
            for column, tip in tips.items():
                item = self.table.data_item(r, column)
                if item is not None:
                    item.setToolTip(tip)
            colour = BAND_COLOURS.get(band or "")
            item = self.table.data_item(r, PSI)
            if colour and item is not None:
                item.setBackground(QBrush(QColor(colour)))
        last = len(self.table.rows) - 1
        if last >= 0:
            bold = QFont(self.table.font())
            bold.setBold(True)
            for column in range(self.table.columnCount()):
                item = self.table.data_item(last, column)
                if item is not None:
                    item.setFont(bold)

    # --- exports ----------------------------------------------------------------------------------------------

    def has_report(self) -> bool:
        return self.report is not None

    def export_name(self) -> str:
        report = self.report
        assert report is not None
        body = report.body
        days = f"{body.get('from', '')}-{body.get('to', '')}".replace("-", "")
        return f"region-{body.get('region', '')}-{days[:8]}-{days[8:]}"

    def export_title(self) -> str:
        return self.tr("Export the regional report")

    def csv_maker(self) -> Callable[[], str]:
        from app.reports.export import region_report_csv

        report = self.report
        assert report is not None
        return lambda: region_report_csv(report)

    def printed(self) -> PrintedReport:
        return self._rows().printed(self.session)

    def showing(self) -> None:
        """The tab came into view: find the kept session once after each sign-in at the counter."""
        if not self._checked:
            self.check_session()

    def clear_sensitive(self) -> None:
        """Forget what is shown when the counter locks (the next person looks the session up again)."""
        self._asked += 1
        self.period.reset()
        self._checked = False
        self.session, self.report = None, None
        self.sign_in_frame.clear()
        self.busy.hide()
        self.message.hide()
        self._show_session()
