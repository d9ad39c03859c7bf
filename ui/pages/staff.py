"""Staff management for store managers and admins: add, disable, unlock, reset PIN."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.roles import manageable_roles, role_label
from app.kernel.clock import format_store_time
from app.kernel.errors import FenqiError
from app.office.staff import StaffMember, StaffService
from ui.controller import Controller
from ui.dialogs.staff import AddStaffDialog, ResetPinDialog
from ui.pages.base import Page


class StaffPage(Page):
    """A table of the store's accounts and the actions the signed-in role allows (app/ checks each again)."""

    def __init__(self, controller: Controller, staff: StaffService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.staff = staff
        self.members: list[StaffMember] = []
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("staffTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button, self.toggle_button = QPushButton(), QPushButton()
        self.unlock_button, self.reset_button = QPushButton(), QPushButton()
        for button in (self.add_button, self.toggle_button, self.unlock_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self._said: Callable[[], str] | None = None  # the message shown, said again when the language changes
        self.add_button.clicked.connect(self._add)
        self.toggle_button.clicked.connect(self._toggle)
        self.unlock_button.clicked.connect(self._unlock)
        self.reset_button.clicked.connect(self._reset)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Staff number"), self.tr("Name"), self.tr("Role"), self.tr("Status"), self.tr("Mobile")]
        )
        self.add_button.setText(self.tr("&Add…"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.reset_button.setText(self.tr("&New PIN…"))
        if self._said is not None:
            self.message.setText(self._said())
        self._fill()

    def clear_sensitive(self) -> None:
        self.members = []
        self.table.setRowCount(0)
        self._say(None)

    def _say(self, text: Callable[[], str] | None) -> None:
        """Show `text()` under the table (nothing for None), in the language of the moment, now and later."""
        self._said = text
        self.message.setText("" if text is None else text())

    def refresh(self) -> None:
        """Load the accounts in the background."""
        self.controller.call(self.staff.list_staff, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, members: list[StaffMember]) -> None:
        self.members = members
        self._fill()

    def _fill(self) -> None:
        now = dt.datetime.now(dt.UTC)
        self.table.setRowCount(len(self.members))
        for r, m in enumerate(self.members):
            if not m.active:
                status = self.tr("Disabled")
            elif m.is_locked(now):
                assert m.locked_until is not None  # is_locked: a lock has its end
                status = self.tr("Locked until {time}").format(
                    time=format_store_time(m.locked_until, self.controller.settings.time_zone, with_date=False)
                )
            else:
                status = self.tr("Active")
            for c, text in enumerate((m.login, m.display_name, role_label(m.role), status, m.phone_masked)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._update_buttons()

    def _selected(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.members[rows[0].row()] if rows and rows[0].row() < len(self.members) else None

    def _update_buttons(self) -> None:
        member = self._selected()
        actor = self.controller.actor
        manageable = manageable_roles(actor.role) if actor else frozenset()
        can = member is not None and member.role in manageable
        self.toggle_button.setText(
            self.tr("&Enable") if member is not None and not member.active else self.tr("&Disable")
        )
        for button in (self.toggle_button, self.unlock_button, self.reset_button):
            button.setEnabled(can)
        self.add_button.setEnabled(bool(manageable))

    def _failed(self, error: BaseException) -> None:
        text = error.message if isinstance(error, FenqiError) else str(error)
        self._say(lambda: text)

    def _done(self, text: Callable[[], str]) -> Callable[[object], None]:
        def done(_result: object = None) -> None:
            self._say(text)
            self.refresh()

        return done

    def _add(self) -> None:
        actor, staff = self.controller.actor, self.staff
        if actor is None:
            return

        def submit(values: dict[str, str], ok: Callable[[object], None], fail: Callable[[BaseException], None]) -> None:
            self.controller.call(lambda a: staff.add(a, **values), on_done=ok, on_error=fail)

        dialog = AddStaffDialog(sorted(manageable_roles(actor.role)), submit, self)
        self.add_dialog = dialog  # kept for tests and to outlive the event loop turn
        dialog.accepted.connect(self._done(lambda: self.tr("The account was added.")))
        dialog.open()

    def _toggle(self) -> None:
        member = self._selected()
        if member is None:
            return
        login, enabling = member.login, not member.active

        def said() -> str:
            if enabling:
                return self.tr("The account {login} can sign in again.").format(login=login)
            return self.tr("The account {login} is disabled: it cannot sign in.").format(login=login)

        self.controller.call(self.staff.set_active, login, enabling, on_done=self._done(said), on_error=self._failed)

    def _unlock(self) -> None:
        member = self._selected()
        if member is None:
            return
        self.controller.call(
            self.staff.unlock,
            member.login,
            on_done=self._done(lambda: self.tr("Unlocked.")),
            on_error=self._failed,
        )

    def _reset(self) -> None:
        member, staff = self._selected(), self.staff
        if member is None:
            return

        def submit(values: dict[str, str], ok: Callable[[object], None], fail: Callable[[BaseException], None]) -> None:
            self.controller.call(staff.reset_secret, member.login, values["secret"], on_done=ok, on_error=fail)

        dialog = ResetPinDialog(member.login, submit, self)
        self.reset_dialog = dialog
        dialog.accepted.connect(self._done(lambda: self.tr("The new PIN is set.")))
        dialog.open()
