"""Names without a cue word: the measured targets on the invented corpus and on real content,
each form of name, the eponyms and authors that are not patients, and the lint end to end."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casepress.checks.deidentification import find_identifiers
from casepress.checks.personal_names import NameFinder, find_names
from conftest import REPO, copy_project, run_casepress

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_names  # the benchmark's own measurement, so test and figures cannot drift apart


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder()


def test_corpus_recall_meets_the_target() -> None:
    data = bench_names.corpus()
    assert len(data["with_names"]) >= 200
    recall = bench_names.corpus_recall(data)
    assert recall.share >= 0.95, recall.missed
    assert all(hit / total >= 0.8 for hit, total in recall.by_form.values()), recall.by_form


@pytest.mark.slow  # generates and loads a 30-case library
def test_no_false_alarm_in_the_seed_and_a_generated_library(tmp_path: Path) -> None:
    seed = bench_names.library_false_alarms("seed", REPO)
    generated = bench_names.library_false_alarms(
        "generated", bench_names.generated_library(tmp_path / "lib", 30))
    assert seed.words > 1000 and generated.words > 10_000
    assert seed.alarms == [] and generated.alarms == []


NAMES = [
    ("Chukwuemeka Okonkwo gave written consent.", "Chukwuemeka Okonkwo"),
    ("Consent was signed by Haruto Sato.", "Haruto Sato"),
    ("Reviewed by A. B. Okafor and a colleague.", "A. B. Okafor"),
    ("Images supplied by Thornbury JA.", "Thornbury JA"),
    ("The surgeon, Anne-Marie Dubois, agreed.", "Anne-Marie Dubois"),
    ("Jan van der Berg performed the biopsy.", "Jan van der Berg"),
    ("On the ward Giovanni Di Stefano asked about pain.", "Giovanni Di Stefano"),
    ("Sinead O'Neill signed on his behalf.", "Sinead O'Neill"),
    ("Will Baker gave consent at the clinic.", "Will Baker"),
    ("Nguyen Thi Mai reported relief.", "Nguyen Thi Mai"),
    ("Consent came from Okonkwo after discussion.", "Okonkwo"),
]


@pytest.mark.parametrize(("text", "name"), NAMES, ids=[n for _t, n in NAMES])
def test_name_without_cue_is_found(finder: NameFinder, text: str, name: str) -> None:
    assert [span.text for span in finder.find(text)] == [name]


NOT_NAMES = [
    ("eponym-device", "A Foley catheter was placed."),
    ("eponym-after-the", "The Jamshidi needle was advanced."),
    ("eponym-hyphenated", "Liver function was Child-Pugh class A."),
    ("eponym-possessive", "Bell's palsy had resolved."),
    ("eponym-double-barrel", "There was no Brown-Séquard pattern."),
    ("institution", "Cook Medical supplied the needle."),
    ("scale", "The Glasgow Coma Scale score was 15."),
    ("author-et-al", "Kaizu et al. reported relief."),
    ("author-year", "As Cotten (1996) described, relief was quick."),
    ("title-case-heading", "Cement Leakage Into The Spinal Canal"),
    ("name-word-opens-sentence", "Will this approach help other tumours?"),
    ("acronyms", "CT and MR showed HCC in the sacrum."),
]


@pytest.mark.parametrize(("text"), [t for _i, t in NOT_NAMES], ids=[i for i, _t in NOT_NAMES])
def test_clinical_capitals_are_not_names(finder: NameFinder, text: str) -> None:
    assert find_names(text) == []


def test_site_vocabulary_keeps_its_own_words_out() -> None:
    text = "Consent was discussed; Histoacryl was used."
    assert find_names(text, frozenset()) == find_names(text, frozenset({"histoacryl"}))
    lone = "The pain settled after Okonkwo."
    assert [s.text for s in find_names(lone)] == ["Okonkwo"]
    assert find_names(lone, frozenset({"okonkwo"})) == []  # written in lower case elsewhere


def test_the_lint_reports_names_as_phi_name(finder: NameFinder) -> None:
    found = find_identifiers("Olusegun Adebayo gave written consent.", finder)
    assert [(f.rule, f.text) for f in found] == [("phi-name", "Olusegun Adebayo")]
    cued = find_identifiers("Mr Olusegun Adebayo gave consent.", finder)
    assert [f.text for f in cued] == ["Mr Olusegun Adebayo"]  # one finding, not two


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_gives_spans_inside_it(text: str) -> None:
    for span in find_names(text):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start:span.end].startswith(span.text)


@pytest.mark.slow  # a real `casepress check` in a subprocess
def test_a_consent_statement_naming_the_patient_fails_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    case = project / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"
    lines = case.read_text(encoding="utf-8").splitlines()
    lines.append("informed_consent: Chukwuemeka Okonkwo gave written consent for publication.")
    case.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_casepress("check", cwd=project)
    assert result.returncode != 0
    expected = f"content/cases/sacroplasty-hcc-nbca-pmma.yaml:{len(lines)}:"
    assert expected in result.stdout + result.stderr
    assert "'Chukwuemeka Okonkwo' looks like a personal name" in result.stdout + result.stderr
    assert "(phi-name)" in result.stdout + result.stderr
