"""Settings: language for everyone; idle lock, time zone, server, proxy and CA bundle for managers and admins;
the lender's signed policy shown read-only (no setting of this PC can change it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.policy import LenderPolicy, load_policy
from app.domain.roles import Permission
from app.kernel.errors import FenqiError
from app.security.secret_store import SecretStore
from ui.controller import Controller
from ui.pages.base import Page

TIME_ZONES = ("Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei")
POLICY_ROWS = 12  # version, effective from, and the values a person reads (velocity's two in one row)


class SettingsPage(Page):
    """Shows the settings in effect; saving goes through app/, which decides who may change what."""

    def __init__(self, controller: Controller, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.secrets = secrets
        form = QFormLayout()
        self.language = QComboBox()
        self.language.setObjectName("language")
        for value in ("auto", "zh_CN", "en"):
            self.language.addItem("", value)
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(1, 240)
        self.time_zone = QComboBox()
        self.time_zone.setEditable(True)
        self.time_zone.addItems(TIME_ZONES)
        self.server = QLineEdit()
        self.proxy = QLineEdit()
        self.ca_bundle = QLineEdit()
        self.key_store = QLabel()
        self.key_store.setWordWrap(True)
        self.customer_screen = QComboBox()
        self.customer_screen.setObjectName("customerScreen")
        self.labels = [QLabel() for _ in range(8)]
        for label, field in zip(
            self.labels,
            (
                self.language,
                self.idle,
                self.time_zone,
                self.server,
                self.proxy,
                self.ca_bundle,
                self.customer_screen,
                self.key_store,
            ),
            strict=True,
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        # This PC's settings on the left; the lender's policy beside them, read-only (it comes signed).
        columns = QHBoxLayout()
        columns.setSpacing(32)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column in (left, right):  # the page's spacing (nested layouts would take the columns' gap)
            column.setSpacing(self.layout_.spacing())
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.layout_.addLayout(columns, 1)
        left.addLayout(form)
        self.note = QLabel()
        self.note.setWordWrap(True)
        left.addWidget(self.note)
        row = QHBoxLayout()
        self.save_button, self.diagnostics_button = QPushButton(), QPushButton()
        self.save_button.setObjectName("primary")
        row.addWidget(self.save_button)
        row.addWidget(self.diagnostics_button)
        row.addStretch(1)
        left.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        left.addWidget(self.message)
        left.addStretch(1)
        self.policy_title = QLabel()
        self.policy_title.setObjectName("formSection")
        right.addWidget(self.policy_title)
        self.policy_note = QLabel()
        self.policy_note.setObjectName("policyNote")
        self.policy_note.setWordWrap(True)
        right.addWidget(self.policy_note)
        policy = QFormLayout()
        policy.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        policy.setVerticalSpacing(6)
        self.policy_labels = [QLabel() for _ in range(POLICY_ROWS)]
        self.policy_values = [QLabel() for _ in range(POLICY_ROWS)]
        for i, (name, shown) in enumerate(zip(self.policy_labels, self.policy_values, strict=True)):
            # Long English names wrap, so the page fits a 1280-pixel tablet beside the page list.
            name.setWordWrap(True)
            shown.setWordWrap(True)
            shown.setObjectName(f"policyValue{i}")
            shown.setTextInteractionFlags(shown.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
            policy.addRow(name, shown)
        right.addLayout(policy)
        right.addStretch(1)
        self._said: Callable[[], str] | None = None  # the message shown, said again when the language changes
        self.save_button.clicked.connect(self.save)
        self.diagnostics_button.clicked.connect(self._export)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Settings"))
        for label, text in zip(
            self.labels,
            (
                self.tr("&Language"),
                self.tr("Lock after &idle (minutes)"),
                self.tr("Store &time zone"),
                self.tr("Central se&rver"),
                self.tr("&Proxy"),
                self.tr("&CA bundle"),
                self.tr("C&ustomer screen"),
                self.tr("Key store"),
            ),
            strict=True,
        ):
            label.setText(text)
        for i, text in enumerate((self.tr("Follow the system"), "简体中文", "English")):
            self.language.setItemText(i, text)
        self.server.setPlaceholderText("https://api.example-lender.cn")
        self.ca_bundle.setPlaceholderText(self.tr("System certificates"))
        self.save_button.setText(self.tr("&Save"))
        self.diagnostics_button.setText(self.tr("&Export diagnostics…"))
        if self._said is not None:  # "Saved." comes just before a new language takes effect
            self.message.setText(self._said())
        self.load()

    def _say(self, text: Callable[[], str]) -> None:
        """Show `text()` under the buttons, in the language of the moment, now and after a language change."""
        self._said = text
        self.message.setText(text())

    def load(self) -> None:
        """Show the settings in effect and enable what the signed-in role may change."""
        s = self.controller.settings
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.idle.setValue(s.idle_lock_minutes)
        self.time_zone.setCurrentText(s.store_time_zone)
        self.server.setText(s.server_url)
        self.proxy.setText(s.proxy_url)
        self.ca_bundle.setText(s.ca_bundle)
        from PySide6.QtGui import QGuiApplication

        self.customer_screen.clear()
        self.customer_screen.addItem(self.tr("Automatic: a second display if there is one"), "")
        for screen in QGuiApplication.screens():
            self.customer_screen.addItem(
                f"{screen.name()} ({screen.size().width()}×{screen.size().height()})", screen.name()
            )
        if self.customer_screen.findData(s.customer_screen) < 0:
            self.customer_screen.addItem(
                self.tr("{name} (not connected)").format(name=s.customer_screen), s.customer_screen
            )
        self.customer_screen.setCurrentIndex(self.customer_screen.findData(s.customer_screen))
        text = self.secrets.description
        if self.secrets.is_development:
            text += "  " + self.tr("(development mode: do not use in a store)")
        self.key_store.setText(text)
        store_wide = self.controller.may(Permission.CHANGE_SETTINGS)
        for field in (self.idle, self.time_zone, self.server, self.proxy, self.ca_bundle, self.customer_screen):
            field.setEnabled(store_wide)
        self.note.setText(
            ""
            if store_wide
            else self.tr(
                "Only a store manager or an administrator can change the store's settings. You can change the language."
            )
        )
        self.diagnostics_button.setVisible(self.controller.may(Permission.EXPORT_DIAGNOSTICS))
        self._show_policy()

    def _policy(self) -> LenderPolicy:
        """The policy the pre-screen uses (its service keeps it), or read here before the services are open."""
        services = self.controller.services
        return services.prescreen.policy() if services is not None else load_policy(self.controller.settings)

    def _show_policy(self) -> None:
        """The lender's policy in force, read-only; when none verifies, why (the pre-screen is off then)."""
        self.policy_title.setText(self.tr("The lender's policy"))
        labels = (
            self.tr("Version"),
            self.tr("In effect from"),
            self.tr("Applicant's age"),
            self.tr("Repayments at most"),
            self.tr("Unsecured credit cap"),
            self.tr("Velocity flag"),
            self.tr("Cool-off after a decline"),
            self.tr("Return window"),
            self.tr("Second reviewer from"),
            self.tr("Reviews decided within"),
            self.tr("First-payment default alert"),
            self.tr("Alert counts from"),
        )
        for label, text in zip(self.policy_labels, labels, strict=True):
            label.setText(text)
        try:
            policy = self._policy()
        except FenqiError as exc:
            self.policy_note.setText(exc.message)
            for value in self.policy_values:
                value.setText("—")
            return
        self.policy_note.setText(
            self.tr("Set and signed by the lender, the same for its decision: no setting of this PC can change it.")
        )
        values = (
            str(policy.version),
            policy.effective_from.isoformat(),
            self.tr("{min} to {max} years").format(min=policy.age_min, max=policy.age_max),
            self.tr("{percent} percent of the income").format(percent=policy.max_debt_service_percent),
            self.tr("{amount} per borrower").format(amount=f"{policy.unsecured_cap:,.2f}"),
            self.tr("{count} applications in {days} days").format(
                count=policy.velocity_count, days=policy.velocity_days
            ),
            self.tr("{days} days").format(days=policy.reapply_cooloff_days),
            self.tr("{days} days").format(days=policy.return_window_days),
            self.tr("{amount} financed").format(amount=f"{policy.four_eyes_amount:,.2f}"),
            self.tr("{minutes} minutes").format(minutes=policy.review_service_level_minutes),
            self.tr("{multiple} × the average").format(multiple=policy.fpd_alert_multiple),
            self.tr("{count} matured loans").format(count=policy.fpd_alert_min_matured),
        )
        for value, text in zip(self.policy_values, values, strict=True):
            value.setText(text)

    def changes(self) -> dict[str, Any]:
        """The values on the form that differ from the settings in effect."""
        s = self.controller.settings
        form = {
            "language": self.language.currentData(),
            "idle_lock_minutes": self.idle.value(),
            "store_time_zone": self.time_zone.currentText().strip(),
            "server_url": self.server.text().strip(),
            "proxy_url": self.proxy.text().strip(),
            "ca_bundle": self.ca_bundle.text().strip(),
            "customer_screen": self.customer_screen.currentData() or "",
        }
        return {k: v for k, v in form.items() if getattr(s, k) != v}

    def save(self) -> None:
        """Save the changed values; app/ refuses what this role may not change."""
        changes = self.changes()
        if not changes:
            self._say(lambda: self.tr("Nothing to save."))
            return
        self.save_button.setEnabled(False)
        self.controller.change_settings(changes, on_error=self._failed)

    def saved(self) -> None:
        """Called when the controller reports the new settings."""
        self.save_button.setEnabled(True)
        self._say(lambda: self.tr("Saved."))
        self.load()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        text = error.message if isinstance(error, FenqiError) else str(error)
        self._say(lambda: text)

    def _export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export diagnostics"), str(Path.home() / "fenqi-diagnostics.zip"), "Zip (*.zip)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the diagnostics bundle to `path` in the background."""
        self.controller.export_diagnostics(
            path,
            on_done=lambda p: self._say(lambda: self.tr("Diagnostics saved to {path}").format(path=p)),
            on_error=self._failed,
        )
