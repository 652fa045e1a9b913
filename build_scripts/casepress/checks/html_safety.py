"""The last check before a page is written: its body must not be able to run code.

Content text is validated (models/common.py) and escaped (site/templates.py,
references/formatting.py) long before this, so nothing here should ever fire for content; it
catches what those layers cannot see: hand-written pages under docs/, edited page templates,
and any gap in the layers above. A page body may not hold elements that run or embed code or
send the reader elsewhere (`<script>`, `<iframe>`, `<object>`, `<form>`, `<meta>`, ...), `on*`
event attributes, or URLs with a scheme other than http, https and mailto. The theme's own
scripts are outside the page body and are not checked here.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import parser as html_parser
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from types import CodeType

from casepress.diagnostics import Diagnostic, error
from casepress.urls import link_scheme

FORBIDDEN_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
    "meta", "portal",
})
# Attributes whose value a browser follows or loads as a URL (SVG animation targets too).
URL_ATTRIBUTES = frozenset({
    "href", "src", "xlink:href", "action", "formaction", "poster", "data", "background",
    "ping", "cite", "srcset", "to", "from", "values",
})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class Unsafe:
    line: int  # 1-based, in the HTML given
    what: str  # e.g. "<script> element", "onclick attribute on <img>"
    evidence: str  # the text to look for in the source, e.g. "javascript:alert(1)"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Unsafe] = []

    def _add(self, what: str, evidence: str) -> None:
        self.found.append(Unsafe(self.getpos()[0], what, evidence))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self._add(f"<{tag}> element", f"<{tag}")
        for name, value in attrs:
            if name.startswith("on"):
                self._add(f"{name} attribute on <{tag}>", name)
            elif name == "style" and value and ("javascript:" in value.lower()
                                                or "expression(" in value.lower()):
                self._add(f"script in the style attribute of <{tag}>", value)
            elif name in URL_ATTRIBUTES and value:
                for url in value.split(",") if name == "srcset" else [value]:
                    scheme = link_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        self._add(f"{scheme}: URL in the {name} of <{tag}>", url.strip())


def _full_scan(html: str) -> list[Unsafe]:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


# The fast path: parsing a page in Python is slow and nearly every page is clean, so a page
# that fullmatches _CLEAN_PAGE is passed unparsed and any other page is parsed in full.
# _CLEAN_PAGE is a sequence of: text without `<`; end tags `</x...>` (to the first `>`); start
# tags `<name attr="value" attr ...>` or `.../>` in ASCII names, ASCII whitespace and double
# quotes, whose name is neither forbidden nor `style`, with no `on*` attribute, each URL
# attribute's value either starting with http:, https:, mailto:, `#`, `/`, `.`, `?` or a
# digit, or free of `&` and `:` (srcset: no `&`, no `:` but a leading scheme), and a style
# value free of `&`, `(` and `javascript:`. Why the parser (the html.parser code fingerprinted
# below, that of Python 3.11.7; under any other code every page is parsed) then reports nothing:
# - Induction over the tokens: the parser steps from token to token. Text runs to the next
#   `<`; parse_endtag ends at the first `>`; for such a start tag the greedy match of
#   locatestarttagend_tolerant ends at its `>` or `/>`, and tagfind_tolerant and
#   attrfind_tolerant read exactly the name and attributes written. No token starts CDATA
#   mode (script, style) or is incomplete, so a `<` inside a value is never parsed.
# - Values are decoded only at `&`, so a leading `https:` or `#` and any value without `&`
#   stay as written; link_scheme takes the scheme (a letter, then up to the first colon)
#   after stripping whitespace, `<>` and control characters: http, https, mailto or none. Only
#   U+0130 and U+212A lower-case to anything ASCII, so no other spelling is `javascript:`.
_ANALYSED_PARSER = "3ef61d5a8d183135af3c705eaf0252f020252ae1fad4845a1f0ad289e3eef7b9"


def _code_parts(code: CodeType) -> list[str]:
    """What a function does, without where its lines are: bytecode, names and constants
    (nested functions' too). Reading its source instead would cost milliseconds per build."""
    parts = [code.co_code.hex(), code.co_exceptiontable.hex(), repr(code.co_names),
             repr(code.co_varnames), repr(code.co_freevars), repr(code.co_cellvars)]
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            parts += _code_parts(constant)
        elif isinstance(constant, frozenset):  # `in {...}`: its order follows string hashing
            parts.append(repr(sorted(map(repr, constant))))
        else:
            parts.append(repr(constant))
    return parts


def _parser_fingerprint() -> str | None:
    """A hash of the parts of html.parser the fast path's argument rests on."""
    names = vars(html_parser)
    try:
        parts = [part for method in (
            HTMLParser.goahead, HTMLParser.parse_starttag, HTMLParser.check_for_whole_start_tag,
            HTMLParser.parse_endtag, HTMLParser.set_cdata_mode)
            for part in _code_parts(method.__code__)]
        parts += [names[name].pattern for name in (
            "starttagopen", "tagfind_tolerant", "attrfind_tolerant",
            "locatestarttagend_tolerant", "endendtag", "endtagfind")]
    except (KeyError, AttributeError):
        return None
    parts += [repr(HTMLParser.CDATA_CONTENT_ELEMENTS), repr(names.get("unescape") is unescape)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@functools.cache
def _fast_path_applies() -> bool:
    return _parser_fingerprint() == _ANALYSED_PARSER


def _any_case(words: Iterable[str]) -> str:
    """An ASCII case-insensitive alternation of `words` (explicit, unlike re.IGNORECASE)."""
    return "(?:" + "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c)
                                    for c in word) for word in sorted(words)) + ")"


