"""Reports (报表), for everyone signed in: the Store tab (the store's figures, or a sales consultant's own —
app/ decides which) and the Region tab (the region's stores side by side, for regional managers signed in to
the central server). F5 refreshes the tab shown."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from app.office.staff import StaffService
from app.reports.region import RegionReportService
from app.reports.store import StoreReportService
from ui.controller import Controller
from ui.pages.base import Page
from ui.reports.common import STYLE
from ui.reports.region_view import RegionView
from ui.reports.store_view import StoreView


class ReportServices(Protocol):
    """What the reports work with (app.services.Services provides it)."""

    reports: StoreReportService
    region_reports: RegionReportService
    staff: StaffService


class ReportsPage(Page):
    """The store and regional reports in two tabs."""

    def __init__(self, controller: Controller, services: ReportServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setStyleSheet(STYLE)
        self.layout_.setContentsMargins(24, 16, 16, 8)
        self.layout_.setSpacing(8)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.store = StoreView(controller, services.reports, services.staff)
        self.region = RegionView(controller, services.region_reports, services.reports)
        self.tabs.addTab(self.store, "")
        self.tabs.addTab(self.region, "")
        self.layout_.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self._tab_shown)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Reports"))
        self.tabs.setTabText(0, self.tr("&Store"))
        self.tabs.setTabText(1, self.tr("Re&gion"))
        self.store.retranslate()
        self.region.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if index == 0:
            self.store.refresh()
        else:
            self.region.showing()

    def refresh(self) -> None:
        """Read the report of the tab shown again (F5)."""
        if self.tabs.currentWidget() is self.store:
            self.store.refresh()
        elif self.region.session is not None:
            self.region.refresh()
        else:
            self.region.check_session()

    def clear_sensitive(self) -> None:
        self.store.clear_sensitive()
        self.region.clear_sensitive()
        self.tabs.setCurrentIndex(0)
