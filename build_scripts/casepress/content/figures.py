"""Figures of a case: which figure or panel a `@fig-...` reference means, and their numbers.

Figure numbers follow the order in which a page first refers to each figure (Quarto's rule);
figures never referred to are numbered after the others, in the order they are declared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casepress.models.case import Figure


FIGURE_PREFIX = "fig-"
FIGURE_DIR = "assets/figures"  # under docs/: image files that replace placeholders
# Image files that replace a placeholder (content/figure_files.py reads and checks them).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
_PANEL_SUFFIX = re.compile(r"^(?P<figure>.+)-(?P<panel>[a-z])$")


@dataclass(frozen=True)
class FigureRef:
    figure: Figure
    panel: str | None  # upper-case letter, or None for the whole figure


class FigureRefError(ValueError):
    pass


def is_figure_key(key: str) -> bool:
    return key.startswith(FIGURE_PREFIX)


def parse_figure_key(key: str, figures: Sequence[Figure]) -> FigureRef:
    """`fig-mri` -> figure mri; `fig-mri-b` -> panel B of mri (unless a figure is named so)."""
    by_id = {f.id: f for f in figures}
    name = key.removeprefix(FIGURE_PREFIX)
    if name in by_id:
        return FigureRef(by_id[name], None)
    match = _PANEL_SUFFIX.match(name)
    if match and match["figure"] in by_id:
        figure = by_id[match["figure"]]
        letter = match["panel"].upper()
        if letter not in {p.letter for p in figure.panels}:
            have = ", ".join(p.letter.lower() for p in figure.panels)
            raise FigureRefError(f"figure '{figure.id}' has no panel {letter}; its panels: {have}")
        return FigureRef(figure, letter)
    known = ", ".join(f"@fig-{f.id}" for f in figures) or "none declared"
    raise FigureRefError(f"no figure '{name}' is declared in this case; known: {known}")


def number_figures(referenced_in_order: Sequence[str], figures: Sequence[Figure]) -> dict[str, int]:
    """Figure id -> number, by first reference, then unreferenced ones in declared order."""
    numbers: dict[str, int] = {}
    for figure_id in [*referenced_in_order, *(f.id for f in figures)]:
        if figure_id not in numbers:
            numbers[figure_id] = len(numbers) + 1
    return numbers


def anchor(figure_id: str, panel: str | None = None) -> str:
    return f"fig-{figure_id}" + (f"-{panel.lower()}" if panel else "")


def label(number: int, panel: str | None = None) -> str:
    return f"Fig {number}{panel or ''}"
