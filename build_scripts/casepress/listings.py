"""Technique, evidence and listing pages: one template each, one page per content file."""

from __future__ import annotations

import re
from collections.abc import Callable

from casepress.project import Project
from casepress.render import plain
from casepress.resolve import Page

Render = Callable[..., str]


def describe(text: str, limit: int = 155) -> str:
    """A meta description: plain text without citations, cut at a word boundary."""
    # bracketed citations and parenthetical figure references go whole, then bare keys
    text = re.sub(r"\s*\[[^\]]*@[^\]]*\]|\s*\([^()]*@fig-[^()]*\)", "", text)
    text = plain(re.sub(r"@\{?[\w:.-]+\}?", "", text))
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def render_listing_pages(project: Project, render: Render) -> list[Page]:
    content = project.content
    cases = list(content.cases.values())
    pages = [
        Page("cases/index.md", "Cases",
             render("cases.md.j2", cases=cases, techniques=content.techniques),
             "content/cases"),
        Page("techniques/index.md", "Techniques",
             render("techniques.md.j2", techniques=list(content.techniques.values()),
                    case_counts={s: sum(c.model.technique == s for c in cases)
                                 for s in content.techniques}),
             "content/techniques"),
        Page("evidence/index.md", "Evidence",
             render("evidence-index.md.j2", tables=list(content.evidence.values())),
             "content/evidence"),
    ]
    for slug, technique in content.techniques.items():
        markdown = render("technique.md.j2", t=technique.model, slug=slug,
                          description=describe(technique.model.summary),
                          cases=[c for c in cases if c.model.technique == slug])
        pages.append(Page(f"techniques/{slug}.md", technique.model.title, markdown,
                          technique.file))
    for slug, table in content.evidence.items():
        markdown = render("evidence.md.j2", table=table.model, slug=slug,
                          description=describe(table.model.question),
                          cases=[c for c in cases if slug in c.model.evidence])
        pages.append(Page(f"evidence/{slug}.md", table.model.title, markdown, table.file))
    return pages
