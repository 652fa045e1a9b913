"""The site search index, split into small files a page loads only when a reader searches.

Each section of each page is a document, weighted for each of its words with BM25 (Robertson
and Zaragoza, 2009) field by field: its heading, the page's title (for the page's later
sections) and its text are each saturated (k1) and normalised by length (b), then weighted
`TITLE`, `PAGE` and `BODY` and added, so that a word in a heading outranks any number of
mentions in running text; then scaled by the section's boost (see sections.py). The reader's
browser multiplies that weight by the word's rarity (idf), from the number of sections that
hold the word (stored with the word) and of all sections (in the manifest).

A section's weights depend on that section alone: lengths are normalised against fixed
typical lengths (`TITLE_PIVOT`, `BODY_PIVOT`) rather than the library's averages, and rarity
is left to the reader. Editing one page therefore changes the lists of the words it held or
holds, and nothing else; `SearchIndex` keeps what it worked out so that a rebuild under
`serve` redoes that page only, and writes the files that changed.

Files, all under `search/` and all scripts that hand their data to `casepressSearch.add`, so
that a page opened from disk (file://), where `fetch`, modules and workers are refused, loads
them as it loads any script:

* `manifest.js`: the names of the word files and the numbers of pages and sections;
* `t/<hex of a prefix>.js`: for every word beginning with that prefix (two letters, or more
  where two would make a file larger than `SHARD_BYTES`), the number of sections holding it,
  then its `MAX_POSTINGS` best sections as flat [page, section, weight] triples, best first;
  a word found in more sections than that ends with one more number, the lowest weight kept;
* `p/<page id>.js`: a page's address and title and each section's anchor, title and first
  `SNIPPET_SOURCE` characters, for the result list and its snippets (a section is weighted
  on all its words; a snippet for a word further on shows the section's start).

A page's id is its slot in a table keyed by a hash of its address (`page_ids`), so that
adding or removing a page leaves the other pages' ids, and so their files, as they were.

A query loads the manifest, the word files of its words, and the page files of the results
it shows. Keeping only a word's best sections keeps files small for words found everywhere
("patient", "case"). A section left out of such a word's list may still hold the word, so
the reader credits it with the lowest weight kept: "Synthetic case 16" then finds the one
section that says it, through the rare word "16", although "case" kept other sections.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from casepress.search.sections import SearchPage
from casepress.search.tokens import index_words

TITLE, PAGE, BODY = 3.0, 1.0, 1.0  # field weights
B_TITLE, B_BODY = 0.5, 0.75  # length normalisation
# Typical lengths in words of a heading and of a section's text (4.1-4.3 and 55-127 on the
# seed and on generated libraries), standing in for BM25's averages: see the module's doc.
TITLE_PIVOT, BODY_PIVOT = 4.0, 80.0
K1 = 1.2
MAX_POSTINGS = 200
SHARD_BYTES = 48_000
PREFIX = 2  # letters of the first file name level
SCALE = 100  # weights are stored as integers: weight x SCALE
# Snippet text kept per section: at 10,000 cases a listing or the bibliography holds
# megabytes, and a reader's first query loads the page files of up to eight results.
SNIPPET_SOURCE = 1000
FORMAT = 2
WORD_FOLDER, PAGE_FOLDER, MANIFEST = "search/t", "search/p", "search/manifest.js"
MIN_PAGE_SLOTS = 256


@dataclass(frozen=True)
class PageWords:
    """What one page gives the index, worked out from that page alone."""

    url: str
    sections: int
    # word -> flat (section, weight) pairs, as machine integers: a `serve` session keeps
    # every page's, and at 10,000 pages tuples of int objects took 450 MB
    weights: dict[str, array[int]]
    summary: str  # JSON of the page file's data: address, title, sections' openings


def _saturated(frequency: float) -> float:
    return frequency * (K1 + 1) / (frequency + K1)


def _opening(text: str) -> str:
    """The first SNIPPET_SOURCE characters, cut at a space, "…" after a cut."""
    if len(text) <= SNIPPET_SOURCE:
        return text
    return text[:SNIPPET_SOURCE].rsplit(" ", 1)[0] + " …"


def _json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # `</script` cannot occur inside a script file, but U+2028/9 end a line in older engines
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def page_words(page: SearchPage) -> PageWords:
    page_title = Counter(index_words(page.title))
    weights: dict[str, array[int]] = defaultdict(lambda: array("i"))
    for number, section in enumerate(page.sections):
        title = Counter(index_words(section.title))
        body = Counter(index_words(section.text))
        later = Counter() if number == 0 else page_title
        title_norm = 1 - B_TITLE + B_TITLE * title.total() / TITLE_PIVOT
        body_norm = 1 - B_BODY + B_BODY * body.total() / BODY_PIVOT
        for word in sorted(title.keys() | later.keys() | body.keys()):
            weighted = (TITLE * _saturated(title[word] / title_norm)
                        + PAGE * _saturated(later[word])
                        + BODY * _saturated(body[word] / body_norm))
            # one string per word across pages: at 10,000 pages, copies would cost hundreds of MB
            weights[sys.intern(word)].extend(
                (number, max(1, round(weighted * section.boost * SCALE))))
    summary = _json({"u": page.url, "t": page.title,
                     "s": [[s.anchor, s.title, _opening(s.text)] for s in page.sections]})
    return PageWords(page.url, len(page.sections), dict(weights), summary)


def page_ids(urls: Iterable[str]) -> dict[str, int]:
    """Each page's slot in a table of at least twice as many slots as pages, found from a hash
    of its address (the next free slot on a collision, pages taken in address order)."""
    ordered = sorted(urls)
    slots = MIN_PAGE_SLOTS
    while slots < 2 * len(ordered):
        slots *= 2
    taken: set[int] = set()
    ids = {}
    for url in ordered:
        slot = int.from_bytes(hashlib.sha1(url.encode()).digest()[:4], "big") % slots
        while slot in taken:
            slot = (slot + 1) % slots
        taken.add(slot)
        ids[url] = slot
    return ids


def word_list(found: Sequence[int]) -> list[int]:
    """A word's entry from its sections as flat (page, section, weight) triples: how many
    sections hold it, then its best triples, best first, then the lowest weight kept if some
    were left out."""
    count = len(found) // 3
    best = heapq.nsmallest(MAX_POSTINGS, range(0, len(found), 3),
                           key=lambda i: (-found[i + 2], found[i], found[i + 1]))
    flat = [count, *(n for i in best for n in found[i:i + 3])]
    return [*flat, found[best[-1] + 2]] if count > MAX_POSTINGS else flat


def _script(kind: str, key: str, payload: str) -> bytes:
    return f"casepressSearch.add({json.dumps(kind)},{json.dumps(key)},{payload});\n".encode()


def shard_file(key: str) -> str:
    return f"{WORD_FOLDER}/{key.encode().hex()}.js"


def _shards(sizes: dict[str, int], words: list[str], depth: int) -> dict[str, list[str]]:
    """Words (sorted) grouped by prefix, a group too large for one file split one letter
    further (words no longer than the prefix stay in its file)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for word in words:
        groups[word[:depth]].append(word)
    out: dict[str, list[str]] = {}
    for key, group in groups.items():
        size = sum(sizes[w] + 1 for w in group) + 1  # the fragments, commas and braces
        longer = [w for w in group if len(w) > depth]
        if size <= SHARD_BYTES or not longer or depth >= 8:
            out[key] = group
            continue
        if shorter := [w for w in group if len(w) <= depth]:
            out[key] = shorter
        out.update(_shards(sizes, longer, depth + 1))
    return out


