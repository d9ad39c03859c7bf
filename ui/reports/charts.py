"""The reports' charts (QtCharts), built from plain figures so the screen and the PDF draw the same thing: the
trend of applications per day or week, horizontal bars (funnel, product and term mix), and
the stores of a region compared (applications as bars, approval rate as a line on its own axis)."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QWidget

BLUE, GREEN, ORANGE, GREY = QColor("#1565c0"), QColor("#2e7d32"), QColor("#ef6c00"), QColor("#546e7a")
LABEL_PX = 12  # axis and bar label size on screen
ZERO_ROOM = 0.04  # the trend's room under 0, as a share of its axis


def _font(px: int, bold: bool = False, families: Sequence[str] | None = None) -> QFont:
    font = QFont()
    if families:
        font.setFamilies(list(families))
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(15, bold=True))
    chart.setTitleBrush(QColor("#1d3557"))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(6)
    chart.setMargins(QMargins(6, 4, 6, 4))
    chart.legend().hide()
    return chart


def _nice_top(largest: float) -> tuple[float, int]:
    """An axis top at or above `largest` on a round whole step (1, 2 or 5 times a power of ten) with at most
    five steps, and how many ticks that makes."""
    if largest <= 0:
        return 1, 2
    base = 10 ** math.floor(math.log10(largest))
    step = next(s for s in (base * f for f in (0.1, 0.2, 0.5, 1, 2, 5, 10)) if s >= 1 and math.ceil(largest / s) <= 5)
    top = math.ceil(largest / step) * step
    if top == largest and largest >= 5:
        top += step  # a little room above the highest value for its label
    return top, round(top / step) + 1


def _label(text: str, width: int = 16) -> str:
    """A category's name as the axis shows it (the axis reads HTML): escaped, and a long name with spaces
    broken into two lines near its middle instead of running off the chart's edge."""
    shown = html.escape(text, quote=False)
    if len(text) <= width or " " not in text:
        return shown
    middle = len(text) // 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return f"{html.escape(text[:cut], quote=False)}<br>{html.escape(text[cut + 1 :], quote=False)}"


def _count_axis(largest: float) -> QValueAxis:
    axis = QValueAxis()
    top, ticks = _nice_top(largest)
    axis.setRange(0, top)
    axis.setTickCount(ticks)
    axis.setLabelFormat("%d" if top >= ticks - 1 else "%.1f")
    axis.setLabelsFont(_font(LABEL_PX))
    return axis


def trend_chart(title: str, points: Sequence[tuple[dt.date, int]]) -> QChart:
    """Applications per day (or per week, each named by its first day) as a line with its points; the days
    along the bottom at even steps counted back from the last, which is always named; every point clear of
    the edges, half a day inside on the left and right and above the bottom even when it is 0."""
    chart = _chart(title)
    series = QLineSeries()
    for index, (_day, n) in enumerate(points):
        series.append(index, n)
    series.setPen(QPen(BLUE, 2.5))
    series.setPointsVisible(len(points) <= 45)
    chart.addSeries(series)
    axis_x = QCategoryAxis()
    axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis_x.setStartValue(-0.5)
    axis_x.setRange(-0.5, max(len(points), 1) - 0.5)
    long_span = len(points) > 1 and (points[-1][0] - points[0][0]).days > 300
    step = max(1, math.ceil(len(points) / 7))
    for index in reversed(range(len(points) - 1, -1, -step)):  # the last day (today, often) gets its name
        axis_x.append(points[index][0].strftime("%Y-%m-%d" if long_span else "%m-%d"), index)
    axis_x.setLabelsFont(_font(LABEL_PX))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    axis_y = _count_axis(max((n for _d, n in points), default=0))
    # A little room under 0, so that a day without applications shows its whole point above the axis; the
    # ticks stay on the round steps from 0 (no negative label).
    top, ticks = axis_y.max(), axis_y.tickCount()
    axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
    axis_y.setTickAnchor(0)
    axis_y.setTickInterval(top / (ticks - 1))
    axis_y.setRange(-top * ZERO_ROOM, top)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    return chart


def _bar_set(values: Sequence[float], color: QColor) -> QBarSet:
    bars = QBarSet("")
    for value in values:
        bars.append(value)
    bars.setColor(color)
    bars.setBorderColor(color)
    bars.setLabelColor(QColor("#1d3557"))
    bars.setLabelFont(_font(LABEL_PX))
    return bars


