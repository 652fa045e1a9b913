"""The site search as a reader meets it: nothing loaded before the box has focus, then only
the files a query needs; the keyboard; snippets; damaged search files; queries that are not
words; and the browser reading words exactly as the index was built."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from casepress.search.tokens import query_words

from .harness import Site, Visit, open_page, search

pytestmark = pytest.mark.browser

STATUS = ".cp-search__status"


def _search_files(visit: Visit, site: Site) -> list[str]:
    return [u.removeprefix(site.base) for u in visit.requests
            if u.removeprefix(site.base).startswith("search/")]


@pytest.mark.parametrize("kind", ["hosted", "offline"])
def test_nothing_loads_before_focus_then_only_what_the_query_needs(
        browser: Browser, request: pytest.FixtureRequest, kind: str) -> None:
    site: Site = request.getfixturevalue(kind)
    context = browser.new_context()
    visit = open_page(context, site, site.url("home"))
    visit.page.wait_for_load_state("networkidle")
    assert _search_files(visit, site) == []  # a reader who never searches loads nothing
    visit.page.locator("#cp-search-input").focus()
    visit.page.wait_for_function(  # its script element loaded (file:// has no timing entries)
        "() => [...document.scripts].some(s => s.src.endsWith('search/manifest.js'))")
    visit.page.wait_for_load_state("networkidle")
    assert _search_files(visit, site) == ["search/manifest.js"]
    results = search(visit.page, "lipiodol")
    assert results
    loaded = _search_files(visit, site)
    words = [u for u in loaded if u.startswith("search/t/")]
    pages = [u for u in loaded if u.startswith("search/p/")]
    assert words == [f"search/t/{b'li'.hex()}.js"]  # the one file for "li…"
    assert 0 < len(pages) <= 8  # the pages shown, no others
    total = sum((site.root / u).stat().st_size for u in loaded)
    assert total < 300_000, total
    assert visit.errors == []
    context.close()


@pytest.fixture
def page(browser: Browser, hosted: Site) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visit = open_page(context, hosted, hosted.url("home"))
    yield visit.page
    assert visit.errors == []
    context.close()


def test_results_show_page_section_and_a_snippet_with_the_words_marked(page: Page) -> None:
    search(page, "n-BCA")
    first = page.locator(".cp-search__result").first
    assert first.locator(".cp-search__title").inner_text().startswith("Sacroplasty with n-BCA")
    marks = page.locator(".cp-search__snippet mark").all_inner_texts()
    assert marks and all(m.replace("-", "").lower() == "nbca" for m in marks), marks
    snippets = " ".join(page.locator(".cp-search__snippet").all_inner_texts())
    assert "nBCA" not in snippets  # only what the page shows, no spelling meant for the index
    search(page, "Muller")  # diacritics folded both ways; the seed has no Müller
    assert page.locator(STATUS).inner_text() == "No results"


def test_the_last_word_matches_as_a_prefix_while_typing(page: Page) -> None:
    assert search(page, "lipio")  # no word "lipio": lipiodol, as typed so far
    assert "lipiodol" in page.locator(".cp-search__snippet mark").first.inner_text().lower()
    assert search(page, "lipio ") == []  # a space ends the word: now it must be whole


def test_the_keyboard_moves_opens_and_closes(page: Page) -> None:
    page.keyboard.press("/")
    box = page.locator("#cp-search-input")
    assert box.evaluate("el => el === document.activeElement")
    results = search(page, "PMMA")
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active == "cp-search-option-1"
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("ArrowUp")
    box.press("ArrowUp")  # wraps round to the last
    last = page.locator("[role=option]").count() - 1
    assert box.get_attribute("aria-activedescendant") == f"cp-search-option-{last}"
    box.press("Escape")
    assert page.locator(".cp-search__panel").is_hidden()
    assert not box.evaluate("el => el === document.activeElement")
    page.keyboard.press("s")  # Material's other shortcut
    assert box.evaluate("el => el === document.activeElement")
    assert box.input_value() == "PMMA"  # the key focused the box, it was not typed into it
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(results[0])


@pytest.mark.parametrize("query", ["x" * 1000, "!!! ?? --- ...", "\u202e\u200b\U0001f9b4\u0301",
                                   " ".join(["pain"] * 300)],
                         ids=["thousand-characters", "punctuation", "odd-unicode", "many-words"])
def test_queries_that_are_not_words_answer_at_once(page: Page, query: str) -> None:
    started = time.monotonic()
    search(page, query)
    assert time.monotonic() - started < 5  # never freezes the page
    status = page.locator(STATUS).inner_text()
    assert status == "No results" or status.endswith("found"), status
    assert page.evaluate("() => 1 + 1") == 2  # the page still answers


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_damaged_search_files_say_search_unavailable(browser: Browser, offline: Site,
                                                     tmp_path: Path, damage: str) -> None:
    copy = tmp_path / "site-offline"
    shutil.copytree(offline.root, copy)
    word_file = copy / "search" / "t" / f"{b'li'.hex()}.js"
    if damage == "missing":
        word_file.unlink()
    else:
        word_file.write_text('casepressSearch.add("t","li",{"lipiodol":[0,', encoding="utf-8")
    site = Site("offline", copy.as_uri() + "/", copy)
    context = browser.new_context()
    visit = open_page(context, site, site.url("home"))
    search(visit.page, "lipiodol")
    assert visit.page.locator(STATUS).inner_text().startswith("Search unavailable")
    # the rest of the page works: navigation still opens a page
    visit.page.locator("nav.md-nav--primary a.md-nav__link", has_text="Cases").first.click()
    visit.page.wait_for_url("**/cases/index.html")
    context.close()


@pytest.fixture(scope="module")
def reader(browser: Browser, hosted: Site) -> Iterator[Page]:
    context = browser.new_context()
    page = open_page(context, hosted, hosted.url("home")).page
    yield page
    context.close()


# Scripts whose characters every Unicode version since 2010 agrees on, hyphens, marks,
# compatibility forms (ligatures, full width) and punctuation.
_ALPHABET = st.sampled_from(
    [*"aAzZ09 -_./,;:!?()[]'\"\u2010\u2011\u2012\u2013\u00a0\t\n",
     *map(chr, range(0x00C0, 0x0250)), *map(chr, range(0x0300, 0x0370)),
     *map(chr, range(0x0391, 0x03CA)), *map(chr, range(0x0410, 0x0450)),
     *map(chr, range(0xFB00, 0xFB07)), *map(chr, range(0xFF10, 0xFF5B)),
     *"\u00b2\u00bd\u2160\u2460\u4e00\u4e8c\u0130\u00df\u1e9e"])


@settings(max_examples=1000, deadline=None, derandomize=True)  # the same cases in every run
@given(text=st.text(_ALPHABET, max_size=60))
def test_the_browser_reads_a_query_as_the_index_does(reader: Page, text: str) -> None:
    assert reader.evaluate("text => casepressSearch.words(text)", text) == query_words(text)
