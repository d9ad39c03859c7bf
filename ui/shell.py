"""The counter shell: navigation on the left, the page on the right; pages appear only for roles allowed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Permission
from app.services import Services
from ui.controller import Controller
from ui.flow_navigator import FlowNavigator, FlowPages, FlowServices
from ui.open_application import OpenApplication
from ui.pages.base import Page
from ui.pages.customer import CustomerPage
from ui.pages.delivery import DeliveryPage
from ui.pages.drafts import DraftsPage
from ui.pages.end_of_day import EndOfDayPage
from ui.pages.evidence import EvidencePage
from ui.pages.new_application import NewApplicationPage
from ui.pages.plan import PlanPage
from ui.pages.prescreen import PrescreenPage
from ui.pages.purchase import PurchasePage
from ui.pages.reports import ReportsPage
from ui.pages.settings import SettingsPage
from ui.pages.staff import StaffPage
from ui.pages.sync import SyncPage
from ui.translation import QT_TRANSLATE_NOOP
from ui.widgets.flow_bar import FlowBar

# (key, title, permission needed), in the counter flow's order, then the pages around it. Ctrl+1…9 open the first
# nine by their place here (FLOW_ONLY pages not counted), the same key for every role (a page a role may not open
# leaves its key unused).
PAGES: tuple[tuple[str, str, Permission | None], ...] = (
    ("new", QT_TRANSLATE_NOOP("Shell", "New application"), Permission.FILE_APPLICATION),
    ("customer", QT_TRANSLATE_NOOP("Shell", "Customer details"), Permission.FILE_APPLICATION),
    ("purchase", QT_TRANSLATE_NOOP("Shell", "Purchase"), Permission.FILE_APPLICATION),
    ("prescreen", QT_TRANSLATE_NOOP("Shell", "Pre-screen"), Permission.FILE_APPLICATION),
    ("plan", QT_TRANSLATE_NOOP("Shell", "Installment plans"), Permission.FILE_APPLICATION),
    ("evidence", QT_TRANSLATE_NOOP("Shell", "Verify"), Permission.FILE_APPLICATION),
    ("sync", QT_TRANSLATE_NOOP("Shell", "Sync"), Permission.VIEW_SYNC),
    ("delivery", QT_TRANSLATE_NOOP("Shell", "Delivery"), Permission.FILE_APPLICATION),
    ("drafts", QT_TRANSLATE_NOOP("Shell", "Drafts"), Permission.VIEW_DRAFTS),
    # Everyone signed in: app/ gives sales staff their own figures and the store's to managers and store IT.
    ("reports", QT_TRANSLATE_NOOP("Shell", "Reports"), None),
    ("end_of_day", QT_TRANSLATE_NOOP("Shell", "End of day"), Permission.VIEW_STORE_REPORT),
    ("staff", QT_TRANSLATE_NOOP("Shell", "Staff"), Permission.MANAGE_STAFF),
    ("settings", QT_TRANSLATE_NOOP("Shell", "Settings"), None),
)
# Pages reached only along an application's flow (they show nothing without one at that step) have no Ctrl+N of
# their own, so the other pages keep their keys.
FLOW_ONLY = frozenset({"evidence"})
SHORTCUTS = dict(zip((key for key, _title, _permission in PAGES if key not in FLOW_ONLY), range(1, 10), strict=False))


class Shell(QWidget):
    """Navigation and pages for the signed-in staff member. Ctrl+1…9 jump to a page, Ctrl+L locks."""

    lock_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, controller: Controller, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        side = QVBoxLayout()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(260)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.addWidget(self.nav, 1)
        self.lock_button = QPushButton()
        self.sign_out_button = QPushButton()
        side.addWidget(self.lock_button)
        side.addWidget(self.sign_out_button)
        layout.addLayout(side)
        main = QVBoxLayout()
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(0)
        self.flow_bar = FlowBar()
        main.addWidget(self.flow_bar)
        self.stack = QStackedWidget()
        main.addWidget(self.stack, 1)
        layout.addLayout(main, 1)

        application = OpenApplication(self)
        self.new_application = NewApplicationPage(controller, services, application)
        self.customer = CustomerPage(controller, services, application)
        self.purchase = PurchasePage(controller, services.purchases, application)
        self.prescreen = PrescreenPage(controller, services.prescreen, application)
        self.plan = PlanPage(controller, application)
        self.evidence = EvidencePage(controller, services, application)
        self.drafts = DraftsPage(controller, services.drafts)
        self.sync = SyncPage(controller, services.sync)
        self.delivery = DeliveryPage(controller, services.delivery)
        self.end_of_day = EndOfDayPage(controller, services.end_of_day)
        self.reports = ReportsPage(controller, services)
        self.staff = StaffPage(controller, services.staff)
        self.settings = SettingsPage(controller, services.secrets)
        self.pages: dict[str, Page] = {
            "new": self.new_application,
            "plan": self.plan,
            "evidence": self.evidence,
            "customer": self.customer,
            "purchase": self.purchase,
            "prescreen": self.prescreen,
            "drafts": self.drafts,
            "sync": self.sync,
            "delivery": self.delivery,
            "end_of_day": self.end_of_day,
            "reports": self.reports,
            "staff": self.staff,
            "settings": self.settings,
        }
        for key, _title, _permission in PAGES:
            page = self.pages[key]
            # The page itself can hold focus (e.g. after a result is shown), so that Enter continues the flow.
            page.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.stack.addWidget(page)
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        flow_pages = FlowPages(
            new=self.new_application,
            customer=self.customer,
            purchase=self.purchase,
            prescreen=self.prescreen,
            plan=self.plan,
            evidence=self.evidence,
            drafts=self.drafts,
            sync=self.sync,
        )
        flow_services = FlowServices(
            services.store, services.purchases, services.drafts, services.verification.signing_blocked_by_card
        )
        self.flow = FlowNavigator(controller, flow_services, application, flow_pages, self, self.flow_bar, self)
        self.nav.currentRowChanged.connect(self._show_row)
        self.lock_button.clicked.connect(self.lock_requested.emit)
        self.sign_out_button.clicked.connect(self.sign_out_requested.emit)
        for key, number in SHORTCUTS.items():
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda key=key: self.open_page(key))
        self.retranslate()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys no page took: Enter continues along the flow, Esc goes back (a scanner burst never gets here).
        if not self.flow.key(event.key()):
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for row, (key, title, _permission) in enumerate(PAGES):
            text = QCoreApplication.translate("Shell", title)
            if key in SHORTCUTS:
                text = f"{text}   Ctrl+{SHORTCUTS[key]}"
            self.nav.item(row).setText(text)
        self.lock_button.setText(self.tr("Lock (Ctrl+L)"))  # Ctrl+L is its key: no Alt mnemonic
        self.sign_out_button.setText(self.tr("Sign &out"))

    def set_actor(self) -> None:
        """Show the pages the signed-in role may open and go to the first of them."""
        first = None
        for row, (_key, _title, permission) in enumerate(PAGES):
            allowed = permission is None or self.controller.may(permission)
            self.nav.item(row).setHidden(not allowed)
            if allowed and first is None:
                first = row
        self.retranslate()
        self.nav.setCurrentRow(first or 0)
        self._show_row(self.nav.currentRow())
        self.nav.setFocus()

    def visible_keys(self) -> list[str]:
        """The pages the signed-in person can open, in order."""
        return [PAGES[r][0] for r in range(self.nav.count()) if not self.nav.item(r).isHidden()]

    def open_page(self, key: str) -> None:
        """Go to page `key` if it is visible to this role."""
        for row in range(self.nav.count()):
            if PAGES[row][0] == key and not self.nav.item(row).isHidden():
                self.nav.setCurrentRow(row)

    def current_key(self) -> str:
        return PAGES[self.stack.currentIndex()][0]

    def page_widget(self, key: str) -> QWidget | None:
        """The page `key` (for focus handling)."""
        return self.pages.get(key)

    def show_scan(self, text: str) -> None:
        """A wedge scanner's burst goes to the page shown if it reads scans (customer, purchase, delivery)."""
        page = self.pages[self.current_key()]
        if isinstance(page, CustomerPage | PurchasePage | DeliveryPage):
            page.show_text(text)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.flow.page_left()  # what was typed on the page left is saved now
        self.stack.setCurrentIndex(row)
        page = self.pages[PAGES[row][0]]
        if isinstance(page, StaffPage | SyncPage):
            page.refresh()
        elif isinstance(page, SettingsPage):
            page.load()

    def clear_sensitive(self) -> None:
        """Forget everything shown about people (the counter is locking or signing out)."""
        for page in self.pages.values():
            page.clear_sensitive()
        self.flow.open(None)
