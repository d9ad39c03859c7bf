"""A report on paper: Qt's rich-text engine lays out the title, what the report covers, the figures, the
charts (rendered at print resolution on the GUI thread beforehand, see ui.reports.charts.chart_image) and the
tables on A4, and QPdfWriter writes it. The fonts are the contract's (ui.contract_pdf.CONTRACT_FONTS):
WenQuanYi Micro Hei first, because Chinese set in Noto CJK comes back from pdftotext as Kangxi radicals.

Building the PDF touches no widget, so it runs off the GUI thread (Qt's text layout and PDF writer are
reentrant), like the contract's."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ui.contract_pdf import CONTRACT_FONTS

# QTextDocument.print_ keeps 2 cm around the body of a document it paginates itself (page numbers go in the
# bottom one), so the page layout's own margins are nil: the body is 170 mm wide, 642 of the layout's 96-dpi
# pixels; charts take a little less.
PAGE_WIDTH_PX = 630


@dataclass(frozen=True)
class PrintedTable:
    """A table as printed: its title, column names and rows of text; `numeric` columns right-aligned."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True)
class PrintedChart:
    """A chart as printed: its image (at print resolution) and whether it takes the page's whole width."""

    title: str
    image: QImage
    full_width: bool = True


@dataclass(frozen=True)
class PrintedReport:
    """Everything a report's PDF shows, already in the reader's language."""

    title: str
    lines: list[str]  # what it covers: store or region, period, whose figures, as of
    figures: list[tuple[str, str]]  # the figure tiles as caption, value (and detail) text
    charts: list[PrintedChart] = field(default_factory=list)
    tables: list[PrintedTable] = field(default_factory=list)
    notice: str = ""  # e.g. "saved copy: the server could not be reached"
    figures_title: str = ""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _table_html(table: PrintedTable) -> str:
    head = "".join(f'<th bgcolor="#e8edf3" align="left">{_e(h)}</th>' for h in table.headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td align="{"right" if c in table.numeric else "left"}">{_e(text)}</td>' for c, text in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    if not table.rows:
        body = f'<tr><td colspan="{max(1, len(table.headers))}">–</td></tr>'
    return (
        f"<h3>{_e(table.title)}</h3>"
        '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse: collapse; '
        f'border-color: #9aa5b1;"><thead><tr>{head}</tr></thead>{body}</table>'
    )


def report_html(report: PrintedReport) -> tuple[str, dict[str, QImage]]:
    """The report as HTML for QTextDocument, with its chart images by resource name."""
    parts = [f"<h1>{_e(report.title)}</h1>"]
    parts += [f"<p>{_e(line)}</p>" for line in report.lines]
    if report.notice:
        parts.append(f'<p><b><font color="#8a5a00">{_e(report.notice)}</font></b></p>')
    if report.figures:
        if report.figures_title:
            parts.append(f"<h3>{_e(report.figures_title)}</h3>")
        cells = [f"<td><b>{_e(value)}</b><br/>{_e(caption)}</td>" for caption, value in report.figures]
        rows = ["<tr>" + "".join(cells[i : i + 3]) + "</tr>" for i in range(0, len(cells), 3)]
        parts.append(
            '<table border="1" cellspacing="0" cellpadding="6" width="100%" style="border-collapse: collapse; '
            f'border-color: #d5dbe1;">{"".join(rows)}</table>'
        )
    resources: dict[str, QImage] = {}
    half: list[str] = []

    def image(index: int, chart: PrintedChart, width: int) -> str:
        name = f"chart{index}.png"
        resources[name] = chart.image
        height = round(width * chart.image.height() / max(1, chart.image.width()))
        return f'<img src="{name}" width="{width}" height="{height}" alt="{_e(chart.title)}"/>'

    def flush_half() -> None:
        if half:
            cells = "".join(f'<td width="50%">{cell}</td>' for cell in half)
            parts.append(f'<table cellspacing="0" cellpadding="2" width="100%"><tr>{cells}</tr></table>')
            half.clear()

    for index, chart in enumerate(report.charts):
        if chart.full_width:
            flush_half()
            parts.append(f"<p>{image(index, chart, PAGE_WIDTH_PX)}</p>")
        else:
            half.append(image(index, chart, PAGE_WIDTH_PX // 2 - 10))
            if len(half) == 2:
                flush_half()
    flush_half()
    parts += [_table_html(table) for table in report.tables]
    return "<html><body>" + "".join(parts) + "</body></html>", resources


def report_document(report: PrintedReport) -> QTextDocument:
    """The laid-out report with its images, in the contract's fonts."""
    markup, resources = report_html(report)
    document = QTextDocument()
    font = QFont()
    font.setFamilies(CONTRACT_FONTS)
    font.setPointSizeF(9.5)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(
        "h1 { font-size: 16pt; color: #1d3557; } h3 { font-size: 11pt; color: #1d3557; margin-top: 10px; }"
        " th { font-weight: bold; }"
    )
    for name, picture in resources.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), picture)
    document.setHtml(markup)
    return document


def report_pdf(report: PrintedReport) -> bytes:
    """The report as PDF bytes: A4 portrait, fonts embedded (subsets), text extractable."""
    # The text layout starts a timer to lay out long documents lazily; a worker thread Qt did not start has no
    # event dispatcher for it until one is made (Qt warns for each page otherwise). The timer never fires:
    # printing lays the whole document out at once.
    QEventLoop()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(report.title)
    writer.setCreator("Fenqi POS")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    report_document(report).print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(data.data())


def write_report_pdf(report: PrintedReport, path: Path) -> Path:
    """Write the report's PDF to `path` (off the GUI thread)."""
    path.write_bytes(report_pdf(report))
    return path
