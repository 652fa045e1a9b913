"""Hyphen-free spellings of hyphenated clinical terms, for the site search.

Lunr's query parser, which Material's search runs on whatever the reader types, always splits
a query at hyphens: `n-BCA` is searched as `n` and `BCA`, `11-gauge` as `11` and `gauge`. The
search separator in mkdocs.yml therefore splits the indexed text the same way (a whole
`n-bca` token could never be matched), and Material ranks first the sections that contain
every part. Clinicians also write such terms joined up (`nBCA`, `NBCA`), which no query split
can reach, so for each hyphenated term in a page section the joined spelling is added in a
`hidden` element at the end of that section: Material indexes it with the section's own text,
so a match lands on the right heading, while readers, screen readers and copy-and-paste never
see it.

Works on the HTML of one page as Material's search index sees it (headings with an `id` start
the sections; scripts, styles and `data-search-exclude` elements are left out), and imports
nothing from MkDocs.
"""

from __future__ import annotations

import html
import itertools
import re
from html.parser import HTMLParser

_HEADING = re.compile(r"<h[1-6]\b[^>]*\sid=")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}
# A term is a whole run of word characters and hyphens, hyphens only between letters or digits
# (possessive: giving back a letter could only leave a letter next, never a hyphen or the end).
_TERM = re.compile(r"(?<![\w-])[^\W_]++(?:-[^\W_]++)++(?![\w-])")
_WORD = re.compile(r"[^\W_]+")
CLASS = "cp-search-terms"


def other_spellings(text: str) -> list[str]:
    """The joined spelling of each hyphenated term in plain text, unless the text has it."""
    words = {word.lower() for word in _WORD.findall(text)}
    found: dict[str, str] = {}
    for term in _TERM.findall(text):
        joined = term.replace("-", "")
        if joined.lower() not in words:
            found.setdefault(joined.lower(), joined)
    return list(found.values())


class _IndexedText(HTMLParser):
    """The text Material's search indexes from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[str] = []
        self._skipping = 0  # depth at which a skipped element started, 0 when not skipping

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self._open.append(tag)
        if not self._skipping and (tag in ("script", "style")
                                   or any(name == "data-search-exclude" for name, _ in attrs)):
            self._skipping = len(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._open:
            return
        while self._open and self._open.pop() != tag:
            pass
        if self._skipping > len(self._open):
            self._skipping = 0

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


_SKIPPED = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _text(fragment: str) -> str:
    """The words Material indexes from one section."""
    if "data-search-exclude" not in fragment:
        # Same words as the parser below, without its per-character cost (case pages carry
        # large inline SVG graphics): tags become spaces, script and style go whole.
        return html.unescape(_TAG.sub(" ", _SKIPPED.sub(" ", fragment)))
    parser = _IndexedText()
    parser.feed(fragment)
    parser.close()
    return " ".join(parser.parts)


def add_search_terms(page_html: str) -> str:
    """The page with a hidden block of other spellings closing each section that needs one:
    the page is cut before each heading with an id, the parts Material indexes apart."""
    starts = [m.start() for m in _HEADING.finditer(page_html)]
    out = []
    for begin, end in itertools.pairwise([0, *starts, len(page_html)]):
        if begin == end:
            continue
        section = page_html[begin:end]
        out.append(section)
        if terms := other_spellings(_text(section)):
            out.append(f'<div class="{CLASS}" hidden>{html.escape(" ".join(terms))}</div>\n')
    return "".join(out)
