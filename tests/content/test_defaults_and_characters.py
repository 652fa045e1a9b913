"""Pages that say what the files say: no invisible character that reorders or hides text, and
no default that reads as a finding the source never made (adverse events "not reported" is
not "none").

The character checks run in process through `load_document` (the loader `casepress check`
uses), one invented file per field and character; the commands are run for real where the
skeleton and the rendered page are concerned.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from casepress.content.loader import load_document
from casepress.models.common import AltText, BibKey, Name, Slug, Text, WebUrl
from casepress.references.bibfile import parse_bibliography
from conftest import copy_project, run_casepress

# One of each kind: embeddings and overrides, isolates, zero-width and directional marks,
# word joiner and invisible operators, a byte-order mark inside text, the soft hyphen, and
# format characters outside those blocks (Arabic letter mark, a language tag).
CHARACTERS = [
    pytest.param("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING", id="lre"),
    pytest.param("\u202b", "U+202B RIGHT-TO-LEFT EMBEDDING", id="rle"),
    pytest.param("\u202c", "U+202C POP DIRECTIONAL FORMATTING", id="pdf"),
    pytest.param("\u202d", "U+202D LEFT-TO-RIGHT OVERRIDE", id="lro"),
    pytest.param("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE", id="rlo"),
    pytest.param("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE", id="lri"),
    pytest.param("\u2067", "U+2067 RIGHT-TO-LEFT ISOLATE", id="rli"),
    pytest.param("\u2068", "U+2068 FIRST STRONG ISOLATE", id="fsi"),
    pytest.param("\u2069", "U+2069 POP DIRECTIONAL ISOLATE", id="pdi"),
    pytest.param("\u200b", "U+200B ZERO WIDTH SPACE", id="zwsp"),
    pytest.param("\u200c", "U+200C ZERO WIDTH NON-JOINER", id="zwnj"),
    pytest.param("\u200e", "U+200E LEFT-TO-RIGHT MARK", id="lrm"),
    pytest.param("\u200f", "U+200F RIGHT-TO-LEFT MARK", id="rlm"),
    pytest.param("\u2060", "U+2060 WORD JOINER", id="word-joiner"),
    pytest.param("\u2062", "U+2062 INVISIBLE TIMES", id="invisible-times"),
    pytest.param("\u2064", "U+2064 INVISIBLE PLUS", id="invisible-plus"),
    pytest.param("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE", id="bom-inside"),
    pytest.param("\u00ad", "U+00AD SOFT HYPHEN", id="soft-hyphen"),
    pytest.param("\u061c", "U+061C ARABIC LETTER MARK", id="arabic-letter-mark"),
    pytest.param("\U000e0001", "U+E0001 LANGUAGE TAG", id="language-tag"),
]

FILE = "content/cases/invented.yaml"
# A small invented case; <field> marks where the character goes (nothing, for the others).
CASE = """\
# yaml-language-server: $schema=../schema/case.schema.json
title: "Invented case<title> of sacroplasty"
source:
  authors: [Invented A]
  title: Invented article
  journal: Invented Journal
  year: 2001
  url: "https://example.org/case<url>/1"
summary:
  what_it_adds: An invented case for the tests of invisible characters.
  lessons:
    - A page must read as the file a reviewer approved.
patient:
  age_years: 70
  sex: not stated
  primary_condition: Invented condition
presentation:
  chief_complaint: Invented pain.
diagnostic_assessment:
  diagnosis: Invented diagnosis.
interventions:
  - id: "left<id>-sacroplasty"
    title: Invented procedure
    when: {day: 0}
    target: Sacrum
    setting: CT suite
    guidance: CT
    result: "Cement filled the tumour.<text> There were no complications."
    adverse_events: none
