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
    data = json.loads(to_csl_json(items))
    assert [item["id"] for item in data] == list(bib.entries)
    assert data[0]["author"][-1] == {"literal": "others"}
    assert data[0]["page"] == "557-562"


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
