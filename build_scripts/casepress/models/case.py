"""A clinical case report, organised by the CARE checklist.

Time is always relative: days from the first procedure of the case, written either as
`day: N` or as `{after: <event id>, days: N}` exactly as the source states it; where the
source gives no date, `open_ended: true` ("on or after") or `latest` (an interval) say so.
Calendar dates of care are never recorded.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from casepress.models.common import (
    AltText,
    BibKey,
    Component,
    ContentModel,
    Name,
    Slug,
    Text,
    WebUrl,
)


class When(ContentModel):
    """A point in the case's course: exact, approximate ("about 3 months later"), open-ended
    ("on or after", the source gives no date) or an interval (`latest`)."""

    day: Annotated[int, Field(ge=-3650, le=36500)] | None = None
    """Days from the first procedure (day 0); negative before it."""
    after: Slug | None = None
    """Id of another intervention or follow-up this time is measured from."""
    days: Annotated[int, Field(ge=0, le=36500)] | None = None
    """Days after `after` (0 when `open_ended` and the source gives no interval)."""
    approximate: bool = False
    """True where the source gives the time loosely (e.g. 'about 3 months later')."""
    open_ended: bool = False
    """True where the source only says the event came on or after this time, not when: the
    page then says "on or after", and later events timed from it stay relative to it."""
    latest: Annotated[int, Field(ge=-3650, le=36500)] | None = None
    """The latest the event can have been, in the same terms as `day` or `days`: the source
    places it between the two."""
    as_stated: Name | None = None
    """The source's own words for the time, a short phrase quoted exactly, e.g. '3 months
    after the procedure'. Your own explanation goes in `note`."""
    note: Text | None = None
    """The editors' note on the time, e.g. why it is open-ended; shown labelled as theirs."""

    @model_validator(mode="after")
    def _one_form(self) -> When:
        if (self.day is None) == (self.after is None):
            raise ValueError("give either `day` or `after` with `days`")
        if self.after is not None and self.days is None and not self.open_ended:
            raise ValueError("`after` needs `days`, or `open_ended: true` where the source "
                             "gives no interval")
        return self

    @property
    def start(self) -> int:
        """`day` or `days`, whichever the time is written in."""
        return self.day if self.day is not None else self.days or 0

    @property
    def uncertain(self) -> bool:
        """The source does not pin the time to a day, even approximately."""
        return self.open_ended or self.latest is not None


class Source(ContentModel):
    """The publication the case is taken from."""

    authors: list[Name] = Field(min_length=1)
    title: Name
    journal: Name
    year: Annotated[int, Field(ge=1800, le=2100)]
    volume: Name | None = None
    issue: Name | None = None
    first_page: Name | None = None
    url: WebUrl | None = None


class Summary(ContentModel):
    what_it_adds: Text
    lessons: list[Text] = Field(min_length=1)


class SecondaryCode(ContentModel):
    code: Name
    """ICD-10, e.g. 'C79.51'."""
    site: Name
    """What it codes, e.g. 'secondary malignant neoplasm of bone'."""


class Patient(ContentModel):
    """Demographics only: never a name, initials, date or place."""

    age_years: Annotated[int, Field(ge=0, le=120)]
    sex: Literal["male", "female", "intersex", "not stated"]
    primary_condition: Name
    condition_code: Name | None = None
    """Optional ICD-10 code of the primary tumour or condition only, e.g. 'C22.0'."""
    secondary_codes: list[SecondaryCode] = Field(default_factory=list)
    """ICD-10 codes of secondary sites, e.g. C79.51 for bone metastases."""


class PriorTreatment(ContentModel):
    name: Name
    outcome: Text


class Presentation(ContentModel):
    chief_complaint: Text
    history: list[Text] = Field(default_factory=list)
    physical_examination: Text | None = None
    prior_treatments: list[PriorTreatment] = Field(default_factory=list)


class ImagingStudy(ContentModel):
    id: Slug | None = None
    when: When | None = None
    modality: Name
    sequence: Name | None = None
    plane: Name | None = None
    site: Name
    finding: Text


class DiagnosticAssessment(ContentModel):
    diagnosis: Text
    imaging: list[ImagingStudy] = Field(default_factory=list)
    other: list[Text] = Field(default_factory=list)


class Agent(ContentModel):
    """Something injected or placed, with its amount and why."""

    name: Name
    volume_ml: Annotated[float, Field(gt=0, le=1000)] | None = None
    mixture: list[Component] = Field(default_factory=list)
    composition_stated: bool = True
    """False where the source names the agent but not what it was made of ("3 mL of bone
    cement"): the page then says "composition not stated" instead of guessing a mixture."""
    purpose: Text
    technique: Text | None = None

    @model_validator(mode="after")
    def _mixture_sums_to_100(self) -> Agent:
        if self.mixture and abs(sum(c.percent for c in self.mixture) - 100) > 0.5:
            raise ValueError("mixture percentages must add up to 100")
        if self.mixture and not self.composition_stated:
            raise ValueError("`composition_stated: false` says the source gives no mixture, "
                             "so leave `mixture` out")
        return self


NONE_STATED = "none"


def _none_as_list(value: object) -> object:
    """`adverse_events: none` is the one-item list [none]: the source states there were none.
    `None` or `- none.` say the same; beside events, `none` would contradict them."""
    if value is None:  # `adverse_events:` with nothing after it
        raise ValueError(
            "is empty; list the adverse events the source reports, write `none` where it states "
            "there were none, or leave the field out (the page then says \"not reported\")")
    items = value if isinstance(value, list) else [value]
    said_none = [isinstance(item, str) and item.strip().rstrip(".").lower() == NONE_STATED
                 for item in items]
    if any(said_none) and len(items) > 1:
        raise ValueError(
            "`none` says the source states there were no adverse events, so it cannot stand "
            "beside the events listed; keep the events or `none`, not both")
    return [NONE_STATED] if any(said_none) else value


