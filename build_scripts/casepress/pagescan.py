"""The citations, headings, descriptions and search spellings of pages, kept between builds.

Scanning a page for citations and headings, and finding its meta description, depend on its
text alone; the other spellings its sections need in the search (search_terms.py) depend on
its HTML alone. The disk cache (references/store.py: `pages.json`, `descriptions.json`,
`spellings.json`) keeps the results by a digest of that text, so a fresh build of a thousand
unchanged pages does not scan them again. On a hit, the scanners' own memos are primed
(`scan_citations.remember`, `known_headings.remember`) and every later step asks them as
before. A kept value of the wrong shape is a miss: the page is scanned.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from casepress.citations import Citation, CiteItem, scan_citations
from casepress.listings import markdown_description
from casepress.resolve import Heading, headings, known_headings
from casepress.search_terms import page_sections, section_terms, with_search_terms

if TYPE_CHECKING:
    from casepress.references.store import ReferenceStore


def scan_page(markdown: str, store: ReferenceStore) -> None:
    """Make `scan_citations(markdown)` and `headings(markdown)` ready, from the cache if
    it has this text, else by scanning it (and keeping the result)."""
    digest = _digest(markdown)
    kept = _decode(store.page_scan(digest))
    if kept is not None:
        scan_citations.remember(markdown, kept[0])
        known_headings.remember(markdown, kept[1])
        return
    store.keep_page_scan(digest, _encode(scan_citations(markdown), headings(markdown)))


def page_description(markdown: str, store: ReferenceStore) -> str | None:
    """`listings.markdown_description(markdown)`, from the cache if it has this text."""
    digest = _digest(markdown)
    kept = store.description(digest)
    if kept is None:
        kept = markdown_description(markdown) or ""
        store.keep_description(digest, kept)
    return kept or None


def page_with_search_terms(page_html: str, store: ReferenceStore) -> str:
    """`search_terms.add_search_terms(page_html)`, its terms from the cache if it has this
    HTML. Kept terms are escaped like new ones: the cache never adds markup to a page."""
    sections = page_sections(page_html)
    digest = _digest(page_html)
    kept = store.search_terms(digest)
    if not (isinstance(kept, list) and len(kept) == len(sections)
            and all(isinstance(terms, list) and all(isinstance(t, str) for t in terms)
                    for terms in kept)):
        kept = [section_terms(section) for section in sections]
        store.keep_search_terms(digest, kept)
    return with_search_terms(sections, kept)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _encode(citations: tuple[Citation, ...], heads: list[Heading]) -> list[Any]:
    return [[[c.start, c.end, c.narrative,
              [[i.key, i.prefix, i.locator, i.suppress_author] for i in c.items]]
             for c in citations],
            [list(h) for h in heads]]


def _decode(value: Any) -> tuple[tuple[Citation, ...], tuple[Heading, ...]] | None:
    try:
        citations, heads = value
        found = []
        for start, end, narrative, items in citations:
            if type(start) is not int or type(end) is not int or type(narrative) is not bool:
                return None
            cited = []
            for key, prefix, locator, suppress in items:
                if not (isinstance(key, str) and isinstance(prefix, str)
                        and isinstance(locator, str) and type(suppress) is bool):
                    return None
                cited.append(CiteItem(key, prefix, locator, suppress))
            found.append(Citation(start, end, tuple(cited), narrative))
        sections = []
        for at, title, anchor in heads:
            if type(at) is not int or not isinstance(title, str) or not isinstance(anchor, str):
                return None
            sections.append((at, title, anchor))
    except (TypeError, ValueError):  # None (nothing kept) and records of another shape
        return None
    return tuple(found), tuple(sections)
