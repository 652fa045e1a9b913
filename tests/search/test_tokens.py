"""Words as the search reads them: folding, hyphenated terms, queries that are not words."""

from __future__ import annotations

import pytest

from casepress.search.tokens import fold, index_words, query_words

# Cyrillic, written out: ruff flags letters that look Latin
FETOPROTEIN = "\u0444\u0435\u0442\u043e\u043f\u0440\u043e\u0442\u0435\u0438\u043d"

INDEXED = {
    "plain": ("Pain relief persisted.", ["pain", "relief", "persisted"]),
    "hyphenated": ("an n-BCA/lipiodol mix", ["an", "n", "bca", "nbca", "lipiodol", "mix"]),
    "gauge": ("11-gauge needle", ["11", "gauge", "11gauge", "needle"]),
    "three-parts": ("76-year-old", ["76", "year", "old", "76yearold"]),
    "long-chain-not-joined": ("sacroplasty-hcc-nbca-pmma", ["sacroplasty", "hcc", "nbca", "pmma"]),
    "unicode-hyphen": ("n\u2010BCA", ["n", "bca", "nbca"]),
    "diacritics": ("Müller, Dvořák, Ørsted", ["muller", "dvorak", "ørsted"]),
    "ligature-and-width": ("\ufb01brosis \uff30\uff2d\uff2d\uff21", ["fibrosis", "pmma"]),
    "decimal": ("2.5 mL", ["2", "5", "ml"]),
    "greek-and-cyrillic": (f"\u03b1-{FETOPROTEIN}",
                           ["\u03b1", FETOPROTEIN, f"\u03b1{FETOPROTEIN}"]),
    "underscore-splits": ("snake_case", ["snake", "case"]),
}


@pytest.mark.parametrize(("text", "words"), INDEXED.values(), ids=INDEXED.keys())
def test_indexed_words(text: str, words: list[str]) -> None:
    assert list(index_words(text)) == words


QUERIES = {
    "joined-spelling": ("nBCA", ["nbca"]),
    "hyphenated-joined": ("n-BCA", ["nbca"]),
    "upper-case": ("NBCA", ["nbca"]),
    "several-words": ("PMMA  lipiodol PMMA", ["pmma", "lipiodol"]),
    "punctuation-only": ("!!! ... ---", []),
    "diacritics": ("MÜLLER", ["muller"]),
    "long-chain": ("sacroplasty-hcc-nbca-pmma", ["sacroplasty", "hcc", "nbca", "pmma"]),
    "too-many-words": (" ".join(f"w{i}" for i in range(20)), [f"w{i}" for i in range(8)]),
    "a-thousand-characters": ("a" * 1000, ["a" * 200]),
    "odd-unicode": ("\u202e\u200b\ufeff\U0001f9b4 \u0301", []),
}


@pytest.mark.parametrize(("query", "words"), QUERIES.values(), ids=QUERIES.keys())
def test_query_words(query: str, words: list[str]) -> None:
    assert query_words(query) == words


def test_every_spelling_of_a_term_meets_the_indexed_text() -> None:
    indexed = set(index_words("The n-BCA was injected through an 11-gauge needle."))
    for query in ("n-BCA", "nBCA", "NBCA", "n\u2011bca", "11-gauge", "11gauge"):
        assert set(query_words(query)) <= indexed, query


def test_folding_is_lower_case_without_marks() -> None:
    assert fold("Ångström İ") == "angstrom i"
