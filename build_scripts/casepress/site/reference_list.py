"""A page's own reference list (`numbering: page`): its references in the order the page
first cites them, each with PubMed, DOI and full-text links and a way back to every place
on the page that cites it (↩, or ↩ a b c when it is cited several times)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casepress.citations.numbering import Numbering
from casepress.project import Project
from casepress.references.links import web_links
from casepress.site.bibliography_page import CitedIn

Render = Callable[..., str]


@dataclass(frozen=True)
class ListedReference:
    key: str
    number: int
    markdown: str  # the formatted reference, Markdown-safe
    text: str  # the same as plain text, for the copy button
    links: list[tuple[str, str]]
    back: CitedIn  # the citations on this page, for ↩ and its letters


def page_references(project: Project, numbering: Numbering, page_path: str
                    ) -> list[ListedReference]:
    listed = []
    for key, number in numbering.numbers_on(page_path).items():
        anchors = tuple(p.anchor for p in numbering.places[key] if p.page_path == page_path)
        formatted = project.formatted[key]
        listed.append(ListedReference(key, number, formatted.markdown, formatted.text,
                                      web_links(project.csl_item(key)),
                                      CitedIn("", "", anchors)))
    return listed


def render_reference_list(project: Project, numbering: Numbering, page_path: str,
                          render: Render) -> str:
    """The "References" section that ends a page, or "" for a page that cites nothing."""
    listed = page_references(project, numbering, page_path)
    return render("references.md.j2", references=listed) if listed else ""
