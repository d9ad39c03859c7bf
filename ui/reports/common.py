"""What the store and region views share: the period picker, read-only tables that show all their rows,
figure tiles, how money, rates and ages are written, and asking where to save an export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.kernel.errors import FenqiError
from app.reports.period import PRESETS, Period, preset_label, preset_period
from ui.pages.end_of_day import Figure
from ui.reports.pdf_report import PrintedReport

if TYPE_CHECKING:
    from ui.controller import Controller

STYLE = """
QFrame#figure { background: #f5f7fa; border: 1px solid #d5dbe1; border-radius: 8px; }
QFrame#figure[attention="true"] { background: #fff4ce; border-color: #e0b400; }
QLabel#figureValue { font-size: 22px; font-weight: 600; color: #1d3557; }
QLabel#figureCaption { color: #37474f; font-size: 14px; }
QLabel#figureDetail { color: #546e7a; font-size: 13px; }
QLabel#notice { background: #fff4ce; color: #5c4400; border: 1px solid #e0b400; border-radius: 6px;
                padding: 6px 10px; }
QLabel#asOf { color: #37474f; }
QFrame#signIn { background: #f5f7fa; border: 1px solid #d5dbe1; border-radius: 8px; }
QTabBar::tab { padding: 8px 22px; font-size: 16px; }
"""

# Asks where to save: (parent, dialog title, suggested path, file filter) -> the chosen path or None.
SavePathChooser = Callable[[QWidget, str, Path, str], Path | None]


def ask_save_path(parent: QWidget, title: str, suggested: Path, file_filter: str) -> Path | None:
    """The file dialog (tests set their own chooser instead)."""
    name, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(name) if name else None


def money_text(value: Decimal | None) -> str:
    """¥4,875.00, or a dash when there is no such figure."""
    return "–" if value is None else f"¥{value:,.2f}"


def rate_text(value: Decimal | None) -> str:
    """66.67%, or a dash when nothing was decided."""
    return "–" if value is None else f"{value:.2f}%"


def age_text(seconds: float | None) -> str:
    """How long something has waited: "12 min", "3 h 5 min", "4 days"; empty when nothing waits."""
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    if minutes < 60:
        return QCoreApplication.translate("Reports", "{minutes} min").format(minutes=minutes)
    if minutes < 48 * 60:
        return QCoreApplication.translate("Reports", "{hours} h {minutes} min").format(
            hours=minutes // 60, minutes=minutes % 60
        )
    return QCoreApplication.translate("Reports", "{days} days").format(days=minutes // (24 * 60))


def figure_tile(name: str) -> Figure:
    """A figure tile (the end-of-day page's), a little tighter: six of them sit above the charts."""
    tile = Figure(name)
    layout = tile.layout()
    assert layout is not None
    layout.setContentsMargins(12, 6, 12, 6)
    return tile


def busy_bar() -> QProgressBar:
    """A small busy indicator (no percentage), hidden until work starts."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setFixedWidth(90)
    bar.setTextVisible(False)
    bar.hide()
    return bar


def wrapped_label(name: str, hidden: bool = False) -> QLabel:
    """A label whose text wraps (status lines, notices, errors: they never widen the page)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    if hidden:
        label.hide()  # never show(): a widget without a parent yet would open as a window of its own
    return label


def scroll_area(content: QWidget) -> QScrollArea:
    """`content` in a vertical scroll area without a frame: a tab's figures scroll as one."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class PeriodPicker(QWidget):
    """A period preset (today, this week, this month, custom) and the two days it covers; typing a day makes
    it custom. `changed` is emitted when the choice changes (days typed: after a short pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label, self.to_label = QLabel(), QLabel()
        self.preset = QComboBox()
        self.preset.setObjectName("period")
        self.start, self.end = self._date_edit("from"), self._date_edit("to")
        self.label.setBuddy(self.preset)
        for widget in (self.label, self.preset, self.start, self.to_label, self.end):
            row.addWidget(widget)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(500)
        self._pause.timeout.connect(self.changed.emit)
        self.preset.currentIndexChanged.connect(lambda _i: self.changed.emit())
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._typed)
        self.retranslate()
        self.reset()  # this month, until a report says which days it covers

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return edit

    def retranslate(self) -> None:
        self.label.setText(QCoreApplication.translate("Reports", "&Period"))
        self.to_label.setText("–")
        chosen = self.preset.currentData() or "this_month"
        self.preset.blockSignals(True)
        self.preset.clear()
        for key in PRESETS:
            self.preset.addItem(preset_label(key), key)  # app/'s catalog
        self.preset.setCurrentIndex(self.preset.findData(chosen))
        self.preset.blockSignals(False)

    def _typed(self, _date: QDate) -> None:
        if self.preset.currentData() != "custom":
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData("custom"))
            self.preset.blockSignals(False)
        self._pause.start()

    def reset(self) -> None:
        """Back to this month, without emitting `changed` (for the next person at the counter)."""
        self._pause.stop()
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("this_month"))
        self.preset.blockSignals(False)
        today = dt.date.today()
        self.show_days(today.replace(day=1), today)

    def choose(self, preset: str) -> None:
        """Choose a preset (as the clerk would in the list)."""
        self.preset.setCurrentIndex(self.preset.findData(preset))

    def set_days(self, start: dt.date, end: dt.date) -> None:
        """Type a custom period (as the clerk would in the two fields); `changed` follows once."""
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))
        self._pause.stop()
        self.changed.emit()

    def choice(self) -> tuple[str, dt.date, dt.date]:
        """The preset and the two days shown."""
        start, end = self.start.date(), self.end.date()
        return (
            self.preset.currentData() or "this_month",
            dt.date(start.year(), start.month(), start.day()),
            dt.date(end.year(), end.month(), end.day()),
        )

    def show_days(self, start: dt.date, end: dt.date) -> None:
        """Show the days a report covers, without emitting `changed`."""
        for edit, day in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)


