"""Grab the Reports page to PNG files (offscreen), for looking at it: the Store tab over demo data (window and
the whole scrolled content), a filtered and a longer period, the sales consultant's own figures, and the Region
tab against the reference central server (with its demo data), then with the server stopped (saved copy).

    .venv/bin/python scripts/report_screenshots.py OUT_DIR [--language zh_CN|en] [--size 1366x768]
        [--count 20000] [--no-region]

Uses a throw-away FENQI_HOME with the development key file and a throw-away central database, so it never
touches a real store or server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
PASSWORD = "Region2026x"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _central(db: str, *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "central.cli", "--db", db, *args], input=stdin, text=True, check=True, cwd=REPO
    )


def start_central(folder: Path, count: int) -> tuple[subprocess.Popen[bytes], str]:
    """The reference server on a fresh SQLite database with demo stores in region BJ and a regional manager
    rm01; returns the process and its base URL."""
    import requests

    db = f"sqlite:///{folder / 'central.db'}"
    _central(db, "demo-data", "--count", str(count), "--stores", "8", "--region", "BJ", "--json")
    _central(db, "account", "add", "--username", "rm01", "--role", "regional_manager", "--region", "BJ", stdin=PASSWORD)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "central.cli", "--db", db, "--host", "127.0.0.1", "--port", str(port)], cwd=REPO
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/v1/decisions", timeout=1)
            return process, base
        except requests.ConnectionError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the central server did not start")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", default="zh_CN")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--no-region", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="fenqi-report-shots-"))
    os.environ["FENQI_HOME"] = str(home)
    os.environ["FENQI_KEY_STORE"] = "file"

    from PySide6.QtWidgets import QApplication
    from screenshots import _signed_copies, shown_window, wait_until

    from app.kernel.config import load_configuration
    from app.kernel.settings import update_settings
    from ui.style import STYLE

    config = load_configuration()
    catalog, models, trusted = _signed_copies(home)
    update_settings(
        config.paths.settings_file,
        language=args.language,
        catalog_file=str(catalog),
        policy_file=str(home / "policy.json"),
        model_dir=str(models),
        trusted_signing_keys=(trusted,),
    )
    subprocess.run(
        [sys.executable, "-m", "app", "demo-data", "--count", str(args.count), "--seed", "7", "--json"],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    controller, window, suffix = shown_window(args)

    def wait(condition, seconds: float = 60) -> None:
        wait_until(app, condition, seconds)

    def grab(name: str, widget=None) -> None:
        for _ in range(10):
            app.processEvents()
            time.sleep(0.01)
        (widget or window).grab().save(str(args.out / f"{name}_{suffix}.png"))

    def sign_in(login: str, secret: str) -> None:
        window.sign_in.login.setText(login)
        window.sign_in.secret.setText(secret)
        window.sign_in._submit()
        wait(lambda: window.shell is not None and window.stack.currentWidget() is window.shell)

    controller.start()
    wait(lambda: window.sign_in.button.isEnabled())
    sign_in("manager", "482613")
    shell = window.shell
    shell.open_page("reports")
    page = shell.pages["reports"]
    store = page.store

    def loaded(check=lambda r: True) -> None:
        wait(lambda: store.report is not None and not store.busy.isVisible() and check(store.report))

    loaded()
    grab("30_reports_store")
    grab("30_reports_store_full", store.scroller.widget())
    for extension in ("pdf", "csv"):
        target = args.out / f"store_report_{suffix}.{extension}"
        target.unlink(missing_ok=True)
        (store.export_pdf_to if extension == "pdf" else store.export_csv_to)(target)
        wait(lambda target=target: target.exists() and target.stat().st_size > 0)
    today = store.report.period.end
    store.period.set_days(today - dt.timedelta(days=180), today)
    loaded(lambda r: r.period.length > 62)
    grab("31_reports_store_half_year")
    wait(lambda: store.staff.count() > 1)
    store.staff.setCurrentIndex(store.staff.findData("sales02"))
    loaded(lambda r: r.staff_login == "sales02")
    grab("32_reports_store_sales02")

    if not args.no_region:
        process, base = start_central(home, args.count)
        try:
            page.tabs.setCurrentIndex(1)
            region = page.region
            wait(lambda: region.sign_in_frame.isVisible())
            region.server.setText(base)
            region.username.setText("rm01")
            region.password.setText(PASSWORD)
            grab("33_reports_region_sign_in")
            region.sign_in_frame.submit()
            wait(lambda: region.report is not None and not region.busy.isVisible())
            grab("34_reports_region")
            grab("34_reports_region_full", region.scroller.widget())
            target = args.out / f"region_report_{suffix}.pdf"
            target.unlink(missing_ok=True)
            region.export_pdf_to(target)
            wait(lambda: target.exists() and target.stat().st_size > 0)
        finally:
            process.terminate()
            process.wait(timeout=10)
        region.refresh()
        wait(lambda: region.report is not None and region.report.from_cache and not region.busy.isVisible())
        grab("35_reports_region_saved_copy")
        page.tabs.setCurrentIndex(0)

    controller.lock("hotkey")
    sign_in("sales01", "135790")
    shell.open_page("reports")
    store.refresh()
    loaded(lambda r: r.staff_login == "sales01")
    grab("36_reports_store_sales01")
    controller.shutdown()
    print(f"report screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
