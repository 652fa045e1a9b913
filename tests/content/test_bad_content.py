"""Bad input: every problem reported in one run, as file:line, with the old site/ left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from casepress.commands.output_guard import MARKER
from conftest import SITES, build, earlier_output, run_casepress

pytestmark = pytest.mark.slow  # real builds in subprocesses

BROKEN = SITES / "broken-content" / "mkdocs.yml"

EXPECTED = {
    "malformed-yaml": "content/cases/malformed.yaml:7:8: error: YAML syntax: expected ',' or ']'",
    "unknown-field": "content/cases/unknown-field.yaml:10:3: error: patient.hair_colour: is not "
                     "a known field; remove it or fix its spelling",
    "wrong-type": "content/cases/wrong-type.yaml:8:3: error: patient.age_years: 'seventy' is the "
                  "wrong type; expected a whole number (schema-type)",
    "missing-field": "content/cases/missing-field.yaml:2:1: error: presentation: is required but "
                     "missing; add `presentation:` with a value (schema-missing-field)",
    "unknown-technique": "content/cases/dangling-links.yaml:23: error: technique: "
                         "'no-such-technique' does not exist",
    "unknown-figure": "content/cases/dangling-links.yaml:6:7: error: @fig-missing: no figure "
                      "'missing' is declared in this case",
    "unknown-reference": "content/cases/dangling-links.yaml:6:7: error: citation key "
                         "'@knwon2001' is not in references.bib; did you mean @known2001? "
                         "(citation-unknown-key)",
}


@pytest.fixture(scope="module")
def check_output() -> tuple[int, str]:
    result = run_casepress("-f", BROKEN, "check")
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("expected", EXPECTED.values(), ids=EXPECTED.keys())
def test_check_reports_each_problem(check_output: tuple[int, str], expected: str) -> None:
    returncode, output = check_output
    assert returncode == 1
    assert expected in output
    assert "Traceback" not in output


def test_check_reports_all_problems_in_one_run(check_output: tuple[int, str]) -> None:
    _returncode, output = check_output
    assert "7 error(s)" in output


@pytest.mark.parametrize("expected", EXPECTED.values(), ids=EXPECTED.keys())
def test_build_fails_and_keeps_the_old_site(tmp_path: Path, expected: str) -> None:
    site = earlier_output(tmp_path / "site")
    (site / "index.html").write_text("previous build", encoding="utf-8")
    built = build(BROKEN, site)
    assert built.returncode == 1
    assert expected in built.output
    assert "Traceback" not in built.output
    assert sorted(p.name for p in site.iterdir()) == [MARKER, "index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous build"
    assert not list(tmp_path.glob(".site.*")), "staging folder left behind"


def test_plain_mkdocs_build_also_stops_before_touching_site(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("old", encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-f", str(BROKEN), "-d", str(site)],
        capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 1
    assert EXPECTED["wrong-type"] in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in site.iterdir()] == ["keep.txt"]
