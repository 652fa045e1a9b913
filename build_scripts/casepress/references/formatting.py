"""Rendering CSL-JSON items with a CSL style (citeproc-py) into plain text and safe Markdown.

citeproc-py's HTML formatter does not escape field values, so we render plain text and
escape it ourselves: whatever a .bib field holds, it can never become markup in a page.
"""

from __future__ import annotations

import json
import re
import warnings
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from casepress.cache import CacheStats
from casepress.references.csljson import OTHERS

BUILTIN_STYLES = ("casepress", "ama", "vancouver")
_STYLES_DIR = Path(__file__).resolve().parent.parent / "styles"
_CSL_NS = "{http://purl.org/net/xbiblio/csl}"
# Stands in for an "and others" name while citeproc renders (a private-use character, so
# no real name contains it); replaced by the style's "et al" term afterwards.
_OTHERS_MARK = "\ue000"
NO_DATE = "n.d."


@cache  # citeproc-py (and lxml) load only when something has to be formatted
def _csl_variables() -> frozenset[str]:
    """The CSL variables citeproc knows; it warns about (and cannot use) anything else."""
    from citeproc import VARIABLES

    return frozenset({"id", "type"} | {v.replace("_", "-") for v in VARIABLES})


# (style file, its (mtime_ns, size), the item as canonical JSON)
_CacheKey = tuple[str, tuple[int, int], str]


@dataclass(frozen=True)
class FormattedReference:
    key: str
    text: str  # plain Unicode
    markdown: str  # `text` escaped so that nothing in it is Markdown or HTML markup
    error: str = ""  # set when the style failed on this entry; `text` is then a fallback


def resolve_style(name_or_path: str, project_root: Path) -> Path:
    """A built-in style name or a (project-relative) path to a .csl file; ValueError if
    there is no usable style there."""
    if name_or_path in BUILTIN_STYLES:
        return _STYLES_DIR / f"{name_or_path}.csl"
    path = Path(name_or_path)
    if not path.is_absolute():
        path = project_root / path
    if not path.is_file():
        raise ValueError(
            f"citation style '{name_or_path}' is neither a built-in style "
            f"({', '.join(BUILTIN_STYLES)}) nor an existing file ({path})")
    try:
        root = ET.parse(path)
    except (ET.ParseError, OSError) as exc:
        raise ValueError(f"citation style {path} is not a CSL file: {exc}") from None
    if root.getroot().tag != f"{_CSL_NS}style":
        raise ValueError(f"citation style {path} is not a CSL file (its root element is not "
                         "<style xmlns=\"http://purl.org/net/xbiblio/csl\">)")
    if root.find(f"{_CSL_NS}bibliography") is None:
        raise ValueError(f"citation style {path} has no <bibliography> (a dependent style?); "
                         "use an independent CSL style")
    return path.resolve()


def narrative_label(item: dict[str, Any]) -> str:
    """Author text for a narrative citation: "Liaw", "Weill and Chiras", "Kaemmerlen et al"."""
    names = item.get("author") or item.get("editor") or []
    others = bool(names) and names[-1].get("literal") == OTHERS
    real = [n for n in names if n.get("literal") != OTHERS]
    if not real:
        return str(item.get("title-short") or item.get("title") or item.get("id", ""))
    first = _family(real[0])
    if len(real) == 1 and not others:
        return first
    if len(real) == 2 and not others:
        return f"{first} and {_family(real[1])}"
    return f"{first} et al"


def _family(name: dict[str, str]) -> str:
    particle = name.get("non-dropping-particle", "")
    family = name.get("family") or name.get("literal") or name.get("given", "")
    return f"{particle} {family}".strip()


# Characters Markdown (or Material's extensions) could read as markup, and their entities.
# "&" goes first and "#" second: every entity is written with both, and they must stay as
# written when the characters after them are replaced.
_MD_ESCAPES = (("&", "&amp;"), ("#", "&#35;"), *((c, f"&#{ord(c)};") for c in
               "\\`*_{}[]<>|~^=:$+"), ('"', "&quot;"), ("'", "&#39;"))
