"""De-identification lint: planted identifiers are found, clinical text and the seed are not,
and a reviewed false positive is silenced only where it is, with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from casepress.checks.deidentification import check_case_phi, check_phi, find_identifiers
from casepress.content.loader import Document, load_content, load_document
from casepress.diagnostics import Diagnostic
from conftest import REPO, SITES

PLANTED = [
    ("Seen by Mr Smith on the ward.", "phi-name", "Mr Smith"),
    ("Dr. Jones performed the procedure.", "phi-name", "Dr. Jones"),
    ("The patient John Doe agreed.", "phi-name", "patient John Doe"),
    ("A man named Peter presented.", "phi-name", "named Peter"),
    ("His daughter Anna came along.", "phi-name", "daughter Anna"),
    ("Admitted on May 24, 2004.", "phi-date", "on May 24, 2004"),
    ("Imaged 24 May 2004.", "phi-date", "24 May 2004"),
    ("Scanned on 2004-05-24.", "phi-date", "2004-05-24"),
    ("Seen 24/05/2004 in clinic.", "phi-date", "24/05/2004"),
    ("Treated in March 2004.", "phi-date", "in March 2004"),
    ("Discharged in June.", "phi-date", "in June"),
    ("DOB recorded in the notes.", "phi-date", "DOB"),
    ("A 92-year-old man.", "phi-age", "92-year-old"),
    ("The patient, aged 95, walked.", "phi-age", "aged 95"),
    ("A nonagenarian with pain.", "phi-age", "nonagenarian"),
    ("Call (555) 123-4567 for images.", "phi-phone", "(555) 123-4567"),
    ("Fax: +44 20 7946 0958.", "phi-phone", "Fax: +44 20 7946 0958"),
    ("Write to j.doe@example.org.", "phi-email", "j.doe@example.org"),
    ("Images at https://example.org/p/123.", "phi-url", "https://example.org/p/123"),
    ("See www.example.org/case for more.", "phi-url", "www.example.org/case"),
    ("Uploaded from 192.168.1.20.", "phi-url", "192.168.1.20"),
    ("Filed under MRN: 1234567.", "phi-id", "MRN: 1234567"),
    ("Medical record number 55-1234.", "phi-id", "Medical record number 55-1234"),
    ("Pump serial no. SN4451.", "phi-id", "serial no. SN4451"),
    ("Account #A99812 was billed.", "phi-id", "Account #A99812"),
    ("SSN 123-45-6789.", "phi-id", "SSN 123-45-6789"),
    ("Lives at 12 Baker Street.", "phi-place", "12 Baker Street"),
    ("Referred from the hospital in Springfield.", "phi-place", "hospital in Springfield"),
    ("She lives in Boston.", "phi-place", "lives in Boston"),
    ("Address: Springfield, IL 62704.", "phi-place", "IL 62704"),
    ("Postcode SW1A 1AA.", "phi-place", "Postcode SW1A 1AA"),
    ("Born and raised in Cook County.", "phi-place", "Cook County"),
]


@pytest.mark.parametrize(("text", "rule", "match"), PLANTED, ids=[p[2] for p in PLANTED])
def test_planted_identifier_is_found(text: str, rule: str, match: str) -> None:
    found = find_identifiers(text)
    assert [(f.rule, f.text) for f in found if f.rule == rule] == [(rule, match)], found


CLINICAL = [
    "A 76-year-old man, aged 76, T1-weighted axial MR.",
    "Relief in 83.8% of patients (36 of 37; 20/37 at 6 months), p < 0.05.",
    "ICD-10 C22.0; 11-gauge needle; 2 mL of 50/50 n-BCA/lipiodol; H&E ×100.",
    "Kaemmerlen et al reported it first [@kaemmerlen1989; @weill1996, pp. 241-247].",
    "@cotten1996 found relief; see @fig-mri-course-b and [-@merkel1999].",
    "May be repeated after 7 days; by day 10 the patient was pain free.",
    "Serial axial MR of the sacrum, 3 months after the procedure, 1995-1999 series.",
    "The patient had no pain; the patient's family donated the body.",
    "Record the volume; the serial studies showed shrinkage; device placed centrally.",
    "Dr lacks a name here; the hospital course was uneventful.",
    "Published in 2005 in the journal; the 2001 report described 18 patients.",
]


@pytest.mark.parametrize("text", CLINICAL)
def test_clinical_text_is_not_flagged(text: str) -> None:
    assert find_identifiers(text) == []


def test_seed_content_passes_clean() -> None:
    for root in (REPO, SITES / "second-case"):
        content, problems = load_content(root, root / "content")
        assert not [p for p in problems if p.severity == "error"]
        assert check_phi(content) == [], root


BASE = """\
# yaml-language-server: $schema=../schema/case.schema.json
title: A case
source:
  authors: [Smith J, Doe A]
  title: Percutaneous treatment reported on May 24, 2004
  journal: J Test
  year: 2005
  url: https://example.org/article
