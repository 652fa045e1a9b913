"""The last check before a page is written: its body must not be able to run code.

Content text is validated (models/common.py) and escaped (render.py, references/formatting.py)
long before this, so nothing here should ever fire for content; it catches what those layers
cannot see: hand-written pages under docs/, edited page templates, and any gap in the layers
above. A page body may not hold elements that run or embed code or send the reader elsewhere
(`<script>`, `<iframe>`, `<object>`, `<form>`, `<meta>`, ...), `on*` event attributes, or
URLs with a scheme other than http, https and mailto. The theme's own scripts are outside the
page body and are not checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from casepress.diagnostics import Diagnostic, error
from casepress.models.common import link_scheme

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


def unsafe_markup(html: str) -> list[Unsafe]:
    """Everything in `html` (a page body) that could run code or load it."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


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
