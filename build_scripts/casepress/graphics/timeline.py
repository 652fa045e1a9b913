"""Case timeline as inline SVG: events by day from the first procedure, shaped by kind."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from casepress.graphics.kit import (
    SHAPES,
    chars_for,
    marker,
    num,
    open_svg,
    safe_id,
    text,
    text_el,
    text_width,
    wrap,
)


@dataclass(frozen=True)
class TimelineEvent:
    day: int
    """Days from the first procedure (day 0)."""
    approximate: bool
    label: str
    kind: str
    """One of 'procedure', 'outcome', 'imaging', 'death', 'other'; sets the marker shape."""
    when_label: str = ""
    """For a time the source does not pin to a day ("on or after ~day 97", "35 days after the
    right sacroplasty"): shown instead of "day N", and the event drawn dashed at `day`, the
    earliest it can have been."""
    open_ended: bool = False
    """The event's own date is not given: a dashed arrow runs on from it along the axis."""

    def __post_init__(self) -> None:
        if self.kind not in SHAPES:
            raise ValueError(f"unknown event kind {self.kind!r}; expected one of {SHAPES}")


_TL_WIDTH = 760.0
_PLOT_L, _PLOT_R = 40.0, _TL_WIDTH - 170.0  # room on the right for the last labels
_LABEL_SIZE, _LINE_H, _ICON = 12.0, 15.0, 14.0
_LINEAR_STEPS = (1, 2, 5, 7, 14, 30, 60, 90, 180, 365, 730, 1825, 3650, 7300)
# Ticks clinicians read at a glance on a compressed axis: days, weeks, months, years.
_COMPRESSED_TICKS = (0, 1, 3, 7, 14, 30, 60, 90, 180, 270, 365, 545, 730, 1095, 1825, 3650,
                     7300, 18250, 36500)


def _linear_axis(lo: int, hi: int) -> tuple[Callable[[float], float], list[int]]:
    step = next((s for s in _LINEAR_STEPS if (hi - lo) / s <= 8), _LINEAR_STEPS[-1])
    start = math.floor(lo / step) * step
    end = max(math.ceil(hi / step) * step, start + step)
    span = _PLOT_R - _PLOT_L

    def x(day: float) -> float:
        return _PLOT_L + (day - start) / (end - start) * span

    return x, list(range(start, end + 1, step))


def _compressed_axis(lo: int, hi: int) -> tuple[Callable[[float], float], list[int]]:
    """Square-root spacing: keeps a busy first fortnight readable beside a late follow-up."""

    def nice(days: int) -> int:
        return next((t for t in _COMPRESSED_TICKS if t >= days), days)

    start, end = -nice(-lo), nice(hi)

    def f(day: float) -> float:
        return math.copysign(math.sqrt(abs(day)), day)

    def x(day: float) -> float:
        return _PLOT_L + (f(day) - f(start)) / (f(end) - f(start)) * (_PLOT_R - _PLOT_L)

    candidates = sorted({-t for t in _COMPRESSED_TICKS} | set(_COMPRESSED_TICKS))
    ticks: list[int] = []
    for t in (c for c in candidates if start <= c <= end):
        if ticks and x(t) - x(ticks[-1]) < 30:
            if t in (0, end) and ticks[-1] != 0:
                ticks[-1] = t  # day 0 and the end always get a tick; the neighbour gives way
            continue
        ticks.append(t)
    return x, ticks


def _axis(days: list[int]) -> tuple[Callable[[float], float], list[int], bool]:
    lo, hi = min(0, *days), max(0, *days)
    distinct = sorted(set(days))

    def min_gap(x: Callable[[float], float]) -> float:
        return min((x(b) - x(a) for a, b in itertools.pairwise(distinct)),
                   default=math.inf)

    linear = _linear_axis(lo, hi)
    if hi - lo > 30 and min_gap(linear[0]) < 24:
        compressed = _compressed_axis(lo, hi)
        if min_gap(compressed[0]) > min_gap(linear[0]):
            return compressed[0], compressed[1], True
    return linear[0], linear[1], False


@dataclass
class _Stop:
    """All events of one day: one stack of markers, one label block, one leader line."""

    day: int
    x: float
    events: list[TimelineEvent]
    lines: list[tuple[str | None, str]]  # (marker kind for first line of an event, text)
    width: float
    when: str  # "day 7", "on or after ~day 97" ...
    when_lines: int  # ... the last lines of its label, in bold
    row: int = 0

    @property
    def uncertain(self) -> bool:
        return any(e.when_label for e in self.events)

    @property
    def height(self) -> float:
        return len(self.lines) * _LINE_H


def _signed(day: int) -> str:
    return f"\u2212{-day}" if day < 0 else str(day)  # a true minus sign reads clearly


def _stop(day: int, x: float, events: list[TimelineEvent]) -> _Stop:
    """The label block of one stop; its last line says when (all its events share it)."""
    room = chars_for(_TL_WIDTH - 6 - (x + 4 + _ICON), _LABEL_SIZE)
    max_chars = max(8, min(30, room))
    mixed = len({e.approximate for e in events}) > 1
    lines: list[tuple[str | None, str]] = []
    for event in events:
        label = event.label + (" (approximate)" if mixed and event.approximate else "")
        for i, line in enumerate(wrap(label, max_chars, 2)):
            lines.append((event.kind if i == 0 else None, line))
    when = events[0].when_label or \
        f"{'~' if all(e.approximate for e in events) else ''}day {_signed(day)}"
    when_lines = wrap(when, max(8, max_chars - 4), 3)  # bold: wider letters
    lines += [(None, line) for line in when_lines]
    width = _ICON + max(text_width(line, _LABEL_SIZE) for _, line in lines)
    return _Stop(day, x, events, lines, width, when, len(when_lines))


def _assign_rows(stops: list[_Stop]) -> int:
    """Stagger labels: within a run of overlapping labels the first sits highest.

    Its leader line then rises to the left of every later label, so no leader crosses a
    label and no two labels overlap. Returns the number of rows used.
    """
    clusters: list[list[_Stop]] = []
    end = -math.inf
    for stop in stops:
        if clusters and stop.x <= end + 6:
            clusters[-1].append(stop)
        else:
            clusters.append([stop])
            end = -math.inf
        end = max(end, stop.x + 4 + stop.width)
    for cluster in clusters:
        for t, stop in enumerate(cluster):
            stop.row = len(cluster) - 1 - t
    return max((len(c) for c in clusters), default=1)


def timeline_svg(
    events: Sequence[TimelineEvent], id_prefix: str, title: str, description: str
) -> str:
    """A horizontal timeline in days from day 0, one marker shape per kind of event."""
    if not events:
        raise ValueError("a timeline needs at least one event")
    stem = safe_id(id_prefix)
    x_of, ticks, compressed = _axis([e.day for e in events])
    # One stop per day and wording: an uncertain event never shares a label with an exact one.
    by_time: dict[tuple[int, str], list[TimelineEvent]] = {}
    for event in events:
        by_time.setdefault((event.day, event.when_label), []).append(event)
    stops = [_stop(day, x_of(day), by_time[(day, label)])
             for day, label in sorted(by_time, key=lambda time: time[0])]  # stable: as given
    n_rows = _assign_rows(stops)

    row_h = [max((s.height for s in stops if s.row == r), default=0.0) for r in range(n_rows)]
    row_bottom: list[float] = [0.0] * n_rows
    y = 10.0
    for r in reversed(range(n_rows)):  # highest row first, at the top
        y += row_h[r]
        row_bottom[r] = y
        y += 10
    stack = max(len(s.events) for s in stops)
    axis_y = y + 8 + 15 * stack
    height = axis_y + 78

    out = open_svg(stem, _TL_WIDTH, height, title, description, "casepress-timeline")
    out.append(f'<line x1="{num(_PLOT_L - 6)}" y1="{num(axis_y)}" x2="{num(_PLOT_R + 6)}" '
               f'y2="{num(axis_y)}" stroke="currentColor" stroke-width="1.5"/>')
    for tick in ticks:
        tx = x_of(tick)
        out.append(f'<line x1="{num(tx)}" y1="{num(axis_y)}" x2="{num(tx)}" '
                   f'y2="{num(axis_y + 5)}" stroke="currentColor"/>')
        out.append(text_el(tx, axis_y + 18, _signed(tick), 11, anchor="middle"))
    axis_title = "Days from the first procedure" + (
        " (spacing compressed for later days)" if compressed else "")
    out.append(text_el(_PLOT_L, axis_y + 36, axis_title, 12))

    for stop in stops:
        top_marker = axis_y - 9 - 15 * (len(stop.events) - 1)
        summary = "; ".join(e.label for e in stop.events)
        out.append(f'<g class="cp-event" data-day="{stop.day}">')
        out.append(f"<title>{text(f'{stop.when}: {summary}')}</title>")
        # Dashed: the source gives no date; the stop sits at the earliest day it allows.
        dashed = ' stroke-dasharray="4 3"' if stop.uncertain else ""
        out.append(f'<line x1="{num(stop.x)}" y1="{num(top_marker - 7)}" x2="{num(stop.x)}" '
                   f'y2="{num(row_bottom[stop.row] + 2)}" stroke="currentColor" '
                   f'stroke-opacity="0.6"{dashed}/>')
        if any(e.open_ended for e in stop.events):  # "on or after": the span runs on
            out.append(f'<line class="cp-open-ended" x1="{num(stop.x)}" y1="{num(axis_y + 9)}" '
                       f'x2="{num(stop.x + 34)}" y2="{num(axis_y + 9)}" stroke="currentColor" '
                       'stroke-width="1.5" stroke-dasharray="4 3"/>')
            out.append(f'<path d="M{num(stop.x + 34)} {num(axis_y + 5)} l6 4 l-6 4" '
                       'fill="none" stroke="currentColor" stroke-width="1.5"/>')
        for s, event in enumerate(stop.events):
            out.append(marker(event.kind, stop.x, axis_y - 9 - 15 * s))
        box_top = row_bottom[stop.row] - stop.height
        for i, (kind, line) in enumerate(stop.lines):
            base = box_top + (i + 1) * _LINE_H - 3
            if kind is not None:  # the shape again beside its label: no tracing needed
                out.append(marker(kind, stop.x + 4 + _ICON / 2 - 1, base - 4, 4.5))
            bold = 'font-weight="600"' if i >= len(stop.lines) - stop.when_lines else ""
            out.append(text_el(stop.x + 4 + _ICON, base, line, _LABEL_SIZE, extra=bold))
        out.append("</g>")

    legend_x, legend_y = _PLOT_L, axis_y + 60
    present = [k for k in SHAPES if any(e.kind == k for e in events)]
    out.append('<g class="cp-legend">')
    for kind in present:
        out.append(marker(kind, legend_x + 6, legend_y - 4))
        name = kind.capitalize()
        out.append(text_el(legend_x + 16, legend_y, name, 12))
        legend_x += 16 + text_width(name, 12) + 18
    if any(e.when_label for e in events):
        legend_x += 4
        out.append(f'<line x1="{num(legend_x)}" y1="{num(legend_y - 4)}" '
                   f'x2="{num(legend_x + 20)}" y2="{num(legend_y - 4)}" stroke="currentColor" '
                   'stroke-dasharray="4 3"/>')
        out.append(text_el(legend_x + 26, legend_y, "date not given: earliest possible day", 12))
    out += ["</g>", "</svg>"]
    return "\n".join(out)
