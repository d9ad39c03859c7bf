#!/usr/bin/env bash
# For developers after changing user-visible texts: refresh the gettext template and catalogs (app/) and the
# Qt Linguist catalog (ui/). Then translate the new entries (tests fail on any untranslated zh_CN text).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=.venv
"$VENV/bin/pybabel" extract -F babel.cfg -k N_ --no-location --sort-output --project "Fenqi POS" \
    -o app/locale/fenqi.pot .
"$VENV/bin/pybabel" update -i app/locale/fenqi.pot -d app/locale -D fenqi --no-fuzzy-matching --ignore-obsolete
"$VENV/bin/pyside6-lupdate" $(find ui -name "*.py") -ts resources/i18n/fenqi_zh_CN.ts -no-obsolete
echo "Now fill the empty msgstr entries in app/locale/zh_CN/LC_MESSAGES/fenqi.po (en: copy the msgid)"
echo "and the unfinished entries in resources/i18n/fenqi_zh_CN.ts."