class Intervention(ContentModel):
    id: Slug
    title: Name
    when: When
    side: Name | None = None
    target: Name
    site: Name | None = None
    """The bone treated, in plain anatomical words ("sacrum", "L1 vertebral body"), for the
    case finder's Anatomical site; the target says what in it was treated."""
    setting: Name
    guidance: Name
    access: Name | None = None
    needle: Name | None = None
    needle_gauge: Annotated[int, Field(ge=6, le=30)] | None = None
    agents: list[Agent] = Field(default_factory=list)
    events: list[Text] = Field(default_factory=list)
    """What happened during the procedure."""
    result: Text
    completed: bool = True
    """False when the procedure was stopped before its goal."""
    # The JSON Schema editors type against accepts `none` as well as a list, as the model does.
    adverse_events: Annotated[list[Text], BeforeValidator(
        _none_as_list, json_schema_input_type=list[Text] | Literal["none"])] = Field(
        default_factory=list)
    """What went wrong, one item each, as the source reports it; `none` only where the source
    states that nothing did. Left out, the page says "not reported", never "none"."""
    figures: list[Slug] = Field(default_factory=list)


class Death(ContentModel):
    causes: list[Name] = Field(min_length=1)
    related_to_procedure: bool | None = None


class Outcome(ContentModel):
    """One follow-up observation. Fill the fields that apply."""

    id: Slug
    when: When
    summary: Text
    pain: Text | None = None
    function: Text | None = None
    imaging: ImagingStudy | None = None
    pathology: Text | None = None
    death: Death | None = None


class DiscussionPoint(ContentModel):
    topic: Name
    text: Text
    """Should cite its sources, e.g. `[@kaemmerlen1989]`."""
    status: Literal["finding", "hypothesis", "background"] | None = None
    """What the source offers here: a finding of the case, the authors' hypothesis, or
    background from the literature; shown to readers beside the heading."""


class Arrow(ContentModel):
    marker: Name
    """How the marker looks in the image, e.g. 'large arrows'."""
    points_to: Name


class ImageImport(ContentModel):
    """What `casepress add-image` imported for a panel, written by the command: the page and
    reviewers can tell a de-identified DICOM export from a photograph."""

    format: Literal["DICOM", "PNG", "JPEG", "TIFF"]
    """The format of the file that was imported (never kept: only the image made from it)."""
    modality: Name | None = None
    """DICOM modality code as the file gave it, e.g. 'MR', 'CT'."""
    window: Name | None = None
    """How DICOM values became grey levels, e.g. 'bone preset (centre 500, width 2000)'."""
    frames: Annotated[int, Field(ge=1, le=2000)] = 1
    """More than one: the panel is a stack the reader scrolls through."""
    deidentification: Name
    """What was removed, e.g. the DICOM PS3.15 profile applied, or photo metadata stripped."""
    imported: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    """The day of the import (YYYY-MM-DD): when the file was made, not when care happened."""


class Panel(ContentModel):
    letter: Annotated[str, Field(pattern=r"^[A-Z]$")]
    modality: Name
    sequence: Name | None = None
    plane: Name | None = None
    when: When | None = None
    description: Text
    alt: AltText
    """What a reader who cannot see the image needs to know."""
    arrows: list[Arrow] = Field(default_factory=list)
    magnification: Name | None = None
    image: ImageImport | None = None
    """Written by `casepress add-image`; left out for an image placed by hand."""


class Provenance(ContentModel):
    """Where a figure's images come from and on what terms they are shown."""

    source: Literal["case article", "own institution", "other publication"]
    """'case article': reproduced from the publication in `source:`; 'own institution': images
    of the editors' own patient; 'other publication': from another article, named in `credit`."""
    credit: Name
    """The credit line shown under the caption, e.g. 'Uemura et al., AJNR 2005'."""
    licence: Name
    """The terms the images are shown under, e.g. 'CC BY 4.0' or 'reproduced with permission'."""
    consent_documented: bool = False
    """True once the patient's consent to publish these images is on file (needed for images
    of the editors' own patient)."""


class Figure(ContentModel):
    id: Slug
    title: Name
    caption: Text
    panels: list[Panel] = Field(min_length=1)
    provenance: Provenance | None = None
    """Needed once a real image replaces a placeholder (`casepress check` asks for it)."""

    @model_validator(mode="after")
    def _panels_in_order(self) -> Figure:
        letters = [p.letter for p in self.panels]
        expected = [chr(ord("A") + i) for i in range(len(letters))]
        if letters != expected:
            raise ValueError(f"panels must be lettered {', '.join(expected)} in order")
        return self


class Case(ContentModel):
    title: Name
    short_title: Name | None = None
    keywords: list[Name] = Field(default_factory=list)
    source: Source | None = None
    summary: Summary
    introduction: Text | None = None
    patient: Patient
    presentation: Presentation
    diagnostic_assessment: DiagnosticAssessment
    interventions: list[Intervention] = Field(min_length=1)
    outcomes: list[Outcome] = Field(default_factory=list)
    discussion: list[DiscussionPoint] = Field(default_factory=list)
    conclusion: Text | None = None
    patient_perspective: Text | None = None
    informed_consent: Text | None = None
    figures: list[Figure] = Field(default_factory=list)
    technique: Slug | None = None
    """Slug of the technique page this case illustrates."""
    evidence: list[Slug] = Field(default_factory=list)
    """Slugs of evidence tables that put this case in context."""
    related_references: list[BibKey] = Field(default_factory=list)
