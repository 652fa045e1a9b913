"""`casepress new-case|new-technique|new-evidence <slug>`: a commented file that validates.

Every value to fill in starts with `TODO` (`PLACEHOLDER`), and `casepress check` warns about
each one left (`checks.placeholders`), so an editor can go down the list of warnings until
none is left.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import TYPE_CHECKING

from casepress.content.loader import SCHEMA_NAMES

if TYPE_CHECKING:
    from casepress.project import ProjectOptions

PLACEHOLDER = "TODO"

_HEADER = """\
# yaml-language-server: $schema=../schema/{schema}.schema.json
# Fill in every value or comment marked TODO and delete the TODO; `casepress check` lists
# those left. Cite with [@key] (keys from references.bib) and preview with `mkdocs serve`.
"""

CASE = _HEADER + """\
# Time is days from the first procedure (day 0), never a calendar date, and nothing may
# identify the patient: no name, initials, place, record number or age over 89.
title: "TODO: the diagnosis or intervention this case is about"
# short_title: a shorter title for listings
keywords:  # CARE item 2: two to five keywords
  - "TODO: keyword"
  - "TODO: keyword"
# source:  # the publication this case is taken from, if any
#   authors: [Surname AB, Surname CD]
#   title: Title of the article
#   journal: Journal abbreviation
#   year: 2024
summary:
  what_it_adds: "TODO: in two or three sentences, what this case adds"
  lessons:
    - "TODO: one take-away lesson per item"
introduction: "TODO: why this case is worth reporting, citing what is known"
patient:  # demographics only
  age_years: 0  # TODO: age in whole years; an age over 89 is written as 90
  sex: not stated  # male, female, intersex or not stated
  primary_condition: "TODO: the main diagnosis"
  # condition_code: ICD-10 code of the main diagnosis
presentation:
  chief_complaint: "TODO: the main symptom, in a sentence"
  history:
    - "TODO: relevant medical, family or psychosocial history, one item each"
  physical_examination: "TODO: significant examination findings"
  prior_treatments:
    - name: "TODO: a treatment given before"
      outcome: "TODO: how it worked"
diagnostic_assessment:
  diagnosis: "TODO: the diagnosis and how it was reached"
  imaging:
    - modality: "TODO: e.g. MR imaging"
      site: "TODO: e.g. sacrum"
      finding: "TODO: what the study showed"
interventions:
  - id: procedure  # a lower-case id that other parts of the case can refer to
    title: "TODO: what was done"
    when: {day: 0}  # days from the first procedure, or {after: <id>, days: N}
    target: "TODO: e.g. left sacral metastasis"
    setting: "TODO: e.g. CT suite"
    guidance: "TODO: e.g. CT"
    agents:
      - name: "TODO: e.g. bone cement"
        volume_ml: 1  # TODO: volume in mL
        purpose: "TODO: why it was given"
    events:
      - "TODO: what happened during the procedure, one step per item"
    result: "TODO: the immediate result"
    # What went wrong, as the source reports it. Write `adverse_events: none` only where the
    # source states that nothing did; left out, the page says "not reported".
    adverse_events:
      - "TODO: each adverse event or complication, or replace the list with: none"
outcomes:
  - id: follow-up
    when: {after: procedure, days: 1}  # TODO: days after the procedure
    summary: "TODO: what was found at follow-up"
discussion:
  - topic: "TODO: a point the case raises"
    text: "TODO: the discussion, citing the literature"
conclusion: "TODO: the main conclusion"
patient_perspective: "TODO: the patient's own view of the treatment, if shared"
informed_consent: "TODO: whether the patient consented to publication"
# figures:  # refer to them in any text as @fig-<id>, or @fig-<id>-a for one panel
#   - id: ct
#     title: CT after the procedure
#     caption: What the figure shows.
#     panels:
#       - letter: A
#         modality: CT
#         description: What panel A shows.
#         alt: What a reader who cannot see the image needs to know.
# technique: slug-of-a-technique  # content/techniques/<slug>.yaml
# evidence:
#   - slug-of-an-evidence-table  # content/evidence/<slug>.yaml
"""

TECHNIQUE = _HEADER + """\
title: "TODO: name of the procedure"
aliases:  # other names clinicians search for
  - "TODO: another name"
summary: "TODO: what the procedure is and what it is for, in two or three sentences"
indications:
  - "TODO: when to use it, one item each"
contraindications:
  - "TODO: when not to use it"
equipment:
  - "TODO: needles, guidance, materials"
steps:
  - title: "TODO: first step"
    detail: "TODO: how it is done"
materials:
  - name: "TODO: e.g. PMMA bone cement"
    purpose: "TODO: why it is used"
pitfalls:
  - problem: "TODO: what can go wrong"
    prevention: "TODO: how to avoid it"
"""

EVIDENCE = _HEADER + """\
# One row per study, with numbers exactly as the source reports them.
title: "TODO: the question in a few words"
question: "TODO: the clinical question the table answers"
outcome: "TODO: the outcome compared across rows, e.g. pain relief"
rows:
  - reference: {key}  # TODO: the study's key in references.bib
    design: case series  # {designs}
    unit: patients  # what n and the counts count: patients, lesions, procedures, not stated
    setting: "TODO: anatomical site, e.g. spine"
    condition: "TODO: e.g. vertebral metastases"
    intervention: "TODO: e.g. percutaneous vertebroplasty"
    outcome: "TODO: how the outcome was defined"
    # n: 20  patients in the study
    # events: 16  patients with the outcome
    # denominator: 20  patients assessed, where it differs from n
    # reported_percent: 80  the percentage as the source reports it
"""

COMMANDS = {"new-case": "cases", "new-technique": "techniques", "new-evidence": "evidence"}


class SkeletonError(Exception):
    """A reason not to write the file, phrased for the editor."""


def skeleton_text(kind: str, first_key: str | None = None) -> str:
    from casepress.models.evidence import Design

    text = {"cases": CASE, "techniques": TECHNIQUE, "evidence": EVIDENCE}[kind]
    text = text.replace("{schema}", SCHEMA_NAMES[kind])
    return (text.replace("{key}", first_key or "TODO-key")
            .replace("{designs}", ", ".join(typing.get_args(Design))))


def write_skeleton(options: ProjectOptions, kind: str, slug: str,
                   first_key: str | None = None) -> Path:
    """Create content/<kind>/<slug>.yaml; never overwrites an existing file."""
    from pydantic import TypeAdapter, ValidationError

    from casepress.models.common import Slug

    try:
        TypeAdapter(Slug).validate_python(slug)
    except ValidationError:
        raise SkeletonError(f"'{slug}' is not a valid slug: use lower-case letters, digits "
                            "and hyphens (at most 80), e.g. `left-sacroplasty`") from None
    path = options.content_dir / kind / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": fails if the file exists
            out.write(skeleton_text(kind, first_key))
    except FileExistsError:
        raise SkeletonError(f"{options.relative(path)} already exists; choose another slug "
                            "or edit that file") from None
    return path
