"""CARE completeness: which of the 13 CARE checklist items (2013) each case reports.

CARE (Gagnier et al., 2013) lists what a case report should contain. The content model
follows its order, so each item maps to fields; an item is *present* when its fields say what
CARE asks, *partial* when some of it is there, *missing* when nothing is. The report is for
editors (`casepress check --care` and the generated `editors/care.md` page); a missing item is
not an error, as many published cases lack some.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from casepress.checks.cross_references import cited_keys_in
from casepress.content.loader import Content

if TYPE_CHECKING:
    from casepress.models import Case

class Status(StrEnum):
    PRESENT = "present"
    PARTIAL = "partial"
    MISSING = "missing"


@dataclass(frozen=True)
class CareItem:
    number: int
    name: str
    status: Status
    note: str  # what is there, or what to add and where
    field: str  # the YAML field(s) that hold the item


Check = Callable[["Case"], tuple[Status, str]]


def _title(case: Case) -> tuple[Status, str]:
    return Status.PRESENT, "title given"


def _keywords(case: Case) -> tuple[Status, str]:
    count = len(case.keywords)
    if count >= 2:
        return Status.PRESENT, f"{count} keywords"
    if count == 1:
        return Status.PARTIAL, "1 keyword; CARE asks for 2 to 5"
    return Status.MISSING, "add 2 to 5 keywords under `keywords:`"


def _abstract(case: Case) -> tuple[Status, str]:
    return Status.PRESENT, f"summary with {len(case.summary.lessons)} take-away lesson(s)"


def _introduction(case: Case) -> tuple[Status, str]:
    if not case.introduction:
        return Status.MISSING, "add `introduction`: why this case is worth reporting"
    if not cited_keys_in(case.introduction):
        return Status.PARTIAL, "introduction cites no literature"
    return Status.PRESENT, "introduction with references"


def _patient(case: Case) -> tuple[Status, str]:
    p = case.presentation
    if p.history or p.prior_treatments:
        return Status.PRESENT, (f"demographics, main symptom, {len(p.history)} history item(s), "
                                f"{len(p.prior_treatments)} prior treatment(s)")
    return Status.PARTIAL, ("demographics and main symptom only; add `presentation.history` "
                            "or `prior_treatments`")


def _clinical_findings(case: Case) -> tuple[Status, str]:
    if case.presentation.physical_examination:
        return Status.PRESENT, "physical examination recorded"
    return Status.MISSING, "no physical examination: add `presentation.physical_examination`"


def _timeline(case: Case) -> tuple[Status, str]:
    events = len(case.interventions) + len(case.outcomes)
    if case.outcomes:
        return Status.PRESENT, f"{events} timed events (drawn as the case timeline)"
    return Status.PARTIAL, "interventions are timed, but no outcome is"


def _diagnostic(case: Case) -> tuple[Status, str]:
    d = case.diagnostic_assessment
    if d.imaging or d.other:
        return Status.PRESENT, f"diagnosis with {len(d.imaging) + len(d.other)} test(s)"
    return Status.PARTIAL, "diagnosis only; add the tests under `imaging:` or `other:`"


def _interventions(case: Case) -> tuple[Status, str]:
    bare = [i.id for i in case.interventions if not (i.agents or i.events)]
    if not bare:
        return Status.PRESENT, f"{len(case.interventions)} intervention(s) with agents or steps"
    return Status.PARTIAL, "add `agents:` (what, how much) or `events:` to " + ", ".join(bare)


def _outcomes(case: Case) -> tuple[Status, str]:
    if not case.outcomes:
        return Status.MISSING, "add follow-up observations under `outcomes:`"
    # `adverse_events: none` (the source states there were none) is not an adverse event
    adverse = any(i.adverse_events and i.adverse_events != ["none"] for i in case.interventions)
    return Status.PRESENT, (f"{len(case.outcomes)} follow-up observation(s)"
                            + ("; adverse events reported" if adverse else ""))


def _discussion(case: Case) -> tuple[Status, str]:
    if not case.discussion:
        return Status.MISSING, "add `discussion:` points citing the literature"
    if not any(cited_keys_in(point.text) for point in case.discussion):
        return Status.PARTIAL, "discussion cites no literature"
    return Status.PRESENT, f"{len(case.discussion)} discussion point(s) with references"


def _perspective(case: Case) -> tuple[Status, str]:
    if case.patient_perspective:
        return Status.PRESENT, "patient perspective recorded"
    return Status.MISSING, "add `patient_perspective` if the patient shared one"


def _consent(case: Case) -> tuple[Status, str]:
    if case.informed_consent:
        return Status.PRESENT, "consent statement recorded"
    return Status.MISSING, "add `informed_consent`: did the patient consent to publication?"


ITEMS: list[tuple[int, str, str, Check]] = [
    (1, "Title", "title", _title),
    (2, "Keywords", "keywords", _keywords),
    (3, "Abstract", "summary", _abstract),
    (4, "Introduction", "introduction", _introduction),
    (5, "Patient information", "patient, presentation", _patient),
    (6, "Clinical findings", "presentation.physical_examination", _clinical_findings),
    (7, "Timeline", "interventions[].when, outcomes[].when", _timeline),
    (8, "Diagnostic assessment", "diagnostic_assessment", _diagnostic),
    (9, "Therapeutic intervention", "interventions", _interventions),
    (10, "Follow-up and outcomes", "outcomes", _outcomes),
    (11, "Discussion", "discussion, conclusion", _discussion),
    (12, "Patient perspective", "patient_perspective", _perspective),
    (13, "Informed consent", "informed_consent", _consent),
]


def care_report(case: Case) -> list[CareItem]:
    return [CareItem(number, name, *check(case), field) for number, name, field, check in ITEMS]


@dataclass(frozen=True)
class CaseReport:
    slug: str
    file: str
    title: str
    items: list[CareItem]

    def count(self, status: Status) -> int:
        return sum(item.status is status for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "file": self.file, "title": self.title,
                "items": [{"number": i.number, "item": i.name, "status": str(i.status),
                           "note": i.note, "field": i.field} for i in self.items]}


def care_reports(content: Content) -> list[CaseReport]:
    return [CaseReport(slug, doc.file, doc.model.title, care_report(doc.model))
            for slug, doc in content.cases.items()]


def format_care_text(reports: list[CaseReport]) -> str:
    """The report for a terminal: one block per case, one line per item."""
    blocks = []
    for report in reports:
        lines = [f"CARE checklist for {report.file}: {report.count(Status.PRESENT)} present, "
                 f"{report.count(Status.PARTIAL)} partial, {report.count(Status.MISSING)} missing"]
        width = max(len(item.name) for item in report.items)
        lines += [f"  {item.number:>2} {item.name:<{width}}  {item.status:<7}  {item.note}"
                  for item in report.items]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) if blocks else "No case files to report on."
