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
the sections; scripts, styles and `data-search-exclude` elements are left out), read with
lexbor, an HTML5 parser; imports nothing from MkDocs.
"""

from __future__ import annotations

import html
import itertools
import re

from selectolax.lexbor import LexborHTMLParser

_HEADING = re.compile(r"<h[1-6]\b[^>]*\sid=")
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


def _text(fragment: str) -> str:
    """The words Material indexes from one section: its text, less scripts, styles and the
    elements marked `data-search-exclude` (the bibliography's back-links)."""
    tree = LexborHTMLParser(fragment)
    for node in tree.css("script, style, [data-search-exclude]"):
        node.decompose()
    return tree.body.text(separator=" ") if tree.body is not None else ""


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
