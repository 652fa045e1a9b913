"""The bibliography page: every cited reference (by author and year, or in site-wide number
order with `numbering: site`), each with "cited on" links to every page and section that
cites it, then the entries nothing cites."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from casepress.citations.numbering import BIBLIOGRAPHY_PAGE, CitingPlace, Numbering
from casepress.project import Project
from casepress.references import brief_reference
from casepress.references.links import web_links
from casepress.site.templates import Render, plain

# A reference cited on more pages than this shows "Cited on N pages", opened on demand: in a
# large library one review article can be cited by hundreds of cases.
FOLD_AFTER_PAGES = 5


@dataclass(frozen=True)
class BackLink:
    """One place that cites a reference, as the bibliography links back to it."""

    page_title: str
    section: str  # "" for a citation above the page's first subheading
    label: str  # the page title, then the section after a right angle quote
    href: str  # the citing page, relative to the bibliography page
    anchor: str  # the citation's id on that page


@dataclass(frozen=True)
class CitingSection:
    """One section of a page that cites a reference, listed once however often it cites it."""

    name: str  # its heading; "" above the page's first subheading
    anchors: tuple[str, ...]  # the citations' ids on the page, in reading order

    @property
    def jumps(self) -> list[tuple[str, str]]:
        """(letter, anchor) for each citation when there are several: a, b, c ... z, aa."""
        if len(self.anchors) == 1:
            return []
        return [(_letters(i), anchor) for i, anchor in enumerate(self.anchors)]


@dataclass(frozen=True)
class CitingPage:
    """One page that cites a reference, with each of its sections that does."""

    title: str  # plain text
    href: str  # the page, relative to the bibliography page
    entry: str  # where the page's name leads: its own list's entry, or its first citation
    sections: tuple[CitingSection, ...]


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def cited_on(places: list[BackLink], entry_anchor: str | None) -> list[CitingPage]:
    """The places grouped by page, then by section, each in the order it first cites.
    `entry_anchor` is the anchor of the reference in each page's own list (None when pages
    have no list of their own)."""
    pages: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for place in places:
        _title, sections = pages.setdefault(place.href, (place.page_title, {}))
        sections.setdefault(place.section, []).append(place.anchor)
    return [CitingPage(plain(title), href,
                       entry_anchor or next(iter(sections.values()))[0],
                       tuple(CitingSection(plain(name), tuple(anchors))
                             for name, anchors in sections.items()))
            for href, (title, sections) in pages.items()]


def render_bibliography_page(project: Project, numbering: Numbering, render: Render) -> str:
    # A page is cited from dozens of places: its address and labels are worked out once.
    here = posixpath.dirname(BIBLIOGRAPHY_PAGE) or "."
    hrefs: dict[str, str] = {}
    labels: dict[tuple[str, str], str] = {}

    def back_link(place: CitingPlace) -> BackLink:
        # a citation above the first subheading sits in the page's own title section
        section = "" if place.section == place.page_title else place.section
        href = hrefs.get(place.page_path) or hrefs.setdefault(
            place.page_path, posixpath.relpath(place.page_path, here))
        label = labels.get((place.page_title, section)) or labels.setdefault(
            (place.page_title, section),
            plain(place.page_title) + (f" \u203a {plain(section)}" if section else ""))
        return BackLink(place.page_title, section, label, href, place.anchor)

    per_page = numbering.per_page is not None
    # With per-page numbers the bibliography is the library's index: by author and year,
    # unnumbered (a site-wide number would be a second number for the same reference).
    keys = sorted(numbering.order(), key=lambda k: _author_year(project.csl_item(k))) \
        if per_page else numbering.order()
    cited: list[dict[str, Any]] = []
    for key in keys:
        formatted = project.formatted[key]
        places = [back_link(p) for p in numbering.places[key]]
        pages = cited_on(places, f"ref-{key}" if per_page else None)
        cited.append({"key": key, "number": None if per_page else numbering.number_of[key],
                      "text": formatted.text,
                      "markdown": formatted.markdown,
                      "places": places,
                      "cited_on": pages,
                      "fold_cited_on": len(pages) > FOLD_AFTER_PAGES,
                      "links": web_links(project.csl_item(key))})
    uncited = [{"key": k, "markdown": brief_reference(project.csl_item(k)).markdown}
               for k in project.bibliography.entries if k not in numbering.number_of]
    return render("bibliography.md.j2", cited=cited, uncited=uncited, per_page=per_page)


def _author_year(item: dict[str, Any]) -> tuple[str, str, str]:
    names = item.get("author") or item.get("editor") or [{}]
    first = names[0]
    family = " ".join(x for x in (first.get("family"), first.get("literal")) if x)
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    year = str(parts[0][0]) if parts and parts[0] else ""
    return family.casefold(), year, str(item.get("title", "")).casefold()
