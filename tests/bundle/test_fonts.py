"""The CJK font the application carries (ui/fonts.py), on a PC without Chinese fonts: fontconfig is pointed at a
folder holding only DejaVu Sans, in a process of its own (the font database is read once per process).

These run in the default suite, in the virtualenv; tests/bundle/test_bundle.py checks the bundle brings the font.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PROBE = """
import json, sys
from PySide6.QtGui import QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication
from ui.contract_pdf import contract_pdf
from ui.fonts import CJK_FAMILY, install_cjk_font

app = QApplication([])
had_family = QFontDatabase.hasFamily(CJK_FAMILY)
registered = install_cjk_font(app)
layout = QTextLayout("分期 ABC", app.font())
layout.beginLayout()
layout.createLine()
layout.endLayout()
runs = [[r.rawFont().familyName(), list(r.glyphIndexes())] for r in layout.glyphRuns()]
with open(sys.argv[1], "wb") as fh:
    fh.write(contract_pdf("<p>分期付款合同：年化利率 12.00%</p>", {}, "contract"))
print(json.dumps({"had_family": had_family, "registered": registered, "runs": runs}))
"""


def _probe(tmp_path: Path, fontconfig: Path | None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    pdf = tmp_path / "contract.pdf"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(pdf)], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if shutil.which("pdftotext"):
        result["pdf_text"] = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    return result


@pytest.fixture
def no_chinese_fonts(tmp_path: Path) -> Path:
    """A fontconfig configuration that knows only DejaVu Sans."""
    if not DEJAVU.is_file():
        pytest.skip("DejaVu Sans is not installed (fonts-dejavu-core)")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(DEJAVU, fonts)
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{fonts}</dir>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return config


def test_without_chinese_fonts_the_shipped_font_renders_and_prints_chinese(
    tmp_path: Path, no_chinese_fonts: Path
) -> None:
    result = _probe(tmp_path, no_chinese_fonts)
    assert not result["had_family"] and result["registered"] == "WenQuanYi Micro Hei"
    families = {family.lower(): glyphs for family, glyphs in result["runs"]}
    assert all(families["wenquanyi micro hei"]), "the Han characters have glyphs of the shipped font"
    assert "dejavu sans" in families, "Latin text keeps the system's font"
    if "pdf_text" in result:
        assert "分期付款合同：年化利率" in result["pdf_text"]


def test_with_the_font_installed_nothing_is_registered(tmp_path: Path) -> None:
    installed = subprocess.run(
        ["fc-list", "WenQuanYi Micro Hei"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not installed:
        pytest.skip("WenQuanYi Micro Hei is not installed here (fonts-wqy-microhei)")
    result = _probe(tmp_path, None)
    assert result["had_family"] and result["registered"] is None
