#!/usr/bin/env bash
# Packs the PyInstaller bundle into fenqi-pos-<version>-linux-x86_64.tar.gz with its menu entry, icon,
# install.sh and a short install note. The version is pyproject.toml's.
#
#   installer/linux/make_tarball.sh [DIST_DIR] [OUT_DIR]
#     DIST_DIR  the bundle built by installer/build.sh (default: dist/fenqi): fenqi-pos, fenqi, _internal/
#     OUT_DIR   where the tarball goes (default: dist)
#   OCR_DIR=dir  the optional OCR component (build.sh --ocr), put where the bundle looks for it:
#                fenqi/fenqi-ocr/site-packages (installer/bundle_entry/rthook_ocr.py). Either that fenqi-ocr folder
#                (site-packages inside) or the site-packages folder itself. Default: fenqi-ocr beside DIST_DIR
#                when it exists; OCR_DIR= leaves it out.
#
# Inside: fenqi-pos-<version>-linux-x86_64/{fenqi/ (the bundle), fenqi-pos.desktop, fenqi-pos.svg, install.sh, INSTALL.txt, VERSION}
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DIST_DIR="${1:-$REPO/dist/fenqi}"
OUT_DIR="${2:-$REPO/dist}"
OCR_DIR="${OCR_DIR-$(dirname "$DIST_DIR")/fenqi-ocr}"

die() { printf 'make_tarball.sh: %s\n' "$*" >&2; exit 1; }

VERSION="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$REPO/pyproject.toml" | head -1)"
[[ -n "$VERSION" ]] || die "no version in $REPO/pyproject.toml"
for exe in fenqi-pos fenqi; do
    [[ -x "$DIST_DIR/$exe" ]] || die "$DIST_DIR/$exe is missing or not executable: build the bundle first (installer/build.sh)"
done
[[ -d "$DIST_DIR/_internal" ]] || die "$DIST_DIR/_internal is missing: is $DIST_DIR a PyInstaller one-folder bundle?"

NAME="fenqi-pos-$VERSION-linux-x86_64"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/$NAME"
mkdir -p "$ROOT"
cp -a "$DIST_DIR" "$ROOT/fenqi"
if [[ -n "$OCR_DIR" && -d "$OCR_DIR" ]]; then
    if [[ -d "$OCR_DIR/site-packages" ]]; then
        mkdir -p "$ROOT/fenqi/fenqi-ocr" && cp -a "$OCR_DIR/." "$ROOT/fenqi/fenqi-ocr/"
    else
        mkdir -p "$ROOT/fenqi/fenqi-ocr/site-packages" && cp -a "$OCR_DIR/." "$ROOT/fenqi/fenqi-ocr/site-packages/"
    fi
    printf 'make_tarball.sh: OCR component included from %s\n' "$OCR_DIR" >&2
else
    printf 'make_tarball.sh: no OCR component (photos of ID cards will not be read; scanners and typing work)\n' >&2
fi
install -m 644 "$HERE/fenqi-pos.desktop" "$HERE/fenqi-pos.svg" "$HERE/INSTALL.txt" "$ROOT/"
install -m 755 "$HERE/install.sh" "$ROOT/"
printf '%s\n' "$VERSION" > "$ROOT/VERSION"

mkdir -p "$OUT_DIR"
OUT="$(cd "$OUT_DIR" && pwd)/$NAME.tar.gz"
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner --sort=name -czf "$OUT.part" "$NAME"
mv "$OUT.part" "$OUT"
printf '%s\n' "$OUT"
