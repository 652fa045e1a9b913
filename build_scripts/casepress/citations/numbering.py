"""Numbered citations across the whole site, linked both ways.

Pass 1 (`number_citations`) walks the pages in reading order and numbers each reference by
its first citation; pass 2 (`render_citations`) replaces every citation with numbered links to
the bibliography and gives each citation an anchor that the bibliography links back to.
Output is Markdown, so MkDocs still rewrites and validates every link.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from casepress.citations.syntax import Citation, unescape_at_signs
from casepress.pages import Heading, Page
from casepress.references.formatting import escape_markdown

BIBLIOGRAPHY_PAGE = "bibliography.md"


@dataclass(frozen=True)
class CitingPlace:
    page_path: str
    page_title: str
    section: str
    anchor: str


@dataclass
class Numbering:
    number_of: dict[str, int] = field(default_factory=dict)
    places: dict[str, list[CitingPlace]] = field(default_factory=dict)
    _by_page: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def order(self) -> list[str]:
        return sorted(self.number_of, key=self.number_of.__getitem__)

    def cited_on(self, page_path: str) -> list[str]:
        """Keys cited on one page, in number order (indexed once: pages x keys is large)."""
        if self._by_page is None:
            self._by_page = {}
            for key in self.order():
                for page in dict.fromkeys(place.page_path for place in self.places[key]):
                    self._by_page.setdefault(page, []).append(key)
        return self._by_page.get(page_path, [])


def _section_at(heads: list[Heading], offset: int, page_title: str) -> str:
    section = page_title
    for start, title, _anchor in heads:
        if start > offset:
            break
        section = title
    return section


def number_citations(pages: Iterable[Page], known: Callable[[str], bool]) -> Numbering:
    """Number every known key by its first citation, pages taken in reading order."""
    numbering = Numbering()
    for page in pages:
        heads = page.headings
        for seq, citation in enumerate(page.reference_citations, start=1):
            place = CitingPlace(page.path, page.title,
                                _section_at(heads, citation.start, page.title), f"cite-{seq}")
            # Each citation is a place of its own (its anchor is unique on the site), so a
            # key is listed twice there only if written twice in it: `[@a; @a]`.
            for key in dict.fromkeys(citation.keys):
                if not known(key):
                    continue
                numbering.number_of.setdefault(key, len(numbering.number_of) + 1)
                numbering.places.setdefault(key, []).append(place)
    return numbering


def collapse(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    ranges: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    return ranges


def attribute_text(text: str) -> str:
    """Text safe inside a quoted attr_list value: one line, no Markdown or HTML syntax.

    Python-Markdown runs its inline patterns over the `{ ... }` of an attr_list before reading
    it, so a `[x](javascript:...)` inside a title would become a real link: every character an
    inline pattern reacts to is written as an entity (browsers decode those in attributes)."""
    return escape_markdown(" ".join(text.split()))


@dataclass(frozen=True)
class CitationStyle:
    """What the renderer needs to know about each reference."""

    tooltip: Callable[[str], str]
    narrative_name: Callable[[str], str]
    # (key, number, address) -> the link before and after its anchor: one reference is cited
    # from many pages of a folder, and its tooltip is the same each time.
    links: dict[tuple[str, int, str], tuple[str, str]] = field(
        default_factory=dict, compare=False, repr=False)


def _number_link(key: str, number: int, href: str, style: CitationStyle,
                 anchor: str | None) -> str:
    parts = style.links.get((key, number, href))
    if parts is None:
        parts = style.links[(key, number, href)] = (
            f"[{number}]({href}#ref-{key}){{ ",
            f'.cp-cite title="{attribute_text(style.tooltip(key))}" }}')
    return f"{parts[0]}#{anchor} {parts[1]}" if anchor else parts[0] + parts[1]


def _render_group(citation: Citation, numbering: Numbering, href: str, style: CitationStyle,
                  anchor: str) -> str:
    """One citation as numbered links; the first link written carries the citation's anchor."""
    number_of = numbering.number_of
    items = [i for i in citation.items if i.key in number_of]
    if not items:
        return "(?)"
    if citation.narrative:
        item = items[0]
        locator = f", {item.locator}" if item.locator else ""
        link = _number_link(item.key, number_of[item.key], href, style, anchor)
        return f"{style.narrative_name(item.key)} ({link}{locator})"
    parts: list[str] = []
    if any(i.prefix or i.locator for i in items):
        for i in items:
            link = _number_link(i.key, number_of[i.key], href, style, None if parts else anchor)
            parts.append(" ".join(p for p in (i.prefix, link) if p)
                         + (f", {i.locator}" if i.locator else ""))
        return "(" + "; ".join(parts) + ")"
    by_number = {number_of[i.key]: i.key for i in items}
    for low, high in collapse(list(by_number)):
        text = _number_link(by_number[low], low, href, style, None if parts else anchor)
        if high != low:
            joiner = "–" if high > low + 1 else ", "
            text += joiner + _number_link(by_number[high], high, href, style, None)
        parts.append(text)
    return "(" + ", ".join(parts) + ")"


def render_citations(page: Page, numbering: Numbering, style: CitationStyle) -> str:
    """The page's Markdown with every citation replaced by numbered links."""
    href = posixpath.relpath(BIBLIOGRAPHY_PAGE, posixpath.dirname(page.path) or ".")
    out: list[str] = []
    last = 0
    for seq, citation in enumerate(page.reference_citations, start=1):
        out.append(page.markdown[last:citation.start])
        out.append(_render_group(citation, numbering, href, style, f"cite-{seq}"))
        last = citation.end
    out.append(page.markdown[last:])
    return unescape_at_signs("".join(out))