class SearchIndex:
    """The index of one site, kept by its caller from build to build (the plugin keeps it for
    a `serve` session): `update` takes every page of the new build and reworks only the pages
    whose fingerprint changed and the words they held or hold; `files` is then exactly what an
    index built from nothing would write."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[object, PageWords]] = {}
        self._ids: dict[str, int] = {}
        self._fragments: dict[str, str] = {}  # word -> '"word":[...]'
        self.reworked: list[str] = []  # addresses of the pages the last update read again
        self.written: dict[str, bytes] = {}  # search file -> what was last written there

    def update(self, pages: Iterable[tuple[str, object]],
               read: Callable[[str], SearchPage | None]) -> None:
        """`pages`: (address, fingerprint) of every page of the site; `read(address)` gives a
        page whose fingerprint changed (None when it has nothing to index)."""
        new: dict[str, tuple[object, PageWords]] = {}
        dirty: set[str] = set()
        self.reworked = []
        for url, fingerprint in pages:
            old = self._pages.get(url)
            if old is not None and old[0] == fingerprint:
                new[url] = old
                continue
            self.reworked.append(url)
            page = read(url)
            # a page with nothing to search is remembered too, so as not to read it again
            words = page_words(page) if page is not None else PageWords(url, 0, {}, "")
            new[url] = (fingerprint, words)
            before = old[1].weights if old is not None else {}
            after = words.weights
            # a listing with one title changed changes a few words, not all it holds
            dirty.update(w for w in before.keys() | after.keys()
                         if before.get(w) != after.get(w))
        for url, (_, words) in self._pages.items():
            if url not in new:
                dirty.update(words.weights)
        ids = page_ids(url for url, (_, words) in new.items() if words.sections)
        for url, page_id in ids.items():  # a page that moved takes its words with it
            if self._ids.get(url) != page_id:
                dirty.update(new[url][1].weights)
        self._pages, self._ids = new, ids
        # Flat (page, section, weight) triples by word: tens of millions at 10,000 pages.
        found: dict[str, array[int]] = {word: array("i") for word in dirty}
        for url, (_, words) in new.items():
            slot = ids.get(url)
            if slot is None:
                continue
            for word in words.weights.keys() & dirty:
                pairs, triples = words.weights[word], found[word]
                for i in range(0, len(pairs), 2):
                    triples.extend((slot, pairs[i], pairs[i + 1]))
        for word, triples in found.items():
            if triples:
                self._fragments[word] = f"{_json(word)}:{_json(word_list(triples))}"
            else:
                self._fragments.pop(word, None)

    def files(self) -> dict[str, bytes]:
        """Every file of the index, by its path in the site."""
        words = sorted(self._fragments)
        sizes = {w: len(self._fragments[w].encode()) for w in words}
        shards = _shards(sizes, words, PREFIX)
        files = {shard_file(key): _script("t", key, "{" + ",".join(
            self._fragments[w] for w in group) + "}") for key, group in sorted(shards.items())}
        for url, page_id in self._ids.items():
            files[f"{PAGE_FOLDER}/{page_id}.js"] = _script("p", str(page_id),
                                                           self._pages[url][1].summary)
        sections = sum(words.sections for _, words in self._pages.values())
        files[MANIFEST] = _script("m", "", _json({
            "format": FORMAT, "pages": len(self._ids), "sections": sections,
            "shards": sorted(shards)}))
        return files


def build_index(pages: Iterable[SearchPage]) -> dict[str, bytes]:
    """Every file of the index of these pages, built from nothing."""
    by_url = {page.url: page for page in pages}
    index = SearchIndex()
    index.update(((url, None) for url in by_url), by_url.get)
    return index.files()
