"""Checks: everything that reads the loaded project and reports `Diagnostic`s.

`CHECKS` is the one ordered list the pipeline runs after loading, before anything is rendered
(as bibtexparser's parse stack is one list of middleware). Each check is a plain function of
the project and its hand-written pages; none changes them. Checks that need more run where
their input exists: what real images need (`real_images`) beside the figure files read,
reference problems that need the numbering (`references.reference_problems`) and the
unsafe-markup scan of rendered pages (`html_safety`) later in the flow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casepress.cache import SlotCache
from casepress.checks.cross_references import (
    check_cross_references,
    check_own_reference_list,
    check_page_citations,
)
from casepress.checks.generated_paths import check_generated_paths
from casepress.checks.placeholders import placeholder_problems
from casepress.checks.symlinks import links_outside
from casepress.diagnostics import Diagnostic
from casepress.pages import Page
from casepress.project import Project

if TYPE_CHECKING:  # imported with the first case file (see _deidentification)
    from casepress.checks.deidentification import PhiCache

Check = Callable[[Project, Sequence[Page], "CheckCache"], list[Diagnostic]]


@dataclass
class CheckCache:
    """What checks may take over from an earlier build in the same process (`mkdocs serve`),
    each keyed by what it was made from; part of the `pipeline.BuildCache`."""

    document_text: SlotCache[list[Diagnostic]] = field(default_factory=SlotCache)
    placeholders: SlotCache[list[Diagnostic]] = field(default_factory=SlotCache)
    phi: PhiCache = field(default_factory=lambda: _phi_cache())

    @classmethod
    def forgetting(cls) -> CheckCache:
        """For a build with none after it: each file's words, taken into the library's
        vocabulary, are let go at once (16 KB a case), as are each file's problems."""
        return cls(SlotCache(remember=False), SlotCache(remember=False),
                   _phi_cache(SlotCache(remember=False)))


def _phi_cache(words: SlotCache[frozenset[str]] | None = None) -> PhiCache:
    from casepress.checks.deidentification import PhiCache

    return PhiCache(words or SlotCache())


def _cross_references(project: Project, handwritten: Sequence[Page], cache: CheckCache
                      ) -> list[Diagnostic]:
    return check_cross_references(project, cache.document_text)


def _deidentification(project: Project, handwritten: Sequence[Page], cache: CheckCache
                      ) -> list[Diagnostic]:
    if not project.content.cases:  # its patterns are only wanted for case files
        return []
    from casepress.checks.deidentification import check_phi

    return check_phi(project.content, cache.phi)


def _evidence_numbers(project: Project, handwritten: Sequence[Page],
                      cache: CheckCache) -> list[Diagnostic]:
    if not project.content.evidence:  # the statistics are only wanted for evidence tables
        return []
    from casepress.checks.evidence_numbers import percent_problems

    return percent_problems(project.content)


def _placeholders(project: Project, handwritten: Sequence[Page],
                  cache: CheckCache) -> list[Diagnostic]:
    return placeholder_problems(project.content, cache.placeholders)


def _files_outside_project(project: Project, handwritten: Sequence[Page],
                           cache: CheckCache) -> list[Diagnostic]:
    return links_outside(project.options)


def _page_citations(project: Project, handwritten: Sequence[Page],
                    cache: CheckCache) -> list[Diagnostic]:
    return [d for page in handwritten for d in (*check_page_citations(project, page),
                                                 *check_own_reference_list(project, page))]


def _generated_paths(project: Project, handwritten: Sequence[Page],
                     cache: CheckCache) -> list[Diagnostic]:
    return check_generated_paths(handwritten)


CHECKS: tuple[Check, ...] = (
    _cross_references,
    _deidentification,
    _evidence_numbers,
    _placeholders,
    _files_outside_project,
    _page_citations,
    _generated_paths,
)


def run_checks(project: Project, handwritten: Sequence[Page],
               cache: CheckCache | None = None) -> list[Diagnostic]:
    cache = cache or CheckCache()
    return [d for check in CHECKS for d in check(project, handwritten, cache)]
