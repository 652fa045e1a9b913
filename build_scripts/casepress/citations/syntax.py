"""Find Pandoc-style citations in Markdown text.

Grammar (after Pandoc's manual, "Citation syntax"):

* bracketed: ``[@a]``, ``[@a; @b]``, ``[see @a, p. 3; @b, ch. 2]``, ``[-@a]`` (author suppressed);
* narrative: ``@a`` and ``@a [p. 3]``;
* keys start with a letter, digit or ``_`` and may hold internal punctuation ``:.#$%&-+?<>~/``
  (punctuation at the end belongs to the sentence, not the key); ``@{any key}`` for the rest.

Not citations: e-mail addresses (``@`` after a word character), ``\\@``, code spans, fenced code,
link and image targets, autolinks, raw HTML tags, bare URLs.
Figure cross-references (``@fig-id``) use the same grammar; the resolver tells them apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import NamedTuple

_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
_KEY_RE = re.compile(rf"@(?:\{{(?P<braced>[^{{}}\n]+)\}}|(?P<plain>{_KEY}))")
_FENCE_OPEN = re.compile(r"^[ ]{0,3}(?P<fence>`{3,}|~{3,})", re.MULTILINE)
_PROTECTED_INLINE = re.compile(
    r"""
      (?P<code>(?P<ticks>`+)[\s\S]*?(?<!`)(?P=ticks)(?!`))    # code span
    | \[[^\[\]\n]*\]\((?:<[^>\n]*>|[^)\s]*)(?:\s+"[^"\n]*")?\)  # whole link: text, target
    | \]\((?:<[^>\n]*>|[^)\s]*)(?:\s+"[^"\n]*")?\)            # link or image target
    | ^[ ]{0,3}\[[^\]\n]+\]:[^\n]*                               # reference definition
    | <!--[\s\S]*?-->                                            # HTML comment
    | <[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*>                        # autolink
    | </?[A-Za-z][^<>\n]*>                                       # raw HTML tag
    | \bhttps?://[^\s<>()\[\]]+                                  # bare URL
    | \\@                                                        # escaped at-sign
    """,
    re.VERBOSE | re.MULTILINE,
)
# Every match of _PROTECTED_INLINE holds one of these.
_PROTECTED_MARKS = ("`", "](", "]:", "<", "http", "\\@")


class CiteItem(NamedTuple):
    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Citation:
    """One citation group as written; `start`/`end` are offsets into the scanned text."""

    start: int
    end: int
    items: tuple[CiteItem, ...]
    narrative: bool

    @cached_property  # asked for at every step of numbering and rendering
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


class _Spans:
    """Spans sorted by start, queried in log time: a page with an inline SVG graphic holds
    thousands of HTML tags, and testing each `@` against every one of them was quadratic."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))  # furthest end so far

    def contains(self, pos: int) -> bool:
        """Some span has start <= pos < end."""
        i = bisect_right(self.starts, pos)
        return i > 0 and self.reach[i - 1] > pos

    def overlaps(self, start: int, end: int) -> bool:
        """Some span shares a character with [start, end)."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


def protected_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Regions where `@` is never a citation: fenced code, code spans, link targets, HTML."""
    spans: list[tuple[int, int]] = []
    pos = 0 if "```" in text or "~~~" in text else len(text)  # no fence can open otherwise
    while match := _FENCE_OPEN.search(text, pos):
        fence = match.group("fence")
        closing = re.compile(rf"^[ ]{{0,3}}{fence[0]}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        line_end = text.find("\n", match.end())
        end_match = closing.search(text, line_end + 1) if line_end != -1 else None
        end = end_match.end() if end_match else len(text)
        spans.append((match.start(), end))
        pos = end
    if not any(mark in text for mark in _PROTECTED_MARKS):
        return tuple(spans)  # plain prose: the scan below would try nine patterns per character
    fences = _Spans(list(spans))
    for match in _PROTECTED_INLINE.finditer(text):
        if not fences.contains(match.start()):
            spans.append(match.span())
    return tuple(sorted(spans))


def _key_of(match: re.Match[str]) -> str:
    return match.group("braced") or match.group("plain")


def _parse_item(part: str) -> CiteItem | None:
    keys = list(_KEY_RE.finditer(part))
    if len(keys) != 1:
        return None
    match = keys[0]
    prefix = part[: match.start()]
    suppress = prefix.endswith("-")
    if suppress:
        prefix = prefix[:-1]
    if prefix and not (prefix[-1].isspace() or prefix[-1] in "[(\"'"):
        return None  # an e-mail address or similar inside brackets
    locator = part[match.end():].strip()
    if locator.startswith(","):
        locator = locator[1:].strip()
    return CiteItem(_key_of(match), prefix.strip(), locator, suppress)


def _parse_bracket(inner: str) -> tuple[CiteItem, ...] | None:
    items = [_parse_item(part) for part in inner.split(";")]
    if not items or any(item is None for item in items):
        return None
    return tuple(item for item in items if item is not None)


# Not before `(`, `[` or `{`: a link, a reference link or attributes. A following colon is
# prose ("as reported [@a]: ..."); a reference definition `[x]: url` starts its line and is
# a protected span.
_BRACKET = re.compile(r"\[(?P<inner>[^\[\]\n]*@[^\[\]\n]*)\](?![(\[{])")
_LOCATOR_AFTER = re.compile(r"[ ]\[(?P<loc>[^\[\]@\n]+)\](?![(\[{])")


def find_citations(text: str) -> list[Citation]:
    """Every citation in `text`, in order of appearance."""
    if "@" not in text:  # most text fields: skip the scanning below
        return []
    protected = _Spans(protected_spans(text)).overlaps
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(text):
        if protected(match.start(), match.end()):
            continue
        if match.start() > 0 and text[match.start() - 1] in "!\\":
            continue
        items = _parse_bracket(match.group("inner"))
        if items:
            found.append(Citation(match.start(), match.end(), items, narrative=False))
            taken.append(match.span())
    in_bracket = _Spans(taken).contains  # `taken` is in text order
    for match in _KEY_RE.finditer(text):
        start = match.start()
        if protected(start, match.end()) or in_bracket(start):
            continue
        before = text[start - 1] if start else ""
        if before and (before.isalnum() or before in "_\\@"):
            continue
        end = match.end()
        locator = ""
        if after := _LOCATOR_AFTER.match(text, end):
            locator, end = after.group("loc").strip(), after.end()
        # `-@key` (author suppressed) also outside brackets, when the dash starts a word.
        suppress = before == "-" and (start < 2 or not text[start - 2].isalnum())
        if suppress:
            start -= 1
        item = CiteItem(_key_of(match), locator=locator, suppress_author=suppress)
        found.append(Citation(start, end, (item,), narrative=not suppress))
    return sorted(found, key=lambda c: c.start)


def unescape_at_signs(text: str) -> str:
    r"""`\@` is how a writer says "a literal @"; Markdown would print the backslash."""
    if "\\@" not in text:
        return text
    protected = _Spans([s for s in protected_spans(text) if text[s[0]:s[1]] != "\\@"])
    out: list[str] = []
    last = 0
    for match in re.finditer(r"\\@", text):
        if protected.contains(match.start()):
            continue
        out.append(text[last:match.start()])
        out.append("&#64;")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def column_of(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1) + 1
