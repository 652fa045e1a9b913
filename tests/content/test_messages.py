"""Messages a clinician editing YAML or BibTeX can act on: what is wrong, in plain words, at
its line, and what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from casepress.commands.cli import _fmt_summary
from casepress.content.loader import load_document
from casepress.content.yaml_source import parse_yaml
from casepress.references.bibfile import check_entries, parse_bibliography
from conftest import REPO, copy_project, run_casepress

CASE = "content/cases/x.yaml"

# ---------------------------------------------------------------- YAML the parser cannot read

YAML_MISTAKES = {  # name -> (file text, "line:col" of the problem, words the message must hold)
    "tab-indent": ("title: x\nsummary:\n\twhat_it_adds: y\n", "3:1",
                   "a tab is used to indent this line; use spaces, not tabs, to indent"),
    "tab-before-list-item": ("title: x\nkeywords:\n  - a\n\t- b\n", "4:1",
                             "use spaces, not tabs, to indent"),
    "colon-in-value": ("title: Pain: severe\n", "1:12",
                       "a value holds ': ', which YAML reads as a new field; put the value in "
                       'quotes, e.g. `title: "Pain: severe"`'),
    "indented-differently": ("keywords:\n  - a\n  - b\n title: x\n", "4:2",
                             "a line is indented differently from the lines around it; line up "
                             "the fields of one block"),
    "list-item-left-of-list": ("keywords:\n  - a\n - b\n", "3:2",
                               "a line is indented differently from the lines around it"),
    # "mapping values are not allowed here", caused by indentation rather than by a colon.
    "field-indented-further": ("summary:\n  what_it_adds: a\n   lessons: b\n", "3:11",
                               "this line is indented further than the field on line 2, so YAML "
                               "reads it as more words of that field's value; line it up with "
                               "the field on line 2"),
    "no-space-after-colon": ("title:x\nsummary: y\n", "2:8",
                             "a colon needs a space after it: line 1 reads `title:` glued to its "
                             "value; write `title: ` with a space on line 1"),
    # "expected <block end>, but found '<scalar>'" on the line of a quoted value.
    "text-after-closing-quote": ('title: "Sacroplasty" in a patient\n', "1:22",
                                 "the value starts with a quote or bracket, so YAML ends it where "
                                 "that closes; put the whole value in double quotes"),
    "apostrophe-in-single-quotes": ("title: 'the patient's pain'\n", "1:21",
                                    "put the whole value in double quotes"),
    "text-after-bracket": ("title: [Draft] a case\n", "1:16",
                           'put the whole value in double quotes, e.g. `title: "[Draft] A case"`'),
    "unclosed-bracket": ("keywords: [a, b\nsummary: x\n", "2:8",
                         "a value starting with `[` or `{` is read as a list or a block of "
                         "fields, and this one is not closed"),
    # Reported where the quote opens, not at the end of the file where the parser gave up.
    "unclosed-quote": ('title: x\nsummary: "Pain\nlessons: y\n', "2:10",
                       "a quote is opened and never closed; close it at the end of the value"),
    "at-sign": ("title: @home visit\n", "1:8", "a value starts with a character YAML keeps for "
                                               "itself (such as @ or `); put the value in quotes"),
    "asterisk": ("title: x\nnote: *see* below\n", "2:11", "a value starts with `*` or `&`"),
    "backslash-in-double-quotes": ('title: "C:\\scan"\n', "1:12",
                                   "a backslash inside double quotes starts a code"),
    "missing-colon": ("title: x\nsummary\nlessons: y\n", "3:1",
                      "a line in a block of fields has no `key:`; add the missing colon"),
}


@pytest.mark.parametrize("name", YAML_MISTAKES)
def test_yaml_mistakes_in_plain_words(name: str) -> None:
    text, where, words = YAML_MISTAKES[name]
    document, [problem] = parse_yaml(CASE, text.encode())
    assert document is None
    assert (problem.location, problem.rule) == (f"{CASE}:{where}", "yaml-syntax")
    # The message and hint read as one sentence in the report: "...; hint (rule)".
    report = problem.format_text()
    for part in words.split("; "):
        assert part in report, report


# ---------------------------------------------------------------- list items run together

MERGED = {  # name -> (file text, "line:col" of the stray `- `, words the message must hold)
    "item-indented-one-more": ("history:\n  - first item\n   - second item\n", "3:4",
                               "more words of the list item on line 2"),
    "item-indented-two-more": ("keywords:\n  - sacroplasty\n    - cement\n  - pain\n", "3:5",
                               "more words of the list item on line 2"),
    "list-after-a-value": ("lessons: one lesson\n  - another lesson\n", "2:3",
                           "more words of the value of `lessons:` that starts on line 1"),
}


@pytest.mark.parametrize("name", MERGED)
def test_list_items_run_together_are_flagged_at_the_stray_item(name: str) -> None:
    text, where, words = MERGED[name]
    document, [problem] = parse_yaml(CASE, text.encode())
    assert document is not None  # valid YAML: a warning, and the file is still read
    assert (problem.location, problem.severity, problem.rule) == (
        f"{CASE}:{where}", "warning", "yaml-list-merged")
    assert "this looks like several list items run together" in problem.message
    assert words in problem.message
    assert "give each `- ` of one list the same indentation" in problem.hint


@pytest.mark.parametrize("text", [
    pytest.param("keywords:\n  - a\n  - b\n", id="aligned-items"),
    # Inside a `|` block a nested Markdown list is text, written on purpose.
    pytest.param("note: |\n  - a point\n    - a sub-point\n", id="nested-list-in-block-text"),
    pytest.param('lessons:\n  - "one\n    - quoted on purpose"\n', id="quoted-item"),
    pytest.param("title: a long title\n  that goes on - with a dash\n", id="dash-inside-a-line"),
])
def test_what_only_looks_like_merged_items_is_not_flagged(text: str) -> None:
    document, problems = parse_yaml(CASE, text.encode())
    assert document is not None and problems == []


# ---------------------------------------------------------------- a calendar date for a time

SEED = REPO / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"
SEED_WHEN = "when: {day: 0}"


def _load_with_when(tmp_path: Path, written: str) -> tuple[int, list[str]]:
    """The seed case with its first `when:` replaced; (that line, the problems as reported)."""
    seed = SEED.read_text(encoding="utf-8")
    line = seed[: seed.index(SEED_WHEN)].count("\n") + 1
    path = tmp_path / "content" / "cases" / "dated.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(seed.replace(SEED_WHEN, f"when: {written}", 1), encoding="utf-8")
    _document, problems = load_document("cases", path, tmp_path)
    return line, [p.format_text() for p in problems]


@pytest.mark.parametrize(("written", "field", "shown"), [
    pytest.param("2004-05-24", "when", "2004-05-24", id="yaml-date"),
    pytest.param("{day: 2004-05-24}", "when.day", "2004-05-24", id="date-as-day"),
    pytest.param('"May 24, 2004"', "when", "'May 24, 2004'", id="quoted-month-day-year"),
    pytest.param("May 24, 2004", "when", "'May 24, 2004'", id="plain-month-day-year"),
    pytest.param('{day: "May 24"}', "when.day", "'May 24'", id="month-and-day"),
    pytest.param('"24/05/2004"', "when", "'24/05/2004'", id="slashes"),
    pytest.param("{after: 2004-05-24, days: 3}", "when.after", "2004-05-24", id="date-as-after"),
])
def test_a_calendar_date_for_a_time_says_to_count_days(
        tmp_path: Path, written: str, field: str, shown: str) -> None:
    line, problems = _load_with_when(tmp_path, written)
    [dated] = [p for p in problems if f"interventions[0].{field}:" in p]
    assert dated.startswith(f"content/cases/dated.yaml:{line}:")
    assert f"{shown} is a calendar date; times in a case are days from the first procedure, " \
           "never dates" in dated
    assert "`when: {day: 0}`" in dated and "`when: {after: <id>, days: N}`" in dated


def test_a_number_for_a_time_shows_the_form_to_write(tmp_path: Path) -> None:
    line, [problem] = _load_with_when(tmp_path, "3")
    assert problem.startswith(f"content/cases/dated.yaml:{line}:5: error: interventions[0].when: "
                              "3 is not a time; times in a case are days from the first procedure")
    assert "`when: {day: 0}`" in problem


def test_a_month_name_in_as_stated_is_not_a_date_error(tmp_path: Path) -> None:
    _line, problems = _load_with_when(tmp_path, '{day: 90, as_stated: "by May, 3 months later"}')
    assert problems == []


# ---------------------------------------------------------------- a missing comma in BibTeX

ENTRY = "@article{a2001,\n  author = {Smith, A},\n  %s\n  journal = {J},\n}\n"


@pytest.mark.parametrize(("between", "where", "words"), [
    pytest.param("title = {A title}\n  year = {2001},", 3,
                 "a comma is missing after the field 'title' on line 3, so 'year' on line 4 was "
                 "read as part of it; add a comma at the end of line 3", id="braces"),
    pytest.param('title = "A title"\n  year = 2001,', 3,
                 "after the field 'title' on line 3, so 'year' on line 4", id="quotes-and-number"),
    pytest.param("title = {A title} year = {2001},", 3,
                 "so 'year' on line 3 was read as part of it; add a comma before 'year'",
                 id="same-line"),
    pytest.param("title = {A title},\n  year = {2001}\n  langid = {english},", 4,
                 "after the field 'year' on line 4, so 'langid' on line 5", id="any-field-name"),
    pytest.param("title = {A title},\n  month = jan\n  year = {2001},", 4,
                 "after the field 'month' on line 4, so 'year' on line 5", id="after-a-macro"),
])
def test_a_missing_comma_is_reported_as_such(between: str, where: int, words: str) -> None:
    bib, problems = parse_bibliography((ENTRY % between).encode(), "references.bib")
    assert [(p.location, p.rule) for p in problems] == [(f"references.bib:{where}", "bib-syntax")]
    assert words in problems[0].format_text()
    assert check_entries(bib, ["a2001"]) == []  # not also "entry has no year"


def test_a_missing_comma_after_the_key_is_named() -> None:
    data = b"@article{a2001\n  author = {Smith, A},\n  title = {T},\n  year = {2001},\n}\n"
    _bib, [problem] = parse_bibliography(data, "references.bib")
    assert (problem.location, problem.rule) == ("references.bib:1", "bib-syntax")
    assert ("a comma is missing after its key, so its fields cannot be read; add a comma "
            "right after `a2001`") in problem.format_text()


@pytest.mark.parametrize("between", [
    pytest.param("title = {A title},\n  abstract = {Patients\n  n = {20} were treated},",
                 id="equals-inside-braces"),
    pytest.param('title = "Dose = 5 ml",', id="equals-inside-quotes"),
    pytest.param("title = {A title},\n  note = jrnl # { suppl},", id="concatenation"),
])
def test_an_equals_sign_in_a_value_is_not_a_missing_comma(between: str) -> None:
    data = ("@string{jrnl = {J Test}}\n" + ENTRY % between).replace(
        "journal = {J},", "journal = {J},\n  year = {2001},").encode()
    assert parse_bibliography(data, "references.bib")[1] == []


def test_a_value_of_many_fields_is_reported_a_few_times_not_once_per_field() -> None:
    many = "\n".join(f"  f{i} = {{{i}}}" for i in range(5000))
    data = f"@article{{a2001,\n  title = {{T}}\n{many},\n  year = {{2001}},\n}}\n".encode()
    _bib, problems = parse_bibliography(data, "references.bib")
    assert [p.location for p in problems] == [f"references.bib:{n}" for n in range(2, 12)]
    assert "after the field 'title' on line 2, so 'f0' on line 3" in problems[0].message


# ---------------------------------------------------------------- casepress fmt's summary

@pytest.mark.parametrize(("checked", "changed", "check", "summary"), [
    (1, 1, True, "1 file checked, 1 file needs reformatting"),
    (3, 2, True, "3 files checked, 2 files need reformatting"),
    (3, 0, True, "3 files checked, none needs reformatting"),
    (1, 1, False, "1 file checked, 1 file was reformatted"),
    (3, 3, False, "3 files checked, 3 files were reformatted"),
    (3, 0, False, "3 files checked, none needed reformatting"),
], ids=["check-one", "check-many", "check-none", "fixed-one", "fixed-many", "fixed-none"])
def test_fmt_summary_is_english_for_one_and_many(
        checked: int, changed: int, check: bool, summary: str) -> None:
    assert _fmt_summary(checked, changed, check) == summary


# ---------------------------------------------------------------- as `casepress check` prints it

@pytest.mark.slow  # a real run in a subprocess
def test_check_reports_a_date_for_a_time_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    case = project / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"
    text = case.read_text(encoding="utf-8")
    line = text[: text.index(SEED_WHEN)].count("\n") + 1
    case.write_text(text.replace(SEED_WHEN, "when: 2004-05-24", 1), encoding="utf-8")
    result = run_casepress("-f", project / "mkdocs.yml", "check")
    assert result.returncode == 1
    assert (f"content/cases/sacroplasty-hcc-nbca-pmma.yaml:{line}:5: error: "
            "interventions[0].when: 2004-05-24 is a calendar date; times in a case are days from "
            "the first procedure, never dates; write `when: {day: 0}`") in result.stdout, \
        result.stdout
