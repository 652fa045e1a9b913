"""The whole flow in one call, shared by the MkDocs plugin and the command line.

content + references.bib -> load and validate -> resolve -> render -> finished pages.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casepress.crossrefs import check_markdown_citations
from casepress.diagnostics import Diagnostic, encoding_error, error, has_errors
from casepress.figures import IMAGE_SUFFIXES
from casepress.inputs import check_inputs
from casepress.pagescan import scan_page
from casepress.project import Project, ProjectOptions, load_project
from casepress.resolve import Page, headings
from casepress.site import SiteOutput, build_site

if TYPE_CHECKING:
    from casepress.references.store import ReferenceStore

# Folders of docs/ that the build fills; a hand-written page there would clash.
GENERATED_FOLDERS = ("cases", "techniques", "evidence", "editors")


@dataclass
class PipelineResult:
    project: Project
    site: SiteOutput | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return self.site is not None and not has_errors(self.diagnostics)


def _title(inside: str, markdown: str) -> str:
    heads = headings(markdown)
    stem = posixpath.splitext(posixpath.basename(inside))[0]
    return heads[0][1] if heads else stem.replace("-", " ").capitalize()


def _markdown_files(docs: Path) -> list[str]:
    """The .md files under docs/ (paths inside it), hidden files and folders left out, in the
    order `sorted(docs.rglob("*.md"))` gives: os.walk with plain strings, because a Path
    object per page cost more than reading the page."""
    found = []
    for folder, subfolders, files in os.walk(docs):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        inside = os.path.relpath(folder, docs).replace(os.sep, "/")
        prefix = "" if inside == "." else inside + "/"
        found += [prefix + name for name in files
                  if name.endswith(".md") and not name.startswith(".")]
    return sorted(found, key=lambda inside: inside.split("/"))


def read_handwritten(options: ProjectOptions, store: ReferenceStore | None = None
                     ) -> tuple[list[Page], list[Diagnostic]]:
    """The Markdown pages an editor wrote under docs/ (never generated ones); a page that is
    not UTF-8 is reported, since MkDocs would stop on it with a traceback. With a `store`,
    each page's scans come from the disk cache when its text is unchanged."""
    docs = options.docs_dir
    folder = options.relative(docs)  # once: resolving each page's path costs system calls
    pages, problems = [], []
    for inside in _markdown_files(docs):
        with open(os.path.join(docs, inside), "rb") as file:
            raw = file.read()
        try:
            markdown = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(encoding_error(f"{folder}/{inside}", raw, exc))
            continue
        if store is not None:
            scan_page(markdown, store)
        pages.append(Page(inside, _title(inside, markdown), markdown, f"{folder}/{inside}"))
    return pages, problems


def figure_files(options: ProjectOptions) -> set[str]:
    folder = options.docs_dir / "assets" / "figures"
    if not folder.is_dir():
        return set()
    return {p.relative_to(options.docs_dir).as_posix() for p in folder.rglob("*")
            if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()}


def run_pipeline(options: ProjectOptions, nav: object | None) -> PipelineResult:
    project, diagnostics = load_project(options)
    try:
        return _run(project, options, nav, diagnostics)
    finally:
        # Reference work done so far, kept for the next build even when this one stops on
        # a content error: the editor fixing it rebuilds without redoing it.
        project.store.flush()


def _run(project: Project, options: ProjectOptions, nav: object | None,
         diagnostics: list[Diagnostic]) -> PipelineResult:
    diagnostics += check_inputs(options)  # links to files outside the project
    handwritten, unreadable = read_handwritten(options, project.store)
    diagnostics += unreadable
    for page in handwritten:
        diagnostics += check_markdown_citations(project, page.source, page.markdown)
    for page in handwritten:
        if page.path == "bibliography.md" or page.path.split("/")[0] in GENERATED_FOLDERS:
            diagnostics.append(error(page.source, None, "docs-conflict",
                                     f"docs/{page.path} would hide a generated page",
                                     "move it elsewhere: " + ", ".join(
                                         f"{f}/" for f in GENERATED_FOLDERS)
                                     + " and bibliography.md are generated from content/"))
    if has_errors(diagnostics):
        return PipelineResult(project, None, diagnostics)
    site = build_site(project, handwritten, nav, figure_files(options))
    return PipelineResult(project, site, diagnostics + site.diagnostics)
