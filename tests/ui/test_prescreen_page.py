"""The pre-screen screen: the customer page's details plus a purchase, and a preliminary result a clerk can
read — declined for a 17-year-old and for a blacklisted phone, referred for a phone used by three IDs."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.customer import CustomerDetails
from app.domain.identity import make_resident_id
from app.kernel.clock import utc_now
from app.kernel.config import load_configuration
from app.storage.repositories import ApplicationRepository, CustomerRepository
from tests.support.counter import signed_in_window
from tests.support.forms import fill_customer
from ui.controller import Controller
from ui.main_window import MainWindow
from ui.preload import preload_gui


@pytest.fixture
def counter(qtbot, signed_files):
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        services = window.controller.services
        services.prescreen.blacklist.import_file(signed_files.blacklist, signed_files.settings)
        yield window, window.shell.pages["customer"], window.shell.pages["prescreen"]


def _run(qtbot, window, page, price: str = "4999", down: str = "1000") -> None:
    window.shell.open_page("prescreen")
    page.product.setCurrentIndex(page.product.findData("GOODS"))
    page.term.setCurrentIndex(page.term.findData(12))
    page.price.setText(price)
    page.down.setText(down)
    page.result = None
    page.run()
    qtbot.waitUntil(lambda: page.result is not None or page.error.text() != "", timeout=10_000)


def _items(widget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def test_a_17_year_old_is_declined_with_a_readable_reason(qtbot, counter) -> None:
    window, customer, page = counter
    today = dt.datetime.now(dt.UTC).astimezone().date()
    birth = today.replace(year=today.year - 18) + dt.timedelta(days=2)
    fill_customer(customer.form, id_number=make_resident_id("110105", birth, 5))
    _run(qtbot, window, page)
    assert page.result.decision == "decline", page.error.text()
    assert "Decline" in page.decision.text()
    assert any("18 to 60" in text for text in _items(page.reasons))
    assert "Preliminary" in page.banner.text()


def test_a_blacklisted_phone_is_declined(qtbot, counter) -> None:
    window, customer, page = counter
    fill_customer(customer.form, phone="13900001111")
    _run(qtbot, window, page)
    assert page.result.decision == "decline"
    assert _items(page.reasons) == ["The phone number is on the lender's blacklist."]


def test_a_phone_used_by_three_ids_is_referred(qtbot, counter) -> None:
    window, customer, page = counter
    services = window.controller.services
    for seq in (21, 22):
        with services.store.write() as session:
            now = utc_now()
            app = ApplicationRepository().create_draft(session, services.current_store(session), None, "t", now)
            app.customer_id = CustomerRepository(services.store.cipher).save(
                session,
                CustomerDetails(
                    name="另一人", id_number=make_resident_id("310104", dt.date(1985, 5, 5), seq), phone="13812345678"
                ),
                now,
            )
    fill_customer(customer.form)
    _run(qtbot, window, page)
    assert page.result.decision == "refer"
    assert any("2 other ID number" in text for text in _items(page.flags))
    assert "Refer" in page.decision.text() and "Score" in page.figures.text()


def test_an_incomplete_customer_is_not_prescreened(qtbot, counter) -> None:
    window, customer, page = counter
    fill_customer(customer.form, monthly_income="")
    _run(qtbot, window, page)
    assert page.result is None and "customer details" in page.error.text()


def test_a_refused_model_turns_prescreening_off_and_nothing_else(qtbot, signed_files) -> None:
    """A changed model file: the counter starts, quotes and the customer page work, the pre-screen says why."""
    (signed_files.models / "scorecard.onnx").write_bytes(b"changed")
    controller = Controller(load_configuration(), preload=preload_gui)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    with qtbot.waitSignal(controller.model_failed, timeout=20_000):
        controller.start()
    qtbot.waitUntil(lambda: window.sign_in.button.isEnabled(), timeout=20_000)
    window.sign_in.login.setText("sales01")
    window.sign_in.secret.setText("135790")
    window.sign_in._submit()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.shell, timeout=10_000)
    qtbot.waitUntil(lambda: controller.catalog is not None, timeout=10_000)
    page, customer = window.shell.pages["prescreen"], window.shell.pages["customer"]
    assert "pre-screening is off" in page.error.text()  # said before anyone presses the button
    fill_customer(customer.form)
    _run(qtbot, window, page)
    assert page.result is None and "pre-screening is off" in page.error.text()
    assert controller.catalog is not None and customer.form.check() == []
    controller.shutdown()
