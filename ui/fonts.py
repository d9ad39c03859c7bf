"""The Chinese font the application carries itself (resources/fonts), so a store PC without Chinese fonts shows,
prints and writes PDFs of Chinese text.

WenQuanYi Micro Hei is the font the contract and report PDFs ask for first (ui/contract_pdf.py): its text
extracts correctly from the PDFs Qt writes. At start-up, before the first window is painted, `install_cjk_font`
registers the shipped copy with Qt unless the system already has the family; that costs about 3 ms (the font
database Qt fills here it would fill for the first paint anyway).

Fallback for Chinese: with fontconfig (Linux) a registered application font joins fontconfig's fallback list
by itself, so Latin text keeps the system's font and Han characters come from this one. Elsewhere (Windows,
macOS) the family is made a substitute of the application's default family. Qt 6.8's per-script
`addApplicationFallbackFontFamily` would say that more precisely, but PySide6 does not bind it (it needs
QChar.Script).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from app.kernel.config import resources_dir

CJK_FAMILY = "WenQuanYi Micro Hei"
CJK_FONT_FILE = "wqy-microhei.ttc"


def shipped_font_file() -> Path:
    """The shipped CJK font file (beside the catalog and translations in resources/)."""
    return resources_dir() / "fonts" / CJK_FONT_FILE


def install_cjk_font(app: QGuiApplication, font_file: Path | None = None) -> str | None:
    """Register the shipped CJK font with Qt and make it the fallback for Chinese text.

    Needs the QGuiApplication (the font database belongs to it) and must run before the first window is
    painted. Returns the family registered, or None when nothing was registered: the system already has the
    family, or the file is missing or unreadable (Chinese then depends on the system's fonts, as before).
    """
    if QFontDatabase.hasFamily(CJK_FAMILY):
        return None
    path = font_file or shipped_font_file()
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = families[0]
    if not sys.platform.startswith("linux"):  # fontconfig already falls back to application fonts
        QFont.insertSubstitution(app.font().family(), family)
    return family
