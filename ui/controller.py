"""The GUI's single link to app/: opens the services in the background and runs every call off the GUI thread.

Pages ask the controller; the controller asks app/ services through ui/tasks.py and re-emits their typed
results as signals. It holds no business rules: roles, lockout and validation are decided in app/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, QTimer, Signal, qVersion

from app.counter.session import CounterSession
from app.domain.actor import Actor
from app.domain.roles import Permission, has_permission
from app.kernel.config import Configuration
from app.kernel.i18n import current_language

if TYPE_CHECKING:
    from app.domain.catalog import Catalog
    from app.kernel.settings import Settings
    from app.services import Services
    from ui.tasks import TaskRunner


# Every module the GUI needs after the first paint is imported here, on the database thread, one at a time:
# PySide6's import hook is not safe when two threads import at once (it has crashed the interpreter with
# "none_dealloc" when onnxruntime and SQLAlchemy were imported in parallel), so the GUI thread finds them
# already loaded and background imports never overlap.
PURGE_DELAY_MS = 60_000  # the start-up purge waits this long after the services are ready


def _open_services(config: Configuration, preload: Callable[[], None]) -> Services:
    # Photos are read on the I/O pool; scans are recognised on the GUI thread.
    import app.scanning.images
    import app.scanning.payload  # noqa: F401
    from app.kernel.config import start_logging
    from app.services import build_services  # SQLAlchemy, Alembic, keyring load here, after the first paint

    preload()  # the GUI's modules for after the first paint (the shell and its pages), given by ui/main.py
    start_logging(config)
    return build_services(config)


def _nothing_to_preload() -> None:
    """Tests and tools that build a controller without a window preload nothing."""


def _load_catalog(settings: Settings) -> Catalog:
    from app.domain.catalog import load_catalog

    return load_catalog(settings)


def _preload_model_runtime() -> None:
    import onnxruntime  # noqa: F401 - warmed up so the pre-screen starts at once


    # Used from the settings and plan pages.


def _warm_prescreen(services: Services) -> str:
    services.prescreen.ensure_blacklist()
    services.prescreen.policy()  # a refused lender's policy turns the pre-screen off, as a refused scorecard does
    return services.prescreen.scorecard().version


class Controller(QObject):
    """Owns the services, the task runner and the counter session for one window."""

    services_ready = Signal()
    services_failed = Signal(object)
    signed_in = Signal(object)  # Actor
    sign_in_failed = Signal(object)  # FenqiError
    locked = Signal(object)  # Actor | None: who was signed in
    signed_out = Signal()
    settings_changed = Signal(object)  # Settings
    catalog_ready = Signal(object)  # Catalog
    leaving = Signal()  # the signed-in person is about to be locked out or signed out
    catalog_failed = Signal(object)  # FenqiError
    language_changed = Signal(str)
    model_ready = Signal(str)  # the scorecard's version
    model_failed = Signal(object)  # FenqiError: pre-screening is off, everything else works

    def __init__(
        self,
        config: Configuration,
        open_services: Callable[[Configuration, Callable[[], None]], Services] = _open_services,
        parent: QObject | None = None,
        preload: Callable[[], None] = _nothing_to_preload,
    ) -> None:
        super().__init__(parent)
        self.config = config
        self._tasks: TaskRunner | None = None
        self.session = CounterSession()
        self.epoch = 0  # changes whenever who is at the counter changes
        self.services: Services | None = None
        self._purge_timer = QTimer(self)
        self._purge_timer.setSingleShot(True)
        self.catalog: Catalog | None = None
        self.catalog_error: BaseException | None = None
        self.error: BaseException | None = None
        self.model_error: BaseException | None = None
        self._open_services = open_services
        self._preload = preload

    @property
    def tasks(self) -> TaskRunner:
        """The background runner, made on first use (its thread pools are not needed before the first paint)."""
        if self._tasks is None:
            from ui.tasks import TaskRunner

            self._tasks = TaskRunner(self)
        return self._tasks

    # --- start-up ---------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the local store, load the signed catalog and warm up the model runtime, in that order, on the
        database thread (one thread: background imports never overlap)."""
        self.tasks.run_db(
            self._open_services, self.config, self._preload, on_done=self._ready, on_error=self._failed
        )
        self.tasks.run_db(
            _load_catalog, self.config.settings, on_done=self._catalog_loaded, on_error=self._catalog_refused
        )
        self.tasks.run_db(_preload_model_runtime, on_error=self.log_background_error)

    def _ready(self, services: Services) -> None:
        self.services = services
        self.services_ready.emit()
        # The scorecard's session is made once, here on the database thread, after the first window.
        self.tasks.run_db(_warm_prescreen, services, on_done=self.model_ready.emit, on_error=self._model_refused)
        # Personal data past the retention period goes at each start (counters start every day): a minute in,
        # not while the window first shows, on the I/O pool in batches of its own transactions, so sign-in and
        # saves are never queued behind it.
        self._purge_timer.timeout.connect(
            lambda: self.tasks.run_io(_purge_due, services, on_error=self.log_background_error)
        )
        self._purge_timer.start(PURGE_DELAY_MS)

    def _model_refused(self, error: BaseException) -> None:
        self.model_error = error
        self.log_background_error(error)
        self.model_failed.emit(error)

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.catalog_ready.emit(catalog)

    def _catalog_refused(self, error: BaseException) -> None:
        self.catalog_error = error
        self.log_background_error(error)
        self.catalog_failed.emit(error)

    def _failed(self, error: BaseException) -> None:
        self.error = error
        self.services_failed.emit(error)

    @staticmethod
    def log_background_error(error: BaseException) -> None:
        import logging

        logging.getLogger("fenqi.ui").error("background task failed: %s", type(error).__name__, exc_info=error)

    @property
    def settings(self) -> Settings:
        return self.services.settings if self.services else self.config.settings

    @property
    def actor(self) -> Actor | None:
        return self.session.actor

    def may(self, permission: Permission) -> bool:
        """Whether the signed-in person may do `permission` (to show or hide a page; app/ checks again)."""
        return self.actor is not None and has_permission(self.actor.role, permission)

    # --- signing in and locking -------------------------------------------------------------------------------

    def sign_in(self, login: str, secret: str) -> None:
        """Check the PIN in the background; emits signed_in or sign_in_failed."""
        assert self.services is not None
        self.tasks.run_db(
            self.services.staff.sign_in, login, secret, on_done=self._signed_in, on_error=self.sign_in_failed.emit
        )

    def _signed_in(self, actor: Actor) -> None:
        self.session.signed_in(actor)
        self.epoch += 1
        self.signed_in.emit(actor)

    def lock(self, reason: str) -> None:
        """Lock the counter at once (the audit entry is written in the background)."""
        self.leaving.emit()  # what is typed is saved as the person who typed it, before they are gone
        who = self.session.lock()
        if who is None:
            return
        self.epoch += 1  # results of work started before the lock are dropped, not shown behind it
        self.locked.emit(who)
        if self.services is not None:
            self.tasks.run_db(self.services.staff.record_lock, who, reason, on_error=self.log_background_error)

    def sign_out(self) -> None:
        """End the session and return to the sign-in screen."""
        self.leaving.emit()
        self.session.sign_out()
        self.epoch += 1
        self.signed_out.emit()

    # --- everything else: run an app/ call for the signed-in actor --------------------------------------------

    def guarded(self, callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
        """`callback`, but only while the session that asked is still at the counter: a result arriving after
        a lock, sign-out or hand-over is dropped instead of filling a page someone else will see."""
        if callback is None:
            return None
        epoch = self.epoch

        def deliver(value: Any) -> None:
            if self.epoch == epoch:
                callback(value)

        return deliver

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `fn(actor, *args)` on the database thread for whoever is signed in now; refused while locked."""
        actor = self.actor
        if actor is None:
            from app.counter.session import CounterLocked
            from app.kernel.i18n import _

            if on_error is not None:
                on_error(CounterLocked(_("Sign in first.")))
            return
        self.tasks.run_db(fn, actor, *args, on_done=self.guarded(on_done), on_error=self.guarded(on_error))

    def run_io(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `fn(*args)` on the I/O pool; its result is dropped if the counter locks meanwhile."""
        self.tasks.run_io(fn, *args, on_done=self.guarded(on_done), on_error=self.guarded(on_error))

    def change_settings(self, changes: dict[str, Any], on_error: Callable[[BaseException], None]) -> None:
        """Save settings changes (app/ decides who may); a new language applies to every window at once."""
        assert self.services is not None
        before = current_language()

        def done(settings: Settings) -> None:
            from app.kernel.i18n import set_language

            set_language(settings.language)  # here, on the GUI thread that produces the texts
            self.settings_changed.emit(settings)
            if current_language() != before:
                self.language_changed.emit(current_language())

        service = self.services.settings_service
        self.call(lambda actor: service.change(actor, **changes), on_done=done, on_error=on_error)

    def export_diagnostics(
        self, target: Path, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """Write the diagnostics zip for store IT."""
        services = self.services
        assert services is not None
        versions = {"qt": qVersion(), "pyside6": pyside_version}

        def export(actor: Actor) -> Path:
            from app.office.diagnostics import (
                export_diagnostics,  # imported on the database thread, like every late import
            )

            return export_diagnostics(services, actor, target, versions)

        self.call(export, on_done=on_done, on_error=on_error)

    def shutdown(self) -> None:
        """Close the store after queued work and stop the workers."""
        self._purge_timer.stop()
        if self._tasks is None:
            return
        if self.services is not None:
            self._tasks.run_db(self.services.close)
        self._tasks.shutdown(wait=True)


def _purge_due(services: Services) -> object:
    """Purge what is due now (the application's own schedule: no actor)."""
    from app.kernel.clock import utc_now

    return services.purge.purge_due(None, utc_now())
