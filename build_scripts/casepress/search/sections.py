"""The searchable sections of built HTML pages, whichever engine built them.

A page's main content is its first `<article>` (Material, Zensical), else `<main>`, else
`<body>`. Each heading with an id starts a section, as a reader sees the page; a section's
words are what it shows, less what is navigation or decoration: scripts, styles, drawings,
buttons, permalink marks, `hidden` elements and anything marked `data-search-exclude` (the
bibliography's "Cited on" links). A heading may carry `data-search-boost` (written
`{ data-search-boost="0.2" }` in Markdown): on a page's `h1` it scales every section of the
page (listings, which repeat the titles of what they list), on another heading its own
section (a page's reference list, whose cited titles would outrank the page's own text);
a boost of 0 leaves the page, or the section, out (the editors' pages). Read with lexbor, an
HTML5 parser; imports nothing from MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from selectolax.lexbor import LexborHTMLParser, LexborNode

_HEADING_START = re.compile(r"<h[1-6]\b[^>]*\sid=")
# Block ends and line breaks become spaces, so that "…text.</p><p>Next" stays two words.
_BLOCK_END = re.compile(r"(</(?:p|li|td|th|tr|div|dd|dt|h[1-6]|figcaption|blockquote|pre|"
                        r"section|table|summary)>|<br\s*/?>)", re.IGNORECASE)
_LEFT_OUT = ("script, style, svg, button, template, .headerlink, [hidden], "
             "[data-search-exclude]")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)\]])")
_SPACE_AFTER = re.compile(r"([(\[])\s+")


@dataclass(frozen=True)
class Section:
    anchor: str  # "" for the part above the page's first heading with an id
    title: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class SearchPage:
    url: str  # relative to the site root, as a link from the root would be written
    title: str
    sections: tuple[Section, ...]


def _text(node: LexborNode | None) -> str:
    if node is None:
        return ""
    text = _SPACES.sub(" ", node.text(deep=True, separator="")).strip()
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


def _boost(heading: LexborNode | None) -> float:
    value = heading.attributes.get("data-search-boost") if heading is not None else None
    try:
        return float(value) if value else 1.0
    except ValueError:
        return 1.0


def page_sections(html: str) -> tuple[str, tuple[Section, ...], float]:
    """(page title, sections, the page's own boost) of one built page's HTML."""
    tree = LexborHTMLParser(html)
    main = tree.css_first("article") or tree.css_first("main") or tree.body
    if main is None:
        return "", (), 1.0
    for node in main.css(_LEFT_OUT):
        node.decompose()
    content = _BLOCK_END.sub(r"\1 ", main.html or "")
    starts = [m.start() for m in _HEADING_START.finditer(content)]
    sections: list[Section] = []
    page_title, page_boost = "", 1.0
    for begin, end in zip([0, *starts], [*starts, len(content)], strict=True):
        if begin == end:
            continue
        part = LexborHTMLParser(content[begin:end])
        # a heading with an id starts each part; a page's h1 may have none
        heading = part.css_first("h1, h2, h3, h4, h5, h6" if begin in starts else "h1")
        title = _text(heading)
        if heading is not None:
            anchor = heading.attributes.get("id") or ""
            boost = _boost(heading)
            if heading.tag == "h1" and not page_title:
                page_title, page_boost, boost = title, boost, 1.0
            heading.decompose()
        else:
            anchor, boost = "", 1.0
        text = _text(part.body)
        if text or title:
            sections.append(Section(anchor, title, text, boost))
    if not page_title:
        page_title = _text(tree.css_first("title"))
    return page_title, tuple(sections), page_boost


def site_pages(site_dir: Path, directory_urls: bool) -> list[tuple[str, Path]]:
    """(address, file) of every page of a built site, in path order, 404.html and the search's
    own files left out. With `directory_urls`, `x/index.html` is addressed as `x/`, as a
    server shows it."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = PurePosixPath(path.relative_to(site_dir).as_posix())
        if relative.as_posix() == "404.html" or relative.parts[0] == "search":
            continue
        url = relative.as_posix()
        if directory_urls and relative.name == "index.html":
            url = url.removesuffix("index.html")
        pages.append((url, path))
    return pages


def read_page(url: str, path: Path) -> SearchPage | None:
    """One built page as the search sees it; None when it has nothing to search."""
    title, sections, boost = page_sections(path.read_text(encoding="utf-8"))
    sections = tuple(s for s in sections if s.boost > 0)
    if not sections or boost <= 0:
        return None
    return SearchPage(url, title, tuple(Section(s.anchor, s.title, s.text, s.boost * boost)
                                        for s in sections))


def read_site(site_dir: Path, directory_urls: bool) -> list[SearchPage]:
    """Every page of a built site that has something to search, in path order."""
    pages = (read_page(url, path) for url, path in site_pages(site_dir, directory_urls))
    return [page for page in pages if page is not None]
