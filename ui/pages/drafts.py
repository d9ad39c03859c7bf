"""The drafts list: every open application (draft, pre-screened, quoted, signed but not sent) with its
customer masked, searched by name, phone, masked ID or reference and filtered by state, day and clerk; Resume
hands the application back to the flow, Cancel… asks why and cancels it by app/'s rules. A sales consultant
sees their own, the store manager everyone's (app/ decides). Keyboard: type to search, ↓ to the list, Enter
resumes the selected row (the top one from the search box), Esc clears the search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.counter.drafts import OPEN_STATES, DraftRow, DraftService
from app.domain.actor import Actor
from app.domain.application import state_label
from app.kernel.clock import format_store_time
from app.kernel.errors import FenqiError
from ui.controller import Controller
from ui.pages.base import Page

SEARCH_DELAY_MS = 250
NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown as "any"
COLUMNS = 7
_NOBODY = object()
# submit(reason, on_done, on_error): cancels in the background and answers through one of the two.
Submit = Callable[[str, Callable[[object], None], Callable[[BaseException], None]], None]


class CancelDialog(QDialog):
    """Asks why an application is cancelled; OK runs `submit(reason, on_done, on_error)` in the background and
    closes only when app/ accepted (its refusal is shown in the dialog)."""

    def __init__(self, reference: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(self.tr("Cancel application"))
        layout = QVBoxLayout(self)
        question = QLabel(
            self.tr("Cancel application {reference}? Say why (the customer's words):").format(reference=reference)
        )
        question.setWordWrap(True)
        layout.addWidget(question)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("e.g. the customer changed their mind"))
        layout.addWidget(self.reason)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(self.tr("Cancel the &application"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep = self.buttons.addButton(self.tr("&Keep it"), QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        # Enter presses the default button: "Keep it" until a reason is typed, then "Cancel the application".
        self.reason.textChanged.connect(self._choose_default)
        self._choose_default("")
        self.setMinimumWidth(480)

    def _choose_default(self, text: str) -> None:
        given = bool(text.strip())
        self.ok.setDefault(given)
        self.keep.setDefault(not given)

    def _ok(self) -> None:
        self.buttons.setEnabled(False)
        self.error.clear()
        self._submit(self.reason.text(), self._accepted, self._refused)

    def _accepted(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error.message if isinstance(error, FenqiError) else self.tr("Cancelling failed; logged."))


class DraftsPage(Page):
    """The open applications of the store (or the clerk), to resume or cancel."""

    resume_requested = Signal(object, str)  # application UUID, the step saved with its draft ("" = from state)

    def __init__(self, controller: Controller, drafts: DraftService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.drafts = drafts
        self.rows: list[DraftRow] = []
        self.cancel_dialog: CancelDialog | None = None
        self._asked = 0  # the newest search asked; older answers are dropped
        self._staff_for: object = _NOBODY  # whose staff choices the combo holds
        self.search = QLineEdit()
        self.search.setObjectName("draftSearch")
        self.search.setClearButtonEnabled(True)
        self.layout_.addWidget(self.search)
        filters = QHBoxLayout()
        self.state_label, self.state = QLabel(), QComboBox()
        self.from_label, self.since = QLabel(), self._date_edit()
        self.to_label, self.until = QLabel(), self._date_edit()
        self.staff_label, self.staff = QLabel(), QComboBox()
        self.staff.setMinimumContentsLength(8)
        for label, widget in (
            (self.state_label, self.state),
            (self.from_label, self.since),
            (self.to_label, self.until),
            (self.staff_label, self.staff),
        ):
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(10)
        filters.addStretch(1)
        self.layout_.addLayout(filters)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("draftsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        # Every column as wide as its longest text plus room on both sides; the customer's name takes what is left.
        self.table.setStyleSheet("QTableWidget#draftsTable::item { padding: 0px 8px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        actions.addWidget(self.message, 1)
        self.cancel_button, self.resume_button = QPushButton(), QPushButton()
        self.resume_button.setObjectName("primary")
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.resume_button)
        self.layout_.addLayout(actions)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        for combo in (self.state, self.staff):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.resume_selected())
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)  # ↓ from the search box into the list
        down.setContext(Qt.ShortcutContext.WidgetShortcut)  # (the constructor's context= is not applied)
        down.activated.connect(self._to_table)
        self.resume_button.clicked.connect(self.resume_selected)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.retranslate()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter and Esc are this page's own (they never reach the flow): Enter presses a focused button, or
        # resumes the selected row (the top one from the search box); Esc clears the search.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()  # the page's own focus child, whether or not its window is active
            if isinstance(focused, QAbstractButton) and focused.isEnabled():
                focused.click()
            else:
                self.resume_selected()
            event.accept()
        elif event.key() == Qt.Key.Key_Escape:
            self.clear_search()
            event.accept()
        else:
            super().keyPressEvent(event)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setDate(NO_DATE)
        return edit

    def retranslate(self) -> None:
        self.title.setText(self.tr("Drafts"))
        self.search.setPlaceholderText(self.tr("Search: customer name, mobile, last 4 of the ID number, or reference"))
        self.state_label.setText(self.tr("&State"))
        self.from_label.setText(self.tr("&From"))
        self.to_label.setText(self.tr("&To"))
        self.staff_label.setText(self.tr("C&lerk"))
        self._fit_labels()
        for edit in (self.since, self.until):
            edit.setSpecialValueText(self.tr("any day"))
        chosen = self.state.currentData()
        self.state.blockSignals(True)
        self.state.clear()
        self.state.addItem(self.tr("All open"), "")
        for state in OPEN_STATES:
            self.state.addItem(state_label(state), state.value)  # app/'s catalog
        self.state.setCurrentIndex(max(0, self.state.findData(chosen)))
        self.state.blockSignals(False)
        if self.staff.count():
            self.staff.setItemText(0, self.tr("Everyone"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Reference"),
                self.tr("Customer"),
                self.tr("Mobile"),
                self.tr("ID number"),
                self.tr("State"),
                self.tr("Clerk"),
                self.tr("Last change"),
            ]
        )
        self.resume_button.setText(self.tr("&Resume (Enter)"))
        self.cancel_button.setText(self.tr("&Cancel application…"))
        self._fill()

    def _fit_labels(self) -> None:
        for label in (self.state_label, self.from_label, self.to_label, self.staff_label):
            # A mnemonic is drawn in pieces, without the kerning the size hint assumes ("To" lost its "o").
            plain = label.text().replace("&", "")
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(plain) + 6)

    # --- loading --------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_labels()  # the style sheet's font is known now
        self.refresh()
        self.search.setFocus()

    def refresh(self) -> None:
        """Search again with the box and filters as they are, on the database thread."""
        self._debounce.stop()
        drafts, actor = self.drafts, self.controller.actor
        if actor is None:
            return
        if self._staff_for != actor.staff_id:
            self._staff_for = actor.staff_id
            self.controller.call(drafts.staff_choices, on_done=self._staff_loaded, on_error=self._failed)
        self._asked += 1
        asked = self._asked
        text, state, staff = self.search.text(), self.state.currentData() or None, self.staff.currentData() or None
        since, until = self._day(self.since), self._day(self.until)

        def search(who: Actor) -> list[DraftRow]:
            return drafts.search(who, text, state, since, until, staff)

        self.controller.call(search, on_done=lambda rows: self._loaded(asked, rows), on_error=self._failed)

    @staticmethod
    def _day(edit: QDateEdit) -> dt.date | None:
        day = edit.date()
        return None if day == NO_DATE else dt.date(day.year(), day.month(), day.day())

    def _staff_loaded(self, choices: list[tuple[str, str]]) -> None:
        chosen = self.staff.currentData()
        self.staff.blockSignals(True)
        self.staff.clear()
        self.staff.addItem(self.tr("Everyone"), "")
        for login, name in choices:
            self.staff.addItem(f"{name} ({login})", login)
        self.staff.setCurrentIndex(max(0, self.staff.findData(chosen)))
        self.staff.blockSignals(False)
        several = len(choices) > 1  # a sales consultant sees only their own: no choice to offer
        self.staff.setVisible(several)
        self.staff_label.setVisible(several)

    def _loaded(self, asked: int, rows: list[DraftRow]) -> None:
        if asked != self._asked:
            return  # an answer to an older search
        self.rows = rows
        self._fill()
        nothing = self.tr("No open applications match.")
        if not rows:
            self.message.setText(nothing)
        elif self.message.text() == nothing:
            self.message.clear()

    def _fill(self) -> None:
        chosen = self.selected()
        zone = self.controller.settings.time_zone
        self.table.setRowCount(len(self.rows))
        self.table.clearSelection()  # a row selected before is selected again only if it is still listed
        for r, row in enumerate(self.rows):
            texts = (
                row.reference,
                row.customer_name or self.tr("(not entered yet)"),
                row.phone_masked,
                row.id_number_masked,
                state_label(row.state),
                row.staff_name or row.staff_login,
                format_store_time(row.updated_at, zone),
            )
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, row.application_id)
                self.table.setItem(r, c, item)
            if chosen is not None and row.application_id == chosen.application_id:
                self.table.selectRow(r)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error.message if isinstance(error, FenqiError) else self.tr("Loading failed; logged."))
        if not isinstance(error, FenqiError):
            self.controller.log_background_error(error)

    # --- acting on a row ------------------------------------------------------------------------------------

    def selected(self) -> DraftRow | None:
        """The selected row's DraftRow, or None."""
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.resume_button.setEnabled(chosen is not None or bool(self.rows))
        self.cancel_button.setEnabled(chosen is not None)

    def _to_table(self) -> None:
        if self.rows:
            self.table.setFocus()
            if self.selected() is None:
                self.table.selectRow(0)

    def resume_selected(self) -> None:
        """Hand the selected application (the top one when none is selected) back to the flow."""
        chosen = self.selected() or (self.rows[0] if self.rows else None)
        if chosen is not None:
            self.resume_requested.emit(chosen.application_id, chosen.step)

    def clear_search(self) -> None:
        """Esc: empty the search box and search again."""
        if self.search.text():
            self.search.clear()
            self.refresh()
        self.search.setFocus()

    def ask_cancel(self) -> None:
        """Ask why; on OK app/ cancels the selected application off the GUI thread, and the list is read again."""
        chosen, drafts = self.selected(), self.drafts
        if chosen is None:
            return

        def submit(
            reason: str, on_done: Callable[[object], None], on_error: Callable[[BaseException], None]
        ) -> None:
            def done(result: object) -> None:
                if self.cancel_dialog is dialog:
                    on_done(result)
                else:  # the dialog was closed (Esc, a lock) while app/ worked: the list is still read again
                    self.refresh()

            def refused(error: BaseException) -> None:
                if self.cancel_dialog is dialog:
                    on_error(error)

            self.controller.call(drafts.cancel, chosen.application_id, reason, on_done=done, on_error=refused)

        dialog = CancelDialog(chosen.reference, submit, self)
        dialog.accepted.connect(lambda: self._cancelled(chosen))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.cancel_dialog = dialog  # kept for tests and to outlive the event loop turn
        dialog.open()

    def _cancelled(self, row: DraftRow) -> None:
        self.message.setText(self.tr("Application {reference} is cancelled.").format(reference=row.reference))
        self.refresh()

    def _dialog_closed(self, dialog: CancelDialog) -> None:
        if self.cancel_dialog is dialog:
            self.cancel_dialog = None
        dialog.deleteLater()

    def clear_sensitive(self) -> None:
        if self.cancel_dialog is not None:
            self.cancel_dialog.reject()
            self.cancel_dialog = None
        self._asked += 1  # an answer still on its way is dropped
        self._staff_for = _NOBODY
        self.rows = []
        self.table.setRowCount(0)
        self.search.clear()
        self.message.clear()
        self._update_buttons()
