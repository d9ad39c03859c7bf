"""Signing begins with the one-time code: online, the lender (the reference server, run for real) texts a code to
the customer's phone — read here from the development SMS provider's outbox in the server's data folder — and
the customer types it on large digit buttons on their own screen; a wrong code says how many tries are left,
the right one brings the terms, and the signed contract prints the confirmation (time and masked phone).
Offline, the terms come at once and the contract says the confirmation is pending. Every other answer of the
lender (expired, too many tries, limited, no SMS) is shown to the clerk and the customer, with the clerk able
to send a new code when allowed or to go on without it."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from app.cli import main
from app.counter.verification import CodeOutcome, CodeStatus, ConfirmOutcome, ConfirmStatus
from app.domain.actor import Actor
from app.domain.roles import Role
from central.sms import outbox_lines
from tests.support.applications import GOOD, quoted_application
from tests.support.central_db import central_database
from tests.support.central_server import running_central
from tests.support.counter import signed_in_window
from tests.support.lender import DEMO_ROSTER, store_with_roster
from tests.support.signing import go_on_to_signing
from tests.ui.test_customer_screen import sign_with_pen
from ui.customer_display.window import CustomerWindow
from ui.widgets.signing_code import RESEND_WAIT_S, SigningCode


@pytest.fixture(scope="module")
def lender(tmp_path_factory):
    """The reference server on SQLite, its files (the SMS outbox) in a folder of this test's."""
    folder = tmp_path_factory.mktemp("lender")
    db = central_database("sqlite", folder)
    with running_central(db, data_dir=folder / "data") as (base, _process):
        yield base, db, folder / "data"


def _tap(qtbot, window: CustomerWindow, digits: str) -> None:
    """The customer taps the digits, one button each."""
    for digit in digits:
        qtbot.mouseClick(window.code_entry.digit_buttons[digit], Qt.MouseButton.LeftButton)


def _quoted(window, signed_files) -> tuple[object, CustomerWindow]:
    """An application with its plan fixed (made through app/, as the flow would), open at the counter on Verify;
    the New application page and its customer screen, in English."""
    controller = window.controller
    services = controller.services
    services.prescreen.blacklist.import_file(signed_files.blacklist, signed_files.settings)
    application_id, terms = quoted_application(services, controller.catalog, actor=controller.actor)
    window.shell.flow.resume(application_id, terms["reference"])
    page = window.shell.pages["new"]
    page.prepare_customer_window()
    page.window_.set_language("en")
    return page, page.window_


def _sign(qtbot, page) -> None:
    screen = page.window_
    for box in screen.signing_boxes:
        box.box.setChecked(True)
    sign_with_pen(screen.pad)
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.signed is not None or page.message.text() != "", timeout=10_000)
    assert page.signed is not None, page.message.text()


def _contract_text(qtbot, page, tmp_path: Path) -> str:
    pdf = tmp_path / "contract.pdf"
    page.save_pdf_to(pdf)
    qtbot.waitUntil(lambda: pdf.exists() and pdf.stat().st_size > 0, timeout=5_000)
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_customer_types_the_code_from_their_phone_and_the_contract_says_so(
    qtbot, lender, signed_files, tmp_path
) -> None:
    base, db, data_dir = lender
    code = store_with_roster(db, "S001", members=DEMO_ROSTER)  # the clerk signs in as sales01 after activation
    assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code]) == 0
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        services = window.controller.services
        page, screen = _quoted(window, signed_files)  # the customer's phone is 13812345678
        go_on_to_signing(qtbot, window.shell)
        qtbot.waitUntil(lambda: page.code.phase == "typing", timeout=10_000)
        assert screen.stack.currentWidget() is screen.code_page and "138****5678" in screen.code_page.body.text()
        assert "138****5678" in page.message.text() and "typing the code" in page.state.text()
        assert page.code.without_code_button.isVisible() and not page.code.new_code_button.isEnabled()  # a minute
        sent = [line for line in outbox_lines(data_dir) if line["application_id"] == str(page.application_id)]
        assert [line["phone"] for line in sent] == [GOOD.phone] == ["13812345678"]
        right = sent[0]["code"]
        wrong = "".join(str((int(d) + 1) % 10) for d in right)

        _tap(qtbot, screen, wrong[:5])
        qtbot.mouseClick(screen.code_entry.confirm_button, Qt.MouseButton.LeftButton)
        assert "all six digits" in screen.error.text()  # refused on the screen; nothing went to the lender
        _tap(qtbot, screen, "0")
        qtbot.mouseClick(screen.code_entry.delete_button, Qt.MouseButton.LeftButton)
        _tap(qtbot, screen, wrong[5:] + "9")  # a seventh digit is not taken
        assert screen.code_entry.code == wrong and screen.code_entry.boxes[5].text() == wrong[5]
        qtbot.mouseClick(screen.code_entry.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Tries left: 4" in screen.error.text(), timeout=10_000)
        assert "4" in page.message.text() and "types it again" in page.message.text()  # the lender's tries left
        assert screen.code_entry.code == ""  # typed again from empty
        assert screen.stack.currentWidget() is screen.code_page and page.signed is None

        _tap(qtbot, screen, right)
        qtbot.mouseClick(screen.code_entry.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.terms_page, timeout=10_000)
        assert not screen.confirmation_pending and screen.terms_note.isHidden() and page.code.isHidden()
        assert "confirmed" in page.message.text()
        _sign(qtbot, page)
        confirmation = services.verification.confirmation(page.application_id)
        assert confirmation is not None and page.signed.confirmation == confirmation
        text = _contract_text(qtbot, page, tmp_path)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "copy.pdf"))
        page.print_to(printer, customer_copy=True)
    copy = subprocess.run(["pdftotext", str(tmp_path / "copy.pdf"), "-"], capture_output=True, text=True).stdout
    at = confirmation.confirmed_at.astimezone(ZoneInfo(services.settings.store_time_zone))
    for printed in (text, copy):
        assert "Signing confirmed" in printed and "138****5678" in printed, printed
        assert at.strftime("%Y-%m-%d %H:%M:%S") in printed and "pending" not in printed
        assert "13812345678" not in printed
    assert "Customer copy" in copy


