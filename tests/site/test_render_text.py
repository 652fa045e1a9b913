"""Text helpers that turn content into labels, descriptions and Markdown."""

from __future__ import annotations

import pytest

from casepress.site.listings import describe
from casepress.site.templates import age, inline_markdown, table_cell

DESCRIBE = {
    "figure-reference-in-parentheses": ("Smaller on MR (@fig-mri-course-c).", "Smaller on MR."),
    "citations-and-figures": ("Cited [@a; @b] here (see @fig-x; @fig-y).", "Cited here."),
    "narrative-citation": ("As @smith2001 showed.", "As showed."),
    "markdown-markers": ("**Bold** and *italic*", "Bold and italic"),
    "long-text-cut-at-word": ("word " * 60, " ".join(["word"] * 30) + "…"),
}


@pytest.mark.parametrize(("text", "expected"), DESCRIBE.values(), ids=DESCRIBE.keys())
def test_describe(text: str, expected: str) -> None:
    assert describe(text) == expected


def test_markdown_text_cannot_carry_html() -> None:
    assert inline_markdown("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_table_cells_stay_in_one_cell() -> None:
    assert table_cell("a | b\nc") == "a &#124; b c"


@pytest.mark.parametrize(("years", "label"), [(76, "76-year-old"), (89, "89-year-old"),
                                              (90, "≥90-year-old"), (104, "≥90-year-old")])
def test_ages_from_90_are_one_category(years: int, label: str) -> None:
    assert age(years) == label
