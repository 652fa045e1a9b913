"""Forest plot as inline SVG: one row per study, proportion with its 95% interval."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from casepress.graphics.kit import chars_for, num, open_svg, safe_id, text, text_el, truncate


@dataclass(frozen=True)
class ForestRow:
    label: str
    """Study, e.g. 'Kaemmerlen 1989 (ref 1)'."""
    n: int | None
    """Patients, for the size of the square; None draws the smallest square."""
    proportion: float | None
    low: float | None
    high: float | None
    """Interval bounds as proportions 0..1."""
    text: str
    """Result column, e.g. '16/20 · 80% (58–92%)'."""
    flagged: bool
    group: str = ""
    """A label set above the first row of a new group (e.g. the comparators); "" for none."""
    note: str = ""
    """Said in the plot where a row has no point, instead of "no count" ("single case")."""


_FP_WIDTH = 760.0
_FP_PLOT_L, _FP_PLOT_R = 262.0, 512.0
_FP_ROW_H, _FP_TOP = 26.0, 34.0
_FP_MAX_SIDE, _FP_MIN_SIDE = 16.0, 4.0
FLAG_MARK = "*"
FLAG_NOTE = "* The numbers reported for this study do not add up; see the notes on the table."
NO_COUNT = "no interval: count not given"


def _fx(p: float) -> float:
    return _FP_PLOT_L + max(0.0, min(1.0, p)) * (_FP_PLOT_R - _FP_PLOT_L)


def _finite(value: float | None) -> float | None:
    # NaN or infinity would be written into coordinates as "nan"; treat it as missing.
    return value if value is not None and math.isfinite(value) else None


def forest_plot_svg(
    rows: Sequence[ForestRow], id_prefix: str, title: str, description: str
) -> str:
    """One row per study: a square (area proportional to n) and its 95% interval."""
    stem = safe_id(id_prefix)
    max_n = max((r.n for r in rows if r.n and r.n > 0), default=1)
    # A labelled group takes a row of its own above its first study.
    starts = {i for i, r in enumerate(rows)
              if r.group and (i == 0 or rows[i - 1].group != r.group)}
    slot = list(itertools.accumulate((1 + (i in starts) for i in range(len(rows))),
                                     initial=0))
    bottom = _FP_TOP + _FP_ROW_H * slot[-1]
    flagged = any(r.flagged for r in rows)
    height = bottom + 62 + (18 if flagged else 0)
    out = open_svg(stem, _FP_WIDTH, height, title, description, "casepress-forest")
    out.append(text_el(8, 20, "Study", 12, extra='font-weight="600"'))
    out.append(text_el(_FP_PLOT_R + 14, 20, "Result (95% CI)", 12, extra='font-weight="600"'))
    for tick in (0, 25, 50, 75, 100):  # dashed: gridlines must not read as data
        gx = _fx(tick / 100)
        out.append(f'<line x1="{num(gx)}" y1="{num(_FP_TOP - 4)}" x2="{num(gx)}" '
                   f'y2="{num(bottom + 4)}" stroke="currentColor" stroke-opacity="0.35" '
                   'stroke-dasharray="2 3"/>')
        out.append(f'<line x1="{num(gx)}" y1="{num(bottom + 4)}" x2="{num(gx)}" '
                   f'y2="{num(bottom + 9)}" stroke="currentColor"/>')
        out.append(text_el(gx, bottom + 22, f"{tick}%", 11, anchor="middle"))
    out.append(f'<line x1="{num(_FP_PLOT_L)}" y1="{num(bottom + 4)}" x2="{num(_FP_PLOT_R)}" '
               f'y2="{num(bottom + 4)}" stroke="currentColor"/>')

    label_chars = chars_for(_FP_PLOT_L - 20, 12) - 2  # leave room for the flag mark
    text_chars = chars_for(_FP_WIDTH - _FP_PLOT_R - 20, 12)
    for i, row in enumerate(rows):
        top = _FP_TOP + _FP_ROW_H * (slot[i] + (i in starts))
        cy = top + _FP_ROW_H / 2
        if i in starts:
            out.append(f'<line x1="0" y1="{num(top - _FP_ROW_H + 4)}" x2="{num(_FP_WIDTH)}" '
                       f'y2="{num(top - _FP_ROW_H + 4)}" stroke="currentColor" '
                       'stroke-opacity="0.5"/>')
            out.append(text_el(8, top - 8, row.group, 12, extra='class="cp-group" '
                               'font-weight="600" font-style="italic"'))
        proportion, low, high = _finite(row.proportion), _finite(row.low), _finite(row.high)
        result = row.text or (NO_COUNT if proportion is None else "")
        label = truncate(row.label, label_chars) + (f" {FLAG_MARK}" if row.flagged else "")
        flag_attr = ' data-flagged="true"' if row.flagged else ""
        out.append(f'<g class="cp-row" data-row="{i}"{flag_attr}>')
        tip = f"{row.label}: {result or NO_COUNT}"
        out.append(f"<title>{text(tip)}</title>")
        if i % 2 == 0:  # zebra striping helps the eye follow a row across the columns
            out.append(f'<rect x="0" y="{num(top)}" width="{num(_FP_WIDTH)}" '
                       f'height="{num(_FP_ROW_H)}" fill="currentColor" fill-opacity="0.05"/>')
        out.append(text_el(8, cy + 4, label, 12))
        if low is not None and high is not None:
            x1, x2 = _fx(low), _fx(high)
            out.append(f'<path d="M{num(x1)} {num(cy)}H{num(x2)}M{num(x1)} {num(cy - 4)}'
                       f'V{num(cy + 4)}M{num(x2)} {num(cy - 4)}V{num(cy + 4)}" '
                       'stroke="currentColor" stroke-width="1.5" fill="none"/>')
        if proportion is None:
            # Said where the point would be, so an empty row is not read as zero.
            out.append(text_el(_fx(0.5), cy + 4, row.note or NO_COUNT, 11, anchor="middle",
                               extra='font-style="italic"'))
        else:
            # Side grows with sqrt(n) so the square's area, not its width, tracks n.
            side = max(_FP_MIN_SIDE, _FP_MAX_SIDE * math.sqrt(max(0, row.n or 0) / max_n))
            px = _fx(proportion)
            out.append(f'<rect x="{num(px - side / 2)}" y="{num(cy - side / 2)}" '
                       f'width="{num(side)}" height="{num(side)}" fill="currentColor"/>')
        out.append(text_el(_FP_PLOT_R + 14, cy + 4, truncate(result, text_chars), 12))
        out.append("</g>")

    key = "Square area is proportional to the number of patients; line = 95% Wilson interval."
    out.append(text_el(_FP_PLOT_L + (_FP_PLOT_R - _FP_PLOT_L) / 2, bottom + 38,
                       "Proportion with the outcome", 12, anchor="middle"))
    out.append(text_el(8, bottom + 56, key, 11))
    if flagged:
        out.append(text_el(8, bottom + 74, FLAG_NOTE, 11))
    out.append("</svg>")
    return "\n".join(out)
