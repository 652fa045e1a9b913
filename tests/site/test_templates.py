"""Templates decide what readers read and in what order: figures are numbered by where the
page, as its template lays it out, first refers to them, and the sentences the graphics and
labels carry come from templates/pages/wording.j2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_project, figure_numbers, run_casepress

pytestmark = pytest.mark.slow
CASE = "cases/sacroplasty-hcc-nbca-pmma.md"


def _export(project: Path, out: Path) -> dict[str, str]:
    done = run_casepress("-f", project / "mkdocs.yml", "export-md", out)
    assert done.returncode == 0, done.stdout + done.stderr
    return {path: (out / path).read_text(encoding="utf-8")
            for path in (CASE, "evidence/cement-injection-pain-relief.md")}


def _first_linked(page: str) -> list[str]:
    body = page[:page.index("## Figures")]
    return list(dict.fromkeys(m for m in re.findall(r"\(#fig-([\w-]+?)(?:-[a-z])?\)", body)))


def test_figures_follow_the_reading_order_of_the_template(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    page = _export(project, tmp_path / "as-shipped")[CASE]
    assert figure_numbers(page) == {"mri-course": 1, "ct-post-procedure": 2, "histology": 3}
    assert _first_linked(page) == ["mri-course", "ct-post-procedure", "histology"]

    # An editor moves the discussion, which cites them in another order, to the top.
    template = project / "templates" / "pages" / "case.md.j2"
    text = template.read_text(encoding="utf-8")
    start = text.index("{% if case.discussion %}")
    end = text.index("{% if case.conclusion %}")
    discussion = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("## Summary { #summary }", discussion + "\n## Summary { #summary }")
    template.write_text(text, encoding="utf-8")

    moved = _export(project, tmp_path / "moved")[CASE]
    assert moved.index("## Discussion") < moved.index("## Interventions")
    assert _first_linked(moved) == ["mri-course", "histology", "ct-post-procedure"]
    assert figure_numbers(moved) == {"mri-course": 1, "histology": 2, "ct-post-procedure": 3}


def test_the_wording_of_graphics_and_labels_comes_from_the_template(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    wording = project / "templates" / "pages" / "wording.j2"
    text = wording.read_text(encoding="utf-8")
    for old, new in (("Course of the case: {{ events }} events", "Sequence of {{ events }} steps"),
                     ('"before treatment"', '"at presentation"'),
                     ("Levels follow the Oxford", "Levels as in the Oxford"),
                     ('"n not stated"', '"Number of patients missing"'),
                     ("proportion of patients in each study", "share of patients per study")):
        assert old in text
        text = text.replace(old, new)
    wording.write_text(text, encoding="utf-8")

    pages = _export(project, tmp_path / "out")
    case, evidence = pages[CASE], pages["evidence/cement-injection-pain-relief.md"]
    assert "Sequence of 9 steps" in case and "Course of the case" not in case
    assert "| at presentation |" in case and "| before treatment |" not in case
    assert "Levels as in the Oxford" in evidence
    assert "⚠ **Number of patients missing:**" in evidence
    assert "share of patients per study" in evidence
