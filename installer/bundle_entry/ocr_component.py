"""Build the optional OCR component: RapidOCR (its PP-OCR models are inside the package), OpenCV and the rest of
RapidOCR's needs, as plain site-packages copied from the build's virtualenv (the very files the tests ran).

    .venv/bin/python installer/bundle_entry/ocr_component.py dist/fenqi-ocr

The core bundle leaves these out (installer/fenqi.spec). Laid inside the application folder as
`fenqi-ocr/` (beside `_internal/`), the core's runtime hook (rthook_ocr.py) puts its site-packages on the path
and photos of ID cards and passports are read; numpy, onnxruntime and Pillow come from the core, which is built
from the same virtualenv, so the compiled modules match its Python and numpy.
"""

from __future__ import annotations

import compileall
import shutil
import sys
from importlib import metadata
from pathlib import Path

# rapidocr-onnxruntime's requirements, less what the core already carries (numpy, onnxruntime, Pillow);
# OpenCV is the headless build (scripts/setup.sh installs it in place of opencv-python).
DISTRIBUTIONS = ("rapidocr-onnxruntime", "opencv-python-headless", "pyclipper", "shapely", "PyYAML", "six", "tqdm")


def copy_distribution(name: str, site: Path) -> int:
    """Copy one installed distribution's files (as its RECORD lists them) into `site`; returns the bytes copied."""
    dist = metadata.distribution(name)
    copied = 0
    for file in dist.files or ():
        if file.parts[0] == ".." or "__pycache__" in file.parts:  # scripts in bin/; stale bytecode
            continue
        source = Path(str(dist.locate_file(file)))
        if not source.is_file():
            continue
        target = site / file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += source.stat().st_size
    return copied


def build(dest: Path) -> int:
    """Create `dest` afresh with site-packages/ and a manifest; returns the bytes copied."""
    if dest.exists():
        shutil.rmtree(dest)
    site = dest / "site-packages"
    site.mkdir(parents=True)
    total = 0
    lines = [f"Fenqi POS OCR component for Python {sys.version_info.major}.{sys.version_info.minor}"]
    for name in DISTRIBUTIONS:
        total += copy_distribution(name, site)
        lines.append(f"{name}=={metadata.version(name)}")
    # The application folder may be read-only for the clerk: compile now rather than at the first photo.
    compileall.compile_dir(str(site), quiet=1, workers=0)
    (dest / "MANIFEST.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total


def main(argv: list[str]) -> int:
    """Entry point: one argument, the folder to create."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    total = build(Path(argv[0]))
    print(f"OCR component: {total / 1e6:.0f} MB copied into {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
