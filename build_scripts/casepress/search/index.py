"""The site search index, split into small files a page loads only when a reader searches.

Scores are worked out here, once, so that the reader's browser only adds numbers up. Each
section of each page is a document, scored for each of its words with BM25 (Robertson and
Zaragoza, 2009) field by field: its heading, the page's title (for the page's later sections)
and its text are each saturated (k1) and normalised by length (b), then weighted `TITLE`,
`PAGE` and `BODY` and added, so that a word in a heading outranks any number of mentions in
running text; then scaled by the section's boost (see sections.py).

Files, all under `search/` and all scripts that hand their data to `casepressSearch.add`, so
that a page opened from disk (file://), where `fetch`, modules and workers are refused, loads
them as it loads any script:

* `manifest.js`: the names of the word files and the number of pages;
* `t/<hex of a prefix>.js`: for every word beginning with that prefix (two letters, or more
  where two would make a file larger than `SHARD_BYTES`), its `MAX_POSTINGS` best sections as
  flat [page, section, score] triples, best first; a word found in more sections than that
  ends with one more number, the lowest score kept;
* `p/<page number>.js`: a page's address and title and each section's anchor, title and
  first `SNIPPET_SOURCE` characters, for the result list and its snippets (a section is
  scored on all its words; a snippet for a word further on shows the section's start).

A query loads the manifest, the word files of its words, and the page files of the results
it shows. Keeping only a word's best sections keeps files small for words found everywhere
("patient", "case"). A section left out of such a word's list may still hold the word, so
the reader credits it with the lowest score kept: "Synthetic case 16" then finds the one
section that says it, through the rare word "16", although "case" kept other sections.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from casepress.search.sections import SearchPage
from casepress.search.tokens import index_words

TITLE, PAGE, BODY = 3.0, 1.0, 1.0  # field weights
B_TITLE, B_BODY = 0.5, 0.75  # length normalisation
K1 = 1.2
MAX_POSTINGS = 200
SHARD_BYTES = 48_000
PREFIX = 2  # letters of the first file name level
SCALE = 100  # scores are stored as integers: score x SCALE
# Snippet text kept per section: at 10,000 cases a listing or the bibliography holds
# megabytes, and a reader's first query loads the page files of up to eight results.
SNIPPET_SOURCE = 1000
FORMAT = 1
WORD_FOLDER, PAGE_FOLDER, MANIFEST = "search/t", "search/p", "search/manifest.js"


@dataclass(frozen=True)
class _Fields:
    title: Counter[str]
    page: Counter[str]
    body: Counter[str]
    title_length: int
    body_length: int
    boost: float


def _fields(pages: Sequence[SearchPage]) -> list[list[_Fields]]:
    out = []
    for page in pages:
        page_words = Counter(index_words(page.title))
        fields = []
        for number, section in enumerate(page.sections):
            title = list(index_words(section.title))
            body = list(index_words(section.text))
            fields.append(_Fields(Counter(title), Counter() if number == 0 else page_words,
                                  Counter(body), len(title), len(body), section.boost))
        out.append(fields)
    return out


def _saturated(frequency: float) -> float:
    return frequency * (K1 + 1) / (frequency + K1)


def postings(pages: Sequence[SearchPage]) -> dict[str, list[int]]:
    """Word -> its best sections as flat page, section, score triples, best first, and the
    lowest score kept after them when some were left out."""
    fields = _fields(pages)
    documents = [f for page in fields for f in page]
    count = max(len(documents), 1)
    average_title = max(sum(f.title_length for f in documents) / count, 1.0)
    average_body = max(sum(f.body_length for f in documents) / count, 1.0)
    frequency: Counter[str] = Counter()
    for f in documents:
        frequency.update(set(f.title) | set(f.page) | set(f.body))
    found: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for page_number, page in enumerate(fields):
        for section_number, f in enumerate(page):
            title_norm = 1 - B_TITLE + B_TITLE * f.title_length / average_title
            body_norm = 1 - B_BODY + B_BODY * f.body_length / average_body
            for word in set(f.title) | set(f.page) | set(f.body):
                weighted = (TITLE * _saturated(f.title[word] / title_norm)
                            + PAGE * _saturated(f.page[word])
                            + BODY * _saturated(f.body[word] / body_norm))
                df = frequency[word]
                idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
                score = idf * weighted * f.boost
                found[word].append((page_number, section_number,
                                    max(1, round(score * SCALE))))
    kept: dict[str, list[int]] = {}
    for word, triples in found.items():
        best = sorted(triples, key=lambda t: (-t[2], t[0], t[1]))
        flat = [n for triple in best[:MAX_POSTINGS] for n in triple]
        kept[word] = [*flat, best[MAX_POSTINGS - 1][2]] if len(best) > MAX_POSTINGS else flat
    return kept


def _script(kind: str, key: str, data: object) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # `</script` cannot occur inside a script file, but U+2028/9 end a line in older engines
    payload = payload.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"casepressSearch.add({json.dumps(kind)},{json.dumps(key)},{payload});\n".encode()


def shard_file(key: str) -> str:
    return f"{WORD_FOLDER}/{key.encode().hex()}.js"


def _shards(words: dict[str, list[int]], depth: int) -> dict[str, dict[str, list[int]]]:
    """Words grouped by prefix, a group too large for one file split one letter further
    (words no longer than the prefix stay in its file)."""
    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, numbers in sorted(words.items()):  # files the same from build to build
        groups[word[:depth]][word] = numbers
    out: dict[str, dict[str, list[int]]] = {}
    for key, group in groups.items():
        size = len(json.dumps(group, ensure_ascii=False, separators=(",", ":")).encode())
        longer = {w: p for w, p in group.items() if len(w) > depth}
        if size <= SHARD_BYTES or not longer or depth >= 8:
            out[key] = group
            continue
        if shorter := {w: p for w, p in group.items() if len(w) <= depth}:
            out[key] = shorter
        out.update(_shards(longer, depth + 1))
    return out


def _opening(text: str) -> str:
    """The first SNIPPET_SOURCE characters, cut at a space, "…" after a cut."""
    if len(text) <= SNIPPET_SOURCE:
        return text
    return text[:SNIPPET_SOURCE].rsplit(" ", 1)[0] + " …"


def build_index(pages: Sequence[SearchPage]) -> dict[str, bytes]:
    """Every file of the search index, by its path in the site."""
    shards = _shards(postings(pages), PREFIX)
    files = {shard_file(key): _script("t", key, group) for key, group in sorted(shards.items())}
    for number, page in enumerate(pages):
        files[f"{PAGE_FOLDER}/{number}.js"] = _script("p", str(number), {
            "u": page.url, "t": page.title,
            "s": [[s.anchor, s.title, _opening(s.text)] for s in page.sections]})
    files[MANIFEST] = _script("m", "", {
        "format": FORMAT, "pages": len(pages), "shards": sorted(shards)})
    return files
