"""Words as the site search sees them: the same rules here (building the index) and in
`assets/search.js` (reading a query), so that what a reader types meets what was indexed.

* Folding: lower case, then compatibility decomposition with the combining marks dropped, so
  Müller = Muller = MÜLLER and ﬁ = fi.
* A word is a run of letters and digits. Two or three words joined by hyphens are also one
  word, joined up: "n-BCA" gives `n`, `bca` and `nbca`; "11-gauge" gives `11`, `gauge` and
  `11gauge`. A reader who types `nBCA`, `n-BCA` or `NBCA` therefore finds text that writes
  either spelling. Longer chains are names of files and pages ("sacroplasty-hcc-nbca-pmma"),
  not terms anyone types joined up.
* A query's hyphenated word is searched joined up only (`n-BCA` -> `nbca`): its parts alone
  (`n`) would match far too much; a longer chain, part by part.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Letters and digits ([^\W_]), with hyphens (ASCII, U+2010, U+2011) only between them.
_WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")
_HYPHEN = re.compile(r"[-\u2010\u2011]")
JOINED_PARTS = 3


def fold(text: str) -> str:
    """Lower case, compatibility-decomposed, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c)[0] != "M")


def index_words(text: str) -> Iterator[str]:
    """Every word of indexed text, in order, hyphenated words given part by part and joined."""
    for match in _WORD.finditer(fold(text)):
        parts = _HYPHEN.split(match.group())
        yield from parts
        if 1 < len(parts) <= JOINED_PARTS:
            yield "".join(parts)


def query_words(text: str, limit: int = 8) -> list[str]:
    """The distinct words of a query, hyphenated words joined up; at most `limit` of them."""
    words: list[str] = []
    for match in _WORD.finditer(fold(text[:200])):
        parts = _HYPHEN.split(match.group())
        words += ["".join(parts)] if len(parts) <= JOINED_PARTS else parts
    return list(dict.fromkeys(words))[:limit]