def test_offline_the_terms_come_at_once_and_the_contract_says_pending(qtbot, signed_files, tmp_path) -> None:
    with signed_in_window(qtbot, wait_for_catalog=True) as window:  # no lender set up: offline
        page, screen = _quoted(window, signed_files)
        go_on_to_signing(qtbot, window.shell)
        qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.terms_page, timeout=5_000)
        assert screen.confirmation_pending and not screen.terms_note.isHidden()
        assert "lender will call you" in screen.terms_note.text()
        assert "the lender will call the customer" in page.message.text() and page.code.isHidden()
        assert "pending" in page.state.text()
        _sign(qtbot, page)
        assert page.signed.confirmation is None and "pending" in page.message.text()
        text = _contract_text(qtbot, page, tmp_path)
    assert "Confirmation by SMS pending: the lender will call the customer" in " ".join(text.split())


# --- every answer of the lender, on both screens -------------------------------------------------------------


class Lender:
    """VerificationService's two calls answering what a test lines up (the outcomes are app/'s own types)."""

    def __init__(self) -> None:
        self.codes: list[CodeOutcome] = []
        self.entries: list[ConfirmOutcome] = []
        self.typed: list[str] = []

    def send_code(self, _actor: Actor, _application_id: uuid.UUID) -> CodeOutcome:
        return self.codes.pop(0)

    def confirm_code(self, _actor: Actor, _application_id: uuid.UUID, code: str) -> ConfirmOutcome:
        self.typed.append(code)
        return self.entries.pop(0)


class AtOnce:
    """The controller's call and I/O pool, run at once on this thread for the clerk signed in (or, while
    `holding`, when the test lets them go: an answer that comes late)."""

    actor = Actor("sales01", Role.SALES, "销售", uuid.uuid4())

    def __init__(self) -> None:
        self.holding = False
        self.held: list[Callable[[], None]] = []

    def call(self, fn, *args, on_done=None, on_error=None) -> None:
        self.run_io(fn, self.actor, *args, on_done=on_done, on_error=on_error)

    def run_io(self, fn, *args, on_done=None, on_error=None) -> None:
        self.held.append(lambda: on_done(fn(*args)))
        if not self.holding:
            self.release()

    def release(self) -> None:
        while self.held:
            self.held.pop(0)()

    @staticmethod
    def log_background_error(error: BaseException) -> None:
        raise error


@pytest.fixture
def staff(qtbot):
    lender = Lender()
    customer = CustomerWindow("en")
    qtbot.addWidget(customer)
    controller = AtOnce()
    code = SigningCode(controller, lender)
    holder = QWidget()
    qtbot.addWidget(holder)
    code.setParent(holder)
    holder.show()
    customer.show()
    customer.code_entered.connect(code.entered)
    finished: list[bool] = []
    said: list[str] = []
    code.finished.connect(finished.append)
    code.said.connect(said.append)
    yield lender, customer, code, finished, said, controller
    customer.close_for_good()


def _sent(status: CodeStatus, retry_after: float | None = None) -> CodeOutcome:
    return CodeOutcome(status, f"lender says {status.value}.", retry_after=retry_after)


