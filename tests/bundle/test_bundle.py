"""The PyInstaller bundle, built (or reused when newer than every source it is made from) and run as a store PC
would run it: no virtualenv, no PYTHONPATH, only HOME, FENQI_HOME, the development key file, a Chinese locale
and the offscreen platform in the environment. As root, the virtualenv, the Python it was made from and the
source folders are also hidden from the bundle's processes (empty file systems mounted over them in a mount
namespace of their own), so anything the bundle forgot to carry fails here.

    ./test.sh -m bundle          (FENQI_BUNDLE_REBUILD=1 rebuilds even a fresh bundle)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "dist" / "fenqi"
OCR = REPO / "dist" / "fenqi-ocr"
BUILD_RECORD = REPO / "build" / "bundle-build.json"
HAN = re.compile(r"[\u4e00-\u9fff]")

pytestmark = [pytest.mark.bundle, pytest.mark.timeout(1800)]  # a first build also sets up .venv

# What the bundle is made from: a change in any of these makes it stale. Compiled catalogs (.mo, .qm) are left
# out: the setup writes them again at every run; their sources (.po, .ts) are in.
CORE_SOURCES = (
    "app",
    "ui",
    "resources",
    "models_onnx",
    "installer/fenqi.spec",
    "installer/bundle_entry",
    "pyproject.toml",
)
OCR_SOURCES = ("installer/bundle_entry/ocr_component.py", "pyproject.toml")


def _newest(paths: Sequence[str]) -> float:
    newest = 0.0
    for name in paths:
        path = REPO / name
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts and file.suffix not in (".pyc", ".mo", ".qm"):
                newest = max(newest, file.stat().st_mtime)
    return newest


def _fresh(product: Path, sources: Sequence[str]) -> bool:
    return product.exists() and product.stat().st_mtime >= _newest(sources)


@pytest.fixture(scope="module")
def bundle() -> Path:
    """dist/fenqi (and dist/fenqi-ocr), built by installer/build.sh unless both are newer than their sources."""
    core_fresh = _fresh(CORE / "fenqi-pos", CORE_SOURCES) and not os.environ.get("FENQI_BUNDLE_REBUILD")
    ocr_fresh = _fresh(OCR / "MANIFEST.txt", OCR_SOURCES) and not os.environ.get("FENQI_BUNDLE_REBUILD")
    if not (core_fresh and ocr_fresh):
        started = time.monotonic()
        args = ["--ocr-only"] if core_fresh else ["--ocr"]
        subprocess.run([str(REPO / "installer" / "build.sh"), *args], check=True, timeout=1700)
        seconds = round(time.monotonic() - started, 1)
        BUILD_RECORD.parent.mkdir(exist_ok=True)
        BUILD_RECORD.write_text(json.dumps({"seconds": seconds, "args": args}) + "\n", encoding="utf-8")
        print(f"bundle built in {seconds} s")
    return CORE


@cache
def _hidden_folders() -> tuple[str, ...]:
    """Folders to hide from the bundle: the virtualenv, the Python installation it was made from (unless that is
    the system's), and the sources the bundle must carry itself. Empty when they cannot be hidden here."""
    unshare, mount = shutil.which("unshare"), shutil.which("mount")
    if os.geteuid() != 0 or unshare is None or mount is None:
        return ()
    if subprocess.run([unshare, "-m", "true"], capture_output=True, check=False).returncode != 0:
        return ()  # e.g. a container without the right to make mount namespaces
    folders = [REPO / ".venv", REPO / "app", REPO / "ui", REPO / "resources", REPO / "models_onnx"]
    base = Path(sys.base_prefix).resolve()
    if not str(base).startswith(("/usr", "/bin", "/lib")):
        folders.append(base)
    return tuple(str(f) for f in folders if f.is_dir())


def _isolated(command: list[str]) -> list[str]:
    folders = _hidden_folders()
    if not folders:
        return command
    script = (
        'while [ "$1" != "--" ]; do "$MOUNT" -t tmpfs -o ro,size=1k fenqi-hidden "$1" || exit 97; shift; done; '
        'shift; exec "$@"'
    )
    shell = ["/bin/sh", "-c", f"MOUNT={shutil.which('mount')}; {script}", "sh", *folders, "--"]
    return [str(shutil.which("unshare")), "-m", "--", *shell, *command]


def clean_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The store PC's environment: no PATH, PYTHONPATH or VIRTUAL_ENV, a home and a FENQI_HOME of its own."""
    (home / "home").mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home / "home"),
        "FENQI_HOME": str(home / "fenqi"),
        "FENQI_KEY_STORE": "file",
        "LANG": "zh_CN.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        **(extra or {}),
    }


