"""The geometry of a phrase family's timeline chart: one lane per wording, one dot per letter, by date.

Drawn as SVG by the ``chart`` macro in ``templates/macros.html``; this module only computes where things
go, so the figure is tested as data. Undated letters get a column of their own at the right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

WIDTH = 720
LANE = 26
TOP = 14
LEFT = 44
RIGHT = 18
UNDATED_GAP = 56  # room for the "undated" column
RADIUS = 6


@dataclass
class Dot:
    """One letter carrying one wording."""

    lane: int
    date: str | None
    doc: str
    tooltip: str
    href: str
    flagged: bool = False  # its wording changes meaning against the first appearance
    gone: bool = False  # the letter's latest version no longer carries it


@dataclass
class Point:
    x: float
    y: float
    tooltip: str
    href: str
    classes: str


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Lane:
    y: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: int
    axis_y: float
    radius: int
    lanes: list[Lane]
    points: list[Point]
    ticks: list[Tick] = field(default_factory=list)


def _day(iso: str) -> int:
    return date.fromisoformat(iso[:10]).toordinal()


def _ticks(first: int, last: int, scale) -> list[Tick]:
    """Year ticks for spans over two years (every few years for long spans), else quarters or months."""
    a, b = date.fromordinal(first), date.fromordinal(last)
    months = (b.year - a.year) * 12 + b.month - a.month
    years = b.year - a.year + 1
    every = 12 * -(-years // 8) if months > 24 else 3 if months > 8 else 1
    out = []
    for k in range(a.year * 12 + a.month - 1, b.year * 12 + b.month):
        y, m = divmod(k, 12)
        d = date(y, m + 1, 1)
        if k % every == 0 and d.toordinal() >= first:
            out.append(Tick(round(scale(d.toordinal()), 1), str(y) if every >= 12 else f"{y}-{m + 1:02d}"))
    if not out:
        out.append(Tick(round(scale(first), 1), a.isoformat()))
    return out


def timeline(dots: list[Dot], lanes: list[str]) -> Chart:
    """Place ``dots`` on ``lanes`` (labels, top to bottom) along a date axis."""
    dated = [_day(d.date) for d in dots if d.date]
    undated = any(d.date is None for d in dots)
    right_edge = WIDTH - RIGHT - (UNDATED_GAP if undated else 0)
    first, last = (min(dated), max(dated)) if dated else (0, 0)
    span = max(last - first, 1)

    def scale(day: int) -> float:
        if last == first:
            return (LEFT + right_edge) / 2
        return LEFT + RADIUS + (right_edge - LEFT - 2 * RADIUS) * (day - first) / span

    lane_y = [TOP + LANE * i + LANE / 2 for i in range(len(lanes))]
    axis_y = TOP + LANE * len(lanes) + 4
    points: list[Point] = []
    taken: dict[tuple[int, int], int] = {}  # (lane, pixel column) → dots already there
    for d in sorted(dots, key=lambda d: (d.lane, d.date or "9999", d.doc)):
        x = scale(_day(d.date)) if d.date else WIDTH - RIGHT - UNDATED_GAP / 2
        column = (d.lane, round(x / (RADIUS * 1.5)))
        k = taken.get(column, 0)
        taken[column] = k + 1
        x += (k % 3) * RADIUS * 1.2  # letters of the same day fan out a little instead of hiding each other
        classes = " ".join(c for c, on in (("flagged", d.flagged), ("gone", d.gone)) if on)
        points.append(Point(round(x, 1), lane_y[d.lane], d.tooltip, d.href, classes))
    ticks = _ticks(first, last, scale) if dated else []
    if undated:
        column = WIDTH - RIGHT - UNDATED_GAP / 2
        ticks = [t for t in ticks if column - t.x > UNDATED_GAP * 0.8]  # labels must not run into each other
        ticks.append(Tick(column, "undated"))
    return Chart(
        WIDTH,
        int(axis_y + 24),
        LEFT,
        RIGHT,
        axis_y,
        RADIUS,
        [Lane(y, label) for y, label in zip(lane_y, lanes, strict=True)],
        points,
        ticks,
    )
