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

    cited: list[dict[str, Any]] = []
    for key in numbering.order():
        formatted = project.formatted[key]
        cited.append({"key": key, "number": numbering.number_of[key], "text": formatted.text,
                      "markdown": formatted.markdown,
                      "places": [back_link(place) for place in numbering.places[key]],
                      "links": web_links(project.csl_item(key))})
    uncited = [{"key": k, "markdown": brief_reference(project.csl_item(k)).markdown}
               for k in project.bibliography.entries if k not in numbering.number_of]
    return render("bibliography.md.j2", cited=cited, uncited=uncited)
