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


def _without_others(names: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """BibTeX's "and others" is not a person: reference managers would import an author named
    "others". The listed names are all an export can say."""
    return [name for name in names if name.get("literal") != OTHERS]


def _ris_name(name: dict[str, str]) -> str:
    family = " ".join(p for p in (name.get("non-dropping-particle"),
                                  name.get("family") or name.get("literal")) if p)
    return ", ".join(p for p in (family, name.get("given"), name.get("suffix")) if p)


def to_ris(items: Sequence[dict[str, Any]]) -> str:
    """One `TY  - ` ... `ER  - ` record per CSL item."""
    lines: list[str] = []

    def tag(name: str, value: Any) -> None:
        if value not in (None, ""):
            lines.append(f"{name}  - {_ris_value(value)}")

    for item in items:
        tag("TY", _RIS_TYPES.get(item.get("type", ""), "GEN"))
        tag("ID", item.get("id"))
        for role, ris_tag in (("author", "AU"), ("editor", "ED")):
            for name in _without_others(item.get(role, [])):
                tag(ris_tag, _ris_name(name))
        tag("TI", item.get("title"))
        tag("JO", item.get("container-title"))
        tag("JA", item.get("container-title-short"))
        parts = item.get("issued", {}).get("date-parts", [[]])
        tag("PY", parts[0][0] if parts and parts[0] else item.get("issued", {}).get("literal"))
        tag("VL", item.get("volume"))
        tag("IS", item.get("issue"))
        tag("ET", item.get("edition"))
        tag("PB", item.get("publisher"))
        tag("CY", item.get("publisher-place"))
        tag("SN", item.get("ISBN") or item.get("ISSN"))
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
    """A CSL-JSON array, as reference managers import it (no author named "others")."""
    exported = [{**item, **{role: _without_others(item[role])
                            for role in ("author", "editor") if role in item}}
                for item in items]
    return json.dumps(exported, ensure_ascii=False, indent=2) + "\n"
