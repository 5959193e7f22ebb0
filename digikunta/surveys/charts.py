"""Results as horizontal bar charts in plain SVG geometry, drawn by the template with no
JavaScript (as experiments/charts.py draws indicators). The page shows the same numbers in a
table beside each chart, for screen readers and for people who prefer numbers.

Each row is an option's label on its own line, then its bar with the count and percentage at
the bar's end. The SVG is 640 units wide and its text is sized by digikunta.css to stay at
least 12 px on screen (up to 30 units where a phone shrinks the chart): a line is 36 units
high, a label is cut to what fits a line at that size, and the bars leave room for the figure
after them.
"""

from dataclasses import dataclass

from django.utils import formats

from digikunta.surveys.selectors import Bar

WIDTH = 640
LEFT, RIGHT, TOP = 8, 8, 8
LABEL_LINE = 36  # room for the label at the largest text size (30 units)
BAR_HEIGHT = 28
ROW_GAP = 14
FIGURE_ROOM = 230  # "1 234 (100 %)" at the largest size, about 16 units a character
MAX_LABEL_CHARS = 36


@dataclass
class Row:
    label: str
    language: str
    figure: str
    label_y: float
    bar_y: float
    bar_width: float
    figure_x: float
    figure_y: float


@dataclass
class BarChart:
    width: int
    height: int
    rows: list[Row]
    bar_left: int = LEFT
    bar_height: int = BAR_HEIGHT


def short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """The label as far as it fits, cut at a word with "…" (the table has it whole)."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0] if " " in label[: limit - 1] else label[: limit - 1]
    return cut.rstrip(" ,.;:–-") + "…"


def percent_text(value: float) -> str:
    """ "42 %" or "12,5 %" in the reader's language, as Finnish and Swedish write it."""
    decimals = 0 if value == int(value) else 1
    return f"{formats.number_format(value, decimals)}\u00a0%"


def figure_text(bar: Bar) -> str:
    count = formats.number_format(bar.count, force_grouping=True)
    return f"{count} ({percent_text(bar.percent)})"


def build_bar_chart(bars: list[Bar]) -> BarChart:
    plot_width = WIDTH - LEFT - RIGHT - FIGURE_ROOM
    row_height = LABEL_LINE + BAR_HEIGHT + ROW_GAP
    rows = []
    for index, bar in enumerate(bars):
        top = TOP + index * row_height
        width = round(plot_width * bar.percent / 100, 1) if bar.percent else 0.0
        bar_y = top + LABEL_LINE
        rows.append(
            Row(
                label=short(bar.label),
                language=bar.language,
                figure=figure_text(bar),
                label_y=top + LABEL_LINE - 8,
                bar_y=bar_y,
                bar_width=max(width, 2.0) if bar.count else 0.0,
                figure_x=LEFT + width + 8,
                figure_y=bar_y + BAR_HEIGHT / 2,
            )
        )
    height = TOP * 2 + len(bars) * row_height - ROW_GAP
    return BarChart(width=WIDTH, height=height, rows=rows)
