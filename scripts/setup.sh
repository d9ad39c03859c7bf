#!/usr/bin/env bash
# Shared setup for run.sh and test.sh: Debian packages (when root), .venv, the project, compiled translations.
# Sourced, not executed: it sets REPO and VENV for the caller.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
EXTRAS="${FENQI_SETUP_EXTRAS:-}"

# Debian packages the application and its tests need on a fresh Debian 12.
DEBIAN_PACKAGES=(
    python3 python3-venv python3-pip
    fonts-noto-cjk fonts-wqy-microhei fonts-hanazono fonts-dejavu-core fontconfig
    libegl1 libgl1 libopengl0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
    libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
    libxcb-xfixes0 libxcb-shm0 libxcb-sync1 libxcb-render0 libxrender1 libxi6 libsm6 libice6
    libpulse0 libasound2 poppler-utils xvfb xauth
)
# The tests (test.sh) also run the reference server's tests on PostgreSQL.
# and check the Windows installer script with NSIS's makensis (installer/windows/).
if [[ "$EXTRAS" == *dev* ]]; then
    DEBIAN_PACKAGES+=(postgresql nsis)
fi
PG_TEST_ROLE=fenqi
PG_TEST_DB=fenqi_central_test
PG_TEST_URL_FILE="$VENV/fenqi-test-postgres-url"  # read by tests/support/central_db.py

say() { printf '[fenqi setup] %s\n' "$*" >&2; }

missing_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local p
    for p in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
    done
}

ensure_debian_packages() {
    local missing
    missing="$(missing_debian_packages)"
    [[ -z "$missing" ]] && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian packages: $missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        say "these Debian packages are missing (ask an administrator to run: apt-get install $missing)"
    fi
}

python_for_venv() {
    # Prefer the python3 on PATH; it must be 3.11 or newer and able to create a venv.
    local py
    py="$(command -v python3 || true)"
    if [[ -z "$py" ]]; then say "python3 is not installed"; return 1; fi
    if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        say "python3 must be 3.11 or newer (found $("$py" --version 2>&1))"; return 1
    fi
    printf '%s' "$py"
}

ensure_venv() {
    if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        return 0
    fi
    local py
    py="$(python_for_venv)"
    say "creating $VENV"
    rm -rf "$VENV"
    if ! "$py" -m venv "$VENV"; then
        say "could not create a virtualenv: install python3-venv (apt-get install python3-venv)"
        return 1
    fi
}

ensure_project_installed() {
    # Reinstall only when the dependency list changed, so repeated runs start quickly.
    local stamp="$VENV/.setup-stamp" hash have=""
    hash="$(sha256sum "$REPO/pyproject.toml" | cut -d' ' -f1)"
    [[ -f "$stamp" ]] && have="$(cat "$stamp")"
    # An install with the dev extras also serves the plain run.
    if [[ "$have" == "$hash:$EXTRAS" || ( -z "$EXTRAS" && "$have" == "$hash:"* ) ]]; then
        return 0
    fi
    say "installing Python packages into .venv (first run takes a few minutes)"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    # The counter's packages are the `counter` extra (the core is what the reference server shares with it).
    local target="$REPO[counter]"
    [[ -n "$EXTRAS" ]] && target="$REPO[counter,$EXTRAS]"
    "$VENV/bin/python" -m pip install -q -e "$target"
    # The OCR engine without its opencv-python requirement (opencv-python-headless is in the counter extra).
    "$VENV/bin/python" -m pip install -q --no-deps "rapidocr-onnxruntime==1.4.4"
    printf '%s' "$hash:$EXTRAS" > "$stamp"
}

build_translations() {
    # gettext catalogs for texts app/ produces; Qt Linguist catalogs for widgets.
    local out
    if ! out="$("$VENV/bin/pybabel" compile -d "$REPO/app/locale" -D fenqi 2>&1)"; then
        printf '%s\n' "$out" >&2
        return 1
    fi
    local lrelease="$VENV/bin/pyside6-lrelease" ts
    for ts in "$REPO"/resources/i18n/*.ts; do
        [[ -e "$ts" ]] || continue
        "$lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
    done
}

check_fonts() {
    if command -v fc-list >/dev/null 2>&1 && [[ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]]; then
        say "WARNING: no Chinese font is installed; Chinese text will show as boxes (apt-get install fonts-noto-cjk fonts-wqy-microhei)"
    fi
}

ensure_test_postgres() {
    # As root, for the tests: Debian's PostgreSQL cluster running (pg_ctlcluster starts the server as the
    # cluster's owner, postgres; there may be no systemd), a role and a database the tests may empty, and
    # their URL in $PG_TEST_URL_FILE. Not as root, the tests skip their PostgreSQL variant and say why.
    [[ "$EXTRAS" == *dev* && $(id -u) -eq 0 ]] || return 0
    command -v pg_lsclusters >/dev/null 2>&1 || return 1
    local version name port status _rest
    if [[ -z "$(pg_lsclusters -h 2>/dev/null)" ]]; then
        version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
        [[ -n "$version" ]] || return 1
        pg_createcluster "$version" main >/dev/null || return 1
    fi
    read -r version name port status _rest < <(pg_lsclusters -h | tail -1) || return 1
    if [[ "$status" != online* ]]; then
        say "starting PostgreSQL $version/$name for the server tests"
        install -d -o postgres -g postgres -m 2775 /var/run/postgresql || return 1
        pg_ctlcluster "$version" "$name" start || return 1
    fi
    # One password per machine, kept root-only beside the cluster: every checkout on this machine shares the
    # role, so a second checkout's setup must not change the password the first one's tests use.
    local password="" shared=/var/lib/postgresql/fenqi-test-password
    [[ -f "$shared" ]] && password="$(tr -dc '0-9a-f' < "$shared")"
    if [[ -z "$password" && -f "$PG_TEST_URL_FILE" ]]; then
        password="$(sed -n 's|^postgresql+psycopg://[^:]*:\([0-9a-f]*\)@.*|\1|p' "$PG_TEST_URL_FILE")"
    fi
    [[ -n "$password" ]] || password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    (umask 077 && printf '%s\n' "$password" > "$shared") || return 1
    runuser -u postgres -- psql -X -q -p "$port" -d postgres -v ON_ERROR_STOP=1 -v pw="$password" >/dev/null <<SQL || return 1
SELECT 'CREATE ROLE $PG_TEST_ROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_TEST_ROLE')\gexec
ALTER ROLE $PG_TEST_ROLE LOGIN PASSWORD :'pw';
SELECT 'CREATE DATABASE $PG_TEST_DB OWNER $PG_TEST_ROLE'
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_TEST_DB')\gexec
SQL
    (umask 077 && printf 'postgresql+psycopg://%s:%s@127.0.0.1:%s/%s\n' \
        "$PG_TEST_ROLE" "$password" "$port" "$PG_TEST_DB" > "$PG_TEST_URL_FILE") || return 1
}

ensure_debian_packages
ensure_venv
ensure_project_installed
ensure_test_postgres || say "WARNING: PostgreSQL could not be set up; the server tests run on SQLite only"
build_translations
check_fonts