def period_of(preset: str, start: dt.date, end: dt.date, today: dt.date) -> Period:
    """The app's Period for a choice of the picker (BadPeriod when the days are wrong): called off the GUI
    thread, where the store's today is known."""
    return Period(start, end) if preset == "custom" else preset_period(preset, today)


class ReportTable(QTableWidget):
    """A read-only table of strings, numbers right-aligned, as high as its rows (up to `max_rows`), so a
    page of tables scrolls as one. The first column (or the `stretch` one) takes the room left; `wrapped`
    columns have a fixed width and wrap their text onto more lines."""

    def __init__(self, name: str, max_rows: int = 12, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.setObjectName(name)
        self.max_rows = max_rows
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setHighlightSections(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.row_of: list[int] = []  # the table row of each data row (notes take rows of their own)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self._fit_rows)
        self.horizontalHeader().sectionResized.connect(lambda *_a: self._relayout.start())
        self._fit()

    def fill(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        numeric: Sequence[int] = (),
        stretch: int = 0,
        wrapped: dict[int, int] | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        """Show `rows` under `headers`; columns in `numeric` right-aligned; `wrapped` maps columns to fixed
        widths whose text wraps; a non-empty `notes[i]` is a line of its own under row i, across the table."""
        wrapped = wrapped or {}
        self.headers, self.rows = list(headers), [list(r) for r in rows]
        self.setWordWrap(bool(wrapped) or bool(notes))
        self.setAlternatingRowColors(not notes)
        self.clearSpans()
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(self.headers)
        self.setRowCount(len(rows) + sum(1 for note in notes if note))
        self.row_of = []
        at = 0
        for i, row in enumerate(rows):
            self.row_of.append(at)
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c in numeric:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(at, c, item)
            at += 1
            if i < len(notes) and notes[i]:
                item = QTableWidgetItem(notes[i])
                item.setForeground(QColor("#546e7a"))
                self.setItem(at, 0, item)
                self.setSpan(at, 0, 1, len(headers))
                at += 1
        header = self.horizontalHeader()
        for c in range(len(headers)):
            if c == stretch:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
            elif c in wrapped:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(c, wrapped[c])
            else:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self._fit_rows()

    def data_item(self, row: int, column: int) -> QTableWidgetItem | None:
        """The item of data row `row` (notes not counted)."""
        return self.item(self.row_of[row], column)

    def text(self, row: int, column: int) -> str:
        """The text of a cell ("" when empty)."""
        item = self.item(row, column)
        return "" if item is None else item.text()

    def _fit_rows(self) -> None:
        if self.wordWrap():
            self.resizeRowsToContents()
        self._fit()

    def _fit(self) -> None:
        rows = min(self.rowCount(), self.max_rows)
        body = sum(self.rowHeight(r) for r in range(rows)) or self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + body + 2 * self.frameWidth() + 2)


class Exports:
    """Exporting the report a view shows, for StoreView and RegionView (QWidgets with `controller`, `status`,
    `message` and `choose_save_path`): ask where (the chooser is injectable, no native dialog in tests), then
    write the CSV (app.reports.export) or the PDF (ui.reports.pdf_report) on the I/O pool."""

    controller: Controller
    status: QLabel
    message: QLabel
    choose_save_path: SavePathChooser

    def has_report(self) -> bool:
        """Whether a report is shown (and so can be exported)."""
        raise NotImplementedError

    def export_name(self) -> str:
        """The suggested file name, without extension."""
        raise NotImplementedError

    def export_title(self) -> str:
        """The file dialog's title."""
        raise NotImplementedError

    def csv_maker(self) -> Callable[[], str]:
        """Makes the CSV text of the report shown (run on the I/O pool)."""
        raise NotImplementedError

    def printed(self) -> PrintedReport:
        """The report shown, as its PDF shows it (charts rendered on the GUI thread)."""
        raise NotImplementedError

    def show_error(self, error: BaseException) -> None:
        """Say what went wrong in the clerk's language; what is shown stays as it was."""
        if isinstance(error, FenqiError):
            self.message.setText(error.message)
        elif isinstance(error, OSError):
            self.message.setText(
                QCoreApplication.translate("Reports", "The file could not be written: {reason}").format(
                    reason=error.strerror or error
                )
            )
        else:
            self.controller.log_background_error(error)
            self.message.setText(
                QCoreApplication.translate("Reports", "The report could not be made; the error has been logged.")
            )
        self.message.show()

    def ask_export(self, extension: str) -> None:
        """Ask where to save the CSV or PDF ("csv" or "pdf"), then write it there."""
        if not self.has_report():
            return
        suggested = Path.home() / f"{self.export_name()}.{extension}"
        kind = f"{extension.upper()} (*.{extension})"
        path = self.choose_save_path(cast(QWidget, self), self.export_title(), suggested, kind)
        if path is not None:
            (self.export_csv_to if extension == "csv" else self.export_pdf_to)(path)

    def _saved(self, path: Path) -> None:
        self.message.hide()
        self.status.setText(QCoreApplication.translate("Reports", "Saved {path}.").format(path=path))

    def export_csv_to(self, path: Path) -> None:
        """Write the report shown as CSV to `path`."""
        from app.reports.export import write_csv

        make = self.csv_maker()
        self.controller.run_io(lambda: write_csv(path, make()), on_done=self._saved, on_error=self.show_error)

    def export_pdf_to(self, path: Path) -> None:
        """Write the report shown as PDF to `path` (laid out and written on the I/O pool)."""
        from ui.reports.pdf_report import write_report_pdf

        printed = self.printed()
        self.controller.run_io(write_report_pdf, printed, path, on_done=self._saved, on_error=self.show_error)
