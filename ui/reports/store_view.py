"""The store report on screen: a period and (for those who see the store) one staff member or all, the figure
tiles, the trend, funnel, product and term charts, and the tables per staff member, decline reason and fraud
flag. app/ (StoreReportService) reads the figures on the database thread and decides whose figures a person
may see: sales staff get only their own, whatever is asked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.actor import Actor
from app.domain.roles import Permission, Role
from app.office.staff import StaffMember, StaffService
from app.reports.store import StoreReport, StoreReportService
from ui.controller import Controller
from ui.reports import charts
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
from ui.reports.store_rows import StoreRows, captions


def _section(title: QLabel, body: QWidget) -> QVBoxLayout:
    title.setObjectName("formSection")
    column = QVBoxLayout()
    column.setSpacing(4)
    column.addWidget(title)
    column.addWidget(body)
    return column


class StoreView(Exports, QWidget):
    """The Store tab of the reports page."""

    def __init__(
        self, controller: Controller, reports: StoreReportService, staff: StaffService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.reports, self.staff_service = reports, staff
        self.report: StoreReport | None = None
        self.choose_save_path: SavePathChooser = ask_save_path
        self._asked = 0
        self._staff_for: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        controls = QHBoxLayout()
        self.period = PeriodPicker()
        self.staff_label, self.own_label = QLabel(), QLabel()
        self.staff = QComboBox()
        self.staff.setObjectName("staffFilter")
        self.staff.setMinimumContentsLength(14)  # names are cut rather than widen the page past the screen
        self.staff.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.staff_label.setBuddy(self.staff)
        controls.addWidget(self.period)
        controls.addSpacing(16)
        for widget in (self.staff_label, self.staff, self.own_label):
            controls.addWidget(widget)
        controls.addStretch(1)
        outer.addLayout(controls)
        actions = QHBoxLayout()
        self.busy, self.status = busy_bar(), wrapped_label("asOf")
        self.refresh_button, self.csv_button, self.pdf_button = QPushButton(), QPushButton(), QPushButton()
        self.refresh_button.setObjectName("primary")
        actions.addWidget(self.busy)
        actions.addWidget(self.status, 1)
        for button in (self.refresh_button, self.csv_button, self.pdf_button):
            actions.addWidget(button)
        outer.addLayout(actions)
        self.message = wrapped_label("error", hidden=True)
        outer.addWidget(self.message)
        self.scroller = scroll_area(self._content())
        outer.addWidget(self.scroller, 1)
        self.period.changed.connect(self.refresh)
        self.staff.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(lambda: self.ask_export("csv"))
        self.pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        self._enable_exports()
        self.retranslate()

    def _content(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 4, 8, 8)
        column.setSpacing(14)
        tiles = QGridLayout()
        tiles.setSpacing(10)
        self.applications, self.approval = figure_tile("applications"), figure_tile("approvalRate")
        self.ticket, self.financed_average = figure_tile("averageTicket"), figure_tile("averageFinanced")
        self.financed_total, self.sync = figure_tile("financedTotal"), figure_tile("syncHealth")
        self.tiles = [
            self.applications,
            self.approval,
            self.ticket,
            self.financed_average,
            self.financed_total,
            self.sync,
        ]
        for index, tile in enumerate(self.tiles):
            tiles.addWidget(tile, index // 3, index % 3)
        for c in range(3):
            tiles.setColumnStretch(c, 1)
        column.addLayout(tiles)
        self.trend, self.funnel = charts.ChartView(), charts.ChartView()
        self.products, self.terms = charts.ChartView(), charts.ChartView()
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        grid.addWidget(self.trend, 0, 0)
        grid.addWidget(self.funnel, 0, 1)
        grid.addWidget(self.products, 1, 0)
        grid.addWidget(self.terms, 1, 1)
        self.staff_title, self.reasons_title, self.flags_title = QLabel(), QLabel(), QLabel()
        self.staff_table = ReportTable("staffTable", max_rows=15)
        self.reasons = ReportTable("reasons")
        self.flags = ReportTable("flags")
        grid.addLayout(_section(self.staff_title, self.staff_table), 2, 0, 1, 2)
        grid.addLayout(_section(self.reasons_title, self.reasons), 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(_section(self.flags_title, self.flags), 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        column.addStretch(1)
        return content

    def retranslate(self) -> None:
        self.period.retranslate()
        self.staff_label.setText(self.tr("Sta&ff"))
        self.own_label.setText(self.tr("Your own applications"))
        if self.staff.count():
            self.staff.setItemText(0, self.tr("All staff"))
        self.refresh_button.setText(self.tr("&Refresh (F5)"))
        self.csv_button.setText(self.tr("Export &CSV…"))
        self.pdf_button.setText(self.tr("Export P&DF…"))
        for tile, caption in zip(self.tiles, captions(), strict=True):
            tile.caption.setText(caption)
        self.staff_title.setText(self.tr("Per staff member"))
        self.reasons_title.setText(self.tr("Decline reasons"))
        self.flags_title.setText(self.tr("Fraud flags"))
        if self.report is not None:
            self.show_report(self.report)
        else:
            self._fill_tables(None)

    # --- loading ----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the report for the period and staff member chosen, on the database thread."""
        actor = self.controller.actor
        if actor is None:
            return
        sees_store = self.controller.may(Permission.VIEW_STORE_REPORT)
        self.staff.setVisible(sees_store)
        self.staff_label.setVisible(sees_store)
        self.own_label.setVisible(not sees_store)
        if sees_store and self._staff_for != actor.login and self.controller.may(Permission.MANAGE_STAFF):
            self._staff_for = actor.login
            self.controller.call(
                self.staff_service.list_staff, on_done=self._staff_loaded, on_error=self._failed_quietly
            )
        preset, start, end = self.period.choice()
        staff = (self.staff.currentData() or None) if sees_store else None
        reports = self.reports

        def read(who: Actor) -> StoreReport:
            return reports.report(who, period_of(preset, start, end, reports.today()), staff)

        self._asked += 1
        asked = self._asked
        self.busy.show()
        self.status.setText(self.tr("Reading the figures…"))
        self.controller.call(read, on_done=lambda r: self._loaded(asked, r), on_error=lambda e: self._failed(asked, e))

    def _staff_loaded(self, members: list[StaffMember]) -> None:
        chosen = self.staff.currentData()
        self.staff.blockSignals(True)
        self.staff.clear()
        self.staff.addItem(self.tr("All staff"), "")
        for member in members:
            if member.role is not Role.ADMIN:  # store IT files no applications
                self.staff.addItem(f"{member.display_name} ({member.login})", member.login)
        self.staff.setCurrentIndex(max(0, self.staff.findData(chosen)))
        self.staff.blockSignals(False)

    def _failed_quietly(self, error: BaseException) -> None:
        self.controller.log_background_error(error)

    def _loaded(self, asked: int, report: StoreReport) -> None:
        if asked != self._asked:
            return  # the answer to an earlier choice
        self.busy.hide()
        self.message.hide()
        self.show_report(report)

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self.busy.hide()
        self._show_status()
        self.show_error(error)

    # --- showing ----------------------------------------------------------------------------------------------

    def _rows(self) -> StoreRows:
        return StoreRows(self.report, self.controller.settings.time_zone)

    def _show_status(self) -> None:
        self.status.setText(self._rows().status())

    def show_report(self, report: StoreReport) -> None:
        """Show a StoreReport: tiles, charts and tables."""
        self.report = report
        self.period.show_days(report.period.start, report.period.end)
        rows = self._rows()
        self.status.setText(rows.status())
        for tile, (value, detail, attention) in zip(self.tiles, rows.tiles(), strict=True):
            tile.show_value(value, detail, attention)
        for view, chart in zip((self.trend, self.funnel, self.products, self.terms), rows.charts(), strict=True):
            view.show_chart(chart)
        self._fill_tables(report)
        self._enable_exports()

    def _fill_tables(self, report: StoreReport | None) -> None:
        tables = StoreRows(report, self.controller.settings.time_zone).tables()
        for widget, table in zip((self.staff_table, self.reasons, self.flags), tables, strict=True):
            widget.fill(table.headers, table.rows, table.numeric)

    def _enable_exports(self) -> None:
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(self.report is not None)

    # --- exports ----------------------------------------------------------------------------------------------

    def has_report(self) -> bool:
        return self.report is not None

    def export_name(self) -> str:
        report = self.report
        assert report is not None
        name = f"{report.store_code}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
        return f"{name}-{report.staff_login}" if report.staff_login else name

    def export_title(self) -> str:
        return self.tr("Export the store report")

    def csv_maker(self) -> Callable[[], str]:
        from app.reports.export import store_report_csv

        report = self.report
        assert report is not None
        return lambda: store_report_csv(report)

    def printed(self) -> PrintedReport:
        return self._rows().printed()

    def clear_sensitive(self) -> None:
        """Forget the report (staff names and figures) when the counter locks."""
        self._asked += 1
        self.period.reset()
        self.report = None
        self._staff_for = None
        self.staff.blockSignals(True)
        self.staff.clear()
        self.staff.blockSignals(False)
        self.busy.hide()
        self.message.hide()
        self.status.clear()
        for tile in self.tiles:
            tile.show_value("–")
        for view in (self.trend, self.funnel, self.products, self.terms):
            view.show_chart(charts.empty_chart())
        self._fill_tables(None)
        self._enable_exports()
