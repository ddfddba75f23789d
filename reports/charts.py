"""Horizontal bar charts drawn on the server as inline SVG: no script, no outside asset.

``bar_chart`` works out the geometry; ``reports/includes/bar_chart.html`` draws it with a
``<title>`` and ``<desc>`` that the SVG's ``aria-labelledby`` points at. The same numbers are in
the tables next to every chart. Each row is a label above its bar, so the chart is narrow
enough for a phone without shrinking its text.
"""

from dataclasses import dataclass

WIDTH = 340
BAR_AREA = 230
ROW_HEIGHT = 42
BAR_HEIGHT = 16
MAX_LABEL = 44  # characters; the whole label is in the description and the table


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    total: int
    percent: int
    label_y: int
    bar_y: int
    value_y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT

    @property
    def value_x(self) -> int:
        return self.bar_area + 8


def bar_chart(*, id: str, title: str, rows: list[tuple[str, int, int]]) -> BarChart:
    """``rows``: (label, count, out of) each; a bar is the share of its own total, so a row of
    0 out of 0 has no bar. The description says every row in words."""
    bars = []
    for index, (label, value, total) in enumerate(rows):
        percent = round(100 * value / total) if total else 0
        top = index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                short_label=label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…",
                value=value,
                total=total,
                percent=percent,
                label_y=top + 14,
                bar_y=top + 19,
                value_y=top + 19 + BAR_HEIGHT - 3,
                width=round(BAR_AREA * percent / 100),
            )
        )
    description = "; ".join(f"{b.label}: {b.value} / {b.total} ({b.percent}%)" for b in bars)
    return BarChart(
        id=id,
        title=title,
        description=description,
        bars=bars,
        height=max(len(bars), 1) * ROW_HEIGHT,
    )
