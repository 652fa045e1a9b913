"""Downloadable reference lists: BibTeX (raw fields as written), RIS and CSL-JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from casepress.references.bibfile import Bibliography
from casepress.references.csljson import OTHERS

_RIS_TYPES = {
    "article-journal": "JOUR", "book": "BOOK", "chapter": "CHAP",
    "paper-conference": "CPAPER", "report": "RPRT", "thesis": "THES", "webpage": "ELEC",
}


def to_bibtex(bib: Bibliography, keys: Iterable[str] | None = None) -> str:
    """The entries of `keys` (all when None), re-serialised from their raw fields so that
    LaTeX markup and brace protection survive unchanged."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.model import Entry, Field

    library = Library()
    for key in dict.fromkeys(bib.entries if keys is None else keys):
        entry = bib.entries.get(key)
        if entry is not None:
            fields = [Field(name, value) for name, value in entry.fields.items()]
            library.add(Entry(entry.entry_type, entry.key, fields))
    return str(write_string(library))


def _ris_value(value: Any) -> str:
    # RIS is line-based: a newline inside a value would start a bogus tag.
    return " ".join(str(value).split())


def to_ris(items: Sequence[dict[str, Any]]) -> str:
    """One `TY  - ` ... `ER  - ` record per CSL item."""
    lines: list[str] = []

    def tag(name: str, value: Any) -> None:
        if value not in (None, ""):
            lines.append(f"{name}  - {_ris_value(value)}")

    for item in items:
        tag("TY", _RIS_TYPES.get(item.get("type", ""), "GEN"))
        tag("ID", item.get("id"))
        for name in item.get("author", []):
            if name.get("literal") == OTHERS:
                continue  # RIS has no "et al"; the listed authors are all we know
            family = " ".join(p for p in (name.get("non-dropping-particle"),
                                          name.get("family") or name.get("literal")) if p)
            tag("AU", ", ".join(p for p in (family, name.get("given"), name.get("suffix")) if p))
        tag("TI", item.get("title"))
        tag("JO", item.get("container-title"))
        tag("JA", item.get("container-title-short"))
        parts = item.get("issued", {}).get("date-parts", [[]])
        tag("PY", parts[0][0] if parts and parts[0] else item.get("issued", {}).get("literal"))
        tag("VL", item.get("volume"))
        tag("IS", item.get("issue"))
        first, _, last = str(item.get("page", "")).partition("-")
        tag("SP", first)
        tag("EP", last)
        if item.get("PMID"):
            tag("AN", item["PMID"])
            tag("DB", "PubMed")
        tag("DO", item.get("DOI"))
        tag("UR", item.get("URL"))
        tag("N1", item.get("note"))
        lines.append("ER  - ")
        lines.append("")
    return "\n".join(lines)


def to_csl_json(items: Sequence[dict[str, Any]]) -> str:
    """A CSL-JSON array ("and others" kept as a final `{"literal": "others"}` name)."""
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"
