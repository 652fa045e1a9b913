"""The Pandoc citation grammar: every form that is a citation, and every look-alike that is not."""

from __future__ import annotations

import re

import pytest

from casepress.citations.numbering import CitationStyle, Numbering, Page, collapse, render_citations
from casepress.citations.syntax import CiteItem, find_citations, unescape_at_signs

CITATIONS = {
    "single": ("See [@smith04].", [(False, [CiteItem("smith04")])]),
    "two-keys": ("[@a; @b]", [(False, [CiteItem("a"), CiteItem("b")])]),
    "prefix-and-locators": (
        "[see @a, p. 3; @b, ch. 2]",
        [(False, [CiteItem("a", "see", "p. 3"), CiteItem("b", "", "ch. 2")])],
    ),
    "suppress-author": ("[-@key]", [(False, [CiteItem("key", suppress_author=True)])]),
    "bare-suppress-author": ("as shown -@key", [(False, [CiteItem("key", suppress_author=True)])]),
    "narrative": ("@key says", [(True, [CiteItem("key")])]),
    "narrative-locator": ("@doe99 [p. 33] says", [(True, [CiteItem("doe99", locator="p. 33")])]),
    "narrative-at-sentence-end": ("as @key.", [(True, [CiteItem("key")])]),
    "internal-punctuation": ("[@Doe:2004.x-1]", [(False, [CiteItem("Doe:2004.x-1")])]),
    "braced-key": ("@{weird key!} wrote", [(True, [CiteItem("weird key!")])]),
    "start-of-text": ("@first", [(True, [CiteItem("first")])]),
    "figure-reference": ("see @fig-mri-b", [(True, [CiteItem("fig-mri-b")])]),
    "before-a-colon": ("as reported [@a]: pain fell", [(False, [CiteItem("a")])]),
    "locator-before-a-colon": ("@a [p. 3]: pain fell", [(True, [CiteItem("a", locator="p. 3")])]),
}


@pytest.mark.parametrize(("text", "expected"), CITATIONS.values(), ids=CITATIONS.keys())
def test_citation_forms(text: str, expected: list[tuple[bool, list[CiteItem]]]) -> None:
    found = find_citations(text)
    assert [(c.narrative, list(c.items)) for c in found] == expected


NOT_CITATIONS = {
    "email": "write to editor@example.org",
    "escaped-at": r"the \@handle",
    "code-span": "use `@key` literally",
    "double-backtick-code": "use ``x @key y`` here",
    "fenced-code": "```\n[@key]\n@other\n```\n",
    "tilde-fence": "~~~yaml\nkey: '@key'\n~~~\n",
    "link-target": "[profile](https://example.org/@user)",
    "image-target": "![x](pics/@2x.png)",
    "autolink": "<https://example.org/@user>",
    "bare-url": "see https://example.org/@user for more",
    "html-attribute": '<a title="@key">x</a>',
    "html-comment": "<!-- @key -->",
    "reference-definition": "[ref]: https://example.org/@key",
    "key-as-reference-definition": "[@key]: https://example.org/",
    "key-as-indented-definition": "   [@key]: https://example.org/",
    "link-text-with-link": "[@key](https://example.org)",
    "lone-at": "meet @ noon",
    "trailing-punct-only": "@. @-",
}


@pytest.mark.parametrize("text", NOT_CITATIONS.values(), ids=NOT_CITATIONS.keys())
def test_not_citations(text: str) -> None:
    assert find_citations(text) == []


def test_offsets_cover_the_written_citation() -> None:
    text = "Before [see @a, p. 3] after"
    (citation,) = find_citations(text)
    assert text[citation.start:citation.end] == "[see @a, p. 3]"


def test_escaped_at_sign_is_printed_without_backslash() -> None:
    assert unescape_at_signs(r"the \@handle and `\@code`") == "the &#64;handle and `\\@code`"


@pytest.mark.parametrize(
    ("numbers", "ranges"),
    [([1, 2, 3], [(1, 3)]), ([3, 1, 2, 5], [(1, 3), (5, 5)]), ([4], [(4, 4)]), ([2, 2], [(2, 2)])],
    ids=["run", "unsorted-with-gap", "single", "duplicate"],
)
def test_collapse_to_ranges(numbers: list[int], ranges: list[tuple[int, int]]) -> None:
    assert collapse(numbers) == ranges


STYLE = CitationStyle(tooltip=lambda key: f'Ref "{key}" {{x}} | y', narrative_name=str.title)


def _render(markdown: str, numbers: dict[str, int], path: str = "cases/x.md") -> str:
    return render_citations(Page(path, "X", markdown, "x"), Numbering(dict(numbers)), STYLE)


def test_range_of_three_links_both_ends() -> None:
    out = _render("[@a; @b; @c]", {"a": 1, "b": 2, "c": 3})
    assert out.startswith("([1](../bibliography.md#ref-a){ #cite-1 .cp-cite")
    assert "–[3](../bibliography.md#ref-c)" in out and "ref-b" not in out


@pytest.mark.parametrize(("markdown", "groups", "first"), [
    ("[@b; @a] and [@c]", 2, "1"), ("[see @b, p. 3; @a]", 1, "2"), ("@c says [@a; @c]", 2, "3"),
    ("[@a; @c]", 1, "1"),
], ids=["range", "locators", "narrative", "pair"])
def test_each_citation_anchors_its_first_link_once(markdown: str, groups: int, first: str
                                                   ) -> None:
    out = _render(markdown, {"a": 1, "b": 2, "c": 3})
    assert re.findall(r"#cite-\d+", out) == [f"#cite-{n}" for n in range(1, groups + 1)]
    anchored = re.search(r"\[(\d+)\]\([^)]*\)\{ #cite-1 ", out)
    assert anchored and anchored.group(1) == first


def test_the_link_memo_follows_numbers_and_addresses() -> None:
    """One style renders many pages: a reference's link depends on its number and address."""
    assert "[1](../bibliography.md#ref-a)" in _render("[@a]", {"a": 1})
    assert "[5](../bibliography.md#ref-a)" in _render("[@a]", {"a": 5})
    assert "[1](bibliography.md#ref-a)" in _render("[@a]", {"a": 1}, path="index.md")


def test_narrative_names_the_author_then_the_number() -> None:
    assert _render("@smith wrote", {"smith": 4}).startswith("Smith ([4](")


def test_tooltip_text_is_safe_inside_attributes_and_tables() -> None:
    out = _render("[@a]", {"a": 1}, path="index.md")
    # Braces (which would end the attribute list) and bars (table cells) become entities.
    assert 'title="Ref &quot;a&quot; &#123;x&#125; &#124; y"' in out
    assert "](bibliography.md#ref-a)" in out


def test_locators_are_kept() -> None:
    out = _render("[see @a, p. 3; @b, ch. 2]", {"a": 1, "b": 2})
    assert out.startswith("(see [1](") and ", p. 3; [2](" in out and out.endswith(", ch. 2)")