related_references: ["known<key>2001"]
"""
MARKERS = ("<title>", "<url>", "<id>", "<text>", "<key>")

# (marker, the field as reported, line:col where it is written: its key, or its list item)
FIELDS = [
    pytest.param("<title>", "title", "2:1", id="title-name"),
    pytest.param("<id>", "interventions[0].id", "22:5", id="id-slug"),
    pytest.param("<text>", "interventions[0].result", "28:5", id="result-text"),
    pytest.param("<url>", "source.url", "8:3", id="source-url"),
    pytest.param("<key>", "related_references[0]", "30:22", id="citation-key"),
]


def _case(marker: str = "", character: str = "") -> bytes:
    text = CASE
    for each in MARKERS:
        text = text.replace(each, character if each == marker else "")
    return text.encode("utf-8")


def _problems(raw: bytes, tmp_path: Path) -> list[str]:
    _document, problems = load_document("cases", tmp_path / FILE, tmp_path, raw)
    return [problem.format_text() for problem in problems]


def test_the_invented_case_is_valid_without_the_characters(tmp_path: Path) -> None:
    assert _problems(_case(), tmp_path) == []


@pytest.mark.parametrize(("marker", "field", "where"), FIELDS)
@pytest.mark.parametrize(("character", "named"), CHARACTERS)
def test_an_invisible_character_is_a_located_error_naming_it(
        tmp_path: Path, marker: str, field: str, where: str, character: str, named: str) -> None:
    assert _problems(_case(marker, character), tmp_path) == [
        f"{FILE}:{where}: error: {field}: holds an invisible character, {named}, which can make "
        "the page read otherwise than this file; delete it (schema-value)"]


@pytest.mark.slow  # a real command in a subprocess
def test_the_check_reports_it_in_the_project(tmp_path: Path) -> None:
    """The same, end to end: `casepress check` on the seed case with an override in its title."""
    project = copy_project(tmp_path)
    case = project / "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
    lines = case.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("title: "))
    lines[at] = lines[at].replace(" with ", " with \u202e", 1)
    case.write_text("".join(lines), encoding="utf-8")
    result = run_casepress("-f", project / "mkdocs.yml", "check")
    assert result.returncode == 1
    assert (f"content/cases/sacroplasty-hcc-nbca-pmma.yaml:{at + 1}:1: error: title: holds an "
            "invisible character, U+202E RIGHT-TO-LEFT OVERRIDE") in result.stdout
    assert "\u202e" not in result.stdout  # named, never printed to reorder the report itself


# Every annotated type of a one-line name, id, key, address or text refuses them.
VALUES = [
    pytest.param(Name, "Left{}sacroplasty", id="Name"),
    pytest.param(Text, "No{} complications.", id="Text"),
    pytest.param(AltText, "CT of the sacrum{} with cement", id="AltText"),
    pytest.param(Slug, "left{}-sacroplasty", id="Slug"),
    pytest.param(BibKey, "smith{}2001", id="BibKey"),
    pytest.param(WebUrl, "https://example.org/{}a", id="WebUrl"),
    pytest.param(BibKey, "{}smith2001", id="BibKey-first"),
    pytest.param(Slug, "{}left", id="Slug-first"),
]


@pytest.mark.parametrize(("kind", "template"), VALUES)
@pytest.mark.parametrize(("character", "named"), CHARACTERS)
def test_every_text_type_names_the_character(kind: object, template: str, character: str,
                                             named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(kind).validate_python(template.format(character))
    [error] = caught.value.errors()
    assert error["type"] == "value_error"
    assert f"holds an invisible character, {named}," in error["msg"]
    assert error["msg"].endswith("; delete it")


@pytest.mark.parametrize("text", [
    pytest.param("Family \U0001f468\u200d\U0001f469\u200d\U0001f467", id="zwj-emoji-sequence"),
    pytest.param("Rhythm of \u0915\u094d\u200d\u0937", id="zwj-in-devanagari"),
    pytest.param("Ostéolyse, µg, ≥ 3 — 50 %", id="accents-and-symbols"),
    pytest.param("\u809d\u7d30\u80de\u764c", id="japanese"),
    pytest.param("\u0633\u0631\u0637\u0627\u0646", id="arabic-letters"),
    pytest.param("Non\u00a0breaking and thin\u2009spaces", id="visible-spaces"),
])
def test_visible_text_passes(text: str) -> None:
    """The zero-width joiner only joins (emoji, some scripts); spaces are seen as spaces."""
    assert TypeAdapter(Name).validate_python(text) == text
    assert TypeAdapter(Text).validate_python(text) == text


BIB = """\
@article{known2001,
  author  = {Known, A.},
  title   = {A title<title>},
  journal = {J Test<journal>},
  year    = {2001},
}
"""


@pytest.mark.parametrize(("field", "line"), [("title", 3), ("journal", 4)])
@pytest.mark.parametrize(("character", "named"), CHARACTERS)
def test_a_bibtex_field_with_one_is_reported_at_its_line(field: str, line: int, character: str,
                                                         named: str) -> None:
    text = BIB.replace(f"<{field}>", character)
    text = text.replace("<title>", "").replace("<journal>", "")
    _bib, problems = parse_bibliography(text.encode("utf-8"), "references.bib")
    assert [p.format_text() for p in problems] == [
        f"references.bib:{line}: error: entry 'known2001': the field '{field}' holds an invisible "
        f"character, {named}, which can make the reference read otherwise than this file; "
        "delete it: most editors do not show it, so retype the words around it "
        "(bib-invisible-character)"]


def test_a_bibtex_key_with_one_is_named_and_shown_escaped() -> None:
    text = BIB.replace("known2001", "known\u202e2001").replace("<title>", "").replace(
        "<journal>", "")
    _bib, problems = parse_bibliography(text.encode("utf-8"), "references.bib")
    assert [p.format_text() for p in problems] == [
        "references.bib:1: error: entry key 'known\\u202e2001' holds an invisible character, "
        "U+202E RIGHT-TO-LEFT OVERRIDE; delete it, here and in the citations meant for this "
        "entry (bib-bad-key)"]


# Adverse events: "not reported" (the source is silent) and "none" (it says so) differ.

def _with_adverse_events(value: str) -> bytes:
    return _case().replace(b"    adverse_events: none\n", value.encode("utf-8"))


@pytest.mark.parametrize("written", [
    pytest.param("    adverse_events: none\n", id="none"),
    pytest.param("    adverse_events: None\n", id="None"),
    pytest.param("    adverse_events: [none]\n", id="list-of-none"),
    pytest.param("    adverse_events:\n      - None.\n", id="item-None."),
])
def test_none_is_stated_explicitly_in_any_spelling(tmp_path: Path, written: str) -> None:
    document, problems = load_document("cases", tmp_path / FILE, tmp_path,
                                       _with_adverse_events(written))
    assert problems == []
    assert document.model.interventions[0].adverse_events == ["none"]  # type: ignore[union-attr]


@pytest.mark.parametrize(("written", "message"), [
    pytest.param("    adverse_events: [none, Fever the next day.]\n",
                 "`none` says the source states there were no adverse events, so it cannot "
                 "stand beside the events listed; keep the events or `none`, not both",
                 id="none-beside-events"),
    pytest.param("    adverse_events:\n",
                 "is empty; list the adverse events the source reports, write `none` where it "
                 "states there were none, or leave the field out (the page then says \"not "
                 "reported\")", id="empty"),
])
def test_an_unclear_adverse_events_field_is_an_error(tmp_path: Path, written: str,
                                                      message: str) -> None:
    assert _problems(_with_adverse_events(written), tmp_path) == [
        f"{FILE}:29:5: error: interventions[0].adverse_events: {message} (schema-value)"]


@pytest.mark.slow  # real commands in subprocesses
def test_the_new_case_skeleton_asks_for_adverse_events_and_passes_the_check(
        tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert run_casepress("new-case", "demo", cwd=project).returncode == 0
    text = (project / "content/cases/demo.yaml").read_text(encoding="utf-8")
    interventions = yaml.safe_load(text)["interventions"]
    assert interventions and all(
        i["adverse_events"] and all(e.startswith("TODO") for e in i["adverse_events"])
        for i in interventions)
    comment = text[:text.index("    adverse_events:")].rsplit("result:", 1)[1]
    assert "`adverse_events: none` only where the" in comment and '"not reported"' in comment
    check = run_casepress("check", "--no-strict", cwd=project)
    assert check.returncode == 0, check.stdout
    assert "0 error(s)" in check.stdout


@pytest.mark.slow  # real commands in subprocesses
def test_the_page_says_not_reported_unless_the_source_says_none(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    for name, written in (("invented", ""), ("stated", "    adverse_events: [none]\n")):
        raw = _with_adverse_events(written).replace(b'"known2001"', b'"kaemmerlen1989"')
        (project / f"content/cases/{name}.yaml").write_bytes(raw)  # cites a key that exists
    out = tmp_path / "out"
    result = run_casepress("-f", project / "mkdocs.yml", "export-md", out)
    assert result.returncode == 0, result.stdout + result.stderr
    silent = (out / "cases/invented.md").read_text(encoding="utf-8")
    stated = (out / "cases/stated.md").read_text(encoding="utf-8")
    assert "**Adverse events:** not reported." in silent
    assert "**Adverse events:** none, as the source states." in stated
    for page in (silent, stated):
        assert "none reported" not in page
