"""search_terms' shortcuts (terms read only around hyphens, absent spellings found in the
lower-cased text before any word set is built) change nothing: the results are those of the
straightforward implementation below."""

from __future__ import annotations

import html
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casepress.search_terms import (
    CLASS,
    _IndexedText,
    _terms,
    add_search_terms,
    other_spellings,
)

PROPERTY = settings(max_examples=1500, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

_REFERENCE_TERM = re.compile(r"(?<![\w-])[^\W_]+(?:-[^\W_]+)+(?![\w-])")
_REFERENCE_HEADING = re.compile(r"<h[1-6]\b[^>]*\sid=")


def reference_other_spellings(text: str) -> list[str]:
    words = {w.lower() for w in re.findall(r"[^\W_]+", text)}
    found: dict[str, str] = {}
    for term in _REFERENCE_TERM.findall(text):
        joined = term.replace("-", "")
        if joined.lower() not in words:
            found.setdefault(joined.lower(), joined)
    return list(found.values())


def reference_text(fragment: str) -> str:
    """The indexed text: Python's HTML parser wherever an element is excluded."""
    if "data-search-exclude" not in fragment:
        without = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", fragment, flags=re.S | re.I)
        return html.unescape(re.sub(r"<[^>]*>", " ", without))
    parser = _IndexedText()
    parser.feed(fragment)
    parser.close()
    return " ".join(parser.parts)


def reference_add_search_terms(page_html: str) -> str:
    starts = [m.start() for m in _REFERENCE_HEADING.finditer(page_html)]
    out = []
    for begin, end in itertools.pairwise([0, *starts, len(page_html)]):
        section = page_html[begin:end]
        terms = reference_other_spellings(reference_text(section))
        block = (f'<div class="{CLASS}" hidden>{html.escape(" ".join(terms))}</div>\n'
                 if terms else "")
        out += [section, block] if begin < end else []
    return "".join(out)


# Hyphens, word characters, underscores, the characters whose case mapping is unusual
# (dotted and dotless i, the Kelvin sign, long s, sigma, sharp s, a ligature, a titlecase
# digraph, a combining dot) and spellings that are and are not written joined.
_TEXT_PIECES = ["-", "-", "--", "_", " ", " ", "\t", "\n", "\u00a0", "\u2028", "a", "B", "1",
                "\u0130", "\u0131", "\u212a", "k", "\u017f", "s", "S", "\u03a3", "\u03c3",
                "\u03c2", "\u00e9", "\u00df", "\u1e9e", "\ufb00", "\u01c5", "\u0307", "'", ".",
                "&", "\u2010", "n-BCA", "nBCA", "NBCA", "n-bca", "11-gauge", "11gauge",
                "follow-up", "followup", "x-", "-x", "a_b-c", "T1-weighted", "\u0130-x", "ix",
                "\u212a-a", "ka", "k-a", "\u212aA", "\u03a3-\u03a3", "\u03c3\u03c3", "\u03c3\u03c2"]
plain_text = st.one_of(st.text(), st.lists(st.sampled_from(_TEXT_PIECES), max_size=40).map("".join))


@pytest.mark.parametrize("text", [
    "k-a \u212aA", "n-BCA and nbca", "\u03a3-\u03a3 \u03c3\u03c3",
    "\u0391\u03a3-\u0392 \u03b1\u03c2\u03b2", "i-x \u0130x", "s-t \u017ft",
    "a-b_c a_b-c", "a--b -a-b- x-y-", "\u00e9-a \u00c9A",
    "T1-weighted\tt1weighted", "11-gauge,11gauge", "x-y\u00a0xy"])
def test_other_spellings_of_tricky_text(text: str) -> None:
    assert _terms(text) == _REFERENCE_TERM.findall(text)
    assert other_spellings(text) == reference_other_spellings(text)


@PROPERTY
@given(plain_text)
def test_other_spellings_match_the_straightforward_implementation(text: str) -> None:
    assert _terms(text) == _REFERENCE_TERM.findall(text)
    assert other_spellings(text) == reference_other_spellings(text)


_HTML_PIECES = ['<h2 id="a">', "</h2>", "<h1 id=b>", "<h3>", "<hr>", "<p>", "</p>",
                '<a href="x-y" title="n-BCA">', "</a>", "<script>a-b</script>", "<style>",
                "</style>", "<span data-search-exclude>", "</span>", "&#45;", "&amp;", "&#8209;",
                "&lt;", "<", ">", '"', '<span class="cp-cited-in" data-search-exclude>',
                "<strong>", "</strong>", '<a href="#cite-1">', "</div>", "<div>", "x-ray"]
page_ish = st.lists(st.sampled_from(_HTML_PIECES + _TEXT_PIECES), max_size=40).map("".join)


@PROPERTY
@given(page_ish)
def test_add_search_terms_matches_the_straightforward_implementation(page: str) -> None:
    assert add_search_terms(page) == reference_add_search_terms(page)


@pytest.mark.parametrize("page", [
    pytest.param('<h2 id="c">Cited</h2><p>1. A-B trial.<br><span class="cp-cited-in" '
                 'data-search-exclude><strong>Cited in:</strong> <a href="x">n-BCA case</a>, '
                 '<a href="y">T1-weighted</a></span></p>', id="back-links"),
    pytest.param('<div><span class="cp-cited-in" data-search-exclude>x-y</div>p-q</span>',
                 id="closed-by-outer-element"),
    pytest.param('<span class="cp-cited-in" data-search-exclude><span>a-b</span></span>c-d',
                 id="nested-span"),
    pytest.param('<span class="cp-cited-in" data-search-exclude><a href="x>y">a-b</a></span>',
                 id="gt-in-attribute"),
])
def test_back_links_are_dropped_as_the_parser_drops_them(page: str) -> None:
    assert add_search_terms(page) == reference_add_search_terms(page)
