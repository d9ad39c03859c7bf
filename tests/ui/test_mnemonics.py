"""Alt+letter mnemonics: on every page of the counter, as a store manager and as an administrator, in English
and in Chinese, no two visible buttons or buddied labels share a letter (with the shell's own buttons, which are
beside every page); nor do those a page shows only at times (once an application is open, with the camera on).
A clash makes Alt+letter cycle between the two instead of doing either."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget

from tests.support.counter import signed_in_window

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The letter Alt opens in a widget text ('&Save' and '保存(&S)' give 'S'; '&&' is a plain '&')."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).upper() if found else None


def _texts(root: QWidget, shown_only: bool = True) -> list[str]:
    """The texts of the widgets under `root` (those shown, or all) whose text can carry a mnemonic that acts."""
    out = []
    for widget in [root, *root.findChildren(QWidget)]:
        if shown_only and not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        out.append(text)
    return out


def clashes(texts: list[str]) -> dict[str, list[str]]:
    """Letter → the texts sharing it, for letters used more than once."""
    by_letter: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        letter = mnemonic(text)
        if letter is not None:
            by_letter[letter].append(text)
    return {letter: texts for letter, texts in by_letter.items() if len(texts) > 1}


def test_mnemonic_parsing() -> None:
    assert mnemonic("&Save") == "S" and mnemonic("Lock after &idle (minutes)") == "I"
    assert mnemonic("保存(&S)") == "S" and mnemonic("锁定 (Ctrl+L)") is None
    assert mnemonic("Tom && Jerry") is None and mnemonic("Tom && &Jerry") == "J"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize(("login", "secret"), [("manager", "482613"), ("admin", "Fenqi2026admin")])
def test_no_page_has_two_widgets_on_one_letter(qtbot, login: str, secret: str, language: str) -> None:
    with signed_in_window(qtbot, login, secret) as window:
        window.apply_language(language)
        shell = window.shell
        assert shell is not None
        shown: dict[str, dict[str, list[str]]] = {}
        at_times: dict[str, dict[str, list[str]]] = {}
        for key in shell.visible_keys():
            shell.open_page(key)
            QApplication.processEvents()
            assert shell.pages[key].isVisible()
            if found := clashes(_texts(window)):
                shown[key] = found
            # Everything the page may show, each text once (the reports' store and region views, one shown at a
            # time, have the same buttons), with the shell's buttons beside it.
            every = {
                *_texts(shell.pages[key], shown_only=False),
                shell.lock_button.text(),
                shell.sign_out_button.text(),
            }
            if found := clashes(sorted(every)):
                at_times[key] = found
        assert shown == {}, f"{login} in {language}: mnemonic clashes on screen {shown}"
        assert at_times == {}, f"{login} in {language}: mnemonic clashes among what pages show at times {at_times}"
