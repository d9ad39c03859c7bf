"""Grab every page of the counter flow to PNG (offscreen), with one application taken through it: consents on
the customer screen, customer details, purchase, pre-screen, plan, verify (a live photo), signing, sent (waiting,
network down), then decided and waiting for delivery, the drafts list and the store manager's end of day.

    .venv/bin/python scripts/flow_screenshots.py OUT_DIR [--language zh_CN|en] [--size 1366x768]
        [--screens one|two]

With --screens, Qt's offscreen platform is given a 1366×768 counter display (and, with two, a 1280×800 tablet to
its right), the window is shown as at a counter (maximised where it does not fit) and every grab is also drawn
as the whole desktop — both windows where they are — to show what sits where and that nothing overlaps.

Uses a throw-away FENQI_HOME with the development key file, so it never touches a real store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", default="zh_CN")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--screens", choices=("one", "two"))
    args = parser.parse_args()
    if args.screens:
        screens = [{"name": "counter", "x": 0, "y": 0, "width": 1366, "height": 768}]
        if args.screens == "two":
            screens.append({"name": "tablet", "x": 1366, "y": 0, "width": 1280, "height": 800})
        config_file = Path(tempfile.mkdtemp(prefix="fenqi-screens-")) / "screens.json"
        described = [{**s, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1} for s in screens]
        config_file.write_text(json.dumps({"screens": described}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config_file}"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["FENQI_HOME"] = tempfile.mkdtemp(prefix="fenqi-flow-shots-")
    os.environ["FENQI_KEY_STORE"] = "file"

    from PySide6.QtWidgets import QApplication
    from screenshots import _signed_copies, shown_window, wait_until

    from app.kernel.config import load_configuration
    from app.kernel.settings import update_settings
    from ui.style import STYLE

    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    config = load_configuration()
    home = Path(os.environ["FENQI_HOME"])
    catalog, models, trusted = _signed_copies(home)
    update_settings(
        config.paths.settings_file,
        language=args.language,
        catalog_file=str(catalog),
        policy_file=str(home / "policy.json"),
        model_dir=str(models),
        trusted_signing_keys=(trusted,),
        server_url="http://127.0.0.1:9",  # the network is down
    )
    controller, window, suffix = shown_window(args)
    if args.screens:
        window.show_fitted()
        suffix = f"{args.language}_{args.screens}_display{'s' if args.screens == 'two' else ''}"

    def wait(condition, seconds: float = 30) -> None:
        wait_until(app, condition, seconds)

    def settle() -> None:
        for _ in range(10):
            app.processEvents()
            time.sleep(0.01)

    def grab(name: str, widget=None) -> None:
        settle()
        (widget or window).grab().save(str(args.out / f"{name}_{suffix}.png"))
        if args.screens and widget is None:
            desktop(name)

    def desktop(name: str) -> None:
        """Every display side by side, with each visible top-level window drawn where it is."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QColor, QImage, QPainter

        area = QRect()
        for screen in app.screens():
            area = area.united(screen.geometry())
        image = QImage(area.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("#2b2b2b"))
        painter = QPainter(image)
        for screen in app.screens():
            painter.setPen(QColor("#888888"))
            painter.drawRect(screen.geometry().adjusted(0, 0, -1, -1))
        for top in app.topLevelWidgets():
            if top.isVisible() and top.isWindow() and top.width() > 100:
                painter.drawPixmap(top.geometry().topLeft() - area.topLeft(), top.grab())
        painter.end()
        image.save(str(args.out / f"{name}_desktop_{suffix}.png"))

    def sign_in(login: str, secret: str) -> None:
        window.sign_in.login.setText(login)
        window.sign_in.secret.setText(secret)
        window.sign_in._submit()
        wait(lambda: window.shell is not None and window.stack.currentWidget() is window.shell)

    controller.start()
    wait(lambda: window.sign_in.button.isEnabled())
    sign_in("sales01", "135790")
    wait(lambda: controller.catalog is not None)
    services = controller.services
    services.prescreen.blacklist.import_file(home / "blacklist.json", controller.settings)
    shell = window.shell
    from app.sync.client import TOKEN

    services.secrets.set(TOKEN, b"demo-device-token")

    new = shell.pages["new"]
    shell.open_page("new")
    new.start()
    screen = new.window_
    if not args.screens:
        screen.resize(1280, 800)
    grab("10_customer_screen_consents", screen)
    if args.screens:
        desktop("10_customer_screen_consents")
    for box in screen.first_boxes:
        box.box.setChecked(True)
    screen.continue_button.click()
    wait(lambda: new.application_id is not None)
    grab("11_new_application_started")

    from tests.support.forms import fill_customer

    shell.open_page("customer")
    customer = shell.pages["customer"]
    fill_customer(customer.form, name="欧阳晓梅")
    customer.form.check()
    grab("12_customer_details")
    customer.save()
    wait(lambda: shell.current_key() == "purchase")
    purchase = shell.pages["purchase"]
    purchase.category.setCurrentIndex(purchase.category.findData("phone"))
    purchase.sku.setText("MATE70-256")
    purchase.serial.setText("861234567890127")
    purchase.description.setText("华为 Mate 70 256G 雅丹黑")
    purchase.price.setText("5999")
    purchase.down.setText("1000")
    purchase.product.setCurrentIndex(purchase.product.findData("GOODS"))
    purchase.term.setCurrentIndex(purchase.term.findData(12))
    grab("13_purchase")
    purchase.save()
    prescreen = shell.pages["prescreen"]  # it runs by itself on the purchase as recorded
    wait(lambda: prescreen.result is not None or prescreen.error.text() != "")
    shell.open_page("prescreen")
    grab("14_prescreen")
    shell.open_page("plan")
    plan = shell.pages["plan"]
    wait(lambda: plan.schedule is not None)
    grab("15_plan")
    # Verify: a simulated camera plays a public-domain face (scikit-image's astronaut, a dev dependency).
    import io

    from PIL import Image
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QImage
    from skimage import data

    from ui.camera import SimulatedCameraSource

    face = io.BytesIO()
    Image.fromarray(data.astronaut()).save(face, "JPEG")
    verify = shell.pages["evidence"]
    verify.live.use_camera(lambda: SimulatedCameraSource([QImage.fromData(QByteArray(face.getvalue()))]))
    plan.send_button.click()
    wait(lambda: shell.current_key() == "evidence" and verify.live.take_button.isEnabled())
    wait(lambda: verify.card.outcome is not None)  # offline: the lender checks the card on arrival
    grab("15b_verify")
    verify.live.take_photo()
    wait(lambda: verify.continue_button.isEnabled())
    grab("15c_verify_photo_kept")
    verify.continue_button.click()
    wait(lambda: screen.stack.currentWidget() is screen.terms_page)
    for box in screen.signing_boxes:
        box.box.setChecked(True)
    from tests.ui.test_customer_screen import sign_with_pen

    sign_with_pen(screen.pad)
    grab("16_customer_screen_signing", screen)
    if args.screens:
        desktop("16_customer_screen_signing")
    screen.sign_button.click()
    wait(lambda: new.signed is not None or new.message.text() != "")
    wait(lambda: new.submit_button.isEnabled())
    grab("17_signed")
    new.submit()
    wait(lambda: not new.submit_button.isEnabled() and new.message.text() != "")
    grab("18_sent_waiting")
    shell.open_page("sync")
    shell.pages["sync"].sync_now()
    wait(lambda: shell.pages["sync"].sync_button.isEnabled() and shell.pages["sync"].online is False)
    grab("19_sync_offline")

    # A second customer left as a draft, and the first one approved by the lender (as a sync would bring).
    from app.domain.consent import FIRST_MOMENT
    from tests.support.applications import given

    services.consents.begin_application(controller.actor, given(FIRST_MOMENT))
    from app.storage.repositories import ApplicationRepository

    with services.store.write() as session:
        now = dt.datetime.now(dt.UTC)
        for target in ("submitted", "approved"):
            from app.domain.application import ApplicationState

            ApplicationRepository().transition(session, new.application_id, ApplicationState(target), "central", now)
    shell.open_page("drafts")
    if hasattr(shell.pages["drafts"], "refresh"):
        shell.pages["drafts"].refresh()
    time.sleep(0.3)
    grab("20_drafts")
    shell.open_page("delivery")
    delivery = shell.pages["delivery"]
    wait(lambda: delivery.table.rowCount() == 1)
    delivery.table.selectRow(0)
    grab("21_delivery")
    controller.lock("hotkey")
    settle()
    sign_in("manager", "482613")
    for number, key in enumerate(("end_of_day", "reports", "staff", "settings"), start=22):
        shell.open_page(key)
        page = shell.pages[key]
        if hasattr(page, "refresh"):
            page.refresh()
        for _ in range(50):  # what the page reads arrives from the database thread
            settle()
        grab(f"{number}_{key}")
    controller.shutdown()
    print(f"flow screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
