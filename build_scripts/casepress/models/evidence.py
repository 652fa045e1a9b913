"""A table of published results, one row per study."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from casepress.models.common import BibKey, ContentModel, Name, Text

Design = Literal[
    "systematic review",
    "randomised trial",
    "prospective cohort",
    "retrospective cohort",
    "case-control",
    "case series",
    "case report",
]


Provenance = Literal["citing article", "cited title", "editors"]
"""Where a number comes from: stated by the article that cites the study, taken from the
cited paper's own title, or worked out by the editors."""


class EvidenceRow(ContentModel):
    reference: BibKey
    design: Design
    role: Literal["question", "comparator"] = "question"
    """`comparator`: a treatment other than the one the table's question asks about (e.g.
    radiotherapy beside cement injection); shown in a group of its own, never pooled."""
    unit: Literal["patients", "lesions", "procedures", "not stated"]
    """What n and the counts are counted in: 18 "cases" may be 18 lesions, not patients."""
    setting: Name
    """Anatomical site(s) treated, e.g. 'spine' or 'acetabulum'."""
    condition: Name
    intervention: Name
    n: Annotated[int, Field(ge=1)] | None = None
    """Patients in the study; leave out where the source does not state it."""
    n_from: Provenance = "citing article"
    outcome: Name
    """How the outcome was defined, e.g. 'partial or complete pain relief'."""
    timepoint: Name | None = None
    events: Annotated[int, Field(ge=0)] | None = None
    """Numerator: patients with the outcome, where the source gives a count."""
    denominator: Annotated[int, Field(ge=1)] | None = None
    """Patients assessed for the outcome, where it differs from or stands in for `n`."""
    reported_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    """The percentage as the source reports it."""
    counts_from: Provenance = "citing article"
    """Where `events`, `denominator` and `reported_percent` come from."""
    percent_checked: bool = False
    """True once an editor has compared a percentage that does not fit the patient count with
    the source and found it printed so: `casepress check` stops asking; the page still marks
    the row."""
    notes: Text | None = None


class EvidenceTable(ContentModel):
    title: Name
    question: Text
    outcome: Name
    rows: list[EvidenceRow] = Field(min_length=1)
