"""Grab the counter's screens to PNG files (offscreen), for looking at them: sign-in, each page, lock screen.

    .venv/bin/python scripts/screenshots.py OUT_DIR [--language zh_CN|en] [--size 1366x768]

Uses a throw-away FENQI_HOME with the development key file, so it never touches a real store.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _signed_copies(home: Path) -> tuple[Path, Path, str]:
    """The shipped catalog and scorecard copied into `home` and signed with a throw-away key (returned as
    trusted); the demo blacklist too, loaded once the counter is open, and the lender's policy as home/policy.json."""
    import shutil

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.kernel.config import resources_dir
    from app.security.signing import public_key_b64, sign_file

    key = Ed25519PrivateKey.generate()
    target = home / "catalog.json"
    shutil.copy(resources_dir() / "catalog" / "products.json", target)
    models = home / "models"
    models.mkdir()
    for name in ("model_card.json", "scorecard.onnx"):
        shutil.copy(REPO / "models_onnx" / name, models / name)
    shutil.copy(resources_dir() / "blacklist" / "demo.json", home / "blacklist.json")
    shutil.copy(resources_dir() / "policy" / "policy.json", home / "policy.json")  # the settings' policy_file
    for path in (target, models / "model_card.json", home / "blacklist.json", home / "policy.json"):
        sign_file(path, key)
    return target, models, public_key_b64(key)


def shown_window(args: argparse.Namespace) -> tuple[Any, Any, str]:
    """The main window on a fresh controller, in `args.language` at `args.size`, shown; with the controller and
    the file-name suffix the other screenshot scripts use (`args.out` is created)."""
    from app.kernel.config import load_configuration
    from ui.controller import Controller
    from ui.main_window import MainWindow
    from ui.preload import preload_gui

    controller = Controller(load_configuration(), preload=preload_gui)
    window = MainWindow(controller)
    window.apply_language(args.language)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    return controller, window, f"{args.language}_{args.size}"


