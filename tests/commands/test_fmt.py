"""`casepress fmt`: one canonical layout, and formatting never loses data."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from casepress.commands.bib_layout import FormatError, format_bib
from casepress.commands.yaml_layout import format_yaml
from casepress.references import parse_bibliography
from conftest import REPO, SITES, copy_project, run_casepress

pytestmark = pytest.mark.slow  # real builds in subprocesses

# ---------------------------------------------------------------- a large, messy .bib


def _value(rng: random.Random, i: int) -> str:
    text = rng.choice([
        f"Percutaneous {{PMMA}} injection, part {i}",
        "M{\\\"u}ller and {\\'E}mile: {\\ss}tudies \\& results",
        "Line one of a title\n      that goes on\tto a second line",
        "Łukasz Żółć -- über 50% of cases",
        "{Nested {braces {three}} deep}",
    ])
    form = rng.random()
    if form < 0.55:
        return "{" + text + "}"
    if form < 0.8:
        return '"' + text.replace('"', "") + '"'
    if form < 0.9:
        return str(1900 + i % 120)
    return 'jrnl # " suppl"'


def _field_name(rng: random.Random, name: str) -> str:
    return rng.choice([name, name.upper(), name.capitalize()])


def messy_bib(entries: int, seed: int = 7) -> tuple[str, list[str]]:
    """A .bib with every layout quirk we know; returns it and the comments it holds."""
    rng = random.Random(seed)
    comments: list[str] = []
    parts = ['@STRING{ jrnl = "J Test" }', '@preamble{ "\\newcommand{\\noop}[1]{#1}" }']
    for i in range(entries):
        if rng.random() < 0.15:
            comment = f"% note {i}: checked against the PDF   "
            comments.append(comment.strip())
            parts.append(comment)
        if rng.random() < 0.05:
            comments.append(f"@comment{{block {i} {{with braces}}}}")
            parts.append(comments[-1])
        names = rng.sample(["author", "title", "journal", "year", "volume", "pages", "doi",
                            "note", "month", "pmid"], k=rng.randint(1, 8))
        fields = []
        for name in names:
            prefix = ""
            if rng.random() < 0.05:  # a `%` line above a field (biber reads it as a comment)
                prefix = f"% field comment {i}\n   "
                comments.append(prefix.strip())
            value = "jan" if name == "month" else _value(rng, i)
            space = rng.choice(["=", " = ", "   =  ", "\t=\t"])
            fields.append(f"{prefix}{_field_name(rng, name)}{space}{value}")
        separator = rng.choice([", ", ",\n  ", ",\n\t\t", " ,\n"])
        body = separator.join(fields) + rng.choice(["", ",", ",\n", "\n"])
        kind = rng.choice(["article", "Article", "ARTICLE", "book", "InProceedings", "misc"])
        opening, closing = rng.choice([("{", "}"), ("(", ")")])
        parts.append(f"@{kind}{opening}key{i}:{rng.randint(0, 9)},{body}{closing}")
        parts.append(rng.choice(["", "\n", "\n\n\n", "   \n"]))
    return "\n".join(parts) + rng.choice(["", "\n", "\n\n"]), comments


def _entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """What the site reads from a .bib, in order. The loader glues a `%` comment line above
    a field onto the field's name, so the name is taken from its last line."""
    bibliography, _problems = parse_bibliography(text.encode("utf-8"), "references.bib")
    return [(key, e.entry_type, {n.rsplit("\n", 1)[-1].strip(): v for n, v in e.fields.items()})
            for key, e in bibliography.entries.items()]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_large_messy_bib_round_trips_without_loss() -> None:
    original, comments = messy_bib(2000)
    formatted = format_bib(original)
    assert _entries(formatted) == _entries(original)
    assert len(_entries(formatted)) == 2000
    flat = _words(formatted)
    for comment in comments:
        assert _words(comment) in flat, comment
    assert '@string{jrnl = "J Test"}' in formatted
    assert '@preamble{"\\newcommand{\\noop}[1]{#1}"}' in formatted
    assert format_bib(formatted) == formatted  # a fixed point: formatting twice changes nothing


def test_formatted_bib_has_one_layout() -> None:
    formatted = format_bib(messy_bib(300, seed=3)[0])
    entries = re.findall(r"(?ms)^@(\w+)\{[^,\n]+,\n(.*?)^\}$", formatted)
    assert len(entries) == 300
    for kind, body in entries:
        assert kind == kind.lower()
        names = re.findall(r"(?m)^  ([a-z]+)( *)= ", body)
        widths = {len(name) + len(pad) for name, pad in names}
        assert len(widths) == 1, body  # the = signs line up within an entry
    assert "\n\n\n" not in formatted
    assert not re.search(r"[ \t]+\n", formatted)  # no trailing whitespace
    assert formatted.endswith("}\n") and not formatted.endswith("\n\n")


def test_crlf_and_bom_are_normalised() -> None:
    original = messy_bib(50, seed=11)[0]
    crlf = "\ufeff" + original.replace("\n", "\r\n")
    assert format_bib(crlf) == format_bib(original)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=10_000))
