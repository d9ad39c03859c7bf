#!/usr/bin/env bash
# Starts Fenqi POS on the embedded default: local SQLite store, shipped model and catalog, no server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/setup.sh"

# With no usable OS keyring (a headless Linux without a Secret Service), fall back to the development key
# file, explicitly and visibly: the application shows a banner while it is in use.
if [[ -z "${FENQI_KEY_STORE:-}" ]] && ! "$VENV/bin/python" -m app keystore probe >/dev/null 2>&1; then
    export FENQI_KEY_STORE=file
    say "no usable OS keyring here: using the development key file (FENQI_KEY_STORE=file); do not use this mode in a store"
fi

# A development signing key for the demo catalog, lender's policy, scorecard card and blacklist; created once, outside the package. In this
# development setup the shipped catalog is (re)signed with it at each start; a store build ships the
# lender-signed catalog and trusts only the lender's key (resources/keys).
if [[ "${FENQI_KEY_STORE:-}" == "file" ]]; then
    "$VENV/bin/python" -m app dev keygen --if-missing >/dev/null
    for signed in resources/catalog/products.json resources/policy/policy.json resources/blacklist/demo.json \
        models_onnx/model_card.json; do
        "$VENV/bin/python" -m app dev sign "$REPO/$signed" >/dev/null
    done
else
    say "the OS keyring is in use: the product catalog, policy, scorecard and blacklist must carry the lender's signature"
    say "(resources/keys); to try the demo ones, start in development mode: FENQI_KEY_STORE=file ./run.sh"
fi

# Qt wants a UTF-8 character type; keep the language variables (they choose Chinese or English) as they are.
if [[ "$(locale charmap 2>/dev/null)" != "UTF-8" ]]; then
    export LC_CTYPE=C.UTF-8
fi

# Compile the application's modules once (only changed ones are redone): with PYTHONDONTWRITEBYTECODE set, as
# on some machines, Python would otherwise compile every module again at each start, before the first window.
"$VENV/bin/python" -m compileall -q -j 0 "$REPO/app" "$REPO/ui" >/dev/null || true

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && "${QT_QPA_PLATFORM:-}" != "offscreen" ]]; then
    if command -v xvfb-run >/dev/null 2>&1; then
        say "no display: starting under Xvfb (xvfb-run); on a desk PC, run this from the desktop session"
        exec xvfb-run -a -s "-screen 0 1366x768x24" "$VENV/bin/fenqi-pos" "$@"
    fi
    say "no display found: run this from a desktop session, or install xvfb and it will start under xvfb-run"
    exit 2
fi
exec "$VENV/bin/fenqi-pos" "$@"
