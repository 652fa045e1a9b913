"""The Markdown pages an editor wrote under docs/."""

from __future__ import annotations

import posixpath
from functools import partial
from pathlib import Path

from casepress.cache import SlotCache
from casepress.diagnostics import Diagnostic, encoding_error
from casepress.pages import Page, headings
from casepress.project import ProjectOptions


def _title(inside: str, markdown: str) -> str:
    heads = headings(markdown)
    stem = posixpath.splitext(posixpath.basename(inside))[0]
    return heads[0][1] if heads else stem.replace("-", " ").capitalize()


def _page(inside: str, markdown: str, folder: str) -> Page:
    return Page(inside, _title(inside, markdown), markdown, f"{folder}/{inside}")


def _markdown_files(docs: Path) -> list[Path]:
    """The .md files under docs/, hidden files and folders left out, in path order."""
    return sorted(path for path in docs.rglob("*.md")
                  if not any(part.startswith(".") for part in path.relative_to(docs).parts))


def read_handwritten(options: ProjectOptions, earlier: SlotCache[Page] | None = None
                     ) -> tuple[list[Page], list[Diagnostic]]:
    """The hand-written pages (never generated ones); a page that is not UTF-8 is reported,
    since MkDocs would stop on it with a traceback. A page whose text is unchanged since an
    earlier build that kept it in `earlier` is that build's `Page`, scans and all."""
    docs = options.docs_dir
    folder = options.relative(docs)
    earlier = earlier if earlier is not None else SlotCache()
    pages, problems = [], []
    for path in _markdown_files(docs):
        inside = path.relative_to(docs).as_posix()
        raw = path.read_bytes()
        try:
            markdown = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(encoding_error(f"{folder}/{inside}", raw, exc))
            continue
        pages.append(earlier.get(inside, markdown, partial(_page, inside, markdown, folder)))
    return pages, problems
