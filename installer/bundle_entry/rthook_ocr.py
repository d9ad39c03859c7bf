"""PyInstaller runtime hook: the optional OCR component, when it is installed beside the core.

The core bundle leaves the OCR engine out (RapidOCR, OpenCV and their models: about a third of the bundle).
`installer/build.sh --ocr` builds it as a folder of plain site-packages, dist/fenqi-ocr/; an installer that
lays it inside the application folder (<app>/fenqi-ocr/site-packages) makes it importable here, before the
application starts. Without it app/scanning/ocr.py reports "the text reader is not installed" and manual
entry, barcodes and everything else work as usual.
"""

import os
import sys


def _add_ocr_component() -> None:
    site = os.path.join(os.path.dirname(sys.executable), "fenqi-ocr", "site-packages")
    if os.path.isdir(site) and site not in sys.path:
        sys.path.append(site)  # after the bundle's own modules: the core's numpy, onnxruntime, Pillow win


_add_ocr_component()
