"""Checks: everything that reads the loaded project and reports `Diagnostic`s.

`CHECKS` is the one ordered list the pipeline runs after loading, before anything is rendered
(as bibtexparser's parse stack is one list of middleware). Each check is a plain function of
the project and its hand-written pages; none changes them. Reference problems that need the
numbering (`references.reference_problems`) and the unsafe-markup scan of rendered pages
(`html_safety`) run later in the flow, where their input exists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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

Check = Callable[[Project, Sequence[Page]], list[Diagnostic]]


def _cross_references(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
    return check_cross_references(project)


def _deidentification(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
    if not project.content.cases:  # its patterns are only wanted for case files
        return []
    from casepress.checks.deidentification import check_phi

    return check_phi(project.content)


def _evidence_numbers(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
    if not project.content.evidence:  # the statistics are only wanted for evidence tables
        return []
    from casepress.checks.evidence_numbers import percent_problems

    return percent_problems(project.content)


def _placeholders(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
    return placeholder_problems(project.content)


def _files_outside_project(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
    return links_outside(project.options)


def _page_citations(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
    return [d for page in handwritten for d in (*check_page_citations(project, page),
                                                 *check_own_reference_list(project, page))]


def _generated_paths(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
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


def run_checks(project: Project, handwritten: Sequence[Page]) -> list[Diagnostic]:
    return [d for check in CHECKS for d in check(project, handwritten)]
