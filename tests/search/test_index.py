"""Sections read from built HTML, their scores, and the files a query loads."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from casepress.search import index as search_index
from casepress.search.index import SearchIndex, build_index, page_ids, shard_file
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


def _data(file: bytes) -> Any:
    return json.loads(re.fullmatch(r'casepressSearch\.add\("[mtp]","[^"]*",(.*)\);\n',
                                   file.decode(), re.S)[1])  # type: ignore[index]


def _lists(pages: list[SearchPage]) -> dict[str, list[int]]:
    """Every word's entry, from the word files."""
    files = build_index(pages)
    return {word: entry for path, file in files.items() if path.startswith("search/t/")
            for word, entry in _data(file).items()}


def test_a_word_in_a_heading_outranks_many_in_running_text() -> None:
    pages = [_page("a/", ("Cement", "Words about nothing."), ("Needles", "lipiodol")),
             _page("b/", ("Other", "lipiodol " * 8 + "and more words to make it long")),
             _page("c/", ("Lipiodol", "Short."))]
    ids = page_ids(["a/", "b/", "c/"])
    entry = _lists(pages)["lipiodol"]
    assert entry[0] == 3  # sections holding the word
    ranked = [(p, s) for p, s, _ in _triples(entry[1:])]
    assert ranked[0] == (ids["c/"], 0)  # the heading
    assert set(ranked) == {(ids["a/"], 1), (ids["b/"], 0), (ids["c/"], 0)}


def _triples(flat: list[int]) -> list[tuple[int, int, int]]:
    return [(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat) - 2, 3)]


def test_a_common_word_keeps_its_best_sections_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "MAX_POSTINGS", 3)
    pages = [_page(f"p{i}/", (f"Page {i}", "pain " * (i + 1) + "filler " * 20))
             for i in range(10)]
    held, *flat = _lists(pages)["pain"]
    assert held == 10 and len(flat) == 3 * 3 + 1  # three sections, then the lowest weight
    weights = [weight for *_, weight in _triples(flat)]
    assert weights == sorted(weights, reverse=True) and flat[-1] == weights[-1]
    assert (len(_lists(pages)["page"]) - 1) % 3 == 1  # on every page: kept in part too
    rare = _lists(pages[:3])["pain"]
    assert len(rare) == 1 + 3 * 3  # all kept: no floor


def test_page_ids_stay_when_other_pages_come_and_go() -> None:
    urls = [f"cases/case-{i:04}/" for i in range(100)]
    before = page_ids(urls)
    after = page_ids([*urls[:40], *urls[41:], "cases/a-new-case/"])
    moved = [u for u in urls if u != urls[40] and after[u] != before[u]]
    assert len(moved) <= 2 and len(set(after.values())) == len(after)


def test_an_index_kept_between_builds_rereads_only_changed_pages_and_equals_a_fresh_one(
        ) -> None:
    pages = {f"p{i}/": _page(f"p{i}/", (f"Page {i}", f"pain word{i} " + "filler " * i))
             for i in range(30)}
    index = SearchIndex()
    index.update(((u, 1) for u in pages), pages.get)
    assert len(index.reworked) == 30
    pages["p3/"] = _page("p3/", ("Page three", "lipiodol and cement"))
    del pages["p4/"]
    pages["new/"] = _page("new/", ("New", "pain again"))
    stamps = {u: (2 if u in ("p3/", "new/") else 1) for u in pages}
    index.update(stamps.items(), pages.get)
    assert sorted(index.reworked) == ["new/", "p3/"]
    assert index.files() == build_index(pages.values())


def test_large_prefix_files_are_split_and_every_word_is_in_the_file_the_reader_picks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "SHARD_BYTES", 400)
    words = ["pa", "pain", "painful", "palliative", "patient", "patients", "pathology", "x"]
    pages = [_page(f"p{i}/", ("T", " ".join(words[: i % len(words) + 1]) * 3))
             for i in range(30)]
    files = build_index(pages)
    manifest = _data(files["search/manifest.js"])
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
    page = files[f"search/p/{page_ids(['a/'])['a/']}.js"].decode()
    assert '"u":"a/"' in page and "</script>" in page  # a separate file: nothing to close


def test_page_files_keep_the_opening_of_long_sections() -> None:
    long = "word " * 5000
    files = build_index([_page("a/", ("Title", long), ("Short", "kept whole"))])
    page = _data(files[f"search/p/{page_ids(['a/'])['a/']}.js"])
    opening, short = page["s"][0][2], page["s"][1][2]
    assert len(opening) <= search_index.SNIPPET_SOURCE + 2 and opening.endswith(" …")
    assert short == "kept whole"
