"""The sync screen: online or offline, what is waiting and for how long, the last success, dead letters with
their reasons, and the decisions that came back. Sync runs by itself every minute while a server is set up
(and on "Sync now"), off the GUI thread; a decision on an application this clerk filed is announced. A dead
letter can be fixed and resent: once its cause is corrected, app/ sends the application again, as it is now,
as the next revision (after a confirmation that says so). Store IT activates the PC here (or with `fenqi device
activate`); activation and a changed server address count from the next sync, without a restart. What waits to
be sent shows before activation too. Every time shown is in the store's time zone, written for the language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.domain.roles import Permission
from app.kernel.clock import format_store_time
from app.kernel.errors import FenqiError
from app.sync.service import Activation, DeadLetter, SyncOverview, SyncRun, SyncService
from ui.controller import Controller
from ui.dialogs.activation import ActivationDialog
from ui.pages.base import Page
from ui.widgets.titled_lists import titled_lists

INTERVAL_MS = 60_000


class SyncPage(Page):
    """Sync state and history; `notice` carries a decision for the signed-in clerk's own application."""

    notice = Signal(str)
    state_changed = Signal(object)  # SyncOverview

    def __init__(self, controller: Controller, sync: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sync = sync
        self.overview: SyncOverview | None = None
        self.online: bool | None = None
        self.summary = QLabel()
        self.summary.setObjectName("consentState")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        row = QHBoxLayout()
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("primary")
        row.addWidget(self.sync_button)
        self.activate_button = QPushButton()  # store IT: activate this PC with the lender's central server
        self.activate_button.setObjectName("activatePc")
        self.activate_button.hide()
        row.addWidget(self.activate_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        self.layout_.addLayout(row)
        lists, ((self.decisions_title, self.decisions), (self.dead_title, self.dead)) = titled_lists(
            "decisions", "deadLetters"
        )
        self.dead.setWordWrap(True)
        self.dead.setSpacing(4)
        self.resend_button = QPushButton()
        self.resend_button.setEnabled(False)
        # titled_lists built `lists` with one QVBoxLayout column per name; the dead letters are the second.
        dead_item = lists.itemAt(1)
        assert dead_item is not None
        dead_column = dead_item.layout()
        assert isinstance(dead_column, QVBoxLayout)
        dead_column.addWidget(self.resend_button, 0, Qt.AlignmentFlag.AlignRight)
        self.layout_.addLayout(lists, 1)
        self.confirm_box: QMessageBox | None = None
        self.activation_dialog: ActivationDialog | None = None
        self._resending = False
        self.sync_button.clicked.connect(self.sync_now)
        self.activate_button.clicked.connect(self.ask_activation)
        controller.settings_changed.connect(self._settings_changed)
        self.dead.itemSelectionChanged.connect(self._update_resend)
        self.resend_button.clicked.connect(self.ask_resend)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.sync_now)
        self.timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sync"))
        self.sync_button.setText(self.tr("Sync &now"))
        self.activate_button.setText(self.tr("&Activate this PC…"))
        self.decisions_title.setText(self.tr("Decisions from the lender"))
        self.dead_title.setText(self.tr("Refused by the lender: correct what the reason says, then Fix and resend"))
        self.resend_button.setText(self.tr("&Fix and resend…"))
        self._update_resend()
        if self.overview is not None:
            self.show_overview(self.overview)

    def refresh(self) -> None:
        """Read the sync state from the store (on the database thread)."""
        if self.controller.actor is None:
            return
        self.activate_button.setVisible(self.controller.may(Permission.CHANGE_SETTINGS))
        online, sync = self.online, self.sync
        self.controller.call(lambda _actor: sync.overview(online), on_done=self.show_overview)

    def _settings_changed(self, _settings: object) -> None:
        """A new server address counts from the next sync: what was known about the old one is forgotten."""
        self.online = None
        self.refresh()

    # --- activation -------------------------------------------------------------------------------------------

    def ask_activation(self) -> None:
        """Open the activation dialog (store IT); the activation runs on the I/O pool and, once it succeeded,
        the first sync follows at once."""
        actor = self.controller.actor
        if actor is None or not self.controller.may(Permission.CHANGE_SETTINGS):
            return
        sync, settings = self.sync, self.controller.settings

        def submit(
            server: str, store: str, code: str, ok: Callable[[object], None], fail: Callable[[BaseException], None]
        ) -> None:
            def failed(error: BaseException) -> None:
                if not isinstance(error, FenqiError):
                    self.controller.log_background_error(error)
                fail(error)

            def done(activation: Activation) -> None:
                ok(activation)
                self.activated(activation)

            self.controller.run_io(sync.activate, actor, server, store, code, on_done=done, on_error=failed)

        dialog = ActivationDialog(settings.server_url, settings.store_code, submit, self)
        self.activation_dialog = dialog  # kept for tests and to outlive the event loop turn
        dialog.finished.connect(lambda _result: self._activation_closed(dialog))
        dialog.open()

    def _activation_closed(self, dialog: ActivationDialog) -> None:
        if self.activation_dialog is dialog:
            self.activation_dialog = None
        dialog.deleteLater()

    def activated(self, activation: Activation) -> None:
        """Say which store's counter this PC now is. Its accounts are now that store's staff list, so the person
        who activated (a demo account among those removed) is signed out and signs in with theirs; what waits here
        goes to the lender at the next sync. When the staff list could not come yet, sync at once to bring it."""
        self.online = None
        self.message.setText(
            self.tr("This PC is now the counter of store {store} · {name}.").format(
                store=activation.store, name=activation.store_name
            )
        )
        if activation.roster_members is None:
            self.sync_now()
        else:
            self.controller.sign_out()

    def sync_now(self) -> None:
        """Send what is due and pull decisions, off the GUI thread."""
        if self.controller.actor is None:
            return
        self.sync_button.setEnabled(False)
        self.message.setText(self.tr("Syncing…"))
        self.controller.run_io(self.sync.run_once, on_done=self._synced, on_error=self._failed)

    def _synced(self, run: SyncRun | None) -> None:
        self.sync_button.setEnabled(True)
        if run is None:  # not set up for a central server: the overview says so
            self.message.clear()
            self.refresh()
            return
        self.online = run.online
        self.message.setText(
            self.tr("Sent {sent}, refused {dead}, waiting to retry {retrying}.").format(
                sent=run.report.sent + run.report.reconciled, dead=run.report.dead, retrying=run.report.retrying
            )
        )
        exchanged = getattr(run, "exchanged", None)
        if exchanged is not None and exchanged.downloads.installed:
            self.message.setText(
                self.message.text()
                + " "
                + self.tr("Installed from the lender: {files}.").format(files=", ".join(exchanged.downloads.installed))
            )
        actor = self.controller.actor
        if actor is not None:
            for notice in self.sync.notices_for(run.notices, actor.staff_id):
                self.notice.emit(
                    self.tr("Decision for {reference}: {decision}").format(
                        reference=notice.reference, decision=self._decision(notice.decision)
                    )
                )
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.sync_button.setEnabled(True)
        self.online = False
        self.message.setText(error.message if isinstance(error, FenqiError) else self.tr("Sync failed; logged."))
        if not isinstance(error, FenqiError):
            self.controller.log_background_error(error)
        self.refresh()

    def _decision(self, state: str) -> str:
        return {
            "approved": self.tr("approved"),
            "declined": self.tr("declined"),
            "referred": self.tr("sent to a reviewer"),
            "cancelled": self.tr("cancelled"),
        }.get(state, state)

    def show_overview(self, overview: SyncOverview) -> None:
        """Show a SyncOverview."""
        self.overview = overview
        zone = self.controller.settings.time_zone
        age = overview.oldest_pending_age_s
        oldest = "" if age is None else self.tr(" (oldest {minutes} min)").format(minutes=int(age // 60))
        if not overview.configured:
            text = self.tr(
                "This PC is not connected to the lender's central server yet. Waiting to send: {pending}{oldest}; "
                "applications stay safely in the local store until it is."
            ).format(pending=overview.pending, oldest=oldest)
            text += "\n" + (
                self.tr("Activate this PC with the store's one-time code (or: fenqi device activate).")
                if self.controller.may(Permission.CHANGE_SETTINGS)
                else self.tr("Store IT activates this PC.")
            )
        else:
            state = (
                self.tr("online")
                if overview.online
                else self.tr("offline")
                if overview.online is False
                else self.tr("not tried yet")
            )
            text = self.tr("Central server: {state}. Waiting to send: {pending}{oldest}. Last success: {last}.").format(
                state=state,
                pending=overview.pending,
                oldest=oldest,
                last=self.tr("never")
                if overview.last_success is None
                else format_store_time(overview.last_success, zone),
            )
            update = overview.update
            if update is not None:
                text += "\n" + (
                    self.tr("Version {version} is ready: store IT can install it now (fenqi update).")
                    if not update.blocked_by
                    else self.tr(
                        "Version {version} is offered; it can be installed once every application has reached the "
                        "lender."
                    )
                ).format(version=update.latest)
                if update.required:
                    text += " " + self.tr("This version is no longer supported: update before the next sync.")
            if overview.audit_alarm:
                text += "\n" + self.tr(
                    "The central server reports that this PC's audit log was cut short or rewritten. Tell store IT "
                    "and the lender; keep using the PC."
                )
        self.summary.setText(text)
        self.decisions.clear()
        for reference, state, when in overview.recent_decisions:
            self.decisions.addItem(f"{reference}  {self._decision(state)}  {format_store_time(when, zone)}")
        chosen = self.selected_dead_letter()  # kept across refreshes (the minute's sync refreshes too)
        self.dead.clear()
        for letter in overview.dead_letters:
            heading = letter.reference
            # The revision is for the store manager, who follows what was sent; a clerk needs the reason only.
            if letter.revision is not None and self.controller.may(Permission.VIEW_STORE_REPORT):
                heading = self.tr("{reference} · revision {revision}").format(
                    reference=letter.reference, revision=letter.revision
                )
            item = QListWidgetItem(f"{heading}\n{letter.reason}")
            item.setData(Qt.ItemDataRole.UserRole, letter)
            self.dead.addItem(item)
            if letter == chosen:
                self.dead.setCurrentItem(item)
        self._update_resend()
        self.state_changed.emit(overview)

    # --- fix and resend ---------------------------------------------------------------------------------------

    def selected_dead_letter(self) -> DeadLetter | None:
        """The DeadLetter of the selected row, or None."""
        items = self.dead.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _update_resend(self) -> None:
        letter, allowed = self.selected_dead_letter(), self.controller.may(Permission.FILE_APPLICATION)
        self.resend_button.setEnabled(letter is not None and letter.resendable and not self._resending and allowed)
        self.resend_button.setToolTip(
            self.tr("Send the selected application again, corrected, as its next revision.")
            if allowed
            else self.tr("A sales consultant or store manager sends refused applications again.")
        )

    def ask_resend(self) -> None:
        """Say what will happen and ask; on "Send again" the application is resent off the GUI thread."""
        letter = self.selected_dead_letter()
        if letter is None or not letter.resendable:
            return
        assert letter.revision is not None  # resendable: an application's submission, with its revision
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Fix and resend"))
        box.setText(
            self.tr("Send application {reference} again as revision {revision}?").format(
                reference=letter.reference, revision=letter.revision + 1
            )
        )
        box.setInformativeText(
            self.tr(
                "The application is sent again as revision {revision} with the details as they are now. Correct "
                "the cause first; the central server refused it with:\n\n{reason}\n\nIf the cause is still "
                "there, the new revision is refused too."
            ).format(revision=letter.revision + 1, reason=letter.reason)
        )
        send = box.addButton(self.tr("&Send again"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)  # Qt's own is not translated
        box.setDefaultButton(cancel)
        box.buttonClicked.connect(lambda button: self._resend(letter) if button is send else None)
        box.finished.connect(lambda _result: self._confirm_closed(box))
        self.confirm_box = box  # kept for tests and to outlive the event loop turn
        box.open()

    def _confirm_closed(self, box: QMessageBox) -> None:
        if self.confirm_box is box:
            self.confirm_box = None
        box.deleteLater()

    def _resend(self, letter: DeadLetter) -> None:
        revision = letter.revision
        assert revision is not None  # only a resendable letter is confirmed (ask_resend)
        self._resending = True
        self._update_resend()
        self.message.setText(self.tr("Sending {reference} again…").format(reference=letter.reference))

        def done(_key: str) -> None:
            self._resending = False
            text = self.tr("{reference} is waiting to send again as revision {revision}; it goes with the next sync.")
            self.message.setText(text.format(reference=letter.reference, revision=revision + 1))
            self.refresh()

        self.controller.call(self.sync.resend, letter.application_id, on_done=done, on_error=self._resend_failed)

    def _resend_failed(self, error: BaseException) -> None:
        self._resending = False
        self.message.setText(error.message if isinstance(error, FenqiError) else self.tr("Resending failed; logged."))
        if not isinstance(error, FenqiError):
            self.controller.log_background_error(error)
        self.refresh()

    def clear_sensitive(self) -> None:
        self.sync_button.setEnabled(True)  # work dropped by a lock never reports back
        self._resending = False
        if self.confirm_box is not None:
            self.confirm_box.reject()
            self.confirm_box = None
        if self.activation_dialog is not None:  # what was typed in it is store IT's, not the next person's
            self.activation_dialog.reject()
            self.activation_dialog = None
        self.decisions.clear()
        self.dead.clear()
        self.message.clear()
        self._update_resend()
