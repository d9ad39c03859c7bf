"""Every text a person reads is translated into Simplified Chinese, in app/ (gettext) and ui/ (Qt Linguist)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.kernel.i18n import _, set_language
from tests.conftest import REPO

PO = REPO / "app" / "locale" / "zh_CN" / "LC_MESSAGES" / "fenqi.po"
TS = REPO / "resources" / "i18n" / "fenqi_zh_CN.ts"


def _source_messages() -> set[str]:
    found = extract_from_dir(
        REPO / "app", method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    )
    ids: set[str] = set()
    for _filename, _lineno, message, _comments, _context in found:
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_app_text_has_a_chinese_translation() -> None:
    """Each message marked in app/ is in the zh_CN catalog with a non-empty, non-fuzzy translation."""
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    missing = []
    for msgid in sorted(_source_messages()):
        entry = catalog.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(msgid)
    assert missing == [], f"untranslated in {PO.relative_to(REPO)} (run scripts/i18n_update.sh): {missing}"


def test_compiled_catalog_is_used() -> None:
    """Switching the language changes what app/ says (the .mo was built by the setup)."""
    set_language("zh_CN")
    assert _("Draft") == "草稿"
    set_language("en")
    assert _("Draft") == "Draft"


def test_every_widget_text_has_a_chinese_translation(tmp_path: Path) -> None:
    """lupdate over ui/ finds no text without a finished zh_CN translation."""
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert lupdate, "pyside6-lupdate not found beside the interpreter"
    fresh = tmp_path / "check.ts"
    shutil.copy(TS, fresh)
    sources = [str(p) for p in sorted((REPO / "ui").rglob("*.py"))]
    subprocess.run([lupdate, *sources, "-ts", str(fresh), "-no-obsolete", "-silent"], check=True, timeout=120)
    untranslated = [
        m.findtext("source")
        for m in ET.parse(fresh).iter("message")
        if m.find("translation").get("type") == "unfinished" or not (m.findtext("translation") or "").strip()
    ]
    assert untranslated == [], f"untranslated in {TS.relative_to(REPO)}: {untranslated}"


def test_catalogs_pass_babels_checks() -> None:
    """Every translation keeps its placeholders (what `pybabel compile` in the setup would refuse)."""
    for language in ("zh_CN", "en"):
        with (REPO / "app" / "locale" / language / "LC_MESSAGES" / "fenqi.po").open("rb") as fh:
            catalog = read_po(fh, locale=language)
        problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
        assert problems == [], problems
