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
TECHNIQUE_LISTING = "techniques/index.md"
EVIDENCE_LISTING = "evidence/index.md"


def render_listing_pages(project: Project, render: Render) -> list[Page]:
    """The Cases, Techniques and Evidence listings, `paging.PER_PAGE` items a page in
    file-name order (cases/index.md, then cases/page-2.md and on), the technique pages and
    the editors' pages."""
    content = project.content
    cases = list(content.cases.values())
    pages = [Page(p.path, p.title, render(
        "cases.md.j2", cases=p.shown, techniques=content.techniques,
        finder_first=next(iter(content.cases), ""), **p.context), "content/cases")
        for p in paging.listing(CASE_LISTING, "Cases", cases)]
    case_counts = {s: sum(c.model.technique == s for c in cases) for s in content.techniques}
    pages += [Page(p.path, p.title, render(
        "techniques.md.j2", techniques=p.shown, case_counts=case_counts, **p.context),
        "content/techniques")
        for p in paging.listing(TECHNIQUE_LISTING, "Techniques", list(content.techniques.values()))]
    tables = [(table, study_counts(table.model)) for table in content.evidence.values()]
    pages += [Page(p.path, p.title, render("evidence-index.md.j2", tables=p.shown, **p.context),
                   "content/evidence")
              for p in paging.listing(EVIDENCE_LISTING, "Evidence", tables)]
    for slug, technique in content.techniques.items():
        markdown = render("technique.md.j2", t=technique.model, slug=slug,
                          description=describe(technique.model.summary),
                          cases=[c for c in cases if c.model.technique == slug])
        pages.append(Page(f"techniques/{slug}.md", technique.model.title, markdown,
                          technique.file))
    return pages + editor_pages(content, render)
