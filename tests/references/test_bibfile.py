"""references.bib problems come back as diagnostics with a line; decoding and caching work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casepress.diagnostics import Diagnostic
from casepress.references import (
    Bibliography,
    Formatter,
    check_entries,
    closest_keys,
    load_bibliography,
    parse_bibliography,
    resolve_style,
    to_csl,
)
from casepress.references.store import BibliographyCache

ROOT = Path(__file__).resolve().parents[2]
GOOD = """@article{good2001,
  author = {Doe, J.},
  title = {A fine title},
  journal = {J Test},
  year = {2001},
}
"""


def load(tmp_path: Path, content: str | bytes) -> tuple[Bibliography, list[Diagnostic]]:
    path = tmp_path / "references.bib"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return load_bibliography(path, "references.bib")


@pytest.mark.parametrize(("content", "rule", "line", "words"), [
    pytest.param(GOOD + "\n@article{good2001,\n  title = {Again}, year = {2002}\n}\n",
                 "bib-duplicate-key", 8, "line 1", id="duplicate-key"),
    pytest.param("@article{broken,\n  title = {Unclosed,\n  year = {2000}\n}\n\n" + GOOD,
                 "bib-syntax", 1, "broken", id="unbalanced-brace"),
    pytest.param(GOOD + "\n@article{late,\n  title = {Fine},\n  year = {2000\n}\n",
                 "bib-syntax", 8, "late", id="unbalanced-brace-at-end"),
    pytest.param(GOOD.encode() + b"% caf\xe9\n", "bib-encoding", 7, "UTF-8", id="non-utf8"),
    pytest.param(GOOD.replace("year", "url = {javascript:alert(1)},\n  year"),
                 "bib-bad-url", 5, "javascript:", id="javascript-url"),
    pytest.param(GOOD.replace("year", "url = {data:text/html;base64,PHNjcmlwdD4=},\n  year"),
                 "bib-bad-url", 5, "data:", id="data-url"),
    pytest.param(GOOD.replace("year", "doi = {not-a-doi},\n  year"),
                 "bib-bad-doi", 5, "not-a-doi", id="bad-doi"),
    pytest.param(GOOD.replace("year = {2001}", "year = {2001}, Year = {2002}"),
                 "bib-duplicate-field", 5, "twice", id="duplicate-field"),
])
def test_malformed_input(tmp_path: Path, content: str | bytes, rule: str, line: int,
                         words: str) -> None:
    bib, problems = load(tmp_path, content)
    assert [(p.rule, p.line) for p in problems] == [(rule, line)], problems
    assert words in problems[0].message
    assert problems[0].file == "references.bib"
    assert problems[0].hint  # every problem says what to do
    assert "good2001" in bib.entries  # one bad entry does not lose the others


def test_missing_file(tmp_path: Path) -> None:
    bib, problems = load_bibliography(tmp_path / "nope.bib", "nope.bib")
    assert bib.entries == {}
    assert [p.rule for p in problems] == ["bib-missing"]


def test_all_problems_in_one_run(tmp_path: Path) -> None:
    content = (b"@article{a, title={x}, url={javascript:1}}\n@article{a, title={y}}\n"
               b"@article{b, doi={nope}, title={caf\xe9}}\n")
    _, problems = load(tmp_path, content)
    assert {p.rule for p in problems} == {"bib-bad-url", "bib-duplicate-key", "bib-bad-doi",
                                          "bib-encoding"}


def test_doi_forms_accepted(tmp_path: Path) -> None:
    bib, problems = load(tmp_path, GOOD.replace(
        "year", "doi = {https://doi.org/10.1007/s003300050351},\n  year"))
    assert problems == []
    assert to_csl(bib.entries["good2001"])["DOI"] == "10.1007/s003300050351"


def test_missing_title_field(tmp_path: Path) -> None:
    bib, problems = load(tmp_path, GOOD.replace("  title = {A fine title},\n", ""))
    assert problems == []
    missing = check_entries(bib, ["good2001", "unknown"])
    assert [(p.rule, p.line) for p in missing] == [("bib-missing-field", 1)]
    assert "title" in missing[0].message


@pytest.mark.parametrize(("edit", "expected"), [
    (("  author = {", "  editor = {"), []),
    (("  year = {2001},\n", ""), [("warning", "bib-no-year", "n.d.")]),
    (("  author = {", "  translator = {"), [("error", "bib-missing-field", "author or editor")]),
], ids=["editor-stands-for-author", "no-year-is-n.d.", "no-author-nor-editor"])
def test_what_the_style_needs(tmp_path: Path, edit: tuple[str, str],
                              expected: list[tuple[str, str, str]]) -> None:
    assert edit[0] in GOOD
    bib, _ = load(tmp_path, GOOD.replace(*edit))
    found = check_entries(bib, ["good2001"])
    assert [(p.severity, p.rule) for p in found] == [(s, r) for s, r, _ in expected]
    assert all(words in p.message for p, (_s, _r, words) in zip(found, expected, strict=True))


def test_closest_keys() -> None:
    bib, _ = load_bibliography(ROOT / "references.bib", "references.bib")
    assert closest_keys(bib, "kaemerlen1989")[0] == "kaemmerlen1989"
    assert closest_keys(bib, "Weill1998")[0] == "weill1998"
    assert closest_keys(bib, "zzzz") == []


def test_html_in_title_is_escaped_in_markdown(tmp_path: Path) -> None:
    title = "<script>alert(1)</script> *bold* [x](javascript:y) `code` :smile: ==m=="
    bib, problems = load(tmp_path, GOOD.replace("A fine title", title))
    assert problems == []
    formatter = Formatter(resolve_style("casepress", ROOT))
    result = formatter.format_entries([to_csl(bib.entries["good2001"])])["good2001"]
    assert "<script>" in result.text  # plain text keeps what the field says
    for markup in ("<", ">", "*", "[", "]", "`", ":smile:", "=="):
        assert markup not in result.markdown
    assert "&#60;script&#62;" in result.markdown or "&lt;script&gt;" in result.markdown


@pytest.mark.parametrize(("raw", "decoded"), [
    (r"M{\"u}ller", "Müller"),
    (r"Caf{\'e} society", "Café society"),
    (r"Bone \& joint", "Bone & joint"),
    (r"{CT} guidance in 50% of cases", "CT guidance in 50% of cases"),
])
def test_latex_decoding(tmp_path: Path, raw: str, decoded: str) -> None:
    bib, _ = load(tmp_path, GOOD.replace("A fine title", raw))
    assert to_csl(bib.entries["good2001"])["title"] == decoded


def test_latex_names_and_pages(tmp_path: Path) -> None:
    content = GOOD.replace("Doe, J.", r"M{\"u}ller, J{\"o}rg and {\'E}mile Zola and others")
    bib, _ = load(tmp_path, content.replace("year", "pages = {557--562},\n  year"))
    item = to_csl(bib.entries["good2001"])
    assert item["author"] == [{"family": "Müller", "given": "Jörg"},
                              {"family": "Zola", "given": "Émile"}, {"literal": "others"}]
    assert item["page"] == "557-562"


def test_cache_returns_same_object_until_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_text(GOOD, encoding="utf-8")
    cache = BibliographyCache()
    first, _ = cache.get(path, "references.bib")
    second, _ = cache.get(path, "references.bib")
    assert second is first
    # Same size, same mtime, different bytes: only the hash tells them apart.
    stat = path.stat()
    path.write_text(GOOD.replace("fine", "good"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    third, _ = cache.get(path, "references.bib")
    assert third is not first
    assert third.entries["good2001"].fields["title"] == "A good title"


@pytest.mark.parametrize(("between", "line"), [
    pytest.param("title = {A title}\n  year = {2001},", 3, id="braces"),
    pytest.param('title = "A title"\n  year = 2001,', 3, id="quotes-and-number"),
])
def test_a_missing_comma_is_a_syntax_problem_at_its_line(between: str, line: int) -> None:
    data = f"@article{{a2001,\n  author = {{Smith, A}},\n  {between}\n  journal = {{J}},\n}}\n"
    bib, problems = parse_bibliography(data.encode(), "references.bib")
    assert [(p.line, p.rule) for p in problems] == [(line, "bib-syntax")]
    assert "a comma is missing after the field 'title'" in problems[0].message
    assert check_entries(bib, ["a2001"]) == []  # not also "has no year"


def test_a_field_name_inside_an_abstract_is_not_a_missing_comma() -> None:
    data = (b"@article{a2001,\n  author = {Smith, A},\n  title = {T},\n  year = {2001},\n"
            b"  abstract = {Patients\n  n = 20 were treated},\n}\n")
    assert parse_bibliography(data, "references.bib")[1] == []
