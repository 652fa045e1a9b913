"""Low-level helpers for the build-time SVG figures in `casepress.graphics.placeholder`.

Every piece of text reaching the SVG goes through `text()` or `attr()`: content is
untrusted, and an inline SVG is part of the page's DOM, so markup in it would run.
"""

from __future__ import annotations

import re
import textwrap
from xml.sax.saxutils import escape, quoteattr

FONT = "system-ui, sans-serif"
"""No web fonts: pages are read offline, so the reader's own UI font is used."""

CHAR_WIDTH = 0.58
"""Rough advance of one character, in font sizes, for system-ui; errs on the wide side."""

# Characters XML 1.0 forbids outright; one in a label would make the whole page invalid.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def clean(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def text(value: str) -> str:
    """Character data for an element's content."""
    return escape(clean(value))


def attr(value: str) -> str:
    """A complete, quoted attribute value (quotes included)."""
    return quoteattr(clean(value))


def safe_id(prefix: str) -> str:
    """A valid, deterministic XML id stem from a caller's prefix."""
    stem = _ID_UNSAFE.sub("-", prefix).strip("-")
    return stem if stem[:1].isalpha() else f"cp-{stem}" if stem else "cp"


def num(value: float) -> str:
    """Coordinates with two decimals at most, so output is stable and compact."""
    rounded = round(value, 2)
    return f"{rounded:.2f}".rstrip("0").rstrip(".") if rounded != 0 else "0"


def text_width(value: str, size: float) -> float:
    return len(value) * size * CHAR_WIDTH


def chars_for(width: float, size: float) -> int:
    return max(1, int(width / (size * CHAR_WIDTH)))


def truncate(value: str, max_chars: int) -> str:
    """`value` in at most `max_chars`, cut after a whole word ("hematoxylin and…", never
    "hematoxylin and eo…"); a single word longer than that is cut where it must be."""
    value = " ".join(value.split())
    if len(value) <= max_chars:
        return value
    kept = value[: max(1, max_chars - 1)]
    if value[len(kept)] != " " and " " in kept:
        kept = kept.rsplit(" ", 1)[0]
    return kept.rstrip(" ,;:") + "…"


def wrap(value: str, max_chars: int, max_lines: int) -> list[str]:
    """Wrap to lines of `max_chars`; the last kept line ends in … if text was dropped."""
    lines = textwrap.wrap(" ".join(value.split()), max_chars, break_long_words=True) or [""]
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    kept[-1] = truncate(kept[-1] + " " + lines[max_lines], max_chars)
    if not kept[-1].endswith("…"):
        kept[-1] = truncate(kept[-1], len(kept[-1]) - 1) + "…"
    return kept


def open_svg(
    stem: str, width: float, height: float, title: str, desc: str, css_class: str
) -> list[str]:
    """The opening of an accessible, scalable SVG: callers append content and `</svg>`."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="100%" role="img" aria-labelledby="{stem}-title {stem}-desc" '
        f'class="casepress-svg {css_class}" font-family="{FONT}">',
        f'<title id="{stem}-title">{text(title)}</title>',
        f'<desc id="{stem}-desc">{text(desc)}</desc>',
    ]


def text_el(
    x: float, y: float, value: str, size: float, *, anchor: str = "start", extra: str = ""
) -> str:
    """One line of text; `extra` is trusted markup-free attributes chosen by this package."""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
        f'fill="currentColor"{" " + extra if extra else ""}>{text(value)}</text>'
    )


# Marker shapes for timeline events: told apart by outline, never by colour alone.
SHAPES = ("procedure", "outcome", "imaging", "death", "other")


def marker(kind: str, cx: float, cy: float, r: float = 6.0) -> str:
    if kind not in SHAPES:  # also keeps `kind` safe to write unquoted into attributes
        raise ValueError(f"unknown marker kind {kind!r}; expected one of {', '.join(SHAPES)}")
    c = f'data-kind="{kind}" class="cp-marker cp-marker-{kind}"'
    filled = 'fill="currentColor" stroke="currentColor" stroke-width="1.5"'
    if kind == "procedure":  # diamond
        pts = f"{num(cx)},{num(cy - r)} {num(cx + r)},{num(cy)} {num(cx)},{num(cy + r)} " \
              f"{num(cx - r)},{num(cy)}"
        return f'<polygon {c} points="{pts}" {filled}/>'
    if kind == "outcome":  # open circle
        return (f'<circle {c} cx="{num(cx)}" cy="{num(cy)}" r="{num(r * 0.85)}" '
                'fill="none" stroke="currentColor" stroke-width="2"/>')
    if kind == "imaging":  # open square
        s = r * 0.8
        return (f'<rect {c} x="{num(cx - s)}" y="{num(cy - s)}" width="{num(2 * s)}" '
                f'height="{num(2 * s)}" fill="none" stroke="currentColor" stroke-width="2"/>')
    if kind == "death":  # cross
        s = r * 0.85
        d = (f"M{num(cx - s)} {num(cy - s)}L{num(cx + s)} {num(cy + s)}"
             f"M{num(cx - s)} {num(cy + s)}L{num(cx + s)} {num(cy - s)}")
        return f'<path {c} d="{d}" fill="none" stroke="currentColor" stroke-width="2.5"/>'
    # other: filled triangle
    pts = f"{num(cx)},{num(cy - r)} {num(cx + r)},{num(cy + r * 0.8)} " \
          f"{num(cx - r)},{num(cy + r * 0.8)}"
    return f'<polygon {c} points="{pts}" {filled}/>'
