"""Qt Linguist catalogs for widget texts, driven by the same language setting as app/'s gettext catalogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from app.kernel.config import resources_dir


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for lupdate under `context` and return it unchanged, as PySide6's own does (whose stub types
    the result as object). lupdate finds the texts by this name, so modules import it from here, not QtCore."""
    return text


def install_translator(app: QCoreApplication, language: str, previous: QTranslator | None = None) -> QTranslator | None:
    """Load the widget catalog for `language` (none for English) in place of `previous`."""
    if previous is not None:
        app.removeTranslator(previous)
    if language == "en":
        return None
    translator = QTranslator(app)
    if not translator.load(str(resources_dir() / "i18n" / f"fenqi_{language}.qm")):
        return None
    app.installTranslator(translator)
    return translator