summary:
  what_it_adds: Something.
  lessons:
    - A lesson.
patient:
  age_years: {age}
  sex: female
  primary_condition: Test condition
presentation:
  chief_complaint: Pain.
diagnostic_assessment:
  diagnosis: Test diagnosis.
interventions:
  - id: procedure
    title: A procedure
    when: {{day: 0}}
    target: Test target
    setting: CT suite
    guidance: CT
    result: Done.
"""


def lint(tmp_path: Path, extra: str = "", age: int = 70) -> list[Diagnostic]:
    path = tmp_path / "content" / "cases" / "case.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BASE.format(age=age) + extra, encoding="utf-8")
    doc, problems = load_document("cases", path, tmp_path)
    assert isinstance(doc, Document), problems
    return check_case_phi(doc)


def found(diagnostics: list[Diagnostic]) -> list[tuple[int | None, int | None, str]]:
    return [(d.line, d.col, d.rule) for d in diagnostics]


def test_source_block_and_clean_case_pass(tmp_path: Path) -> None:
    assert lint(tmp_path) == []


def test_finding_is_reported_at_the_field(tmp_path: Path) -> None:
    problems = lint(tmp_path, "conclusion: Seen again on 2 June 2004 by Dr Who.\n")
    assert sorted(found(problems)) == [(29, 1, "phi-date"), (29, 1, "phi-name")]
    date = next(d for d in problems if d.rule == "phi-date")
    assert "'2 June 2004' looks like a calendar date" in date.message
    assert "# casepress: allow phi-date -- reason:" in date.hint


def test_age_over_90_in_the_patient_block(tmp_path: Path) -> None:
    problems = lint(tmp_path, age=93)
    assert found(problems) == [(14, 3, "phi-age")]
    assert "`age_years: 90`, which stands for 90 or older" in problems[0].hint
    assert lint(tmp_path, age=90) == []  # the Safe Harbor category "90 or older"
    assert find_identifiers("aged 90 or older") == []


def test_comments_are_checked_too(tmp_path: Path) -> None:
    problems = lint(tmp_path, "# from the notes of Mrs Brown\nconclusion: Fine.\n")
    assert found(problems) == [(29, 1, "phi-name")]


def test_reviewed_suppression_above_the_field(tmp_path: Path) -> None:
    extra = ("# casepress: allow phi-date -- reason: when the cited trial ran\n"
             "conclusion: The trial ran from March 1998 to 2001.\n")
    assert lint(tmp_path, extra) == []


def test_inline_suppression(tmp_path: Path) -> None:
    extra = ("conclusion: The trial ran from March 1998.  "
             "# casepress: allow phi-date -- reason: when the cited trial ran\n")
    assert lint(tmp_path, extra) == []


def test_suppression_above_a_list_item_covers_that_item_only(tmp_path: Path) -> None:
    extra = """discussion:
  # casepress: allow phi-date -- reason: when the cited trial ran
  - topic: Trial
    text: It ran from March 1998.
  - topic: Another
    text: Seen again in April 2004.
"""
    assert found(lint(tmp_path, extra)) == [(34, 5, "phi-date")]


def test_suppression_names_one_rule_only(tmp_path: Path) -> None:
    extra = ("# casepress: allow phi-date -- reason: when the cited trial ran\n"
             "conclusion: Dr Who ran the trial from March 1998.\n")
    assert found(lint(tmp_path, extra)) == [(30, 1, "phi-name")]


@pytest.mark.parametrize(("comment", "rule"), [
    ("# casepress: allow phi-date", "suppress-no-reason"),
    ("# casepress: allow phi-date -- reason:   ", "suppress-no-reason"),
    ("# casepress: allow schema-value -- reason: not a PHI rule", "suppress-invalid"),
    ("# casepress: alow phi-date -- reason: typo", "suppress-invalid"),
])
def test_a_bad_suppression_is_an_error_and_silences_nothing(tmp_path: Path, comment: str,
                                                              rule: str) -> None:
    extra = f"{comment}\nconclusion: It ran from March 1998.\n"
    assert found(lint(tmp_path, extra)) == [(29, None, rule), (30, 1, "phi-date")]


def test_a_suppression_that_silences_nothing_is_reported(tmp_path: Path) -> None:
    extra = "# casepress: allow phi-name -- reason: no name below\nconclusion: Fine.\n"
    problems = lint(tmp_path, extra)
    assert found(problems) == [(29, None, "suppress-unused")]
    assert problems[0].severity == "warning"
