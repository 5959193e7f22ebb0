"""Indicator charts as plain SVG geometry: drawn by the template, no JavaScript, no CDN.

The chart shows the baseline and target as horizontal lines and the measurements as a line
with points over time. The template also renders the same numbers as a table, for screen
readers and for people who prefer numbers.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
# Labels are 12.5 units on a wide screen and up to 28 where a phone shrinks the chart, so that
# they stay 12 px on screen (digikunta.css, issue 10): the left margin makes room for the
# longest y label at that size, about 16 units a character.
LABEL_CHAR_WIDTH, LABEL_GAP = 16, 16


@dataclass
class Point:
    x: float
    y: float
    value: Decimal
    on: date


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    baseline_y: float = 0
    target_y: float = 0
    points: list[Point] = field(default_factory=list)
    polyline: str = ""
    y_ticks: list[tuple[float, Decimal]] = field(default_factory=list)
    x_labels: list[tuple[float, date, str]] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM


def nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    """A round tick step (1, 2 or 5 times a power of ten) that splits ``span`` into ~``ticks``."""
    raw = span / ticks
    power = Decimal(10) ** (raw.adjusted())
    return min((power * f for f in (1, 2, 5, 10)), key=lambda step: abs(span / step - ticks))


def build_chart(
    baseline: Decimal, target: Decimal, measurements: list[tuple[date, Decimal]]
) -> Chart:
    values = [baseline, target, *(v for _on, v in measurements)]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    step = nice_step(high - low)
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    chart = Chart()
    count = int((high - low) / step)
    ticks = [_round(low + step * i) for i in range(count + 1)]
    longest = max(_label_chars(value) for value in ticks)
    chart.plot_left = max(LEFT, LABEL_GAP + LABEL_CHAR_WIDTH * longest)
    plot_height = chart.plot_bottom - chart.plot_top
    plot_width = chart.plot_right - chart.plot_left

    def y_of(value: Decimal) -> float:
        return round(chart.plot_bottom - float((value - low) / (high - low)) * plot_height, 1)

    chart.baseline_y = y_of(baseline)
    chart.target_y = y_of(target)
    chart.y_ticks = [(y_of(value), value) for value in ticks]
    if measurements:
        first, last = measurements[0][0], measurements[-1][0]
        span = max((last - first).days, 1)

        def x_of(on: date) -> float:
            if first == last:
                return chart.plot_left + plot_width / 2
            return round(chart.plot_left + (on - first).days / span * plot_width, 1)

        chart.points = [Point(x_of(on), y_of(v), v, on) for on, v in measurements]
        chart.polyline = " ".join(f"{p.x},{p.y}" for p in chart.points)
        chart.x_labels = [(x_of(first), first, "start" if last != first else "middle")]
        if last != first:
            chart.x_labels.append((x_of(last), last, "end"))
    return chart


def _round(value: Decimal) -> Decimal:
    return value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1))


def _label_chars(value: Decimal) -> int:
    """How many characters a y label takes, with the thousands separators it is shown with."""
    text = str(value)
    digits = len(text.lstrip("-").split(".")[0])
    return len(text) + (digits - 1) // 3
