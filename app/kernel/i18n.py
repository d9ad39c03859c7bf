"""gettext catalogs for the texts app/ produces; one language setting drives these and the Qt widgets."""

from __future__ import annotations

import gettext
import locale
import os
from collections.abc import Callable
from pathlib import Path

DOMAIN = "fenqi"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
SUPPORTED_LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def system_language() -> str:
    """Chinese when the system locale is Chinese, English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "zh_CN" if code.lower().startswith("zh") else "en"


def resolve_language(setting: str) -> str:
    """Map a language setting ('auto', 'zh_CN', 'en') to a supported language."""
    if setting in SUPPORTED_LANGUAGES:
        return setting
    return system_language()


def set_language(language: str) -> str:
    """Switch the language of texts produced from now on; returns the language in effect."""
    global _translation, _language
    language = resolve_language(language)
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    _language = language
    return language


def current_language() -> str:
    """The language texts are produced in right now."""
    return _language


def _(message: str) -> str:
    """Translate a message into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet."""
    return message


def translator_for(language: str) -> Callable[[str], str]:
    """A `_` for one language regardless of the current one (the customer screen and its contract have their
    own language toggle)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[resolve_language(language)], fallback=True).gettext