_LIST_START = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Entity-escape HTML specials and every character Markdown (or Material's extensions:
    emoji `:x:`, `==mark==`, `~~del~~`, `^^ins^^`, `{attr}`) could turn into markup."""
    escaped = text
    for char, entity in _MD_ESCAPES:
        if char in escaped:
            escaped = escaped.replace(char, entity)
    # A leading "-" or "1989." would start a list where the text begins a line.
    if escaped.startswith("-"):
        escaped = "\\" + escaped
    return _LIST_START.sub(r"\1\\\2", escaped) if escaped[:1].isdigit() else escaped


def brief_reference(item: dict[str, Any], problem: str = "") -> FormattedReference:
    """Author, title, journal and year without running a CSL style: for entries listed
    without being cited, and as the fallback when a style fails."""
    key = str(item["id"])
    year = (item.get("issued") or {}).get("date-parts", [[None]])[0][0]
    journal = item.get("container-title-short") or item.get("container-title")
    parts = [narrative_label(item), item.get("title", key),
             " ".join(str(p) for p in (journal, year) if p)]
    text = ". ".join(str(p) for p in parts if p)
    return FormattedReference(key, text, escape_markdown(text), problem)


class Formatter:
    """Formats CSL items with one style. Results are cached by (style file and mtime,
    item), shared by all Formatters, so `mkdocs serve` rebuilds reuse formatted text."""

    _results: ClassVar[OrderedDict[_CacheKey, FormattedReference]] = OrderedDict()
    _max_results: ClassVar[int] = 50_000

    def __init__(self, style: Path, *, load: bool = True) -> None:
        """`load=False` defers reading the style with citeproc until something is formatted
        (for a style known to load, whose results are all cached)."""
        self.style_path = style.resolve()
        self._stamp = (-1, -1)  # (mtime_ns, size) of the style file as loaded
        self._style: Any = None
        self.stats = CacheStats()  # a miss is an entry run through citeproc
        if load:
            self._load()

    def _load(self) -> None:
        from citeproc import CitationStylesStyle
        from citeproc import formatter as citeproc_formatter

        try:
            stat = self.style_path.stat()
        except OSError as exc:
            raise ValueError(f"citation style {self.style_path} cannot be read: {exc}") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # citeproc warns on unknown variables
                style = CitationStylesStyle(str(self.style_path), validate=False)
        except Exception as exc:  # lxml and citeproc raise many types for a bad style
            raise ValueError(f"citation style {self.style_path} cannot be used: {exc}") from None
        if not style.has_bibliography():
            raise ValueError(f"citation style {self.style_path} has no <bibliography>")
        self._style, self._stamp = style, stamp
        # Terms are preformatted by the style's formatter, which citeproc only sets when a
        # bibliography is created; set it now so the terms can be read up front.
        style.root.formatter = citeproc_formatter.plain
        self._et_al = str(style.root.get_single_term("et-al")) or "et al."
        self._and = str(style.root.get_single_term("and")) or "and"

    def format_entries(self, items: Sequence[dict[str, Any]]) -> dict[str, FormattedReference]:
        try:
            self._load()  # picks up an edited style file
        except ValueError as exc:  # e.g. saved half-edited during `mkdocs serve`
            return {str(item["id"]): self._fallback(item, str(exc)) for item in items}
        out: dict[str, FormattedReference] = {}
        for item in items:
            cache_key = (str(self.style_path), self._stamp,
                         json.dumps(item, sort_keys=True, ensure_ascii=False))
            result = self._results.get(cache_key)
            if result is None:
                self.stats.miss(str(item["id"]))
                result = self._format(item)
                self._results[cache_key] = result
                if len(self._results) > self._max_results:
                    self._results.popitem(last=False)
            else:
                self.stats.hits += 1
            out[str(item["id"])] = result
        return out

    def _format(self, item: dict[str, Any]) -> FormattedReference:
        key = str(item["id"])
        problem = ""
        try:
            text = self._render(item)
        except Exception as exc:  # a user style may fail on some entry; report, don't crash
            text, problem = "", f"style {self.style_path.name} failed on '{key}': {exc}"
        if not text and not problem:
            problem = f"style {self.style_path.name} produced no text for '{key}'"
        if problem:
            return self._fallback(item, problem)
        return FormattedReference(key, text, escape_markdown(text))

    @staticmethod
    def _fallback(item: dict[str, Any], problem: str) -> FormattedReference:
        """So the page still builds while `error` reports the problem."""
        return brief_reference(item, problem)

    def _render(self, item: dict[str, Any]) -> str:
        from citeproc import Citation, CitationItem, CitationStylesBibliography
        from citeproc import formatter as citeproc_formatter
        from citeproc.source.json import CiteProcJSON

        variables = _csl_variables()
        csl = {k: v for k, v in item.items() if k in variables}
        csl["id"] = "item"  # citeproc lower-cases ids; our keys keep their case
        # No year: the style's "n.d." (no date), as CSL processors print it, rather than a
        # reference that silently lacks its date (`check` warns: bib-no-year).
        csl.setdefault("issued", {"literal": NO_DATE})
        names = csl.get("author") or []
        others = bool(names) and names[-1].get("literal") == OTHERS
        if others:
            csl["author"] = [*names[:-1], {"literal": _OTHERS_MARK}]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = CiteProcJSON([csl])
            bibliography = CitationStylesBibliography(self._style, source,
                                                      citeproc_formatter.plain)
            bibliography.register(Citation([CitationItem("item")]))
            rendered = bibliography.bibliography()
        text = " ".join(str(rendered[0]).split()) if rendered else ""
        if others:
            text = self._et_al_for_others(text, len(names) - 1)
        # "Title?" followed by the style's "." seam; citeproc only collapses identical marks.
        return re.sub(r"([?!])\.(?=\s|$)", r"\1", text).replace(_OTHERS_MARK, "")

    def _et_al_for_others(self, text: str, listed: int) -> str:
        # The mark survives only when the style showed every listed name; put "et al"
        # where it is, dropping an "and"/"&" the style placed before the last name.
        connector = rf"(,?)(?:\s+(?:{re.escape(self._and)}|&))?\s*(?:\u2026\s*)?{_OTHERS_MARK}"
        if self._et_al[-1:] in ".,;:":
            # citeproc collapses "et al." + ". " itself, but it never saw our "et al."
            connector += f"(?:{re.escape(self._et_al[-1])}(?!\\S))?"

        def et_al(match: re.Match[str]) -> str:
            return (", " if match.group(1) and listed > 1 else " ") + self._et_al

        return re.sub(connector, et_al, text, count=1)
