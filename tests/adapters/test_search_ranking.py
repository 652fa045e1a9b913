"""Reference lists are boosted down in Material's search index, on top of a page's boost."""

from __future__ import annotations

import json

from casepress.adapters.search_ranking import REFERENCE_LIST_BOOST, lower_reference_lists

INDEX = {"config": {"lang": ["en"]}, "docs": [
    {"location": "cases/a/", "title": "A", "text": "Case A"},
    {"location": "cases/a/#references", "title": "References", "text": "Kaizu T"},
    {"location": "cases/#references", "title": "References", "text": "x", "boost": 0.5},
    {"location": "notes/#references", "title": "References", "text": "by hand"},
]}


def test_only_the_listed_reference_lists_are_boosted_down() -> None:
    lowered = json.loads(lower_reference_lists(json.dumps(INDEX), {
        "cases/a/#references", "cases/#references"}))
    assert [doc.get("boost") for doc in lowered["docs"]] == [
        None, REFERENCE_LIST_BOOST, 0.5 * REFERENCE_LIST_BOOST, None]
    assert lowered["config"] == INDEX["config"]
    assert 0 < REFERENCE_LIST_BOOST < 0.5  # below listing pages, which repeat titles too
