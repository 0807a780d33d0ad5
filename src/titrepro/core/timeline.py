"""A day's timeline drawn in SVG, with no script and no style attribute (the CSP allows neither):
rows of labelled bars over the hours of the day. The page that shows one also shows the same
facts as a table, which is what screen readers and a page without images read.

``day_timeline`` lays it out in the SVG's own units; ``core/includes/timeline.html`` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 190
CHART_WIDTH = 960
ROW_HEIGHT = 26
AXIS_HEIGHT = 22
GROUP_GAP = 10

# Fill colours by kind of bar, from the DSFR palette (blue France, its lighter tone, grey).
FILLS = {"jury": "#000091", "workstation": "#6a6af4", "alone": "#929292", "busy": "#000091", "break": "#e5e5e5"}
TEXT_FILLS = {"jury": "#ffffff", "workstation": "#ffffff", "alone": "#161616", "busy": "#ffffff", "break": "#161616"}


@dataclass(frozen=True, slots=True)
class Bar:
    """A stretch of a row, ``start`` and ``end`` in minutes since midnight."""

    start: int
    end: int
    label: str  # printed in the bar when it fits
    title: str  # the full text, shown on hover
    kind: str = "alone"  # a key of FILLS


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    bars: tuple[Bar, ...]
    group: str = ""  # rows of one group are drawn together, a gap before the next group


@dataclass(frozen=True, slots=True)
class DrawnBar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    text_fill: str
    label: str
    title: str
    text_x: float
    text_y: float


@dataclass(frozen=True, slots=True)
class DrawnRow:
    label: str
    y: float
    text_y: float
    bars: tuple[DrawnBar, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    label_width: int
    rows: tuple[DrawnRow, ...]
    ticks: tuple[Tick, ...]
    breaks: tuple[DrawnBar, ...]


def _fits(label: str, width: float) -> bool:
    return len(label) * 6.2 + 8 <= width


def day_timeline(rows: Sequence[Row], opens: int, closes: int, breaks: Sequence[tuple[int, int]] = ()) -> Timeline:
    """The layout of ``rows`` between ``opens`` and ``closes`` (minutes since midnight), one tick
    per hour, the breaks shaded across every row."""
    span = max(closes - opens, 1)

    def x(minute: int) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (min(max(minute, opens), closes) - opens) / span

    drawn = []
    y = float(AXIS_HEIGHT)
    previous_group = rows[0].group if rows else ""
    for row in rows:
        if row.group != previous_group:
            y += GROUP_GAP
            previous_group = row.group
        bars = []
        for bar in row.bars:
            left, right = x(bar.start), x(bar.end)
            width = max(right - left, 1.0)
            label = bar.label if _fits(bar.label, width) else ""
            bars.append(
                DrawnBar(
                    left,
                    y + 3,
                    width,
                    ROW_HEIGHT - 6,
                    FILLS.get(bar.kind, FILLS["alone"]),
                    TEXT_FILLS.get(bar.kind, TEXT_FILLS["alone"]),
                    label,
                    bar.title,
                    left + 4,
                    y + ROW_HEIGHT / 2 + 4,
                )
            )
        drawn.append(DrawnRow(row.label, y, y + ROW_HEIGHT / 2 + 4, tuple(bars)))
        y += ROW_HEIGHT
    first_hour = -(-opens // 60) * 60
    ticks = tuple(Tick(x(m), f"{m // 60} h") for m in range(first_hour, closes + 1, 60))
    shaded = tuple(
        DrawnBar(x(a), AXIS_HEIGHT, x(b) - x(a), y - AXIS_HEIGHT, FILLS["break"], "", "", "", 0, 0)
        for a, b in breaks
        if b > a
    )
    return Timeline(LABEL_WIDTH + CHART_WIDTH + 10, int(y) + 4, LABEL_WIDTH, tuple(drawn), ticks, shaded)
