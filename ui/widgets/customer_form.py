"""The customer details form: fields in sections, each with its own problem line under it. The rules live in
app/ (`check_customer_form`); this widget only shows their answer as the clerk types (for fields already
touched, or for all after a save attempt) and highlights what a scan filled but a person must check. A valid
ID number typed in says the sex and birth date it carries, and fills an empty birth date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.domain.customer_form import CustomerForm, FieldProblem, check_customer_form, choices
from app.domain.identity import ResidentId, parse_resident_id
from app.kernel.errors import InvalidInput
from ui.translation import QT_TRANSLATE_NOOP
from ui.widgets.reveal import RevealButton

CHECK_DELAY_MS = 250

# (section title, fields); each field (key, label, placeholder or None for a choice list)
SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str | None], ...]], ...] = (
    (
        QT_TRANSLATE_NOOP("CustomerForm", "Identity"),
        (
            ("name", QT_TRANSLATE_NOOP("CustomerForm", "Name"), ""),
            (
                "id_number",
                QT_TRANSLATE_NOOP("CustomerForm", "ID number"),
                QT_TRANSLATE_NOOP("CustomerForm", "18 digits"),
            ),
            ("birth_date", QT_TRANSLATE_NOOP("CustomerForm", "Birth date"), "YYYY-MM-DD"),
            (
                "id_valid_until",
                QT_TRANSLATE_NOOP("CustomerForm", "ID valid until"),
                QT_TRANSLATE_NOOP("CustomerForm", "YYYY-MM-DD or 长期"),
            ),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("CustomerForm", "Contact"),
        (
            ("phone", QT_TRANSLATE_NOOP("CustomerForm", "Mobile phone"), ""),
            ("address", QT_TRANSLATE_NOOP("CustomerForm", "Address"), ""),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("CustomerForm", "Work and money"),
        (
            ("job_type", QT_TRANSLATE_NOOP("CustomerForm", "Job type"), None),
            ("employer", QT_TRANSLATE_NOOP("CustomerForm", "Employer"), ""),
            ("years_at_job", QT_TRANSLATE_NOOP("CustomerForm", "Years at the job"), ""),
            ("monthly_income", QT_TRANSLATE_NOOP("CustomerForm", "Monthly income (CNY)"), ""),
            ("monthly_expenses", QT_TRANSLATE_NOOP("CustomerForm", "Monthly expenses (CNY)"), ""),
            ("assets", QT_TRANSLATE_NOOP("CustomerForm", "Assets (CNY)"), ""),
            ("monthly_debt_payments", QT_TRANSLATE_NOOP("CustomerForm", "Existing monthly debt payments (CNY)"), ""),
            ("overdue_records", QT_TRANSLATE_NOOP("CustomerForm", "Overdue records (self-declared)"), ""),
            ("housing", QT_TRANSLATE_NOOP("CustomerForm", "Housing"), None),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("CustomerForm", "Emergency contact"),
        (
            ("emergency_name", QT_TRANSLATE_NOOP("CustomerForm", "Contact's name"), ""),
            ("emergency_phone", QT_TRANSLATE_NOOP("CustomerForm", "Contact's mobile"), ""),
            ("emergency_relation", QT_TRANSLATE_NOOP("CustomerForm", "Relation"), None),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("CustomerForm", "Repayment"),
        (("bank_card", QT_TRANSLATE_NOOP("CustomerForm", "Repayment debit card"), ""),),
    ),
)
WIDE = frozenset({"address", "bank_card"})  # long values get the whole row
FIELD_KEYS = tuple(key for _title, fields in SECTIONS for key, _label, _hint in fields)


def _t(text: str) -> str:
    return QCoreApplication.translate("CustomerForm", text)


class CustomerFormWidget(QWidget):
    """Every field of the customer details form; `changed` fires on any edit.

    A saved customer shown again (`show_saved`) has their ID number masked and read-only, with Reveal (for
    those allowed: `reveal_requested` asks the page, which asks app/) and Change (type another number) under
    it; `value("id_number")` still gives the saved number, for saving and pre-screening."""

    changed = Signal()
    reveal_requested = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.cross_check: dict[str, str] = {}
        self.touched: set[str] = set()
        self.show_all = False
        self.problems: list[FieldProblem] = []
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.section_titles: list[QLabel] = []
        self.saved_id_number: str | None = None  # set while the field shows a saved number masked (or revealed)
        self.derived_birth_date: str | None = None  # the birth date this form took from the ID number, while shown
        self.id_summary = QLabel()  # what the ID number says: sex and birth date
        self.id_summary.setObjectName("idNumberSummary")
        self.id_summary.setStyleSheet("color: #455a64;")
        self.id_summary.setWordWrap(True)  # never widens its column
        self.id_summary.hide()
        self.reveal_button = RevealButton()
        self.change_id_button = QPushButton()
        self.change_id_button.setObjectName("changeIdNumber")
        for button in (self.reveal_button, self.change_id_button):
            button.hide()
        self.reveal_button.clicked.connect(self.reveal_requested.emit)
        self.change_id_button.clicked.connect(self._change_id_number)
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        row = column = 0
        for _title, fields in SECTIONS:
            if column:
                row, column = row + 1, 0
            title = QLabel()
            title.setObjectName("formSection")
            self.section_titles.append(title)
            grid.addWidget(title, row, 0, 1, 2)
            row += 1
            for key, _label, hint in fields:
                editor: QLineEdit | QComboBox
                if hint is None:
                    editor = QComboBox()
                    editor.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))
                else:
                    editor = QLineEdit()
                    editor.textEdited.connect(lambda _s, k=key: self._edited(k))
                editor.setObjectName(key)
                label = QLabel()
                label.setBuddy(editor)
                error = QLabel()
                error.setObjectName("fieldProblem")
                error.setWordWrap(True)
                error.hide()
                cell = QVBoxLayout()
                cell.setSpacing(2)
                cell.addWidget(label)
                cell.addWidget(editor)
                if key == "id_number":  # under the field, so the masked number keeps the field's whole width
                    line = QHBoxLayout()
                    line.addWidget(self.reveal_button)
                    line.addWidget(self.change_id_button)
                    line.addStretch(1)
                    cell.addLayout(line)
                    cell.addWidget(self.id_summary)
                cell.addWidget(error)
                cell.addStretch(1)
                if key in WIDE:
                    if column:
                        row, column = row + 1, 0
                    grid.addLayout(cell, row, 0, 1, 2)
                    row += 1
                else:
                    grid.addLayout(cell, row, column)
                    row, column = (row + 1, 0) if column else (row, 1)
                self.inputs[key], self.labels[key], self.errors[key] = editor, label, error
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(row + 1, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for title_label, (title, fields) in zip(self.section_titles, SECTIONS, strict=True):
            title_label.setText(_t(title))
            for key, label, hint in fields:
                self.labels[key].setText(_t(label))
                editor = self.inputs[key]
                if isinstance(editor, QComboBox):
                    current = editor.currentData()
                    editor.blockSignals(True)
                    editor.clear()
                    editor.addItem(self.tr("— choose —"), "")
                    for code, text in choices(key):  # labels come from app/'s catalog
                        editor.addItem(text, code)
                    editor.setCurrentIndex(max(0, editor.findData(current)))
                    editor.blockSignals(False)
                elif hint:
                    editor.setPlaceholderText(_t(hint))
        self.change_id_button.setText(self.tr("Change"))
        self.change_id_button.setToolTip(self.tr("Type a different ID number"))
        self._show_resident(self._resident())
        if self.problems:
            self._show(self.problems)

    # --- values -------------------------------------------------------------------------------------------------

    def value(self, key: str) -> str:
        if key == "id_number" and self.saved_id_number is not None:
            return self.saved_id_number  # the field shows it masked
        editor = self.inputs[key]
        return str(editor.currentData() or "") if isinstance(editor, QComboBox) else editor.text()

    def form(self) -> CustomerForm:
        """What is typed now."""
        return CustomerForm(**{key: self.value(key) for key in FIELD_KEYS})

    def set_values(self, values: dict[str, str], doubtful: frozenset[str] = frozenset()) -> None:
        """Put scanned values in; the doubtful ones are highlighted until the clerk edits them. A saved ID
        number shown masked stays masked unless another number comes in."""
        if values.get("id_number", self.saved_id_number) != self.saved_id_number:
            self._unmask_id_number()
        for key, text in values.items():
            if key == "id_number" and self.saved_id_number is not None:
                self.touched.add(key)
                continue
            editor = self.inputs[key]
            if isinstance(editor, QLineEdit):
                editor.setText(text)
            else:
                editor.setCurrentIndex(max(0, editor.findData(text)))
            self.touched.add(key)
            self._mark(key, "doubtful", key in doubtful)
        if "birth_date" in values:
            self.derived_birth_date = None  # given, not taken from the number
        if "id_number" in values and "birth_date" not in values:
            self._id_number_changed()  # a number without a birth date (a barcode): the number gives it
        else:
            self._show_resident(self._resident())
        self.check()
        self.changed.emit()

    def clear(self) -> None:
        """Empty every field and forget every problem and highlight."""
        self._unmask_id_number()
        for key, editor in self.inputs.items():
            if isinstance(editor, QLineEdit):
                editor.clear()
            else:
                editor.setCurrentIndex(0)
            self._mark(key, "doubtful", False)
        self.derived_birth_date = None
        self._show_resident(None)
        self.touched.clear()
        self.cross_check = {}
        self.show_all = False
        self.problems = []
        self._show([])

    def show_saved(self, form: CustomerForm, id_number_masked: str) -> None:
        """Show a saved customer again (a resumed application): every field as saved, the ID number masked."""
        self.clear()
        self.set_values({key: getattr(form, key) for key in FIELD_KEYS})
        self.saved_id_number = form.id_number
        editor = self.inputs["id_number"]
        assert isinstance(editor, QLineEdit)
        editor.setText(id_number_masked)
        editor.setCursorPosition(0)
        editor.setReadOnly(True)
        self.reveal_button.set_revealed(False)
        self.reveal_button.show()
        self.change_id_button.show()

    def set_may_reveal(self, allowed: bool) -> None:
        """Whether the signed-in person may reveal a full ID number (app/ checks again when asked)."""
        self.reveal_button.set_allowed(allowed)

    def show_revealed(self, number: str) -> None:
        """Show the full number app/ revealed (and audited) in place of the mask."""
        if self.saved_id_number is None:
            return
        editor = self.inputs["id_number"]
        assert isinstance(editor, QLineEdit)
        editor.setText(number)
        editor.setCursorPosition(0)
        self.reveal_button.set_revealed(True)

    def _unmask_id_number(self) -> None:
        if self.saved_id_number is None:
            return
        self.saved_id_number = None
        editor = self.inputs["id_number"]
        assert isinstance(editor, QLineEdit)
        editor.setReadOnly(False)
        editor.clear()
        self.reveal_button.hide()
        self.change_id_button.hide()

    def _change_id_number(self) -> None:
        self._unmask_id_number()
        self.inputs["id_number"].setFocus()
        self._edited("id_number")

    # --- checking -----------------------------------------------------------------------------------------------

    def _edited(self, key: str) -> None:
        self.touched.add(key)
        self._mark(key, "doubtful", False)  # the clerk looked at it and changed it
        if key == "birth_date":
            self.derived_birth_date = None  # typed by the clerk: never replaced from the ID number
        elif key == "id_number":
            self._id_number_changed()
        self._timer.start()
        self.changed.emit()

    # --- what the ID number says --------------------------------------------------------------------------------

    def _resident(self) -> ResidentId | None:
        """The ID number in the form, if it is a valid resident ID number."""
        number = self.value("id_number")
        if len(number.strip()) < 18:
            return None
        try:
            return parse_resident_id(number, self.today)
        except InvalidInput:
            return None

    def _id_number_changed(self) -> None:
        """Say what a valid number carries, and put its birth date in while the field is empty or holds only
        what an earlier number gave. What the clerk typed stays: the check says if it disagrees."""
        resident = self._resident()
        self._show_resident(resident)
        if resident is None:
            return
        birth = self.inputs["birth_date"]
        assert isinstance(birth, QLineEdit)
        if birth.text().strip() and birth.text() != self.derived_birth_date:
            return
        self.derived_birth_date = resident.birth_date.isoformat()
        if birth.text() != self.derived_birth_date:
            birth.setText(self.derived_birth_date)
            self.touched.add("birth_date")
            self._mark("birth_date", "doubtful", False)

    def _show_resident(self, resident: ResidentId | None) -> None:
        if resident is None:
            self.id_summary.clear()
            self.id_summary.hide()
            return
        self.id_summary.setText(
            self.tr("From the ID number: {sex}, born {date}").format(
                sex=self.tr("male") if resident.is_male else self.tr("female"), date=resident.birth_date.isoformat()
            )
        )
        self.id_summary.show()

    def check(self) -> list[FieldProblem]:
        """Check the whole form now; problems show under touched fields (all of them after `reveal_all`)."""
        self._timer.stop()
        self.problems = check_customer_form(self.form(), self.today, self.cross_check or None)
        self._show(self.problems)
        return self.problems

    def reveal_all(self) -> list[FieldProblem]:
        """Show every problem, touched or not (the clerk tried to save); focus the first."""
        self.show_all = True
        problems = self.check()
        first = next((p.field for p in problems if p.field in self.inputs), None)
        if first is not None:
            self.inputs[first].setFocus()
        return problems

    def show_problems(self, problems: list[FieldProblem]) -> None:
        """Show problems found elsewhere (the save was refused) under their fields."""
        self.show_all = True
        self.problems = problems
        self._show(problems)

    def _show(self, problems: list[FieldProblem]) -> None:
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            if self.show_all or problem.field in self.touched:
                by_field.setdefault(problem.field, []).append(problem.message)
        for key, error in self.errors.items():
            messages = by_field.get(key, [])
            error.setText(" ".join(messages))
            error.setVisible(bool(messages))
            self._mark(key, "problem", bool(messages))

    def _mark(self, key: str, prop: str, on: bool) -> None:
        editor = self.inputs[key]
        if bool(editor.property(prop)) == on:
            return
        editor.setProperty(prop, on)
        editor.style().unpolish(editor)
        editor.style().polish(editor)
