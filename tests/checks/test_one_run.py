"""Every problem in one run, and no cascade: one mistake is one error, not one plus false
errors about everything that depends on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_project, run_casepress

pytestmark = pytest.mark.slow
SEED = "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
_FINDING = re.compile(r"^(?P<file>[^\s:]+)(?::(?P<line>\d+))?(?::\d+)?: (?:error|warning): "
                      r".*\((?P<rule>[\w-]+)\)$", re.MULTILINE)


def _check(project: Path) -> list[tuple[str, str]]:
    result = run_casepress("check", cwd=project)
    assert "Traceback" not in result.stdout + result.stderr
    return [(m["file"], m["rule"]) for m in _FINDING.finditer(result.stdout)]


def test_a_wrong_anchor_is_one_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    case = project / SEED
    text = case.read_text(encoding="utf-8")
    # The right sacroplasty is timed from the left one; every later event from it in turn.
    assert "after: left-sacroplasty" in text
    case.write_text(text.replace("after: left-sacroplasty", "after: left-sacroplsty", 1),
                    encoding="utf-8")
    findings = _check(project)
    assert findings.count((SEED, "time-unknown-anchor")) == 1, findings


def test_an_invalid_evidence_table_is_not_also_missing(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    table = project / "content/evidence/cement-injection-pain-relief.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("design: case series",
                                                               "design: anecdote", 1),
                     encoding="utf-8")
    findings = _check(project)
    assert ("content/evidence/cement-injection-pain-relief.yaml", "schema-value") in findings
    assert (SEED, "evidence-unknown") not in findings


def test_problems_of_every_file_in_one_run(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    cases = project / "content" / "cases"
    (cases / "broken-yaml.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    seed = (project / SEED).read_text(encoding="utf-8")
    (cases / "wrong-type.yaml").write_text(seed.replace("age_years: 76", "age_years: old"),
                                           encoding="utf-8")
    (cases / "unknown-key.yaml").write_text(seed.replace("[@kaizu1998]", "[@kaizu1989]"),
                                            encoding="utf-8")
    rules = {(Path(f).name, r) for f, r in _check(project)}
    assert {("broken-yaml.yaml", "yaml-syntax"), ("wrong-type.yaml", "schema-type"),
            ("unknown-key.yaml", "citation-unknown-key")} <= rules


def test_a_file_that_does_not_validate_still_has_its_citations_checked(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    seed = (project / SEED).read_text(encoding="utf-8")
    broken = seed.replace("age_years: 76", "age_years: old").replace("[@kaizu1998]",
                                                                     "[@kaizu1989]")
    (project / "content/cases/both.yaml").write_text(broken, encoding="utf-8")
    rules = [r for f, r in _check(project) if f == "content/cases/both.yaml"]
    assert "schema-type" in rules and "citation-unknown-key" in rules
