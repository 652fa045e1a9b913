"""The bibliography page: every cited reference in number order, each with links back to
every place that cites it, then the entries nothing cites."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casepress.citations.numbering import BIBLIOGRAPHY_PAGE, CitingPlace, Numbering
from casepress.project import Project
from casepress.references import brief_reference
from casepress.references.links import web_links
from casepress.site.templates import plain

Render = Callable[..., str]


@dataclass(frozen=True)
class BackLink:
    """One place that cites a reference, as the bibliography links back to it."""

    page_title: str
    section: str  # "" for a citation above the page's first subheading
    label: str  # the page title, then the section after a right angle quote
    href: str  # the citing page, relative to the bibliography page
    anchor: str  # the citation's id on that page


@dataclass(frozen=True)
class CitedIn:
    """One page section that cites a reference, listed once however often it cites it."""

    label: str  # the page title, then the section after a right angle quote
    href: str  # the citing page, relative to the bibliography page
    anchors: tuple[str, ...]  # the citations' ids on that page, in reading order

    @property
    def jumps(self) -> list[tuple[str, str]]:
        """(letter, anchor) for each citation when there are several: a, b, c ... z, aa."""
        if len(self.anchors) == 1:
            return []
        return [(_letters(i), anchor) for i, anchor in enumerate(self.anchors)]


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def cited_in(places: list[BackLink]) -> list[CitedIn]:
    """The places grouped by page section, in the order each section first cites."""
    groups: dict[tuple[str, str], list[str]] = {}
    for place in places:
        groups.setdefault((place.href, place.label), []).append(place.anchor)
    return [CitedIn(label, href, tuple(anchors)) for (href, label), anchors in groups.items()]


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
        cited.append({"key": key, "number": None if per_page else numbering.number_of[key],
                      "text": formatted.text,
                      "markdown": formatted.markdown,
                      "places": (places := [back_link(p) for p in numbering.places[key]]),
                      "cited_in": cited_in(places),
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