def test_expired_and_too_many_tries_offer_a_new_code_when_allowed(qtbot, staff) -> None:
    lender, customer, code, finished, said, _controller = staff
    lender.codes += [_sent(CodeStatus.SENT), _sent(CodeStatus.SENT)]
    code.start(uuid.uuid4(), customer, "138****5678")
    assert code.phase == "typing" and code.new_code_timer.interval() == RESEND_WAIT_S * 1000
    lender.entries.append(ConfirmOutcome(ConfirmStatus.CODE_EXPIRED, "lender says expired."))
    _tap(qtbot, customer, "123456")
    qtbot.mouseClick(customer.code_entry.confirm_button, Qt.MouseButton.LeftButton)
    assert lender.typed == ["123456"] and "expired" in customer.error.text()
    assert not customer.code_entry.digit_buttons["1"].isEnabled()  # nothing to type until a new code comes
    assert code.new_code_button.isEnabled() and said[-1] == "lender says expired."
    qtbot.mouseClick(code.new_code_button, Qt.MouseButton.LeftButton)
    assert code.phase == "typing" and "only the newest code works" in customer.code_page.note.text()
    assert customer.code_entry.digit_buttons["1"].isEnabled() and not customer.error.isVisible()

    lender.entries.append(ConfirmOutcome(ConfirmStatus.TOO_MANY_TRIES, "lender says too many.", retry_after=90))
    _tap(qtbot, customer, "654321")
    qtbot.mouseClick(customer.code_entry.confirm_button, Qt.MouseButton.LeftButton)
    assert "Too many wrong tries" in customer.error.text() and not code.new_code_button.isEnabled()
    assert code.new_code_timer.isActive() and code.new_code_timer.interval() == 90_000  # as the lender allows
    customer.set_language("en")  # a language change says the refusal again
    assert "Too many wrong tries" in customer.error.text()

    lender.codes.append(_sent(CodeStatus.RATE_LIMITED, retry_after=30))
    code.new_code_button.setEnabled(True)  # the lender's wait is over
    qtbot.mouseClick(code.new_code_button, Qt.MouseButton.LeftButton)  # the earlier code still works
    assert code.phase == "typing" and "code you already received" in customer.error.text()
    assert customer.code_entry.digit_buttons["1"].isEnabled() and said[-1] == "lender says rate_limited."
    lender.entries.append(ConfirmOutcome(ConfirmStatus.RATE_LIMITED, "lender says busy.", retry_after=5))
    _tap(qtbot, customer, "111111")
    qtbot.mouseClick(customer.code_entry.confirm_button, Qt.MouseButton.LeftButton)
    assert "tap Confirm again" in customer.error.text() and customer.code_entry.code == "111111"
    assert finished == []
    qtbot.mouseClick(code.without_code_button, Qt.MouseButton.LeftButton)
    assert finished == [False] and code.isHidden() and "lender will call the customer" in said[-1]


@pytest.mark.parametrize("status", [CodeStatus.SMS_UNAVAILABLE, CodeStatus.OFFLINE, CodeStatus.REFUSED])
def test_no_code_to_type_goes_on_with_the_confirmation_pending(staff, status: CodeStatus) -> None:
    lender, customer, code, finished, said, _controller = staff
    lender.codes.append(_sent(status))
    code.start(uuid.uuid4(), customer, "")
    assert finished == [False] and not code.active and said[-1].startswith(f"lender says {status.value}.")
    assert "terms are on the customer's screen" in said[-1]


def test_an_answer_that_comes_after_the_clerk_went_on_changes_nothing(qtbot, staff) -> None:
    lender, customer, code, finished, said, controller = staff
    lender.codes.append(_sent(CodeStatus.SENT))
    code.start(uuid.uuid4(), customer, "")
    assert "your mobile phone" in customer.code_page.body.text()  # the number is not known here
    lender.entries.append(ConfirmOutcome(ConfirmStatus.CONFIRMED, "lender says confirmed."))
    controller.holding = True  # the lender is slow to answer
    _tap(qtbot, customer, "123456")
    qtbot.mouseClick(customer.code_entry.confirm_button, Qt.MouseButton.LeftButton)
    assert "Checking" in customer.code_page.note.text() and not customer.code_entry.digit_buttons["1"].isEnabled()
    qtbot.mouseClick(code.without_code_button, Qt.MouseButton.LeftButton)
    controller.release()
    assert finished == [False] and lender.typed == ["123456"] and "confirmed" not in said[-1]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_code_page_and_the_pending_terms_fit_a_1366x768_display(qtbot, language) -> None:
    """Placed beside the staff window on one 1366×768 display, with a refusal shown: every digit button, Delete,
    Confirm and the message are whole; the terms with the note that the lender will call still fit."""
    from tests.ui.test_customer_window import FRAME, LAPTOP, STAFF, _fully_shown, _terms
    from ui.customer_display.placement import choose_placement

    customer = CustomerWindow(language)
    qtbot.addWidget(customer)
    placed = choose_placement([LAPTOP], "", STAFF, FRAME, customer.minimumSizeHint()).geometry
    customer.resize(placed.size())
    customer.show()
    customer.ask_code("138****5678")
    customer.code_problem("code_wrong", 4)
    qtbot.wait(20)
    assert customer.size() == placed.size()
    entry = customer.code_entry
    for widget in (*entry.digit_buttons.values(), entry.delete_button, entry.confirm_button, *entry.boxes):
        assert _fully_shown(customer, widget), widget
    assert _fully_shown(customer, customer.error) and _fully_shown(customer, customer.code_page.body)
    customer.show_terms(_terms(), pending=True)
    customer.sign_button.click()  # a refusal takes room too
    qtbot.wait(20)
    assert customer.size() == placed.size()
    for widget in (customer.terms_note, customer.sign_button, customer.pad, customer.error, customer.summary):
        assert _fully_shown(customer, widget), widget
    customer.close_for_good()
