"""The whole counter flow in the real window, as a clerk works it: sign in, start (the customer gives consents
on their screen), scan the ID photos (kept with the application), finish the details, record the purchase,
pre-screen, plan; Verify: the bank refuses the repayment card typed (it holds another phone for it) and matches
the one typed instead, the camera's photos of no face and of a face in the dark are refused with their reasons and
a clear face is kept; the lender texts a one-time code, read from the development SMS provider's outbox, which
the customer types on their screen before signing. Then the network goes down and Send leaves the application
waiting in the outbox; once the network is back it syncs to the reference server, whose evidence list equals the
counter's hash for hash, the lender decides (on arrival, the code confirmed and the card matched, or a reviewer),
the clerk's screen shows the decision, and the delivery is confirmed with the serial handed over.

Counted on the way, as a person makes them, from Start to the queued application: one click, one key press (Enter,
Tab), one dropdown choice, one pull of the scanner's trigger, or one field's typed value however long — the
customer's values typed by the clerk included, the customer's own taps on their screen (consents, the code, the
signature) not. At most 35: the screens issue's 30 and 5 for the evidence (camera, capture, code, card check).
The walk makes 35: the 29 it made before Verify existed, and 6 on Verify — the other card typed and its Enter,
three photos taken with Enter (two refused and retaken) and Continue (Enter); the camera opens by itself and the
code is the customer's. The returning customer's walk in test_returning_walk.py is at most 12. Also the GUI
thread's longest stall (printed, not asserted: timing belongs in bench/)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import requests
from PySide6.QtCore import QByteArray, QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QImage

from app.cli import main
from central.bank import TEST_CARD_MATCH, TEST_CARD_PHONE_MISMATCH
from central.cli import main as central_main
from tests.integration.test_central import _central, server  # noqa: F401 - the running server fixture
from tests.support import faces
from tests.support.central_server import data_dir_of
from tests.support.clerk import Clerk, focused_on
from tests.support.confirmation import code_in_outbox, counter_headers
from tests.support.counter import signed_in_window
from tests.support.id_cards import make_card, save_pair
from tests.support.lender import DEMO_ROSTER, store_with_roster
from tests.ui.test_customer_screen import sign_with_pen
from ui.camera import CameraSource

REPORT = Path(__file__).resolve().parents[2] / "bench" / "results"


class StallMeter:
    """The longest gap between ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.longest = 0
        self.segment = self.where = "start"

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        if now - self.last > self.longest:
            self.longest, self.where = now - self.last, self.segment
        self.last = now

    def mark(self, segment: str) -> None:
        """Name what the GUI thread does from now on (for telling where a stall was)."""
        self._tick()
        self.segment = segment

    def pause(self) -> None:
        """The test itself is about to work on the GUI thread (making a card photo): not the application's."""
        self.timer.stop()

    def resume(self) -> None:
        self.last = self.clock.elapsed()
        self.timer.start()

    def stop(self) -> int:
        self.timer.stop()
        return self.longest


@dataclasses.dataclass
class Scene:
    """What is before the counter's camera (the test changes it between photos: the customer steps into view,
    into the light)."""

    picture: QImage

    def now(self, picture: bytes) -> None:
        self.picture = QImage.fromData(QByteArray(picture))


class SceneCamera(CameraSource):
    """A simulated camera filming the scene, ten frames a second."""

    def __init__(self, scene: Scene) -> None:
        super().__init__()
        self.scene = scene
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._film)

    def _film(self) -> None:
        self.frame.emit(self.scene.picture)

    def start(self) -> None:
        self._film()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def _evidence(capsys, command, argv: list[str]) -> list[dict]:
    """The documents an `… applications evidence --json` command lists."""
    capsys.readouterr()
    assert command(argv) == 0
    return json.loads(capsys.readouterr().out)["items"]


