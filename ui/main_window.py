"""The one window: sign-in (and lock) screen or the shell, a development-mode banner, and the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, QTranslator, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app.domain.actor import Actor
from app.domain.roles import role_label
from ui.controller import Controller
from ui.idle import IdleWatcher
from ui.pages.sign_in import SignInPage
from ui.translation import install_translator

if TYPE_CHECKING:
    from app.kernel.settings import Settings
    from app.sync.service import SyncOverview
    from ui.shell import Shell

MINUTE_MS = 60_000
DEFAULT_SIZE = (1280, 760)  # on a larger screen; a counter's 1366×768 gets the whole screen instead


class MainWindow(QMainWindow):
    """Shows the sign-in screen first; the shell only while someone is signed in and the counter is unlocked."""

    first_paint = Signal()

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.controller = controller
        self.shell: Shell | None = None  # built when the store is open (start-up stays light)
        self._painted = False
        self._translator: QTranslator | None = None
        settings = controller.config.settings
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = QLabel()
        self.banner.setObjectName("devBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.sign_in = SignInPage(settings.store_code, settings.store_name)
        self.stack.addWidget(self.sign_in)
        self.setCentralWidget(body)
        self.network_label = QLabel()
        self.staff_label = QLabel()
        self.statusBar().addWidget(self.network_label, 1)
        self.statusBar().addPermanentWidget(self.staff_label)
        self.resize(*DEFAULT_SIZE)

        self.idle = IdleWatcher(settings.idle_lock_minutes * MINUTE_MS, self)
        self.idle.idle.connect(lambda: controller.lock("idle"))
        lock_key = QShortcut(QKeySequence("Ctrl+L"), self)  # the window's shortcut: the app has one window
        lock_key.activated.connect(lambda: controller.lock("hotkey"))

        self.sign_in.submitted.connect(controller.sign_in)
        controller.services_ready.connect(self._services_ready)
        controller.services_failed.connect(self.sign_in.set_unavailable)
        controller.signed_in.connect(self._signed_in)
        controller.sign_in_failed.connect(self.sign_in.show_error)
        controller.locked.connect(self._locked)
        controller.signed_out.connect(self._signed_out)
        controller.settings_changed.connect(self._settings_changed)
        controller.language_changed.connect(self.apply_language)
        self.retranslate()
        self.sign_in.login.setFocus()

    # --- language ---------------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Fenqi POS"))
        self.network_label.setText(self.tr("Offline · no central server configured yet"))
        self._show_staff(self.controller.actor)
        services = self.controller.services
        if services is not None and services.secrets.is_development:
            self.banner.setText(
                self.tr(
                    "Development mode: the data key is kept in {where}, not in the operating system's keyring. "
                    "Do not use this mode in a store."
                ).format(where=services.secrets.description)
            )

    def show_scan(self, text: str) -> None:
        """Put what a scanner read into the page shown when it reads scans (customer details, the purchase's
        serial or IMEI, delivery); elsewhere say what it was (masked)."""
        if self.controller.actor is None:
            return  # nobody is signed in, or the counter is locked: a scan shows nothing
        if self.shell is not None and self.shell.current_key() in ("customer", "purchase", "delivery"):
            self.shell.show_scan(text)
            return
        from app.scanning.payload import classify_payload, shown_value

        result = classify_payload(text)
        kinds = {
            "id_number": self.tr("ID number"),
            "passport": self.tr("Passport"),
            "imei": self.tr("IMEI"),
            "barcode": self.tr("Barcode"),
        }
        state = self.tr("valid") if all(result.validation.values()) else self.tr("check failed")
        self.statusBar().showMessage(
            self.tr("Scanned {kind}: {value} ({state})").format(
                kind=kinds[result.kind], value=shown_value(result), state=state
            ),
            8000,
        )

    def apply_language(self, language: str) -> None:
        """Switch the widgets' catalog; every page re-translates itself (no restart)."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._translator = install_translator(app, language, self._translator)

    def _show_staff(self, actor: Actor | None) -> None:
        if actor is None:
            self.staff_label.setText(self.tr("Not signed in"))
        else:
            self.staff_label.setText(f"{actor.display_name} · {role_label(actor.role)}")

    # --- state changes ----------------------------------------------------------------------------------------

    def _services_ready(self) -> None:
        if self.isVisible() and not self._painted:  # the shell's many pages are built after the first paint
            from PySide6.QtCore import Qt  # its namespace of enums costs ~20 ms: not before the first window

            self.first_paint.connect(self._services_ready, Qt.ConnectionType.SingleShotConnection)
            return
        from ui.shell import Shell

        services = self.controller.services
        assert services is not None, "services_ready is emitted once they exist"
        self.shell = Shell(self.controller, services)
        self.shell.lock_requested.connect(lambda: self.controller.lock("hotkey"))
        self.shell.sign_out_requested.connect(self.controller.sign_out)
        self.stack.addWidget(self.shell)
        self.controller.tasks.failed.connect(self._background_failed)
        sync = self.shell.sync
        sync.notice.connect(lambda text: self.statusBar().showMessage(text, 30_000))
        sync.state_changed.connect(self._show_network)
        self.banner.setVisible(services.secrets.is_development)
        self.retranslate()
        self.sign_in.set_ready()

    def _show_network(self, overview: SyncOverview) -> None:
        """The status bar's network line: online or offline, and what is waiting."""
        online = overview.online
        if not overview.configured:  # what waits is counted before activation too
            state = self.tr("Offline · not activated yet")
        elif online is None:
            state = self.tr("Not synced yet")
        else:
            state = self.tr("Online") if online else self.tr("Offline")
        text = self.tr("{state} · {pending} waiting to send").format(state=state, pending=overview.pending)
        refused = len(overview.dead_letters)
        if refused:
            text += " · " + self.tr("{count} refused: see Sync").format(count=refused)
        self.network_label.setText(text)

    def _background_failed(self, error: BaseException) -> None:
        """Work nobody waited for failed: log it, and say so without technical detail."""
        self.controller.log_background_error(error)
        self.statusBar().showMessage(self.tr("Something went wrong in the background; it has been logged."), 8000)

    def _signed_in(self, actor: Actor) -> None:
        assert self.shell is not None
        self.shell.set_actor()
        QTimer.singleShot(200, self.shell.new_application.prepare_customer_window)  # before the first customer
        self.shell.flow.reopen_last()  # where this clerk was, even after a crash
        self.stack.setCurrentWidget(self.shell)
        self.shell.sync.refresh()
        self._show_staff(actor)
        self.idle.set_interval_ms(self.controller.settings.idle_lock_minutes * MINUTE_MS)
        self.idle.start()

    def _locked(self, who: Actor) -> None:
        self._leave_shell(locked_for=who.display_name)

    def _signed_out(self) -> None:
        self._leave_shell(locked_for=None)

    def _leave_shell(self, locked_for: str | None) -> None:
        self.idle.stop()
        for dialog in self.findChildren(QDialog):  # an open dialog may hold what was typed about a person
            dialog.reject()
        self.stack.setCurrentWidget(self.sign_in)
        if self.shell is not None:
            self.shell.clear_sensitive()
        self._show_staff(None)
        settings = self.controller.settings
        self.sign_in.set_store(settings.store_code, settings.store_name)  # an activation may have changed it
        self.sign_in.reset(locked_for)
        self.sign_in.button.setEnabled(self.controller.services is not None)

    def _settings_changed(self, settings: Settings) -> None:
        self.idle.set_interval_ms(self.controller.settings.idle_lock_minutes * MINUTE_MS)
        if self.shell is not None:
            self.shell.settings.saved()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.shell is not None:
            self.shell.new_application.close_customer_window()
        super().closeEvent(event)

    def show_fitted(self) -> None:
        """Show the window at its default size where that fits the screen with its title bar, maximised where it
        does not (a 1366×768 counter display): the status bar is never below the screen's edge."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        # Generous allowances for the frame: it is only known once the window manager has placed the window.
        title_bar, borders = 40, 16
        width, height = DEFAULT_SIZE
        if available.width() < width + borders or available.height() < height + title_bar:
            self.setGeometry(available)
            self.showMaximized()
            return
        self.move(available.center() - self.rect().center())
        self.show()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_paint.emit()
