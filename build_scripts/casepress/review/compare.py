"""Two versions of a project compared as a reviewer needs them: what changed in each content
file and in references.bib (`history.changes`), which citation numbers move and on which
pages, and which built pages change.

Each version is a project folder (the working tree, or a revision exported by
`history.git`); both go through the same loading and the same pipeline a build runs, so
the report speaks of the pages readers will see. A version whose content does not validate
still has its valid files compared; its problems are listed, and the pages are compared
only when both versions build.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from casepress.content.loader import KINDS, Content, Document
from casepress.diagnostics import Diagnostic, Severity
from casepress.history.changes import (
    Change,
    clinical_first,
    diff_bibliographies,
    diff_document,
    document_added,
    document_removed,
    document_renamed,
)
from casepress.pipeline import BuildCache, run_pipeline
from casepress.project import ProjectOptions
from casepress.references.bibfile import Bibliography
from casepress.site.build import SiteOutput
from casepress.urls import page_address

RENAME_SIMILARITY = 0.5  # as git's rename detection: half the lines kept


@dataclass(frozen=True)
class Version:
    """One side of the comparison: a label for people and the project as it was."""

    label: str
    options: ProjectOptions
    nav: object | None = None


@dataclass(frozen=True)
class NumberShift:
    key: str
    old: int
    new: int
    pages: tuple[str, ...]


@dataclass(frozen=True)
class PageChange:
    path: str  # the page's source path in the site, e.g. cases/x.md
    address: str  # its address relative to the site root, e.g. cases/x/
    action: str  # changed, added or removed


@dataclass
class Review:
    base: str
    head: str
    changes: list[Change] = field(default_factory=list)
    problems: dict[str, list[Diagnostic]] = field(default_factory=dict)  # by version label
    shifts: list[NumberShift] = field(default_factory=list)
    pages: list[PageChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def clinical(self) -> list[Change]:
        return [c for c in self.changes if c.clinical]


@dataclass
class _Built:
    """One version as the pipeline left it, with its content files' bytes."""

    content: Content
    raw: dict[str, bytes]  # project path -> bytes, every content file
    kinds: dict[str, str]  # project path -> kind
    bibliography: Bibliography | None  # None: the version has no references.bib
    errors: list[Diagnostic]
    site: SiteOutput | None  # None: its content does not build


def _build(options: ProjectOptions, nav: object | None) -> _Built:
    """Loaded, checked and rendered once, as a build does; what did not load is in `errors`."""
    result = run_pipeline(options, nav, BuildCache.single())
    raw, kinds = {}, {}
    for kind in KINDS:
        folder = options.content_dir / kind
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            if path.is_file():
                relative = options.relative(path)
                raw[relative], kinds[relative] = path.read_bytes(), kind
    errors = sorted({d for d in result.diagnostics if d.severity is Severity.ERROR})
    bibliography = result.project.bibliography if options.bibliography.is_file() else None
    return _Built(result.project.content, raw, kinds, bibliography, errors,
                  result.site if result.ok else None)


def _documents(content: Content) -> dict[str, Document[Any]]:
    return {doc.file: doc for doc in content.documents()}


def _similar(a: bytes, b: bytes) -> float:
    return difflib.SequenceMatcher(a=a.splitlines(), b=b.splitlines(), autojunk=False).ratio()


def _renames(removed: list[str], added: list[str], base: _Built, head: _Built
             ) -> list[tuple[str, str]]:
    """Removed and added files of one kind paired when most of their lines are the same."""
    pairs = []
    candidates = sorted(((_similar(base.raw[old], head.raw[new]), old, new)
                         for old in removed for new in added
                         if base.kinds[old] == head.kinds[new]), reverse=True)
    used: set[str] = set()
    for score, old, new in candidates:
        if score >= RENAME_SIMILARITY and old not in used and new not in used:
            pairs.append((old, new))
            used.update((old, new))
    return sorted(pairs)


def _file_changes(base: _Built, head: _Built, notes: list[str]) -> list[Change]:
    old_docs, new_docs = _documents(base.content), _documents(head.content)
    removed = [p for p in base.raw if p not in head.raw]
    added = [p for p in head.raw if p not in base.raw]
    renames = _renames(removed, added, base, head)
    pairs = [(p, p) for p in head.raw if p in base.raw and base.raw[p] != head.raw[p]]
    changes: list[Change] = []
    for old_path, new_path in sorted(renames + pairs, key=lambda pair: pair[1]):
        kind = head.kinds[new_path]
        old, new = old_docs.get(old_path), new_docs.get(new_path)
        if old_path != new_path:
            changes.append(document_renamed(kind, old_path, new_path,
                                            new.model if new else None))
        if old is None or new is None:
            side = "the base" if old is None else "the head"
            notes.append(f"{new_path}: not compared field by field, it does not validate in "
                         f"{side} version (its problems are listed below)")
            continue
        changes += diff_document(kind, new_path, old.model, new.model)
    renamed = {p for pair in renames for p in pair}
    for path in added:
        if path not in renamed:
            doc = new_docs.get(path)
            changes.append(document_added(head.kinds[path], path, doc.model if doc else None))
    for path in removed:
        if path not in renamed:
            doc = old_docs.get(path)
            changes.append(document_removed(base.kinds[path], path,
                                            doc.model if doc else None))
    return changes


def _shifts(base: SiteOutput, head: SiteOutput) -> list[NumberShift]:
    moved: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for path in head.pages:
        if path not in base.pages:
            continue
        before = base.numbering.numbers_on(path)
        for key, number in head.numbering.numbers_on(path).items():
            if key in before and before[key] != number:
                moved[(key, before[key], number)].append(path)
    return [NumberShift(key, old, new, tuple(sorted(pages)))
            for (key, old, new), pages in sorted(moved.items(), key=lambda i: (i[0][0], i[0][1]))]


def _page_changes(base: SiteOutput, head: SiteOutput) -> list[PageChange]:
    changed = [PageChange(p, page_address(p), "changed") for p, page in head.pages.items()
               if p in base.pages and base.pages[p].markdown != page.markdown]
    changed += [PageChange(p, page_address(p), "added") for p in head.pages
                if p not in base.pages]
    changed += [PageChange(p, page_address(p), "removed") for p in base.pages
                if p not in head.pages]
    return sorted(changed, key=lambda c: c.path)


def compare(base: Version, head: Version) -> Review:
    review = Review(base.label, head.label)
    old, new = _build(base.options, base.nav), _build(head.options, head.nav)
    review.problems = {version.label: built.errors for version, built in
                       ((base, old), (head, new)) if built.errors}
    changes = _file_changes(old, new, review.notes)
    bib_file = head.options.relative(head.options.bibliography)
    if old.bibliography is not None or new.bibliography is not None:
        changes += diff_bibliographies(bib_file, old.bibliography, new.bibliography)
    review.changes = clinical_first(changes)
    if old.site is None or new.site is None:
        broken = " and ".join(v.label for v, built in ((base, old), (head, new))
                              if built.site is None)
        review.notes.append(f"pages and citation numbers not compared: the content of {broken} "
                            "does not build (its problems are listed below)")
        return review
    review.shifts = _shifts(old.site, new.site)
    review.pages = _page_changes(old.site, new.site)
    return review
