"""Technique and listing pages: one template each, one page per content file.

Evidence table pages, which also carry analytics and a CSV, are in `evidence_page`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from casepress.pages import Page
from casepress.project import Project
from casepress.site import paging
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


CASE_LISTING = "cases/index.md"


def case_listing_pages(project: Project, render: Render) -> list[Page]:
    """The Cases listing, `paging.PER_PAGE` cases a page in file-name order: page 1 at
    cases/index.md, then cases/page-2.md and on."""
    content = project.content
    cases = list(content.cases.values())
    chunks = paging.split(cases)
    pages = []
    for number, shown in enumerate(chunks, start=1):
        title = "Cases" if len(chunks) == 1 else f"Cases, page {number} of {len(chunks)}"
        pages.append(Page(paging.page_path(CASE_LISTING, number), title, render(
            "cases.md.j2", cases=shown, total=len(cases), first=(number - 1) * paging.PER_PAGE + 1,
            page_title=title, pager=paging.pager(CASE_LISTING, number, len(chunks)),
            techniques=content.techniques, finder_first=next(iter(content.cases), "")),
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
