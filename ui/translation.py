"""Qt Linguist catalogs for widget texts, driven by the same language setting as app/'s gettext catalogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from app.kernel.config import resources_dir


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