def test_a_clerk_takes_a_customer_from_consent_to_delivery(qtbot, server, signed_files, tmp_path, capsys) -> None:
    base, db = server
    code = store_with_roster(db, "S001", members=DEMO_ROSTER)  # the clerk signs in as sales01 after activation
    assert main(["device", "activate", "--server", base, "--store", "S001", "--code", code]) == 0
    clerk = Clerk(qtbot)

    with signed_in_window(qtbot, wait_for_catalog=True) as window:
        controller = window.controller
        services = controller.services
        services.prescreen.blacklist.import_file(signed_files.blacklist, signed_files.settings)
        shell = window.shell
        verify = shell.pages["evidence"]
        scene = Scene(QImage.fromData(QByteArray(faces.no_face())))  # nobody before the camera yet
        verify.live.use_camera(lambda: SceneCamera(scene))
        dark, face = faces.dark_face(), faces.face()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
        qtbot.wait(500)  # the counter idles a moment after sign-in (it builds the customer screen then)
        meter = StallMeter()
        meter.start()

        meter.mark(". Start")
        # 1. Start: the customer gives the first consents on their screen (their input, not counted); the flow
        # moves on to the customer's details by itself.
        page = shell.pages["new"]
        clerk.click(page.start_button)
        screen = page.window_
        assert not screen.isActiveWindow()  # the customer's screen never takes the clerk's keyboard
        import app.scanning.ocr as ocr

        # The customer reads the consents (seconds); meanwhile the ID reader loads in the background.
        qtbot.waitUntil(lambda: ocr._engine is not None, timeout=30_000)
        for box in screen.first_boxes:
            box.box.setChecked(True)
        qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.application_id is not None, timeout=5_000)
        reference = page.reference
        qtbot.waitUntil(lambda: shell.current_key() == "customer", timeout=5_000)
        qtbot.waitUntil(window.isActiveWindow, timeout=2_000)  # the customer's taps leave the keyboard here

        meter.mark(". The ID photos")
        # 2. Both sides of the ID card, chosen together in the photo dialog: name, number, birth date, sex,
        # address and validity come from them.
        customer = shell.pages["customer"]
        meter.pause()
        card = make_card(21)
        front, back = save_pair(card, "clean", tmp_path, 21)
        meter.resume()
        clerk.counted(2)  # "Open photos" and choosing the two files in the dialog
        customer.scan.scan_files([front, back])
        qtbot.waitUntil(lambda: customer.scan.open_button.isEnabled() and customer.notice.text() != "", timeout=30_000)
        qtbot.waitUntil(lambda: customer.form.value("id_valid_until") != "", timeout=30_000)
        assert customer.form.inputs["id_number"].text() == card.id_number
        # Both photos are kept with the application, cropped to the card.
        qtbot.waitUntil(lambda: {"id_front", "id_back"} <= set(shell.flow.application.id_images), timeout=10_000)

        meter.mark(". The customer's details")
        # 3. What the card does not say, asked of the customer: the screen goes from one missing field to the
        # next (Enter, a choice made, a complete mobile number) and saves when nothing is missing.
        qtbot.waitUntil(lambda: focused_on(customer.form.inputs["phone"]), timeout=5_000)
        clerk.types("13812345678")  # complete: on by itself
        clerk.chooses("employee")
        clerk.types("顺丰速运")
        clerk.key(Qt.Key.Key_Return)
        clerk.types("9000")
        clerk.key(Qt.Key.Key_Return)
        clerk.types("0")  # overdue records, self-declared
        clerk.key(Qt.Key.Key_Return)
        clerk.chooses("own")
        clerk.types("李娜")
        clerk.key(Qt.Key.Key_Return)
        clerk.types("13987654321")
        clerk.chooses("spouse")
        clerk.types(TEST_CARD_PHONE_MISMATCH)  # the bank holds another phone for this card: found on Verify
        clerk.key(Qt.Key.Key_Return)  # nothing is missing any more: saved, and on to the purchase
        qtbot.waitUntil(lambda: shell.current_key() == "purchase", timeout=5_000)  # the flow goes on by itself

        meter.mark(". The purchase")
        # 4. The purchase: the box's barcode and the IMEI scanned, the rest typed where the screen puts the focus;
        # what is bought, the product and the term are the counter's usual (a phone, goods installment, 12 months).
        purchase = shell.pages["purchase"]
        qtbot.waitUntil(lambda: focused_on(purchase.price), timeout=5_000)
        clerk.scans(window, "MATE70-256")
        clerk.scans(window, "861234567890127")
        clerk.click(purchase.description)
        clerk.types("手机 Mate 70")
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: focused_on(purchase.price), timeout=2_000)
        clerk.types("4999")
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: focused_on(purchase.down), timeout=2_000)  # offered at the product's minimum
        clerk.types("1000")
        clerk.key(Qt.Key.Key_Return)  # recorded: the pre-screen runs by itself
        assert (purchase.sku.text(), purchase.serial.text()) == ("MATE70-256", "861234567890127")

        meter.mark(". Pre-screen")
        # 5. The pre-screen of what was recorded, by itself; then on to the plan by itself.
        prescreen = shell.pages["prescreen"]
        qtbot.waitUntil(lambda: prescreen.result is not None, timeout=10_000)
        assert prescreen.result.decision != "decline", prescreen.result
        assert prescreen.price.text() == "4999.00" and not prescreen.price.isEnabled()
        qtbot.waitUntil(lambda: shell.current_key() == "plan", timeout=5_000)

        meter.mark(". The plan")
        # 6. The plan is the purchase's, quoted, the term asked for chosen; Enter fixes it: on to Verify.
        plan = shell.pages["plan"]
        qtbot.waitUntil(lambda: plan.schedule is not None and plan.schedule.terms.term == 12, timeout=5_000)
        assert "Mate 70" in plan.goods.text()  # the goods come from the purchase
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: shell.current_key() == "evidence", timeout=5_000)

        meter.mark(". Verify: the card")
        # 7. Verify. The bank's answer on the card comes as the page opens: it holds another phone for it, signing
        # waits for another card, typed where the page puts the focus; Enter checks it.
        qtbot.waitUntil(lambda: verify.card.outcome is not None, timeout=10_000)
        assert verify.card.outcome.status == "phone_mismatch" and verify.card.outcome.blocks_signing
        assert "another phone number" in verify.card.state.text() and not verify.continue_button.isEnabled()
        assert "ID card front" in verify.id_state.text() and "ID card back" in verify.id_state.text()
        qtbot.waitUntil(lambda: focused_on(verify.card.number), timeout=5_000)
        clerk.types(TEST_CARD_MATCH)
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: verify.card.outcome.status == "match", timeout=10_000)
        assert "confirmed the card" in verify.card.state.text()

        meter.mark(". Verify: the live photo")

        def taking() -> bool:  # the camera's picture is on, the focus on Take photo
            return verify.live.take_button.isEnabled() and focused_on(verify.live.take_button)

        # Enter takes the photo. Nobody in view, then the customer in the dark: each refused with why shown, and
        # Enter takes another; then the customer in the light.
        for picture, why in ((None, "No face was found"), (dark, "too dark")):
            if picture is not None:
                with qtbot.waitSignal(verify.live.camera.frame, timeout=2_000):
                    scene.now(picture)
            qtbot.waitUntil(taking, timeout=5_000)
            clerk.key(Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: not verify.live.checking_photo and verify.live.refusal is not None, timeout=10_000)
            said = verify.live.state.text()
            assert "refused" in said and why in said, said
            assert verify.live.photo is None and not verify.continue_button.isEnabled()
        with qtbot.waitSignal(verify.live.camera.frame, timeout=2_000):
            scene.now(face)
        qtbot.waitUntil(taking, timeout=5_000)
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: verify.live.photo is not None, timeout=10_000)
        assert "passed" in verify.live.state.text()
        qtbot.waitUntil(
            lambda: verify.continue_button.isEnabled() and focused_on(verify.continue_button), timeout=5_000
        )

        meter.mark(". The code")
        # 8. Continue: online, the lender texts a one-time code to the customer's phone; they read it (here from
        # the development SMS provider's outbox) and type it on their screen's digit buttons (their input).
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.code.phase == "typing", timeout=10_000)
        assert shell.current_key() == "new" and screen.stack.currentWidget() is screen.code_page
        for digit in code_in_outbox(data_dir_of(base), str(page.application_id)):
            qtbot.mouseClick(screen.code_entry.digit_buttons[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.code_entry.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.terms_page, timeout=10_000)
        assert not screen.confirmation_pending and "confirmed" in page.message.text()

        meter.mark(". The customer signs")
        # 9. The customer signs on their screen (their input).
        for box in screen.signing_boxes:
            box.box.setChecked(True)
        meter.pause()  # the simulated pen sends its 80 events in one go; a person draws for seconds
        sign_with_pen(screen.pad)
        meter.resume()
        qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.signed is not None or page.message.text() != "", timeout=15_000)
        assert page.signed is not None, page.message.text()
        assert page.signed.confirmation is not None  # the contract prints the confirmation

        meter.mark(". Send")
        # 10. Send, with the network down now (the lender's address answers nothing): Enter queues it in the
        # outbox.
        services.settings_service._settings = dataclasses.replace(services.settings, server_url="http://127.0.0.1:9")
        qtbot.waitUntil(lambda: page.submit_button.isEnabled() and focused_on(page.submit_button), timeout=5_000)
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "waiting to send" in page.message.text(), timeout=5_000)
        stall = meter.stop()
        stall_where = meter.where
        sync = shell.pages["sync"]
        shell.open_page("sync")
        sync.sync_now()
        qtbot.waitUntil(lambda: sync.sync_button.isEnabled() and sync.online is False, timeout=20_000)
        assert "1 waiting" in window.network_label.text()
        walk_inputs = clerk.inputs
        assert walk_inputs <= 35, walk_inputs

        # 11. The network is back: it goes, documents first; the lender decides (or a reviewer there); the clerk
        # sees it.
        services.settings_service._settings = dataclasses.replace(services.settings, server_url=base)
        for _attempt in range(20):  # the failed send backs off a few seconds (the window syncs every minute)
            sync.sync_now()
            qtbot.waitUntil(lambda: sync.sync_button.isEnabled(), timeout=20_000)
            if "Sent 1" in sync.message.text():
                break
            qtbot.wait(500)
        assert "Sent 1" in sync.message.text()
        # The lender holds what the counter kept, document for document, hash for hash.
        application_id = str(page.application_id)
        ours = _evidence(capsys, main, ["applications", "evidence", reference, "--json"])
        assert all(item.pop("sent") for item in ours)
        assert {"id_front", "id_back", "live_photo", "signature_image", "contract"} <= {item["kind"] for item in ours}
        lenders = ["applications", "evidence", "--db", db, "--application", application_id, "--json"]
        assert _evidence(capsys, central_main, lenders) == ours
        # The lender's decision on arrival: the code was confirmed and the card matched, so neither is a reason to
        # refer it (no model is published here, so it goes to a reviewer, who approves it below).
        arrival = requests.get(f"{base}/v1/decisions", headers=counter_headers(services), timeout=10).json()
        [decided] = [notice for notice in arrival["decisions"] if notice["application_id"] == application_id]
        assert not {"confirmation_pending", "card_unverified"} & {reason["code"] for reason in decided["reasons"]}
        subprocess.run(
            [
                *(sys.executable, "-m", "central.cli", "account", "add", "--db", db),
                *("--role", "reviewer", "--region", "BJ", "--username", "walker"),
            ],
            input="Review2026w\n",
            text=True,
            check=True,
            capture_output=True,
        )
        token = requests.post(
            f"{base}/v1/sessions", json={"username": "walker", "password": "Review2026w"}, timeout=10
        ).json()["token"]
        reviewed = requests.post(
            f"{base}/v1/reviews/{application_id}",
            json={"decision": "approved", "reason": "ok"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        if reviewed.status_code == 409:  # approved on arrival already by the lender's own assessment
            assert reviewed.json()["error"]["code"] == "already_decided"
        sync.sync_now()
        qtbot.waitUntil(
            lambda: (
                "approved" in window.statusBar().currentMessage()
                or (sync.decisions.count() and "approved" in sync.decisions.item(0).text())
            ),
            timeout=20_000,
        )
        assert reference in sync.decisions.item(0).text()

        # 12. Delivery: the serial handed over, scanned (a wedge scanner types it and Enter).
        shell.open_page("delivery")
        delivery = shell.pages["delivery"]
        qtbot.waitUntil(lambda: delivery.table.rowCount() == 1, timeout=5_000)
        delivery.table.selectRow(0)
        delivery.serial.setText("861234567890127")
        delivery.serial.setFocus()
        clerk.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: delivery.table.rowCount() == 0, timeout=5_000)
        with services.store.read() as session:
            from app.storage.models import Application

            assert session.get(Application, page.application_id).state == "delivered"
    figures = {"clerk_inputs_photo_to_queued": walk_inputs, "gui_longest_stall_ms": stall, "stall_during": stall_where}
    REPORT.mkdir(exist_ok=True)
    (REPORT / "counter_walk.json").write_text(json.dumps(figures) + "\n", encoding="utf-8")
    print(f"counter walk: {figures}")
    time.sleep(0)
