"""Each page's reference list ranks below the page's own text in Material's search.

A reference list is indexed like any section, so its titles are found ("Karasawa" finds the
case that cites her). But cited titles are dense with the very words a clinician types
("hepatocellular", "acetabular"), and a list would often outrank the paragraphs that discuss
them. Material's search plugin reads a boost per page (front matter `search.boost`), not per
section, so once it has written `search/search_index.json` the entries of reference lists
get a lower boost, which Lunr multiplies into their score. Pure functions on the index's
JSON text; imports nothing from MkDocs.
"""

from __future__ import annotations

import json

REFERENCE_LIST_BOOST = 0.2  # below listing pages (0.5), which repeat titles too


def lower_reference_lists(index_json: str, locations: set[str]) -> str:
    """The index with each entry at one of `locations` (page URL + "#" + list id) boosted
    down, on top of any boost its page already has."""
    index = json.loads(index_json)
    for entry in index.get("docs", []):
        if entry.get("location") in locations:
            entry["boost"] = round(entry.get("boost", 1) * REFERENCE_LIST_BOOST, 6)
    return json.dumps(index, separators=(",", ":"))  # as Material writes it
