"""The last step before a page is written: its body leaves the build through an allow-list.

Content text is validated (models/common.py) and escaped (site/templates.py,
references/formatting.py) long before this, so nothing here should ever fire for content; it
catches what those layers cannot see: hand-written pages under docs/, edited page templates,
and any gap in the layers above.

Every page body is parsed as browsers parse HTML and written anew with only the elements,
attributes and URL schemes listed here (Ammonia, through nh3; it parses with html5ever, the
HTML5 parser of Servo). Detection with Python's html.parser, which reads some markup
differently from browsers (comments such as `<!-->`, raw-text elements such as textarea,
noscript and xmp, CDATA outside SVG), let script through; a sanitiser that parses as the
browser does has no such gap, and what it writes is safe whether or not a problem was found.

So that an editor learns why a page was refused, what the allow-list removes is also
reported (`unsafe-html`, at the line of the source where the offending text stands): the
body is parsed a second time with lexbor (selectolax), another parser that follows the HTML5
specification, and every element, attribute and URL it holds is held against the same lists.
The theme's own scripts are outside the page body and are not touched here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import nh3
from selectolax.lexbor import LexborHTMLParser

from casepress.cache import SlotCache
from casepress.diagnostics import Diagnostic, error
from casepress.pages import Asset
from casepress.urls import link_scheme

_HTML_TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "button", "caption", "cite",
    "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "picture", "pre", "q", "s", "samp",
    "section", "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
# What the timeline, forest plot and figure placeholders are drawn with (graphics/).
_SVG_TAGS = {
    "svg", "g", "title", "desc", "defs", "pattern", "rect", "line", "path", "polygon",
    "polyline", "circle", "ellipse", "text", "tspan",
}
ALLOWED_TAGS = frozenset(_HTML_TAGS | _SVG_TAGS)
_EVERYWHERE = {"class", "id", "title", "role", "lang", "dir", "hidden", "tabindex"}
_SVG_ATTRIBUTES = {
    "xmlns", "viewBox", "width", "height", "preserveAspectRatio", "focusable", "transform",
    "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "d", "points",
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "opacity", "color", "font-family", "font-size",
    "font-style", "font-weight", "text-anchor", "dominant-baseline", "patternUnits",
    "patternTransform",
}
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset(_EVERYWHERE),
    "a": frozenset({"href", "download"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding", "srcset",
                      "sizes"}),
    "source": frozenset({"srcset", "sizes", "type", "media", "width", "height"}),
    "button": frozenset({"type"}),
    "td": frozenset({"colspan", "rowspan", "style"}),
    "th": frozenset({"colspan", "rowspan", "style", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    **{tag: frozenset(_SVG_ATTRIBUTES) for tag in _SVG_TAGS},
}
# data-* (the evidence table's filters, the copy buttons, search exclusion) and aria-*.
ALLOWED_PREFIXES = ("data-", "aria-")
# Python-Markdown aligns table columns with a style; nothing else may be styled inline.
ALLOWED_STYLES = frozenset({"text-align"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset"})

# The document around a parsed body, and what the parser makes of comments and doctypes.
_DOCUMENT = frozenset({"html", "head", "body", "-comment", "-doctype", "!doctype"})

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    generic_attribute_prefixes=set(ALLOWED_PREFIXES), url_schemes=set(SAFE_SCHEMES),
    filter_style_properties=set(ALLOWED_STYLES), clean_content_tags={"script", "style"},
    link_rel=None, strip_comments=True,
)


@dataclass(frozen=True)
class Unsafe:
    what: str  # e.g. "<script> element", "onclick attribute on <img>"
    evidence: str  # the text to look for in the source, e.g. "javascript:alert(1)"


def sanitise(html: str) -> str:
    """`html` (a page body or an SVG document's markup) with only what the lists allow."""
    return str(_CLEANER.clean(html))


def _attribute_allowed(tag: str, name: str) -> bool:
    return (name in ALLOWED_ATTRIBUTES["*"] or name in ALLOWED_ATTRIBUTES.get(tag, ())
            or name.startswith(ALLOWED_PREFIXES))


def unsafe_markup(html: str) -> list[Unsafe]:
    """What `sanitise` removes from `html` that could matter: elements and attributes outside
    the lists, and URLs whose scheme is not allowed; comments, which it also drops, hide
    nothing a reader sees and are not reported."""
    found: list[Unsafe] = []
    # The whole document is walked: a body that opens with <title> or <meta> would have
    # them parsed into <head>.
    root = LexborHTMLParser("<!DOCTYPE html><body>" + html).root
    for node in root.traverse(include_text=False) if root is not None else []:
        tag = node.tag
        if tag in _DOCUMENT:
            continue
        if tag not in ALLOWED_TAGS:
            found.append(Unsafe(f"<{tag}> element", f"<{tag}"))
            continue
        for name, value in node.attributes.items():
            if not _attribute_allowed(tag, name):
                found.append(Unsafe(f"{name} attribute on <{tag}>", name))
            elif name == "style" and value:
                for declaration in value.split(";"):
                    prop = declaration.partition(":")[0].strip().lower()
                    if prop and prop not in ALLOWED_STYLES:
                        found.append(Unsafe(f"style {prop!r} on <{tag}>", declaration.strip()))
            elif name in URL_ATTRIBUTES and value:
                for url in value.split(",") if name == "srcset" else [value]:
                    scheme = link_scheme(url.strip().split(" ")[0])
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        found.append(Unsafe(f"{scheme}: URL in the {name} of <{tag}>",
                                            url.strip()))
    return found


def source_offset(source: str, evidence: str, start: int = 0) -> int | None:
    """Where `source` holds `evidence` (case-insensitive) from `start` on, if anywhere. A URL
    may be written with entities (`&#106;avascript:`), so what follows its scheme is tried."""
    text = source.lower()
    for candidate in (evidence, evidence.partition(":")[2]):
        position = text.find(candidate.lower()[:60], start) if candidate else -1
        if position >= 0:
            return position
    return None


def asset_problems(assets: Iterable[Asset], cache: SlotCache[list[Diagnostic]] | None = None
                   ) -> list[Diagnostic]:
    """Generated SVG files (figure placeholders) held against the same lists. They are drawn
    from escaped values, so this never fires unless a gap opens in the graphics code; they are
    checked rather than rewritten, since they are XML documents, not HTML fragments. `cache`
    keeps each file's verdict while its bytes are unchanged."""
    cache = cache or SlotCache()
    return [d for asset in assets if asset.path.endswith(".svg")
            for d in cache.get(asset.path, asset.content, partial(_asset_problems, asset))]


def _asset_problems(asset: Asset) -> list[Diagnostic]:
    return [error(asset.path, None, "unsafe-html", f"generated file {asset.path}: {u.what}",
                  "report this: the graphics code let markup through")
            for u in unsafe_markup(asset.content.decode("utf-8", errors="replace"))]


def page_problems(html: str, page: str, source: str, root: Path) -> list[Diagnostic]:
    """What the allow-list removes from the body of `page` (docs-relative path), located in
    `source` (the project-relative file the page came from) where the text can be found."""
    found = unsafe_markup(html)
    if not found:
        return []
    path = root / source
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    problems = []
    searched_from: dict[str, int] = {}  # the same evidence twice is two places in the source
    for unsafe in found:
        offset = source_offset(text, unsafe.evidence, searched_from.get(unsafe.evidence, 0))
        if offset is not None:
            searched_from[unsafe.evidence] = offset + 1
        line = text.count("\n", 0, offset) + 1 if offset is not None else None
        problems.append(error(
            source, line, "unsafe-html", f"page {page}: {unsafe.what} ({unsafe.evidence[:60]!r})",
            "pages may not run code: write the text as Markdown, link only to http(s) "
            "addresses, and ship JavaScript as a file in build_scripts/casepress/assets"))
    return problems
