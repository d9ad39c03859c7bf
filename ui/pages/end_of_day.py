"""End of day, for the store manager: the day's applications by state, what still waits to reach the lender
(and since when), what the lender refused for good, and the applications left open at the counter — read on
the database thread by app/ (EndOfDayService), which also decides who may see it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.application import state_label
from app.kernel.clock import format_store_time
from app.kernel.errors import FenqiError
from app.office.end_of_day import EndOfDay, EndOfDayService
from ui.controller import Controller
from ui.pages.base import Page

STYLE = """
QFrame#figure { background: #f5f7fa; border: 1px solid #d5dbe1; border-radius: 8px; }
QFrame#figure[attention="true"] { background: #fff4ce; border-color: #e0b400; }
QLabel#figureValue { font-size: 28px; font-weight: 600; color: #1d3557; }
QLabel#figureCaption { color: #37474f; }
QLabel#figureDetail { color: #546e7a; font-size: 13px; }
"""


def _table(columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class Figure(QFrame):
    """One number with its caption (and a detail line under it)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        self.value, self.caption, self.detail = QLabel("–"), QLabel(), QLabel()
        self.value.setObjectName("figureValue")
        self.value.setAccessibleName(name)
        self.caption.setObjectName("figureCaption")
        self.detail.setObjectName("figureDetail")
        for label in (self.caption, self.detail):
            label.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 10, 14, 10)
        column.setSpacing(2)
        column.addWidget(self.value)
        column.addWidget(self.caption)
        column.addWidget(self.detail)
        column.addStretch(1)

    def show_value(self, value: int | str, detail: str = "", attention: bool = False) -> None:
        self.value.setText(str(value))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        if bool(self.property("attention")) != attention:
            self.setProperty("attention", attention)
            self.style().unpolish(self)
            self.style().polish(self)


class EndOfDayPage(Page):
    """The end-of-day summary of one store-local day, refreshed on showing and on F5."""

    def __init__(self, controller: Controller, end_of_day: EndOfDayService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.service = end_of_day
        self.summary: EndOfDay | None = None  # shown now
        self.setStyleSheet(STYLE)
        top = QHBoxLayout()
        self.day_label = QLabel()
        self.day = QDateEdit()
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day_label.setBuddy(self.day)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("primary")
        top.addWidget(self.day_label)
        top.addWidget(self.day)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        self.layout_.addLayout(top)
        figures = QGridLayout()
        figures.setHorizontalSpacing(12)
        self.started, self.waiting = Figure("started"), Figure("waiting")
        self.refused, self.open = Figure("refused"), Figure("open")
        for index, figure in enumerate((self.started, self.waiting, self.refused, self.open)):
            figures.addWidget(figure, 0, index)
            figures.setColumnStretch(index, 1)
        self.layout_.addLayout(figures)
        tables = QHBoxLayout()
        tables.setSpacing(16)
        self.states_title, self.drafts_title = QLabel(), QLabel()
        self.states = _table(2, "byState")
        self.drafts = _table(4, "leftOpen")
        for title, table, stretch in ((self.states_title, self.states, 2), (self.drafts_title, self.drafts, 3)):
            title.setObjectName("formSection")
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(table, 1)
            tables.addLayout(column, stretch)
        self.layout_.addLayout(tables, 1)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self.refresh_button.clicked.connect(self.refresh)
        self.day.dateChanged.connect(lambda _date: self.refresh())
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        self._set_today()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("End of day"))
        self.day_label.setText(self.tr("&Day"))
        self.refresh_button.setText(self.tr("&Refresh (F5)"))
        self.started.caption.setText(self.tr("Applications started"))
        self.waiting.caption.setText(self.tr("Waiting to be sent"))
        self.refused.caption.setText(self.tr("Refused by the lender"))
        self.open.caption.setText(self.tr("Left open at the counter"))
        self.states_title.setText(self.tr("Started that day, by state now"))
        self.drafts_title.setText(self.tr("Left open (not yet sent), oldest first"))
        self.states.setHorizontalHeaderLabels([self.tr("State"), self.tr("Applications")])
        self.drafts.setHorizontalHeaderLabels(
            [self.tr("Reference"), self.tr("State"), self.tr("Clerk"), self.tr("Started")]
        )
        if self.summary is not None:
            self.show_summary(self.summary)

    def _set_today(self) -> None:
        today = dt.datetime.now(self.controller.settings.time_zone).date()
        self.day.blockSignals(True)
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.day.blockSignals(False)

    # --- loading ----------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read the summary of the chosen day on the database thread."""
        if self.controller.actor is None:
            return
        service = self.service
        chosen = self.day.date()
        day = dt.date(chosen.year(), chosen.month(), chosen.day())
        self.refresh_button.setEnabled(False)
        self.controller.call(service.end_of_day, day, on_done=self.show_summary, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        if isinstance(error, FenqiError):
            self.message.setText(error.message)
        else:
            self.controller.log_background_error(error)
            self.message.setText(self.tr("The summary could not be read; the error has been logged."))

    # --- showing ----------------------------------------------------------------------------------------------

    def _age(self, seconds: float | None) -> str:
        if seconds is None:
            return ""
        minutes = int(seconds // 60)
        if minutes < 60:
            return self.tr("the oldest for {minutes} min").format(minutes=minutes)
        if minutes < 48 * 60:
            return self.tr("the oldest for {hours} h {minutes} min").format(hours=minutes // 60, minutes=minutes % 60)
        return self.tr("the oldest for {days} days").format(days=minutes // (24 * 60))

    def show_summary(self, summary: EndOfDay) -> None:
        """Show an EndOfDay."""
        self.refresh_button.setEnabled(True)
        self.message.clear()
        self.summary = summary
        self.started.show_value(summary.applications)
        self.waiting.show_value(
            summary.pending_sync, self._age(summary.oldest_pending_age_s), attention=summary.pending_sync > 0
        )
        self.refused.show_value(
            summary.refused,
            self.tr("see the Sync page") if summary.refused else "",
            attention=summary.refused > 0,
        )
        self.open.show_value(len(summary.drafts), attention=bool(summary.drafts))
        counted = [(state, n) for state, n in summary.by_state.items() if n]
        self.states.setRowCount(len(counted))
        for r, (state, n) in enumerate(counted):
            self.states.setItem(r, 0, QTableWidgetItem(state_label(state)))
            number = QTableWidgetItem(str(n))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.states.setItem(r, 1, number)
        zone = self.controller.settings.time_zone
        self.drafts.setRowCount(len(summary.drafts))
        for r, draft in enumerate(summary.drafts):
            texts = (
                draft.reference,
                state_label(draft.state),
                draft.staff_login,
                format_store_time(draft.created_at, zone),
            )
            for c, text in enumerate(texts):
                self.drafts.setItem(r, c, QTableWidgetItem(text))

    def clear_sensitive(self) -> None:
        self.summary = None
        self.states.setRowCount(0)
        self.drafts.setRowCount(0)
        self.message.clear()
        for figure in (self.started, self.waiting, self.refused, self.open):
            figure.show_value("–")
        self._set_today()