def hbar_chart(title: str, items: Sequence[tuple[str, int]], color: QColor = BLUE) -> QChart:
    """Horizontal bars, the first item at the top, each labelled with its count."""
    chart = _chart(title)
    shown = list(reversed(items))  # Qt draws the first category at the bottom
    series = QHorizontalBarSeries()
    series.append(_bar_set([n for _k, n in shown], color))
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setBarWidth(0.7)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append([_label(k) if len(items) <= 7 else html.escape(k, quote=False) for k, _n in shown] or [""])
    axis_y.setLabelsFont(_font(LABEL_PX))
    axis_y.setTruncateLabels(False)  # names are the point of these bars: the bars give way instead
    axis_y.setGridLineVisible(False)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    axis_x = _count_axis(max((n for _k, n in items), default=0) * 1.12)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    return chart


def compare_chart(
    title: str, stores: Sequence[tuple[str, int, Decimal | None]], applications: str, approval: str
) -> QChart:
    """The stores side by side: applications as bars (left axis), approval rate in percent as a line with
    its points (right axis, 0–100); stores without decided applications leave a gap in the line."""
    chart = _chart(title)
    chart.legend().show()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(_font(LABEL_PX))
    bars = QBarSeries()
    counts = _bar_set([n for _c, n, _r in stores], BLUE)
    counts.setLabel(applications)
    bars.append(counts)
    bars.setBarWidth(0.6)
    chart.addSeries(bars)
    axis_x = QBarCategoryAxis()
    axis_x.append([_label(code, 99) for code, _n, _r in stores] or [""])
    axis_x.setLabelsFont(_font(LABEL_PX if len(stores) <= 16 else 10))
    axis_x.setLabelsAngle(0 if len(stores) <= 16 else -90)
    axis_x.setGridLineVisible(False)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    axis_left = _count_axis(max((n for _c, n, _r in stores), default=0))
    chart.addAxis(axis_left, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(axis_x)
    bars.attachAxis(axis_left)
    line = QLineSeries()
    line.setName(approval)
    line.setPen(QPen(ORANGE, 2.5))
    line.setPointsVisible(True)
    for index, (_code, _n, rate) in enumerate(stores):
        if rate is not None:
            line.append(index, float(rate))
    chart.addSeries(line)
    axis_right = QValueAxis()
    axis_right.setRange(0, 100)
    axis_right.setTickCount(6)
    axis_right.setLabelFormat("%d%%")
    axis_right.setLabelsFont(_font(LABEL_PX))
    axis_right.setGridLineVisible(False)
    chart.addAxis(axis_right, Qt.AlignmentFlag.AlignRight)
    line.attachAxis(axis_x)
    line.attachAxis(axis_right)
    return chart


def chart_height(chart: QChart, base: int) -> int:
    """How high `chart` should be, at least `base`: horizontal bars get room for each name (two lines for a
    long one)."""
    rows = [a for a in chart.axes(Qt.Orientation.Vertical) if isinstance(a, QBarCategoryAxis)]
    return max(base, 90 + 30 * rows[0].count()) if rows else base


def empty_chart() -> QChart:
    """A blank chart (nothing to show yet)."""
    return _chart("")


class ChartView(QChartView):
    """A chart on screen: antialiased, at least `height` pixels high; `show_chart` replaces the chart."""

    def __init__(self, height: int = 260, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.height_ = height
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(height)
        self.setMinimumWidth(280)

    def show_chart(self, chart: QChart) -> None:
        """Show `chart` (the view takes it over; the one shown before is deleted). Horizontal bars get room
        for each of their names (two lines for a long one)."""
        old = self.chart()
        self.setChart(chart)
        self.setMinimumHeight(chart_height(chart, self.height_))
        if old is not None:
            old.deleteLater()


def chart_image(chart: QChart, width: int, height: int, scale: float = 3.0) -> QImage:
    """`chart` laid out at width×height (screen pixels) and painted at `scale` times that resolution, for
    print: sharp at 300 dpi, unlike a grab of the screen. Takes the chart over (deleted with its scene)."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    chart.setBackgroundRoundness(0)
    chart.setBackgroundBrush(QColor("white"))
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), QRectF(0, 0, width, height))
    painter.end()
    scene.clear()
    return image
