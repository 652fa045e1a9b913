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


def _terms(text: str) -> list[str]:
    """_TERM.findall(text), read only in the space-delimited stretches around hyphens: a term
    holds a hyphen and no space, so it lies whole in one of them."""
    stretches = []
    end = 0
    hyphen = text.find("-")
    while hyphen >= 0:
        start = max(text.rfind(" ", end, hyphen) + 1, end)
        end = text.find(" ", hyphen)
        if end < 0:
            end = len(text)
        stretches.append(text[start:end])
        hyphen = text.find("-", end)
    return _TERM.findall(" ".join(stretches)) if stretches else []


def other_spellings(text: str) -> list[str]:
    """The joined spelling of each hyphenated term in plain text, unless the text has it."""
    found: dict[str, str] = {}
    ascii_lowered: bytes | None = None
    words: set[str] | None = None
    for term in _terms(text):
        joined = term.replace("-", "")
        key = joined.lower()
        if key in found:
            continue
        if key.isascii():
            # Only ASCII characters and the Kelvin sign lower-case to ASCII letters and digits
            # (the same way in any context), so a word with this key is a run of ASCII in the
            # text that bytes.lower() lowers to it. Dropping the characters Latin-1 lacks can
            # only join runs, adding matches that the word set below then settles.
            if ascii_lowered is None:
                lowered = text.lower() if "\u212a" in text else text
                ascii_lowered = lowered.encode("latin-1", "ignore").lower()
            if key.encode() not in ascii_lowered:
                found[key] = joined
                continue
        if words is None:
            words = {w.lower() for w in _WORD.findall(text)}
        if key not in words:
            found[key] = joined
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


# The bibliography's "Cited in" back-links (templates/pages/bibliography.md.j2), a thousand of
# them on a large site: text, bold and links only, so the parser would leave each exactly as
# it found it (open elements, skipping or not) and its text is dropped: cut them out first.
_BACK_LINKS = re.compile(r'<span class="cp-cited-in" data-search-exclude>'
                         r"(?:[^<]++|<strong>[^<]*+</strong>|<a\s[^<>]*+>[^<]*+</a>)*+</span>")


def _text(fragment: str) -> str:
    if "data-search-exclude" in fragment:
        fragment = _BACK_LINKS.sub(" ", fragment)
    if "data-search-exclude" not in fragment:
        # Same words as the parser below, without its per-character cost (case pages carry
        # large inline SVG graphics): tags become spaces, script and style go whole.
        return html.unescape(_TAG.sub(" ", _SKIPPED.sub(" ", fragment)))
    parser = _IndexedText()
    parser.feed(fragment)
    parser.close()
    return " ".join(parser.parts)


def page_sections(page_html: str) -> list[str]:
    """The page cut before each heading with an id: the parts Material indexes apart."""
    starts = [m.start() for m in _HEADING.finditer(page_html)]
    return [page_html[begin:end]
            for begin, end in itertools.pairwise([0, *starts, len(page_html)]) if begin < end]


def section_terms(section: str) -> list[str]:
    """The other spellings one section needs."""
    return other_spellings(_text(section))


def with_search_terms(sections: list[str], terms: list[list[str]]) -> str:
    """The sections joined again, each followed by the hidden block of its terms, if any."""
    out = []
    for section, its_terms in zip(sections, terms, strict=True):
        out.append(section)
        if its_terms:
            out.append(f'<div class="{CLASS}" hidden>{html.escape(" ".join(its_terms))}</div>\n')
    return "".join(out)


def add_search_terms(page_html: str) -> str:
    """The page with a hidden block of other spellings closing each section that needs one."""
    sections = page_sections(page_html)
    return with_search_terms(sections, [section_terms(s) for s in sections])
