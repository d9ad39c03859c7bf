#!/bin/sh
# Installs Fenqi POS from the unpacked tarball this script sits in.
#
#   sudo ./install.sh                  /opt/fenqi-pos, a menu entry for every account, fenqi and fenqi-pos in /usr/local/bin
#   ./install.sh --user                ~/.local/opt/fenqi-pos, a menu entry and commands for this account only
#   [sudo] ./install.sh --uninstall [--user]   removes what the matching install put there
#
# Installing over an earlier version replaces its program folder. Neither installing nor uninstalling touches
# the local store: each account keeps its own (database, settings, logs) under its XDG folders
# (~/.local/share/fenqi-pos, ~/.config/fenqi-pos, ~/.local/state/fenqi-pos), or under FENQI_HOME when set,
# and its data key in that account's keyring (Secret Service, service "fenqi-pos").
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
MODE=install
SCOPE=system
for arg in "$@"; do
    case "$arg" in
        --user) SCOPE=user ;;
        --uninstall) MODE=uninstall ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

if [ "$SCOPE" = user ]; then
    PREFIX="$HOME/.local/opt/fenqi-pos"
    SHARE="${XDG_DATA_HOME:-$HOME/.local/share}"
    BIN="$HOME/.local/bin"
else
    if [ "$(id -u)" -ne 0 ]; then
        echo "install.sh: a system-wide install needs root (sudo ./install.sh), or use --user" >&2
        exit 1
    fi
    PREFIX=/opt/fenqi-pos
    SHARE=/usr/local/share
    BIN=/usr/local/bin
fi
DESKTOP="$SHARE/applications/fenqi-pos.desktop"
ICON="$SHARE/icons/hicolor/scalable/apps/fenqi-pos.svg"

# A program that is running keeps its files open; refuse rather than replace them under it. As root every
# account's processes are seen; otherwise only this account's.
refuse_if_running() {
    for exe in /proc/[0-9]*/exe; do
        target="$(readlink "$exe" 2>/dev/null)" || continue
        case "$target" in
            "$PREFIX"/*)
                echo "install.sh: Fenqi POS is running ($target, process ${exe#/proc/}); close it (let a sync finish) and run this again" >&2
                exit 1 ;;
        esac
    done
}

# The program folder is replaced or removed whole, so it must be new, empty or an earlier installation.
check_prefix() {
    if [ -d "$PREFIX" ] && [ ! -e "$PREFIX/fenqi-pos" ] && [ -n "$(ls -A "$PREFIX")" ]; then
        echo "install.sh: $PREFIX holds other files and is not a Fenqi POS installation; not touching it" >&2
        exit 1
    fi
}

keep_note() {
    echo "The local store was not touched. Each account keeps its own under ~/.local/share/fenqi-pos,"
    echo "~/.config/fenqi-pos and ~/.local/state/fenqi-pos (or FENQI_HOME); delete it only when the outbox is"
    echo "empty: applications not yet sent to the lender would be lost."
}

check_prefix
refuse_if_running

if [ "$MODE" = uninstall ]; then
    rm -rf "$PREFIX"
    rm -f "$DESKTOP" "$ICON" "$BIN/fenqi" "$BIN/fenqi-pos"
    echo "Fenqi POS removed from $PREFIX."
    keep_note
    exit 0
fi

[ -x "$HERE/fenqi/fenqi-pos" ] || { echo "install.sh: $HERE/fenqi/fenqi-pos is missing" >&2; exit 1; }
mkdir -p "$(dirname "$PREFIX")" "$SHARE/applications" "$(dirname "$ICON")" "$BIN"
# Copy beside the old version first, then swap, so a failed copy leaves the old version working.
rm -rf "$PREFIX.new" "$PREFIX.old"
cp -a "$HERE/fenqi" "$PREFIX.new"
[ -d "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
mv "$PREFIX.new" "$PREFIX"
rm -rf "$PREFIX.old"

sed "s|/opt/fenqi-pos|$PREFIX|g" "$HERE/fenqi-pos.desktop" > "$DESKTOP"
cp "$HERE/fenqi-pos.svg" "$ICON"
for name in fenqi fenqi-pos; do  # small wrappers: the bundle finds its _internal/ beside the real executable
    printf '#!/bin/sh\nexec "%s/%s" "$@"\n' "$PREFIX" "$name" > "$BIN/$name"
    chmod 755 "$BIN/$name"
done
chmod 644 "$DESKTOP" "$ICON"  # desktops watch these folders: the entry appears without a cache refresh
echo "Fenqi POS $(cat "$HERE/VERSION" 2>/dev/null || echo) installed in $PREFIX; menu entry $DESKTOP."
[ "$SCOPE" = user ] && case ":$PATH:" in *":$BIN:"*) ;; *) echo "Add $BIN to PATH to run fenqi from a terminal." ;; esac
exit 0
