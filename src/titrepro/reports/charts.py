"""Horizontal stacked bars drawn in SVG on the server, with no script and no style attribute (the CSP allows
neither), the way ``core.timeline`` draws a day: one bar per row of a table, each bar sharing out its row's
total between its parts (100 % wide whatever the total, so rows of different sizes compare), the count written
in a part when it fits, a note after the bar. The page that shows one also shows the same facts as a table,
which is what screen readers and a page without images read (docs/decisions/0038).

``stacked_bars`` lays it out in the SVG's own units; ``reports/includes/stacked_bars.html`` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 190
BAR_WIDTH = 640
NOTE_WIDTH = 90
LEGEND_HEIGHT = 26
AXIS_HEIGHT = 18
ROW_HEIGHT = 28
SWATCH = 12

# Fill colours by kind of part, from the DSFR palette: blue France, its 625 tone, red Marianne 425, grey 625.
# Each has a contrast of 3:1 at least with the white line that separates the parts (WCAG 1.4.11), and its text
# colour 4.5:1 at least with it (1.4.3). Green and red side by side are avoided: the colour-blind confuse them.
FILLS = {"success": "#000091", "partial": "#8585f6", "failure": "#ce0500", "absent": "#929292"}
TEXT_FILLS = {"success": "#ffffff", "partial": "#161616", "failure": "#ffffff", "absent": "#161616"}


@dataclass(frozen=True, slots=True)
class Part:
    kind: str  # a key of FILLS
    count: int
    title: str  # the full text, shown on hover ("Failure: 2")


@dataclass(frozen=True, slots=True)
class Bar:
    key: str  # what the row is (a session's, a centre's or a version's id), for the page's data attributes
    label: str
    parts: tuple[Part, ...]
    note: str = ""  # written after the bar


@dataclass(frozen=True, slots=True)
class DrawnPart:
    kind: str
    count: int
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
class DrawnBar:
    key: str
    label: str
    text_y: float
    parts: tuple[DrawnPart, ...]
    note: str
    note_x: float


@dataclass(frozen=True, slots=True)
class Swatch:
    kind: str
    label: str
    x: float
    y: float
    fill: str
    text_x: float
    text_y: float


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: tuple[DrawnBar, ...]
    legend: tuple[Swatch, ...]
    ticks: tuple[Tick, ...]
    axis_y: float  # the baseline of the ticks' labels
    grid_top: float  # where the ticks' lines start (they run to the bottom)


def _fits(label: str, width: float) -> bool:
    return len(label) * 6.2 + 8 <= width


def stacked_bars(bars: Sequence[Bar], legend: Sequence[tuple[str, str]]) -> Chart:
    """The layout of ``bars``, one under the other; ``legend`` is (kind, label) for each kind of part, in order.

    A bar whose parts count nothing is drawn empty (its note says why)."""
    swatches = []
    x = float(LABEL_WIDTH)
    for kind, label in legend:
        swatches.append(Swatch(kind, label, x, 4, FILLS.get(kind, FILLS["absent"]), x + SWATCH + 5, 4 + SWATCH - 1))
        x += SWATCH + 5 + len(label) * 6.2 + 18
    top = float(LEGEND_HEIGHT + AXIS_HEIGHT)
    drawn = []
    y = top
    for bar in bars:
        total = sum(part.count for part in bar.parts)
        left = float(LABEL_WIDTH)
        parts = []
        for part in bar.parts:
            if part.count <= 0 or total <= 0:
                continue
            width = BAR_WIDTH * part.count / total
            label = str(part.count) if _fits(str(part.count), width) else ""
            parts.append(
                DrawnPart(
                    part.kind,
                    part.count,
                    left,
                    y + 4,
                    width,
                    ROW_HEIGHT - 8,
                    FILLS.get(part.kind, FILLS["absent"]),
                    TEXT_FILLS.get(part.kind, TEXT_FILLS["absent"]),
                    label,
                    part.title,
                    left + width / 2,
                    y + ROW_HEIGHT / 2 + 4,
                )
            )
            left += width
        drawn.append(
            DrawnBar(bar.key, bar.label, y + ROW_HEIGHT / 2 + 4, tuple(parts), bar.note, LABEL_WIDTH + BAR_WIDTH + 8)
        )
        y += ROW_HEIGHT
    ticks = tuple(Tick(LABEL_WIDTH + BAR_WIDTH * share / 100, f"{share} %") for share in (0, 25, 50, 75, 100))
    return Chart(
        LABEL_WIDTH + BAR_WIDTH + NOTE_WIDTH,
        int(y) + 4,
        tuple(drawn),
        tuple(swatches),
        ticks,
        axis_y=float(LEGEND_HEIGHT + AXIS_HEIGHT - 6),
        grid_top=float(LEGEND_HEIGHT + AXIS_HEIGHT - 3),
    )