def wait_until(app: Any, condition: Callable[[], object], seconds: float) -> None:
    """Process Qt events until `condition()` holds; exits naming the condition after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out at {condition}")
        app.processEvents()
        time.sleep(0.005)


def verify_states(
    window: Any, controller: Any, wait: Callable[..., None], grab: Callable[[str], None], name: str
) -> None:
    """The Verify page for an application whose plan is fixed: the camera's picture (a simulated camera playing a
    public-domain face) beside the ID photo scanned, then a dark photo refused, then the face kept with the bank
    refusing the card (as the lender would answer; offline here, so that answer is shown as given)."""
    import io

    from PIL import Image
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QImage
    from skimage import data

    from app.counter.verification import CardOutcome, CardStatus, card_message
    from app.wire.evidence import EvidenceKind
    from tests.support.applications import quoted_application
    from tests.support.id_cards import make_card, render_front
    from ui.camera import SimulatedCameraSource

    def jpeg(image: Image.Image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        return buffer.getvalue()

    shell, services = window.shell, controller.services
    application_id, _terms = quoted_application(services, controller.catalog, actor=controller.actor)
    card = jpeg(render_front(make_card(3)).convert("RGB"))
    services.evidence.keep_id_image(controller.actor, application_id, EvidenceKind.ID_FRONT, card)
    page = shell.pages["evidence"]
    frames = {"face": jpeg(Image.fromarray(data.astronaut())), "dark": jpeg(Image.fromarray(data.astronaut() // 5))}
    playing = ["dark"]
    page.live.use_camera(lambda: SimulatedCameraSource([QImage.fromData(QByteArray(frames[playing[0]]))]))
    with services.store.read() as session:
        from app.storage.models import Application

        reference = session.get(Application, application_id).reference
    shell.flow.open(application_id, reference)
    shell.flow.application.keep_id_image(EvidenceKind.ID_FRONT.value, card)
    wait(lambda: shell.flow.facts is not None)
    shell.open_page("evidence")
    wait(lambda: page.live.take_button.isEnabled() and page.card.outcome is not None)
    grab(name)
    page.live.take_photo()
    wait(lambda: page.live.refusal is not None)
    grab(f"{name}_refused")
    playing[0] = "face"
    page.live.close_camera()
    page.live.open_camera()
    wait(lambda: page.live.take_button.isEnabled())
    page.live.take_photo()
    wait(lambda: page.live.photo is not None)
    refused = CardOutcome(CardStatus.PHONE_MISMATCH, card_message(CardStatus.PHONE_MISMATCH), blocks_signing=True)
    page.card._checked(application_id, None, refused)
    grab(f"{name}_card_refused")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", default="zh_CN")
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["FENQI_HOME"] = tempfile.mkdtemp(prefix="fenqi-shots-")
    os.environ["FENQI_KEY_STORE"] = "file"

    from PySide6.QtWidgets import QApplication

    from app.kernel.config import load_configuration
    from app.kernel.settings import update_settings
    from ui.controller import Controller
    from ui.main_window import MainWindow
    from ui.preload import preload_gui
    from ui.style import STYLE

    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    config = load_configuration()
    catalog, models, trusted = _signed_copies(Path(os.environ["FENQI_HOME"]))
    update_settings(
        config.paths.settings_file,
        language=args.language,
        catalog_file=str(catalog),
        policy_file=str(Path(os.environ["FENQI_HOME"]) / "policy.json"),
        model_dir=str(models),
        trusted_signing_keys=(trusted,),
    )
    config = load_configuration()
    controller = Controller(config, preload=preload_gui)
    window = MainWindow(controller)
    window.apply_language(args.language)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"{args.language}_{args.size}"

    def wait(condition, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit("timed out")
            app.processEvents()
            time.sleep(0.005)

    def grab(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(args.out / f"{name}_{suffix}.png"))

    controller.start()
    wait(lambda: window.sign_in.button.isEnabled())
    grab("01_sign_in")
    for login, secret, pages in (
        ("manager", "482613", ("staff", "settings", "new")),
        ("sales01", "135790", ("settings", "plan", "customer", "prescreen", "evidence", "sync", "new")),
    ):
        window.sign_in.login.setText(login)
        window.sign_in.secret.setText(secret)
        window.sign_in._submit()
        wait(lambda: window.shell is not None and window.stack.currentWidget() is window.shell)
        for page in pages:
            window.shell.open_page(page)
            if page == "staff":
                wait(lambda: window.shell.pages["staff"].table.rowCount() > 0)
            if page == "plan":
                plan = window.shell.pages["plan"]
                wait(lambda: controller.catalog is not None)
                plan.product.setCurrentIndex(plan.product.findData("GOODS"))
                plan.price.setText("4999")
                plan.down.setText("500")
                plan.compare.selectRow(4)
            if page == "customer":
                from tests.support.id_cards import make_card, save_pair

                customer = window.shell.pages["customer"]
                front, _back = save_pair(make_card(3), "tilt", Path(os.environ["FENQI_HOME"]), 3)
                customer.scan.scan_file(front)
                wait(lambda scan=customer.scan: scan.table.rowCount() > 0, 60)
                customer.form.inputs["phone"].setText("1381234567")
                customer.form._edited("phone")
                customer.form.inputs["bank_card"].setText("6222020200000000007")
                customer.form._edited("bank_card")
                customer.form.check()
            if page == "prescreen":
                from tests.support.forms import fill_customer

                customer, screen = window.shell.pages["customer"], window.shell.pages["prescreen"]
                services = controller.services
                services.prescreen.blacklist.import_file(
                    Path(os.environ["FENQI_HOME"]) / "blacklist.json", controller.settings
                )
                customer.form.clear()
                fill_customer(customer.form, phone="13900001111")
                screen.product.setCurrentIndex(screen.product.findData("GOODS"))
                screen.term.setCurrentIndex(screen.term.findData(12))
                screen.price.setText("4999")
                screen.down.setText("1000")
                screen.run()
                wait(lambda screen=screen: screen.result is not None or screen.error.text() != "")
            if page == "evidence":
                verify_states(window, controller, wait, grab, f"02_{login}_{page}")
                continue
            grab(f"02_{login}_{page}")
        controller.lock("hotkey")
        grab(f"03_locked_after_{login}")
    controller.shutdown()
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
