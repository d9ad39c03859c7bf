"""Rendering the contract: Qt's rich-text engine lays out app/'s HTML on A4 and writes a PDF (QPdfWriter) or
prints it (QPrinter). The fonts are chosen for text that survives extraction: WenQuanYi Micro Hei (with Noto
CJK, pdftotext returns Kangxi radicals for common characters), then Hanazono for rare name characters such as
𠮷 that WenQuanYi lacks.

Qt's PDF writer leaves characters outside the Basic Multilingual Plane (𠮷 is U+20BB7) out of a font's
ToUnicode map: they print, but text extraction, search and screen readers lose them. `_map_rare_characters`
repairs that with a standard incremental update that gives each such font a complete ToUnicode map.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import QFont, QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

CONTRACT_FONTS = ["WenQuanYi Micro Hei", "HanaMinA", "HanaMinB", "DejaVu Sans"]


def contract_document(html: str, resources: dict[str, bytes]) -> QTextDocument:
    """The laid-out document with its images (PNG bytes by resource name)."""
    document = QTextDocument()
    font = QFont()
    font.setFamilies(CONTRACT_FONTS)
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    for name, png in resources.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), QImage.fromData(png))
    document.setHtml(html)
    return document


def _print_to(document: QTextDocument, device: QPagedPaintDevice) -> None:
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 16, 18, 16),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(device)


def contract_pdf(html: str, resources: dict[str, bytes], title: str) -> bytes:
    """The contract as PDF bytes: A4, fonts embedded (subsets), text extractable."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Fenqi POS")
    writer.setResolution(300)
    _print_to(contract_document(html, resources), writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return _map_rare_characters(bytes(data.data()), html)


def print_contract(html: str, resources: dict[str, bytes], printer: QPagedPaintDevice) -> None:
    """Print the contract on `printer` (a QPrinter the clerk chose, or a PDF printer in tests)."""
    _print_to(contract_document(html, resources), printer)


def _first_family_with(ch: str) -> str | None:
    from PySide6.QtGui import QRawFont

    for family in CONTRACT_FONTS:  # the font itself, without Qt's fallback merging
        if QRawFont.fromFont(QFont(family)).supportsCharacter(ord(ch)):
            return family
    return None


def _used_cids(pdf: bytes, cidset_obj: bytes) -> list[int]:
    match = re.search(rb"\n" + cidset_obj + rb" 0 obj\n<<\n/Length (\d+)\n>>\nstream\n", pdf)
    if match is None:
        return []
    bits = pdf[match.end() : match.end() + int(match.group(1))]
    return [i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (0x80 >> b)]


def _map_rare_characters(pdf: bytes, html: str) -> bytes:
    """The PDF with ToUnicode entries for the non-BMP characters Qt left unmapped, in order of first use."""
    rare = list(dict.fromkeys(ch for ch in html if ord(ch) > 0xFFFF))
    if not rare:
        return pdf
    by_family: dict[str, list[str]] = {}
    for ch in rare:
        family = _first_family_with(ch)
        if family is not None:
            by_family.setdefault(family.replace(" ", ""), []).append(ch)
    updates: list[tuple[int, bytes]] = []
    for family, chars in by_family.items():
        font = re.search(
            rb"/BaseFont /" + family.encode() + rb"\n/Encoding /Identity-H\n/DescendantFonts \[(\d+) 0 R\]\n"
            rb"/ToUnicode (\d+) 0 R",
            pdf,
        )
        if font is None:
            continue
        descriptor = re.search(rb"/FontName /[A-Z]{6}\+" + family.encode() + rb"\n.*?/CIDSet (\d+) 0 R", pdf, re.S)
        tounicode = re.search(rb"\n" + font.group(2) + rb" 0 obj\n<< /Length \d+ >>\nstream\n(.*?)endstream", pdf, re.S)
        if descriptor is None or tounicode is None:
            continue
        mapped = {int(h, 16) for h in re.findall(rb"<([0-9A-F]{4})> <[0-9A-F]{4}> ", tounicode.group(1))}
        mapped |= {
            int(start, 16) + k
            for start, end in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})> \[", tounicode.group(1))
            for k in range(int(end, 16) - int(start, 16) + 1)
        }
        missing = [cid for cid in _used_cids(pdf, descriptor.group(1)) if cid and cid not in mapped]
        if len(missing) != len(chars):
            continue  # cannot pair glyphs with characters safely: leave Qt's map as it is
        old = tounicode.group(1)
        entries = "".join(
            f"<{cid:04X}> <{ord(ch) - 0x10000 >> 10 | 0xD800:04X}{(ord(ch) - 0x10000) & 0x3FF | 0xDC00:04X}>\n"
            for cid, ch in zip(missing, chars, strict=True)
        )
        addition = f"{len(missing)} beginbfchar\n{entries}endbfchar\n".encode()
        new = old.replace(b"endcmap", addition + b"endcmap", 1)
        updates.append((int(font.group(2)), new))
    if not updates:
        return pdf
    return _incremental_update(pdf, updates)


def _incremental_update(pdf: bytes, objects: list[tuple[int, bytes]]) -> bytes:
    """Append new versions of stream objects, a cross-reference section for them and a trailer (/Prev)."""
    trailer = pdf[pdf.rindex(b"trailer") :]
    size = re.search(rb"/Size (\d+)", trailer)
    root = re.search(rb"/Root (\d+ \d+ R)", trailer)
    info = re.search(rb"/Info (\d+ \d+ R)", trailer)
    prev = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    assert size is not None and root is not None
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = []
    for number, stream in objects:
        offsets.append((number, len(out)))
        out += b"%d 0 obj\n<< /Length %d >>\nstream\n" % (number, len(stream)) + stream + b"endstream\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for number, offset in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<< /Size " + size.group(1) + b" /Root " + root.group(1)
    if info is not None:
        out += b" /Info " + info.group(1)
    out += b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (prev, xref)
    return bytes(out)
