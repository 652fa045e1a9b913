"""Exports of the real references.bib parse back with the same entries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string

from casepress.references import (
    Bibliography,
    load_bibliography,
    to_bibtex,
    to_csl,
    to_csl_json,
    to_ris,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    bibliography, problems = load_bibliography(ROOT / "references.bib", "references.bib")
    assert problems == []
    return bibliography


@pytest.fixture(scope="module")
def items(bib: Bibliography) -> list[dict[str, Any]]:
    return [to_csl(entry) for entry in bib.entries.values()]


def test_bibtex_round_trip(bib: Bibliography) -> None:
    text = to_bibtex(bib, list(bib.entries))
    library = parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == list(bib.entries)
    again = {e.key: {f.key: f.value for f in e.fields} for e in library.entries}
    assert again == {key: entry.fields for key, entry in bib.entries.items()}


def test_bibtex_subset_in_given_order(bib: Bibliography) -> None:
    text = to_bibtex(bib, ["liaw1989", "kaemmerlen1989", "unknown"])
    assert [e.key for e in parse_string(text).entries] == \
        ["liaw1989", "kaemmerlen1989"]


def test_csl_json_round_trip(items: list[dict[str, Any]], bib: Bibliography) -> None:
    assert any({"literal": "others"} in item.get("author", []) for item in items)
    data = json.loads(to_csl_json(items))
    assert [item["id"] for item in data] == list(bib.entries)
    assert [n.get("family") for n in data[0]["author"]] == ["Kaemmerlen", "Thiesse", "Bouvard"]
    assert data[0]["page"] == "557-562"
    assert not [item["id"] for item in data
                for n in item.get("author", []) + item.get("editor", [])
                if "others" in (n.get("literal"), n.get("family"))]
    assert items[0]["author"][-1] == {"literal": "others"}  # the export copied, not changed


def test_csl_json_export_reads_back_in_a_csl_processor(items: list[dict[str, Any]]) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    data = json.loads(to_csl_json(items))
    for item in data:
        item["id"] = item["id"].lower()
    style = CitationStylesStyle(str(ROOT / "build_scripts/casepress/styles/vancouver.csl"))
    bibliography = CitationStylesBibliography(style, CiteProcJSON(data), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"]) for item in data]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 19 and not any("others" in text for text in rendered)


BOOKS = ROOT / "tests" / "references" / "books.bib"


def test_books_export_with_editors_edition_and_publisher() -> None:
    bibliography, problems = load_bibliography(BOOKS, "books.bib")
    assert problems == []
    items = [to_csl(entry) for entry in bibliography.entries.values()]
    records = [r.strip().splitlines() for r in to_ris(items).split("ER  - ") if r.strip()]
    assert {"TY  - BOOK", "ED  - Editor, Ellen", "ED  - Second, Sam", "ET  - 3",
            "PB  - Test Press", "CY  - Paris", "PY  - 2001"} <= set(records[0])
    assert [line for line in records[1] if line.startswith("AU")] == ["AU  - Writer, Wim"]
    assert not [line for line in records[1] if line.startswith("PY")]
    data = json.loads(to_csl_json(items))
    assert data[1]["author"] == [{"family": "Writer", "given": "Wim"}]
    assert "issued" not in data[1]  # "n.d." is what a style prints, not data


def test_ris_one_record_per_entry(items: list[dict[str, Any]]) -> None:
    text = to_ris(items)
    records = [r for r in text.split("ER  - ") if r.strip()]
    assert len(records) == len(items) == 19
    for record, item in zip(records, items, strict=True):
        lines = record.strip().splitlines()
        assert lines[0] == "TY  - JOUR"
        assert all(line[2:6] == "  - " for line in lines)
        assert f"ID  - {item['id']}" in lines
    first = records[0].strip().splitlines()
    assert [line for line in first if line.startswith("AU")] == [
        "AU  - Kaemmerlen, P.", "AU  - Thiesse, P.", "AU  - Bouvard, H."]
    assert {"SP  - 557", "EP  - 562", "AN  - 2593110", "JO  - J Radiol", "PY  - 1989"} <= set(first)
    assert "DO  - 10.1007/s003300050351" in records[8]


def test_links_name_pubmed_doi_and_full_text() -> None:
    from casepress.references.links import web_links

    item = {"PMID": "12345", "DOI": "10.1002/(SICI)x<1>", "URL": "http://example.org/a (b)"}
    assert web_links(item) == [
        ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/12345/"),
        ("DOI", "https://doi.org/10.1002/%28SICI%29x%3C1%3E"),
        ("Full text", "http://example.org/a%20%28b%29")]
