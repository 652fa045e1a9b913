"""What the site is made of on its way to the engine: Markdown pages and generated files.

A `Page` scans its own text once, on first use, for the citations and headings the later
steps need (checks, numbering, rendering); the page object is the scan's only keeper, so a
page that is reused between builds (see `cache.BuildCache`) is not scanned again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from markdown.extensions.toc import slugify, unique

from casepress.citations.syntax import Citation, find_citations, protected_spans
from casepress.content.figures import is_figure_key

Heading = tuple[int, str, str]  # offset, title, anchor id
_HEADING = re.compile(r"^(#{1,6})[ \t]+(?P<title>.+?)[ \t]*(?:\{[^}\n]*#(?P<id>[\w-]+)[^}\n]*\})?"
                      r"[ \t#]*$", re.MULTILINE)


def headings(markdown: str) -> list[Heading]:
    """(offset, title, anchor id) of every ATX heading, ids as Python-Markdown's toc makes them."""
    skip = [s for s in protected_spans(markdown) if "\n" in markdown[s[0]:s[1]]]
    used: set[str] = set()
    found = []
    for match in _HEADING.finditer(markdown):
        if any(s <= match.start() < e for s, e in skip):
            continue
        title = match["title"]
        plain = re.sub(r"[*_`\[\]]|\(.*?\)", "", title).strip()
        anchor = match["id"] or unique(slugify(plain, "-"), used)
        used.add(anchor)
        found.append((match.start(), plain, anchor))
    return found


@dataclass(frozen=True)
class Page:
    """A Markdown page on its way to the engine; `path` is relative to the docs folder and
    `source` names the file an editor changes to change it."""

    path: str
    title: str
    markdown: str
    source: str

    @cached_property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation and figure reference, in order."""
        return tuple(find_citations(self.markdown))

    @cached_property
    def reference_citations(self) -> tuple[Citation, ...]:
        """The citations of references.bib entries (figure references left out)."""
        return tuple(c for c in self.citations if not any(is_figure_key(k) for k in c.keys))

    @cached_property
    def headings(self) -> list[Heading]:
        return headings(self.markdown)


@dataclass(frozen=True)
class Asset:
    """A generated non-Markdown file; `path` is relative to the docs folder."""

    path: str
    content: bytes
