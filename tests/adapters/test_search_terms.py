"""Joined spellings of hyphenated terms, added for the site search (adapters/search_terms.py)."""

from __future__ import annotations

import pytest

from casepress.adapters.search_terms import CLASS, add_search_terms, other_spellings


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("n-BCA glue", ["nBCA"], id="joined-spelling"),
    pytest.param("n-BCA and nbca", [], id="already-written-joined"),
    pytest.param("11-gauge,11gauge", [], id="joined-after-a-comma"),
    pytest.param("T1-weighted and T2-weighted T1-weighted", ["T1weighted", "T2weighted"],
                 id="each-once-in-order"),
    pytest.param("a--b -a-b- x-y-", [], id="hyphens-not-between-letters"),
    pytest.param("a-b_c a_b-c", [], id="underscore-is-part-of-a-word"),
    pytest.param("follow-up-visit", ["followupvisit"], id="several-hyphens"),
    pytest.param("\u00e9-a \u00c9A", [], id="case-folded-accents"),
])
def test_other_spellings(text: str, expected: list[str]) -> None:
    assert other_spellings(text) == expected


def test_each_section_gets_its_own_terms() -> None:
    page = '<h1 id="a">A</h1><p>n-BCA</p><h2 id="b">B</h2><p>PMMA only</p>'
    assert add_search_terms(page) == (
        f'<h1 id="a">A</h1><p>n-BCA</p><div class="{CLASS}" hidden>nBCA</div>\n'
        '<h2 id="b">B</h2><p>PMMA only</p>')


@pytest.mark.parametrize("page", [
    pytest.param('<h2 id="c">Cited</h2><p>1. Trial.<br><span class="cp-cited-on" '
                 'data-search-exclude><strong>Cited in:</strong> <a href="x">n-BCA case</a>'
                 '</span></p>', id="back-links"),
    pytest.param('<p><script>var a = "x-ray";</script><style>.n-bca {}</style></p>',
                 id="script-and-style"),
    pytest.param('<span data-search-exclude><span>x-ray</span></span>', id="nested"),
])
def test_text_left_out_of_the_index_adds_no_terms(page: str) -> None:
    assert add_search_terms(page) == page
