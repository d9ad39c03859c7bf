"""The Verify page, between the fixed plan and the signature: a live photo from the camera (a simulated one playing
a public-domain face, scikit-image's astronaut) or a chosen file, refused in plain words when it shows no face or
is too dark, kept unchecked where the face check is not installed; the repayment card checked with the bank
through the real reference server as the page opens (a refused card asks for another, Enter checks it), or left to
the lender when the counter is offline; Continue waits for both, then the customer's screen takes over."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QImage
from skimage import data

from app.cli import main
from app.counter.flow import Step, current_step
from app.domain.consent import FIRST_MOMENT
from app.scanning.payload import ScanResult
from app.storage.models import Application
from app.wire.evidence import EvidenceKind
from central.bank import TEST_CARD_MATCH, TEST_CARD_PHONE_MISMATCH
from tests.support.applications import GOOD, given, quoted_application
from tests.support.central_db import central_database
from tests.support.central_server import running_central
from tests.support.clerk import focused_on
from tests.support.counter import signed_in_window
from tests.support.lender import DEMO_ROSTER, store_with_roster
from ui.camera import SimulatedCameraSource


def _jpeg(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


FACE = _jpeg(data.astronaut())
NO_FACE = _jpeg(np.full((480, 640, 3), 160, np.uint8))  # a bare wall
DARK = _jpeg((data.astronaut() * 0.2).astype(np.uint8))  # the face is there, in the dark


def _camera(picture: bytes):
    """A camera factory playing one picture as its frames."""
    frame = QImage.fromData(QByteArray(picture))
    return lambda: SimulatedCameraSource([frame])


def _verify(qtbot, window, form=GOOD, camera=None):
    """An application with its plan fixed, opened on the Verify page (the camera playing `camera`'s picture, or
    none)."""
    controller, shell = window.controller, window.shell
    services = controller.services
    application_id, _terms = quoted_application(services, controller.catalog, form, controller.actor)
    with services.store.read() as session:
        reference = session.get(Application, application_id).reference
    page = shell.pages["evidence"]
    page.live.use_camera(_camera(camera) if camera else None)
    shell.flow.open(application_id, reference)
    qtbot.waitUntil(lambda: shell.flow.facts is not None, timeout=5_000)
    assert current_step(shell.flow.facts) is Step.EVIDENCE  # the plan is fixed: who signs is verified first
    shell.open_page("evidence")
    return page


@pytest.fixture
def offline(qtbot, signed_files):
    """A signed-in counter that was never activated: the lender cannot be asked."""
    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        yield window


def test_the_id_photo_scanned_is_kept_and_shown_beside_the_live_photo(qtbot, offline) -> None:
    window, shell = offline, offline.shell
    services, actor = window.controller.services, window.controller.actor
    started = services.consents.begin_application(actor, given(FIRST_MOMENT))
    shell.flow.open(started.application_id, started.reference)
    customer = shell.pages["customer"]
    qtbot.waitUntil(lambda: customer.missing == [], timeout=5_000)
    card = _jpeg(data.astronaut()[40:360, :])  # the reader's crop of the card, as a JPEG
    customer.apply_scan(ScanResult("id_card_front", {"name": "张三"}, {"name": 0.99}, {}, "id_front", card))
    qtbot.waitUntil(lambda: "id_front" in shell.flow.application.id_images, timeout=5_000)
    assert [item.kind for item in services.evidence.items(started.application_id)] == [EvidenceKind.ID_FRONT]
    # A photo that cannot be kept is said, and the form is filled all the same.
    back = ScanResult("id_card_back", {}, {}, {}, "id_back", b"not a picture")
    customer.apply_scan(back)
    qtbot.waitUntil(lambda: "could not be kept" in customer.notice.text(), timeout=5_000)
    assert customer.form.value("name") == "张三"
    shell.open_page("evidence")
    page = shell.pages["evidence"]
    qtbot.waitUntil(lambda: "ID card front" in page.id_state.text(), timeout=5_000)
    assert page.id_preview.pixmap() is not None and not page.id_preview.pixmap().isNull()  # the clerk filing sees it
    assert not page.reveal_button.isVisible()


def test_a_face_from_the_camera_is_kept_then_the_customer_signs(qtbot, offline) -> None:
    window, shell = offline, offline.shell
    page = _verify(qtbot, window, camera=FACE)
    # Offline, the card is left to the lender and blocks nothing; Continue waits for the photo.
    qtbot.waitUntil(lambda: page.card.outcome is not None, timeout=5_000)
    assert "lender will check the card when the application arrives" in page.card.state.text()
    assert not page.continue_button.isEnabled() and page.continue_button.isVisible()
    assert not page.live.choose_button.isVisible()  # a camera is here
    qtbot.waitUntil(lambda: page.live.take_button.isEnabled() and focused_on(page.live.take_button), timeout=5_000)
    qtbot.keyClick(page.live.take_button, Qt.Key.Key_Return)  # Enter takes the photo
    qtbot.waitUntil(lambda: page.live.photo is not None, timeout=10_000)
    assert "passed" in page.live.state.text() and page.live.camera is None  # the camera is off once a photo is kept
    assert page.live.preview.pixmap() is not None and not page.live.preview.pixmap().isNull()
    qtbot.waitUntil(lambda: shell.flow.facts.has_live_photo, timeout=5_000)
    assert current_step(shell.flow.facts) is Step.SIGN
    assert page.continue_button.isEnabled() and focused_on(page.continue_button)
    qtbot.keyClick(page.continue_button, Qt.Key.Key_Return)  # Enter: on to signing
    new = shell.pages["new"]  # its customer screen may be made only now (it is built when the counter idles)
    qtbot.waitUntil(
        lambda: new.window_ is not None and new.window_.stack.currentWidget() is new.window_.terms_page,
        timeout=10_000,
    )
    assert shell.current_key() == "new"


def test_a_photo_without_a_face_or_too_dark_is_refused_with_why(qtbot, offline, tmp_path: Path) -> None:
    page = _verify(qtbot, offline)  # no camera on this PC: a photo is chosen as a file
    assert page.live.choose_button.isVisible() and not page.live.take_button.isVisible()
    assert "No camera" in page.live.preview.text()
    for picture, why in ((NO_FACE, "No face was found"), (DARK, "too dark")):
        path = tmp_path / "photo.jpg"
        path.write_bytes(picture)
        page.live.choose_file(path)
        qtbot.waitUntil(lambda: not page.live.checking_photo and page.live.refusal is not None, timeout=10_000)
        assert "refused" in page.live.state.text() and why in page.live.state.text(), page.live.state.text()
        assert page.live.photo is None and not page.continue_button.isEnabled()
        assert page.live.choose_button.isVisible()  # the clerk takes another
    qtbot.keyClick(page, Qt.Key.Key_Return)  # Enter says what is missing instead of going on
    assert "live photo" in page.message.text() and offline.shell.current_key() == "evidence"
    assert not offline.controller.services.evidence.has_live_photo(offline.shell.flow.application_id)


def test_without_the_face_check_the_photo_is_kept_unchecked(qtbot, offline, monkeypatch, tmp_path: Path) -> None:
    from app.scanning import face_check

    monkeypatch.setattr(face_check, "_classifier", lambda: None)  # as where the vision component is not installed
    page = _verify(qtbot, offline)
    path = tmp_path / "photo.jpg"
    path.write_bytes(NO_FACE)
    page.live.choose_file(path)
    qtbot.waitUntil(lambda: page.live.photo is not None, timeout=10_000)
    assert "kept unchecked" in page.live.state.text() and "lender is told" in page.live.state.text()
    qtbot.waitUntil(lambda: page.continue_button.isEnabled(), timeout=5_000)


def test_the_store_manager_sees_kept_photos_only_through_reveal(qtbot, signed_files) -> None:
    with signed_in_window(qtbot, "manager", "482613", wait_for_catalog=True) as window:
        controller, shell = window.controller, window.shell
        services = controller.services
        application_id, _terms = quoted_application(services, controller.catalog, actor=controller.actor)
        services.evidence.keep_id_image(controller.actor, application_id, EvidenceKind.ID_FRONT, FACE)
        services.evidence.keep_live_photo(controller.actor, application_id, FACE)
        page = shell.pages["evidence"]
        page.live.use_camera(None)
        shell.flow.open(application_id, "")  # reopened: nothing of it is in this window's memory
        shell.open_page("evidence")
        qtbot.waitUntil(lambda: page.reveal_button.isVisible(), timeout=5_000)
        assert page.id_preview.pixmap().isNull() and "Reveal shows it" in page.id_preview.text()
        qtbot.waitUntil(page.continue_button.isEnabled, timeout=5_000)  # a photo is kept: none to take again
        page.reveal_button.click()
        qtbot.waitUntil(lambda: len(page.revealed) == 2, timeout=5_000)
        assert not page.id_preview.pixmap().isNull() and not page.live.preview.pixmap().isNull()
        assert not page.reveal_button.isVisible()
        from sqlalchemy import select

        from app.storage.models import AuditEntry

        with services.store.read() as session:
            actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.action == "evidence.revealed")))
        assert len(actions) == 2  # each photo shown is in the audit log


def test_the_bank_refuses_a_card_and_another_is_checked(qtbot, signed_files, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("lender")
    db = central_database("sqlite", folder)
    with running_central(db) as (base, _process):
        code = store_with_roster(db, "S001", members=DEMO_ROSTER)
        assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code]) == 0
        with signed_in_window(qtbot, wait_for_catalog=True) as window:
            shell = window.shell
            form = dataclasses.replace(GOOD, bank_card=TEST_CARD_PHONE_MISMATCH)
            page = _verify(qtbot, window, form, camera=FACE)
            # The check runs by itself as the page opens: the bank holds another phone for this card.
            qtbot.waitUntil(lambda: page.card.outcome is not None, timeout=10_000)
            assert page.card.outcome.blocks_signing and "another phone number" in page.card.state.text()
            qtbot.waitUntil(lambda: page.live.take_button.isEnabled(), timeout=5_000)
            page.live.take_photo()
            qtbot.waitUntil(lambda: page.live.photo is not None, timeout=10_000)
            qtbot.waitUntil(lambda: shell.flow.facts.has_live_photo, timeout=5_000)
            assert not page.continue_button.isEnabled()  # a photo, but the card blocks signing
            assert current_step(shell.flow.facts) is Step.EVIDENCE and shell.flow.facts.card_blocks_signing
            assert page.card.number.isVisible() and focused_on(page.card.number)
            qtbot.keyClicks(page.card.number, TEST_CARD_MATCH)
            qtbot.keyClick(page.card.number, Qt.Key.Key_Return)  # Enter checks the card typed
            qtbot.waitUntil(lambda: page.card.outcome.status == "match", timeout=10_000)
            assert "confirmed the card" in page.card.state.text() and not page.card.number.isVisible()
            qtbot.waitUntil(lambda: page.continue_button.isEnabled(), timeout=5_000)
            qtbot.waitUntil(lambda: current_step(shell.flow.facts) is Step.SIGN, timeout=5_000)
            services = window.controller.services
            saved = services.reveal.saved_form(window.controller.actor, shell.flow.application_id)
            assert saved.form.bank_card == TEST_CARD_MATCH  # the customer's card is the one the bank confirmed
            assert shell.pages["customer"].form.value("bank_card") == TEST_CARD_MATCH  # shown as saved


def test_the_flow_bar_never_widens_the_window(qtbot) -> None:
    """Eleven steps named in English need about 1,100 px in the counter's type: where the window is narrower
    (1280 px, the step list beside it), the steps done show only their tick, named in their tooltip."""
    from app.counter.flow import FlowFacts
    from app.domain.application import ApplicationState
    from ui.widgets.flow_bar import FlowBar

    bar = FlowBar()
    qtbot.addWidget(bar)
    bar.show_flow("S001-261208-0001", FlowFacts(ApplicationState.APPROVED, True, True, True, False, True))
    assert bar.minimumSizeHint().width() == 0
    bar.resize(600, 40)
    done = bar.steps[Step.EVIDENCE]
    assert done.text() == "✓" and done.toolTip() == "Verify"
    bar.resize(2000, 40)
    assert done.text() == "✓ Verify" and bar.steps[Step.DELIVERY].text() == "Delivery"