def run(
    executable: Path, *args: str, home: Path, ok: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a bundled executable in the store PC's clean environment (plus `env`)."""
    done = subprocess.run(
        _isolated([str(executable), *args]),
        env=clean_env(home, env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if ok and done.returncode != 0:
        pytest.fail(f"{executable.name} {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def signed_home(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A FENQI_HOME in development mode whose trusted key signed copies of the bundle's catalog, lender's policy,
    blacklist and scorecard card, done with the bundled `fenqi` as ./run.sh does with the virtualenv's."""
    home = tmp_path_factory.mktemp("bundle-home")
    fenqi = bundle / "fenqi"
    run(fenqi, "dev", "keygen", "--if-missing", "--json", home=home)
    signed = home / "signed"
    (signed / "models").mkdir(parents=True)
    shipped = bundle / "_internal"
    shutil.copy(shipped / "resources" / "catalog" / "products.json", signed / "products.json")
    shutil.copy(shipped / "resources" / "blacklist" / "demo.json", signed / "blacklist.json")
    shutil.copy(shipped / "resources" / "policy" / "policy.json", signed / "policy.json")
    for name in ("model_card.json", "scorecard.onnx"):
        shutil.copy(shipped / "models_onnx" / name, signed / "models" / name)
    for name in ("products.json", "policy.json", "blacklist.json", "models/model_card.json"):
        run(fenqi, "dev", "sign", str(signed / name), "--json", home=home)
    settings_file = home / "fenqi" / "config" / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    settings.update(
        catalog_file=str(signed / "products.json"),
        policy_file=str(signed / "policy.json"),
        model_dir=str(signed / "models"),
    )
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    return home


def test_the_counter_application_starts_and_reports_its_start_up_time(bundle: Path, tmp_path: Path) -> None:
    done = run(bundle / "fenqi-pos", "--startup-probe", home=tmp_path)
    assert float(done.stdout.strip().splitlines()[-1]) > 0


def test_on_a_pc_without_chinese_fonts_it_brings_its_own(bundle: Path, tmp_path: Path) -> None:
    """fontconfig sees only DejaVu Sans: the shipped WenQuanYi Micro Hei is registered (ui/fonts.py) and the
    window comes up."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), fonts)
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{fonts}</dir>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {"FONTCONFIG_FILE": str(config), "QT_LOGGING_RULES": "qt.text.font.db=true"}
    done = run(bundle / "fenqi-pos", "--startup-probe", home=tmp_path, env=env)
    assert float(done.stdout.strip().splitlines()[-1]) > 0
    assert 'Adding font: familyName "WenQuanYi Micro Hei"' in done.stderr
    font = bundle / "_internal" / "resources" / "fonts"
    assert (font / "wqy-microhei.ttc").is_file() and (font / "LICENSE-wqy-microhei.txt").is_file()


def test_quote_from_the_signed_catalog(bundle: Path, signed_home: Path) -> None:
    fenqi = bundle / "fenqi"
    args = ("quote", "--product", "GOODS", "--price", "4999", "--down-payment", "1000", "--term", "12")
    out = json.loads(run(fenqi, *args, "--json", home=signed_home).stdout)
    assert out["principal"] == "3999.00" and out["term"] == 12 and len(out["installments"]) == 12
    table = run(fenqi, *args, home=signed_home).stdout
    assert "年化利率" in table and HAN.search(table)


def test_prescreen_gives_a_decision(bundle: Path, signed_home: Path) -> None:
    from app.domain.identity import make_resident_id

    fenqi = bundle / "fenqi"
    run(fenqi, "blacklist", "import", str(signed_home / "signed" / "blacklist.json"), "--json", home=signed_home)
    request = {
        "application_date": dt.date.today().isoformat(),
        "application_time": "14:30",
        "applicant": {
            "id_number": make_resident_id("110105", dt.date(1980, 1, 1), 2),
            "name": "王芳",
            "phone": "13812345678",
            "monthly_income": "9000",
            "monthly_expenses": "2500",
            "assets": "60000",
            "monthly_debt_payments": "800",
            "overdue_records": 0,
            "job": "employee",
            "home": "own",
            "years_at_job": 6,
            "id_valid_until": "2035-01-01",
        },
        "purchase": {"product": "GOODS", "price": "4999", "down_payment": "1000", "term": 12},
    }
    path = signed_home / "application.json"
    path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    out = json.loads(run(fenqi, "prescreen", str(path), "--json", home=signed_home).stdout)
    assert out["decision"] == "approve", out
    assert out["model_version"] and 0 < out["pd"] < 1
    assert HAN.search(run(fenqi, "prescreen", str(path), home=signed_home).stdout)


def test_the_counter_application_runs_on_past_its_first_window(bundle: Path, signed_home: Path) -> None:
    """Started for real: after the first paint the database thread opens the store and loads the shell, the
    catalog and the scorecard (an unsigned catalog is logged as an error within a second). Ten seconds on, it
    is still running and has logged no error."""
    log = signed_home / "fenqi" / "logs" / "fenqi.log"
    seen = log.stat().st_size if log.exists() else 0
    process = subprocess.Popen(
        _isolated([str(bundle / "fenqi-pos")]),
        env=clean_env(signed_home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _out, err = process.communicate(timeout=10)
        pytest.fail(f"fenqi-pos exited {process.returncode}:\n{err}")
    except subprocess.TimeoutExpired:
        process.terminate()
        process.communicate(timeout=30)
    with log.open("rb") as fh:
        fh.seek(seen)
        written = fh.read().decode("utf-8")
    assert " ERROR " not in written and "Traceback" not in written, written


@dataclass(frozen=True)
class Scans:
    qr: Path  # a QR code carrying the card's ID number
    front: Path  # a photo of the card's front
    id_number: str


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Scans:
    """Images made here of one ID card (tests/support draws them)."""
    from tests.support.barcode_images import save
    from tests.support.id_cards import make_card, render_front

    folder = tmp_path_factory.mktemp("scans")
    card = make_card(1)
    render_front(card).save(folder / "front.png")
    return Scans(
        qr=save(card.id_number, "QRCode", "clean", folder), front=folder / "front.png", id_number=card.id_number
    )


def test_without_the_ocr_component_barcodes_are_read_and_photos_refused(
    bundle: Path, scans: Scans, tmp_path: Path
) -> None:
    fenqi = bundle / "fenqi"
    out = json.loads(run(fenqi, "id", "scan", "--image", str(scans.qr), "--json", home=tmp_path).stdout)
    assert out["kind"] == "barcode" and out["fields"]["id_number"] == scans.id_number
    done = run(fenqi, "id", "scan", "--image", str(scans.front), "--json", home=tmp_path, ok=False)
    # A clear refusal, not a crash: the text reader is not installed (exit 3), not "a bad image".
    assert done.returncode == 3
    assert json.loads(done.stdout)["error"]["code"] == "ocr_unavailable"


def test_the_ocr_component_laid_in_the_application_folder_reads_id_cards(
    bundle: Path, scans: Scans, tmp_path: Path
) -> None:
    """An installation with the component: the executables in a folder with `_internal` and `fenqi-ocr` beside
    them (links to dist/, so dist/fenqi itself stays the core)."""
    app = tmp_path / "app"
    app.mkdir()
    for name in ("fenqi", "fenqi-pos"):
        shutil.copy2(bundle / name, app / name)
    (app / "_internal").symlink_to(bundle / "_internal")
    (app / "fenqi-ocr").symlink_to(OCR)
    out = json.loads(run(app / "fenqi", "id", "scan", "--image", str(scans.front), "--json", home=tmp_path).stdout)
    assert out["kind"] == "id_card_front" and out["fields"]["id_number"] == scans.id_number