_WS = r"[ \t\n\r\f]"
_SAFE_SCHEME = _any_case(f"{scheme}:" for scheme in SAFE_SCHEMES)
_URL_NAME = _any_case(URL_ATTRIBUTES - {"srcset"})
_SAFE_ATTRIBUTE = (
    rf'(?!{_any_case(["on"])}|{_any_case(URL_ATTRIBUTES | {"style"})}=)'
    r'[a-zA-Z_:][-a-zA-Z0-9_:.]*+(?:="[^"]*+")?+'
    rf'|{_URL_NAME}="(?:(?:{_SAFE_SCHEME}|[#/.?0-9])[^"]*+|[^"&:]*+)"'
    rf'|{_any_case(["srcset"])}="{_SAFE_SCHEME}?[^"&:]*+"'
    rf'|{_any_case(["style"])}="(?:[^"&(jJ]++|[jJ](?!{_any_case(["avascript:"])}))*+"')
_SAFE_START_TAG = (
    rf"<(?!{_any_case(FORBIDDEN_ELEMENTS | {'style'})}[ \t\n\r\f/>])[a-zA-Z][a-zA-Z0-9-]*+"
    rf"(?:{_WS}++(?:{_SAFE_ATTRIBUTE}))*+{_WS}*+/?>")
_CLEAN_PAGE = re.compile(rf"(?:[^<]++|</[a-zA-Z][^>]*+>|{_SAFE_START_TAG})*+")


def _is_clean(html: str) -> bool:
    """Whether `html` is made only of the tokens above."""
    return _CLEAN_PAGE.fullmatch(html) is not None


def _may_be_unsafe(html: str) -> bool:
    return not (_fast_path_applies() and _is_clean(html))


def unsafe_markup(html: str) -> list[Unsafe]:
    """Everything in `html` (a page body) that could run code or load it."""
    return _full_scan(html) if _may_be_unsafe(html) else []


def source_line(source: str, evidence: str) -> int | None:
    """The first line of `source` holding `evidence` (case-insensitive), if any. A URL may be
    written with entities (`&#106;avascript:`), so what follows its scheme is tried too."""
    text = source.lower()
    for candidate in (evidence, evidence.partition(":")[2]):
        position = text.find(candidate.lower()[:60]) if candidate else -1
        if position >= 0:
            return source.count("\n", 0, position) + 1
    return None


def page_problems(html: str, page: str, source: str, root: Path) -> list[Diagnostic]:
    """Unsafe markup in the body of `page` (docs-relative path), located in `source` (the
    project-relative file the page came from) where the offending text can be found there."""
    found = unsafe_markup(html)
    if not found:
        return []
    path = root / source
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    return [error(source, source_line(text, u.evidence) if text else None, "unsafe-html",
                  f"page {page}: {u.what} ({u.evidence[:60]!r})",
                  "pages may not run code: write the text as Markdown, link only to http(s) "
                  "addresses, and ship JavaScript as a file in build_scripts/casepress/assets")
            for u in found]
