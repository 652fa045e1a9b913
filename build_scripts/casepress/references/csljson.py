"""BibTeX entry -> CSL-JSON item, decoding LaTeX only for the entries a site uses.

"and others" in a BibTeX name list becomes a final `{"literal": "others"}` name (the
convention of pandoc and jgm/citeproc) inside casepress: the formatter turns it into the
style's "et al" (see `formatting`); the downloads drop it (see `export`), since reference
managers would import it as an author named "others".
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from casepress.references.bibfile import BibEntry, normalize_doi

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

OTHERS = "others"

_TYPES = {
    "article": "article-journal", "book": "book", "booklet": "pamphlet",
    "inbook": "chapter", "incollection": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "manual": "book", "mastersthesis": "thesis",
    "phdthesis": "thesis", "techreport": "report", "report": "report",
    "online": "webpage", "misc": "document", "unpublished": "manuscript",
}
# BibTeX field -> CSL variable, for fields copied as decoded text.
_TEXT_FIELDS = {
    "title": "title", "shorttitle": "title-short", "volume": "volume", "number": "issue",
    "issue": "issue", "note": "note", "publisher": "publisher", "address": "publisher-place",
    "booktitle": "container-title", "edition": "edition", "abstract": "abstract",
    "language": "language", "isbn": "ISBN", "issn": "ISSN",
}
# Identifiers are copied verbatim: LaTeX decoding would eat `%`, `_`, `~` in them.
_VERBATIM_FIELDS = {"pmid": "PMID", "pmcid": "PMCID", "url": "URL"}
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_LATEX_SYNTAX = re.compile(r"\\[A-Za-z]+\*?|[{}\\$]")


@cache  # imported on first need: most fields, and every cached build, need no LaTeX parser
def _latex() -> LatexNodes2Text:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text()


def decode_latex(raw: str) -> str:
    """LaTeX field text to plain Unicode: {\\"u} -> ü, \\& -> &, -- -> en dash, braces gone."""
    if not any(c in raw for c in "\\{}$~-"):
        return " ".join(raw.split())  # the common case needs no parser
    # In a .bib field `%` is a literal percent sign, not a LaTeX comment.
    try:
        text = _latex().latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", raw))
    except Exception:  # pylatexenc fails on some malformed macros, e.g. \href{x}{y} variants
        text = _LATEX_SYNTAX.sub("", raw)  # keep the words, drop the commands and braces
    return " ".join(text.split())


def parse_names(raw: str) -> list[dict[str, str]]:
    """Raw BibTeX name list -> CSL names."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    names: list[dict[str, str]] = []
    for person in split_multiple_persons_names(raw):
        if person.strip() == OTHERS:
            names.append({"literal": OTHERS})
            continue
        stripped = person.strip()
        if stripped.startswith("{") and stripped.endswith("}") and _balanced(stripped[1:-1]):
            names.append({"literal": decode_latex(stripped)})  # {World Health Organization}
            continue
        parts = parse_single_name_into_parts(person, strict=False)
        name = {
            "family": decode_latex(" ".join(parts.last)),
            "given": decode_latex(" ".join(parts.first)),
            "non-dropping-particle": decode_latex(" ".join(parts.von)),
            "suffix": decode_latex(" ".join(parts.jr)),
        }
        names.append({k: v for k, v in name.items() if v})
    return names


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _issued(fields: dict[str, str]) -> dict[str, Any] | None:
    raw = fields.get("year") or fields.get("date", "")[:4]
    year = decode_latex(raw) if raw else ""
    if not year:
        return None
    if not year.isdigit():
        return {"literal": year}
    parts = [int(year)]
    month = fields.get("month", "").strip().lower()[:3]
    if month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    elif month in _MONTHS:
        parts.append(_MONTHS[month])
    return {"date-parts": [parts]}


def _pages(raw: str) -> str:
    # CSL wants a plain hyphen between first and last page; the style picks the dash.
    return re.sub(r"\s*(?:-{1,3}|\u2013|\u2014)\s*", "-", decode_latex(raw.replace("--", "-")))


def to_csl(entry: BibEntry) -> dict[str, Any]:
    """A CSL-JSON item for `entry` (a fresh dict; decoding is cached per raw field text)."""
    fields = entry.fields
    item: dict[str, Any] = {"id": entry.key, "type": _TYPES.get(entry.entry_type, "article")}
    for role in ("author", "editor", "translator"):
        if fields.get(role, "").strip():
            item[role] = parse_names(fields[role])
    for name, variable in _TEXT_FIELDS.items():
        if fields.get(name, "").strip() and variable not in item:
            item[variable] = decode_latex(fields[name])
    journal = fields.get("journal") or fields.get("journaltitle")
    if journal:
        item["container-title"] = decode_latex(journal)
        short = fields.get("shortjournal") or fields.get("journalabbrev") or journal
        item["container-title-short"] = decode_latex(short)
    issued = _issued(fields)
    if issued:
        item["issued"] = issued
    if fields.get("pages", "").strip():
        item["page"] = _pages(fields["pages"])
    for name, variable in _VERBATIM_FIELDS.items():
        if fields.get(name, "").strip():
            item[variable] = " ".join(fields[name].split())
    doi = normalize_doi(fields.get("doi", ""))
    if doi:
        item["DOI"] = doi
    return item
