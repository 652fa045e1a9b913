"""Messages a clinician editing YAML can act on: what is wrong, in plain words, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from casepress.content.loader import load_document
from casepress.content.yaml_source import parse_yaml

YAML_MISTAKES = {  # name -> (file text, line, words the message must hold)
    "tab-indent": ("title: x\nsummary:\n\twhat_it_adds: y\n", 3,
                   "a tab is used to indent this line; use spaces, not tabs"),
    "colon-in-value": ("title: Pain: severe\n", 1,
                       "a value holds ': ', which YAML reads as a new field; put the value in "
                       'quotes, e.g. `title: "Pain: severe"`'),
    "indented-differently": ("keywords:\n  - a\n  - b\n title: x\n", 4,
                             "a line is indented differently from the lines around it"),
}


@pytest.mark.parametrize("name", YAML_MISTAKES)
def test_yaml_mistakes_in_plain_words(name: str) -> None:
    text, line, words = YAML_MISTAKES[name]
    document, [problem] = parse_yaml("content/cases/x.yaml", text.encode())
    assert document is None
    assert (problem.line, problem.rule) == (line, "yaml-syntax")
    assert words in problem.format_text()


SEED = (Path(__file__).resolve().parents[2] / "content/cases/sacroplasty-hcc-nbca-pmma.yaml")


@pytest.mark.parametrize("written", [
    pytest.param("2004-05-24", id="yaml-date"),
    pytest.param("{day: 2004-05-24}", id="date-as-day"),
    pytest.param('{day: "May 24"}', id="month-and-day"),
    pytest.param('"24/05/2004"', id="slashes"),
])
def test_a_calendar_date_for_a_time_says_to_count_days(tmp_path: Path, written: str) -> None:
    text = SEED.read_text(encoding="utf-8").replace("when: {day: 0}", f"when: {written}", 1)
    path = tmp_path / "content" / "cases" / "dated.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    _document, problems = load_document("cases", path, tmp_path)
    [dated] = [p for p in problems if "interventions[0].when" in p.message]
    assert "is a calendar date; times in a case are days, never dates" in dated.message
    assert "`when: {day: 0}`" in dated.hint
