"""What the site is made of on its way to the engine: Markdown pages and generated files.

A `Page` scans its own text once, on first use, for the citations and headings the later
steps need (checks, numbering, rendering); the page object is the scan's only keeper, so a
page that is reused between builds (see `cache.BuildCache`) is not scanned again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

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


class FinishedPage(Protocol):
    """A page as the output of a build holds it: in memory (`Page`) or on disk (`PageFile`)."""

    @property
    def path(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def markdown(self) -> str: ...


@dataclass(frozen=True)
class PageFile:
    """A finished page kept on disk instead of in memory; its Markdown is read when asked for."""

    path: str
    title: str
    source: str
    file: Path

    @property
    def markdown(self) -> str:
        return self.file.read_bytes().decode("utf-8")  # as written: no newline translation


# The temporary folders commands keep finished pages in are named so (see PageFolder).
PAGE_FOLDER_PREFIX = ".casepress-pages-"


@dataclass(frozen=True)
class PageFolder:
    """Keeps each finished page as a file under `folder` (at the page's path), so that a
    library's pages are not all in memory at once: at 10,000 cases their Markdown alone is
    some 700 MB (benchmarks/README.md). The folder is the caller's, made and removed by it."""

    folder: Path

    def keep(self, page: Page) -> PageFile:
        file = self.folder / page.path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(page.markdown, encoding="utf-8", newline="")
        return PageFile(page.path, page.title, page.source, file)


@dataclass(frozen=True)
class Asset:
    """A generated non-Markdown file; `path` is relative to the docs folder."""

    path: str
    content: bytes
