"""A page's own reference list (`numbering: page`): its references in the order the page
first cites them, each with PubMed, DOI and full-text links and a way back to every place
on the page that cites it (↩, or ↩ a b c when it is cited several times)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import unique

from casepress.citations.numbering import Numbering
from casepress.pages import Page
from casepress.project import Project
from casepress.references.links import web_links
from casepress.site.bibliography_page import CitingSection

Render = Callable[..., str]
LIST_ID = "references"


@dataclass(frozen=True)
class ListedReference:
    key: str
    number: int
    markdown: str  # the formatted reference, Markdown-safe
    text: str  # the same as plain text, for the copy button
    links: list[tuple[str, str]]
    back: CitingSection  # the citations on this page, for ↩ and its letters


def page_references(project: Project, numbering: Numbering, page_path: str
                    ) -> list[ListedReference]:
    listed = []
    for key, number in numbering.numbers_on(page_path).items():
        anchors = numbering.anchors_on(page_path, key)
        formatted = project.formatted[key]
        listed.append(ListedReference(key, number, formatted.markdown, formatted.text,
                                      web_links(project.csl_item(key)),
                                      CitingSection("", anchors)))
    return listed


def render_reference_list(project: Project, numbering: Numbering, page: Page,
                          render: Render) -> str:
    """The "References" section that ends a page, or "" for a page that cites nothing."""
    listed = page_references(project, numbering, page.path)
    if not listed:
        return ""
    # A hand-written page may have a heading of its own with this id (rule
    # own-reference-list); the list then takes the next free one, as the toc extension would.
    anchor = unique(LIST_ID, {anchor for _offset, _title, anchor in page.headings})
    return render("references.md.j2", references=listed, anchor=anchor)
