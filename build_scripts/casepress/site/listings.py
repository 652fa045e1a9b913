"""Technique and listing pages: one template each, one page per content file.

Evidence table pages, which also carry analytics and a CSV, are in `evidence_page`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casepress.pages import Page
from casepress.project import Project
from casepress.site.editor_pages import editor_pages
from casepress.site.templates import plain

if TYPE_CHECKING:  # the models load with the content, not with a pages-only site
    from casepress.models.evidence import EvidenceTable

Render = Callable[..., str]


# Bracketed citations and parenthetical figure references go whole, then bare keys.
_CITATION_GROUPS = re.compile(r"\s*\[[^\]]*@[^\]]*\]|\s*\([^()]*@fig-[^()]*\)")
_BARE_KEYS = re.compile(r"@\{?[\w:.-]+\}?")
# Blocks that are not running text: headings, HTML, tables, quotes, images, code, lists, rules.
_NOT_PROSE = re.compile(r"[#<|>!`:-]|\*\s|\d+\.\s|---")
_LINKS_AND_TAGS = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]+>")


def describe(text: str, limit: int = 155) -> str:
    """A meta description: plain text without citations, cut at a word boundary."""
    text = plain(_BARE_KEYS.sub("", _CITATION_GROUPS.sub("", text)))
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


_BLANK_LINES = re.compile(r"\n\s*\n")


def markdown_description(markdown: str) -> str | None:
    """A meta description for a hand-written page: its first paragraph of running text."""
    for block in _BLANK_LINES.split(markdown):
        block = block.strip()
        if block and not _NOT_PROSE.match(block):
            return describe(_LINKS_AND_TAGS.sub(r"\1", block)) or None
    return None


def study_counts(table: EvidenceTable) -> str:
    """'6 studies; also 1 case report, 1 comparator': what a table holds, the studies of its
    question counted apart from single cases and from other treatments."""
    rows = table.rows
    studies = sum(r.role == "question" and r.design != "case report" for r in rows)
    cases = sum(r.role == "question" and r.design == "case report" for r in rows)
    comparators = sum(r.role == "comparator" for r in rows)
    text = f"{studies} {'study' if studies == 1 else 'studies'}"
    extra = [f"{n} {word}{'s' if n > 1 else ''}"
             for n, word in ((cases, "case report"), (comparators, "comparator")) if n]
    return text + (f"; also {', '.join(extra)}" if extra else "")


CASES_PER_PAGE = 50  # a listing page a phone opens at once, however large the library


@dataclass(frozen=True)
class PageLink:
    label: str
    href: str  # relative to the listing page that shows it
    current: bool = False


def _case_listing_path(number: int) -> str:
    return "cases/index.md" if number == 1 else f"cases/page-{number}.md"


def _pager(number: int, count: int) -> list[PageLink]:
    """Links to the first and last pages of the case listing and to those near this one, a
    gap shown as "…" (an empty `href`); relative, since all pages share a folder."""
    if count == 1:
        return []

    def link(n: int, label: str | None = None) -> PageLink:
        return PageLink(label or str(n), posixpath.basename(_case_listing_path(n)),
                        n == number and label is None)

    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    links = [link(number - 1, "Previous")] if number > 1 else []
    for previous, n in zip([0, *shown], shown, strict=False):
        if n - previous > 1:
            links.append(PageLink("…", ""))
        links.append(link(n))
    if number < count:
        links.append(link(number + 1, "Next"))
    return links


def case_listing_pages(project: Project, render: Render) -> list[Page]:
    """The Cases listing, `CASES_PER_PAGE` cases a page in file-name order: page 1 at
    cases/index.md, then cases/page-2.md and on (see `_pager` for the links between them)."""
    content = project.content
    cases = list(content.cases.values())
    count = max(1, -(-len(cases) // CASES_PER_PAGE))
    pages = []
    for number in range(1, count + 1):
        shown = cases[(number - 1) * CASES_PER_PAGE: number * CASES_PER_PAGE]
        title = "Cases" if count == 1 else f"Cases, page {number} of {count}"
        pages.append(Page(_case_listing_path(number), title, render(
            "cases.md.j2", cases=shown, total=len(cases), first=(number - 1) * CASES_PER_PAGE + 1,
            page_title=title, pager=_pager(number, count), techniques=content.techniques,
            finder_first=next(iter(content.cases), "")),
            "content/cases"))
    return pages


def render_listing_pages(project: Project, render: Render) -> list[Page]:
    content = project.content
    cases = list(content.cases.values())
    pages = [
        *case_listing_pages(project, render),
        Page("techniques/index.md", "Techniques",
             render("techniques.md.j2", techniques=list(content.techniques.values()),
                    case_counts={s: sum(c.model.technique == s for c in cases)
                                 for s in content.techniques}),
             "content/techniques"),
        Page("evidence/index.md", "Evidence",
             render("evidence-index.md.j2", tables=[
                 (table, study_counts(table.model)) for table in content.evidence.values()]),
             "content/evidence"),
    ]
    for slug, technique in content.techniques.items():
        markdown = render("technique.md.j2", t=technique.model, slug=slug,
                          description=describe(technique.model.summary),
                          cases=[c for c in cases if c.model.technique == slug])
        pages.append(Page(f"techniques/{slug}.md", technique.model.title, markdown,
                          technique.file))
    return pages + editor_pages(content, render)
