"""Sections read from built HTML, their scores, and the files a query loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casepress.search import index as search_index
from casepress.search.index import build_index, postings, shard_file
from casepress.search.sections import SearchPage, Section, page_sections, read_site

PAGE = """<html><head><title>Case - Site</title></head><body>
<nav><a href="x">Navigation is not content</a></nav>
<article class="md-content__inner">
<h1 id="case">A case { }<a class="headerlink" href="#case">¶</a></h1>
<p>Opening text, <strong>bold</strong> (<a class="cp-cite" href="#ref-a">1</a>).</p>
<script>var hidden = 1;</script><button>Copy</button>
<div hidden>only for machines</div>
<h2 id="timeline">Timeline</h2><svg><text>drawing label</text></svg><p>Day 0.</p>
<p>Next paragraph</p>
<h2 id="references" data-search-boost="0.2">References</h2>
<p>1. Kaizu T.<span data-search-exclude>Cited on: elsewhere</span></p>
</article></body></html>"""


def test_a_page_is_read_section_by_section_as_a_reader_sees_it() -> None:
    title, sections, boost = page_sections(PAGE)
    assert (title, boost) == ("A case { }", 1.0)
    assert sections == (
        Section("case", "A case { }", "Opening text, bold (1)."),
        Section("timeline", "Timeline", "Day 0. Next paragraph"),
        Section("references", "References", "1. Kaizu T.", 0.2),
    )


def test_a_page_boost_scales_every_section_and_zero_leaves_it_out(tmp_path: Path) -> None:
    (tmp_path / "listing").mkdir()
    (tmp_path / "listing" / "index.html").write_text(
        '<article><h1 id="l" data-search-boost="0.5">List</h1><p>x</p>'
        '<h2 id="s">S</h2><p>y</p></article>', encoding="utf-8")
    (tmp_path / "editors.html").write_text(
        '<article><h1 id="e" data-search-boost="0">Editors</h1><p>z</p></article>',
        encoding="utf-8")
    (tmp_path / "404.html").write_text("<article><h1>Not found</h1></article>", "utf-8")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "old.html").write_text("<article><h1>x</h1></article>", "utf-8")
    pages = read_site(tmp_path, directory_urls=True)
    assert [(p.url, [s.boost for s in p.sections]) for p in pages] == [("listing/", [0.5, 0.5])]
    assert read_site(tmp_path, directory_urls=False)[0].url == "listing/index.html"


def _page(url: str, *sections: tuple[str, str]) -> SearchPage:
    return SearchPage(url, sections[0][0],
                      tuple(Section(f"s{i}", t, x) for i, (t, x) in enumerate(sections)))


def test_a_word_in_a_heading_outranks_many_in_running_text() -> None:
    pages = [_page("a/", ("Cement", "Words about nothing."), ("Needles", "lipiodol")),
             _page("b/", ("Other", "lipiodol " * 8 + "and more words to make it long")),
             _page("c/", ("Lipiodol", "Short."))]
    ranked = [(p, s) for p, s, _ in _triples(postings(pages)["lipiodol"])]
    assert ranked[0] == (2, 0)  # the heading
    assert set(ranked) == {(0, 1), (1, 0), (2, 0)}


def _triples(flat: list[int]) -> list[tuple[int, int, int]]:
    return [(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat) - 2, 3)]


def test_a_common_word_keeps_its_best_sections_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "MAX_POSTINGS", 3)
    pages = [_page(f"p{i}/", (f"Page {i}", "pain " * (i + 1) + "filler " * 20))
             for i in range(10)]
    flat = postings(pages)["pain"]
    assert len(flat) == 3 * 3 + 1  # three sections, then the lowest score kept
    scores = [score for *_, score in _triples(flat)]
    assert scores == sorted(scores, reverse=True) and flat[-1] == scores[-1]
    assert len(postings(pages)["page"]) % 3 == 1  # on every page: kept in part too
    rare = postings(pages[:3])["pain"]
    assert len(rare) == 3 * 3  # all kept: no floor


def test_large_prefix_files_are_split_and_every_word_is_in_the_file_the_reader_picks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "SHARD_BYTES", 400)
    words = ["pa", "pain", "painful", "palliative", "patient", "patients", "pathology", "x"]
    pages = [_page(f"p{i}/", ("T", " ".join(words[: i % len(words) + 1]) * 3))
             for i in range(30)]
    files = build_index(pages)
    manifest = json.loads(re.search(r",(\{.*\})\);", files["search/manifest.js"].decode())[1])
    keys = set(manifest["shards"])
    assert manifest["pages"] == 30 and len(keys) > 2  # "pa" was split
    for word in words:  # the reader's rule: the longest file name that begins the word
        key = next(word[:n] for n in range(len(word), 0, -1) if word[:n] in keys)
        shard = files[shard_file(key)].decode()
        assert f'"{word}":[' in shard, (word, key)


def test_files_are_scripts_that_hand_over_json() -> None:
    files = build_index([_page("a/", ("Title \u2028 </script>", "text"))])
    for path, content in files.items():
        text = content.decode()
        match = re.fullmatch(r'casepressSearch\.add\("[mtp]","[^"]*",(.*)\);\n', text, re.S)
        assert match, path
        json.loads(match[1])
        assert "\u2028" not in text
    page = files["search/p/0.js"].decode()
    assert '"u":"a/"' in page and "</script>" in page  # a separate file: nothing to close


def test_page_files_keep_the_opening_of_long_sections() -> None:
    long = "word " * 5000
    files = build_index([_page("a/", ("Title", long), ("Short", "kept whole"))])
    page = json.loads(re.search(r",(\{.*\})\);", files["search/p/0.js"].decode())[1])
    opening, short = page["s"][0][2], page["s"][1][2]
    assert len(opening) <= search_index.SNIPPET_SOURCE + 2 and opening.endswith(" …")
    assert short == "kept whole"