def test_any_messy_bib_round_trips(entries: int, seed: int) -> None:
    original, _comments = messy_bib(entries, seed)
    formatted = format_bib(original)
    assert _entries(formatted) == _entries(original)
    assert format_bib(formatted) == formatted


def test_seed_references_are_already_canonical() -> None:
    seed = (REPO / "references.bib").read_text(encoding="utf-8")
    assert format_bib(seed) == seed


def test_a_bib_that_does_not_parse_is_left_alone() -> None:
    with pytest.raises(FormatError) as failure:
        format_bib("@article{ok, title = {fine}}\n\n@article{bad, title = {unclosed\n")
    assert failure.value.line == 3


# ---------------------------------------------------------------- YAML

MESSY_YAML = """\

# yaml-language-server: $schema=../schema/case.schema.json   \r
title:   A title kept exactly   \r
keywords:\r
- first\r
-   second\r
patient:\r
    age_years: 70      # inline comment stays\r
    sex: male\r
    # a comment inside the block moves with it\r
    primary_condition: "quoted,\r
       continued"\r
summary:\r
      what_it_adds: >-\r
            folded text\r
            goes on\r
\r
\r
\r
      lessons:\r
      -    |\r
           literal keeps\r
             its inner indentation\r
      -    plain\r
interventions: [{id: a, title: A}]\r
\r
\r
"""


def test_messy_yaml_gets_the_canonical_layout() -> None:
    formatted = format_yaml(MESSY_YAML)
    assert formatted == """\
# yaml-language-server: $schema=../schema/case.schema.json
title:   A title kept exactly
keywords:
  - first
  - second
patient:
  age_years: 70      # inline comment stays
  sex: male
  # a comment inside the block moves with it
  primary_condition: "quoted,
     continued"
summary:
  what_it_adds: >-
    folded text
    goes on

  lessons:
    - |
      literal keeps
        its inner indentation
    - plain
interventions: [{id: a, title: A}]
"""
    assert yaml.safe_load(formatted) == yaml.safe_load(MESSY_YAML.replace("\r", ""))
    assert format_yaml(formatted) == formatted


@pytest.mark.parametrize("path", sorted((REPO / "content").glob("*/*.yaml")),
                         ids=lambda p: p.name)
def test_seed_yaml_is_already_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_yaml(text) == text


def test_yaml_that_cannot_be_normalised_safely_is_left_alone() -> None:
    # The continuation line sits left of its value; moving the value would break the text.
    awkward = "a:\n  key:\n       first\n     second\n"
    assert yaml.safe_load(awkward) == {"a": {"key": "first second"}}
    with pytest.raises(FormatError):
        format_yaml(awkward)
    with pytest.raises(FormatError) as failure:
        format_yaml("title: [unclosed\nsummary: x\n")
    assert failure.value.line == 2


# ---------------------------------------------------------------- the command


def test_fmt_check_detects_an_unformatted_file_and_fmt_fixes_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    bib = project / "references.bib"
    seed = bib.read_text(encoding="utf-8")
    messy = seed.replace("  title   = {", "  TITLE={", 3).replace("}\n\n@", "}\n\n\n\n@", 2)
    bib.write_text(messy, encoding="utf-8")

    check = run_casepress("fmt", "--check", cwd=project)
    assert check.returncode == 1
    assert re.search(r"^references\.bib:\d+: error: not in the canonical layout .*"
                     r"\(fmt-unformatted\)$", check.stdout, re.MULTILINE), check.stdout
    assert bib.read_text(encoding="utf-8") == messy  # --check changes nothing

    github = run_casepress("fmt", "--check", "--format", "github", cwd=project)
    assert "::error file=references.bib,line=" in github.stdout
    assert "title=fmt-unformatted::" in github.stdout

    fixed = run_casepress("fmt", cwd=project)
    assert fixed.returncode == 0, fixed.stdout
    assert "formatted references.bib" in fixed.stdout
    assert bib.read_text(encoding="utf-8") == seed
    assert run_casepress("fmt", "--check", cwd=project).returncode == 0
    assert not list(project.glob(".references.bib.*")), "temporary file left behind"


def test_fmt_reports_a_file_it_cannot_read_and_formats_the_rest(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    broken = project / "content" / "cases" / "broken.yaml"
    broken.write_bytes((SITES / "every-rule" / "content" / "cases" / "syntax.yaml").read_bytes())
    technique = project / "content" / "techniques" / "percutaneous-sacroplasty.yaml"
    canonical = technique.read_text(encoding="utf-8")
    technique.write_text(canonical.replace("\n", "   \n"), encoding="utf-8")

    result = run_casepress("fmt", cwd=project)
    assert result.returncode == 1
    assert re.search(r"^content/cases/broken\.yaml:3: error: .* \(fmt-failed\)$", result.stdout,
                     re.MULTILINE), result.stdout
    assert broken.read_bytes() == (SITES / "every-rule/content/cases/syntax.yaml").read_bytes()
    assert technique.read_text(encoding="utf-8") == canonical


def test_seed_project_passes_fmt_check() -> None:
    result = run_casepress("fmt", "--check")
    assert result.returncode == 0, result.stdout
