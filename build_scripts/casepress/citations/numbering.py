"""Numbered citations, linked both ways: per page (default) or across the whole site.

Pass 1 (`number_citations`) walks the pages in reading order and numbers each reference by
its first citation: on each page on its own (`per_page`, as journals number an article's
references: a page's numbers change only when its own citations do), and across the site
(the bibliography's order, and the numbers of `numbering: site`). Pass 2
(`render_citations`) replaces every citation with numbered links to the page's own reference
list (or to the bibliography) and gives each citation an anchor the list links back to.
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
    """Site-wide numbers, by first citation across the site."""
    places: dict[str, list[CitingPlace]] = field(default_factory=dict)
    per_page: dict[str, dict[str, int]] | None = None
    """Each page's own numbers, by first citation on it; None for `numbering: site`."""
    _by_page: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _anchors: dict[tuple[str, str], tuple[str, ...]] | None = field(
        default=None, repr=False, compare=False)

    def order(self) -> list[str]:
        return sorted(self.number_of, key=self.number_of.__getitem__)

    def numbers_on(self, page_path: str) -> dict[str, int]:
        """The numbers a page shows: its own, or the site's."""
        if self.per_page is None:
            return self.number_of
        return self.per_page.get(page_path, {})

    def anchors_on(self, page_path: str, key: str) -> tuple[str, ...]:
        """The anchors of a page's citations of `key`, in reading order (indexed once)."""
        if self._anchors is None:
            found: dict[tuple[str, str], list[str]] = {}
            for cited, places in self.places.items():
                for place in places:
                    found.setdefault((place.page_path, cited), []).append(place.anchor)
            self._anchors = {where: tuple(anchors) for where, anchors in found.items()}
        return self._anchors.get((page_path, key), ())

    def cited_on(self, page_path: str) -> list[str]:
        """Keys cited on one page, in the order of the numbers it shows (indexed once: pages
        x keys is large)."""
        if self.per_page is not None:
            return list(self.per_page.get(page_path, {}))
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


def number_citations(pages: Iterable[Page], known: Callable[[str], bool],
                     per_page: bool = True) -> Numbering:
    """Number every known key by its first citation, pages taken in reading order, and (with
    `per_page`) on each page by its first citation there."""
    numbering = Numbering(per_page={} if per_page else None)
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
                if numbering.per_page is not None:
                    own = numbering.per_page.setdefault(page.path, {})
                    own.setdefault(key, len(own) + 1)
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


def _render_group(citation: Citation, number_of: dict[str, int], href: str,
                  style: CitationStyle, anchor: str) -> str:
    """One citation as numbered links; the first link written carries the citation's anchor."""
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
    """The page's Markdown with every citation replaced by numbered links: to the page's own
    reference list with per-page numbering, else to the bibliography."""
    number_of = numbering.numbers_on(page.path)
    href = "" if numbering.per_page is not None else posixpath.relpath(
        BIBLIOGRAPHY_PAGE, posixpath.dirname(page.path) or ".")
    out: list[str] = []
    last = 0
    for seq, citation in enumerate(page.reference_citations, start=1):
        out.append(page.markdown[last:citation.start])
        out.append(_render_group(citation, number_of, href, style, f"cite-{seq}"))
        last = citation.end
    out.append(page.markdown[last:])
    return unescape_at_signs("".join(out))
