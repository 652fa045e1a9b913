"""The allow-list every page body leaves the build through (checks/html_safety.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casepress.checks.html_safety import page_problems, sanitise, unsafe_markup
from casepress.graphics.forest import ForestRow, forest_plot_svg
from casepress.graphics.placeholder import placeholder_svg
from casepress.graphics.timeline import TimelineEvent, timeline_svg

KEPT = [
    pytest.param('<table><tbody><tr><td style="text-align:left">a</td></tr></tbody></table>',
                 id="aligned-table-cell"),
    pytest.param('<div class="cp-evidence" data-filter="Site" role="region" aria-label="x" '
                 'tabindex="0"><span data-search-exclude="">x</span></div>', id="data-and-aria"),
    pytest.param('<p><a href="../x.md#y" download="t.csv" title="t">a</a> '
                 '<a href="mailto:a@example.org">m</a> <a href="https://example.org/">w</a></p>',
                 id="links"),
    pytest.param('<figure class="cp-figure" id="f"><img src="a.svg" alt="A" loading="lazy">'
                 '<figcaption>c</figcaption></figure>', id="figure"),
    pytest.param('<button class="cp-copy" type="button" data-copy="x">Copy</button>',
                 id="copy-button"),
]


@pytest.mark.parametrize("html", KEPT)
def test_what_pages_are_made_of_passes_unchanged(html: str) -> None:
    assert unsafe_markup(html) == []
    assert sanitise(html) == html


def test_our_own_graphics_pass_the_allow_list() -> None:
    """The timeline, forest plot and placeholders are drawn with what the list allows."""
    graphics = [
        timeline_svg([TimelineEvent(0, False, "Procedure", "procedure"),
                      TimelineEvent(97, True, "Second", "imaging"),
                      TimelineEvent(169, True, "Death", "death")], "t", "T", "D"),
        forest_plot_svg([ForestRow("1. A", 10, 0.5, 0.2, 0.8, "5/10", False),
                         ForestRow("2. B", None, None, None, None, "not stated", True)],
                        "f", "F", "D"),
        placeholder_svg(1, "A", "MR imaging", "A description", "Alt text", "p"),
    ]
    for svg in graphics:
        assert unsafe_markup(svg) == [], svg[:80]


REMOVED = [  # (markup, what is reported, what must not be left)
    pytest.param("<script>alert(1)</script>", "<script> element", "alert", id="script"),
    pytest.param('<img src="x" onerror="alert(1)">', "onerror attribute on <img>", "onerror",
                 id="handler"),
    pytest.param('<a href="jav&#x09;ascript:alert(1)">x</a>', "javascript: URL in the href "
                 "of <a>", "alert", id="disguised-url"),
    pytest.param('<img src="data:image/svg+xml,x">', "data: URL in the src of <img>", "data:",
                 id="data-url"),
    pytest.param('<table><tr><td style="background:url(javascript:alert(1))">x</td></tr>'
                 "</table>", "style 'background' on <td>", "alert", id="style"),
    pytest.param('<meta http-equiv="refresh" content="0;url=https://example.org">',
                 "<meta> element", "refresh", id="meta-first-in-body"),
    pytest.param('<a href="x" target="_blank">x</a>', "target attribute on <a>", "_blank",
                 id="target"),
]


@pytest.mark.parametrize(("html", "what", "gone"), REMOVED)
def test_what_the_list_removes_is_named(html: str, what: str, gone: str) -> None:
    assert what in [u.what for u in unsafe_markup(html)]
    assert gone not in sanitise(html)


def test_each_problem_points_at_its_own_line(tmp_path: Path) -> None:
    """The same attribute twice is two places in the page, not the first one twice."""
    (tmp_path / "docs").mkdir()
    source = "# Page\n\n<img src=a onerror=x>\n\ntext\n\n<img src=b onerror=y>\n"
    (tmp_path / "docs" / "page.md").write_text(source, encoding="utf-8")
    html = "<h1>Page</h1><img src=a onerror=x><p>text</p><img src=b onerror=y>"
    found = page_problems(html, "page.md", "docs/page.md", tmp_path)
    assert [(d.line, d.rule) for d in found] == [(3, "unsafe-html"), (7, "unsafe-html")]
