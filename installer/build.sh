#!/usr/bin/env bash
# Builds the Fenqi POS bundle with PyInstaller (installer/fenqi.spec): dist/fenqi/, one folder holding the
# `fenqi-pos` and `fenqi` executables, the Python runtime, Qt and the application's files.
#
#   installer/build.sh            the core bundle, dist/fenqi/ (budget: 300 MB unpacked)
#   installer/build.sh --ocr      the core, and the optional OCR component in dist/fenqi-ocr/
#   installer/build.sh --ocr-only the OCR component alone (from the same .venv as the core it joins)
#
# The OCR component is installed inside the application folder as fenqi-ocr/ (beside _internal/); the core
# finds it there at start-up (installer/bundle_entry/rthook_ocr.py). Safe to run again: the setup is skipped
# when done, PyInstaller is installed only when missing, and dist/fenqi/ is rebuilt from scratch.
set -euo pipefail

BUDGET_MB=300
CORE=1
OCR=0
for arg in "$@"; do
    case "$arg" in
        --ocr) OCR=1 ;;
        --ocr-only) OCR=1; CORE=0 ;;
        -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) printf 'usage: installer/build.sh [--ocr | --ocr-only]\n' >&2; exit 2 ;;
    esac
done

started=$SECONDS
# .venv with the project, Debian packages when root, and the compiled catalogs (gettext .mo, Qt .qm), which the
# spec collects. It sets REPO and VENV.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
say() { printf '[fenqi build] %s\n' "$*" >&2; }

ensure_binutils() {
    # PyInstaller reads and strips libraries with binutils (objdump, readelf, strip).
    command -v objdump >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 && command -v strip >/dev/null 2>&1 \
        && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian's binutils (PyInstaller needs objdump, readelf and strip)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils >/dev/null
    else
        say "binutils is missing (ask an administrator to run: apt-get install binutils)"
        return 1
    fi
}

ensure_pyinstaller() {
    # The version pinned in pyproject.toml's `bundle` extra.
    local wanted
    wanted="$("$VENV/bin/python" - "$REPO/pyproject.toml" <<'PY'
import sys
import tomllib

with open(sys.argv[1], "rb") as fh:
    extra = tomllib.load(fh)["project"]["optional-dependencies"]["bundle"]
print(next(r for r in extra if r.lower().startswith("pyinstaller")))
PY
)"
    if ! "$VENV/bin/python" - "$wanted" <<'PY'
import sys
from importlib import metadata

name, _, version = sys.argv[1].partition("==")
try:
    sys.exit(metadata.version(name) != version)
except metadata.PackageNotFoundError:
    sys.exit(1)
PY
    then
        say "installing $wanted into .venv"
        "$VENV/bin/python" -m pip install -q "$wanted"
    fi
}

report_size() {
    # The folder's size, then its biggest files and folders (one level down in _internal/).
    local folder="$1" label="$2"
    say "$label: $(du -sh "$folder" | cut -f1) in $folder; the biggest parts:"
    local parts=("$folder"/*)
    [[ -d "$folder/_internal" ]] && parts=("$folder"/fenqi "$folder"/fenqi-pos "$folder"/_internal/*)
    du -sh -- "${parts[@]}" | sort -rh | head -12 | sed "s|$folder/||; s/^/    /" >&2 || true
}

build_core() {
    say "building dist/fenqi with PyInstaller $("$VENV/bin/pyinstaller" --version)"
    # Warnings known to be harmless are left out: database drivers SQLAlchemy looks for and this store never uses,
    # Windows libraries asked for via ctypes, and GTK, which the left-out GTK theme plugin loads from the desktop.
    "$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$REPO/dist" --workpath "$REPO/build" \
        "$REPO/installer/fenqi.spec" 2>&1 \
        | { grep -v -E 'Hidden import "(pysqlite2|MySQLdb)" not found|Library (shell32|ole32) required via ctypes|libg[dt]k-3\.so\.0' || true; }
    local lib
    for lib in products.json demo.json model_card.json; do
        if [[ -z "$(find "$REPO/dist/fenqi/_internal" -name "$lib.sig" -print -quit)" ]]; then
            say "note: $lib carries no lender signature (resources/keys); a store build must be signed before release"
        fi
    done
    report_size "$REPO/dist/fenqi" "core bundle"
    local mb
    mb="$(du -sm "$REPO/dist/fenqi" | cut -f1)"
    if (( mb > BUDGET_MB )); then
        say "the core bundle is ${mb} MB, over its ${BUDGET_MB} MB budget"
        return 1
    fi
}

build_ocr() {
    say "building dist/fenqi-ocr (the optional OCR component)"
    "$VENV/bin/python" "$REPO/installer/bundle_entry/ocr_component.py" "$REPO/dist/fenqi-ocr" >&2
    report_size "$REPO/dist/fenqi-ocr/site-packages" "OCR component"
}

ensure_binutils
ensure_pyinstaller
if (( CORE )); then build_core; fi
if (( OCR )); then build_ocr; fi
say "build time: $((SECONDS - started)) s"
