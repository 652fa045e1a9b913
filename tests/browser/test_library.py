"""A generated 200-case library, hosted and from the offline bundle. The search: a case found
by what only it says, clinical words found together, and only the files a query needs loaded
(none before the search box has focus). The Cases listing: pages a reader moves through
without JavaScript, every page accessible."""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import REPO

from .harness import Site, Visit, axe_violations, casepress, open_page, search, serve

sys.path.insert(0, str(REPO / "benchmarks"))
import gen_library

pytestmark = pytest.mark.browser

CASES = 200


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library")
    return gen_library.generate_library(root / "project", cases=CASES) / "mkdocs.yml"


@pytest.fixture(scope="module")
def library_sites(library: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[dict[str, Site]]:
    site = library.parent / "site"
    built = casepress("-f", library, "build", "-d", site)
    assert built.returncode == 0, built.stdout + built.stderr
    bundle = tmp_path_factory.mktemp("library-bundle") / "bundle.zip"
    bundled = casepress("-f", library, "bundle", "--out", bundle)
    assert bundled.returncode == 0, bundled.stdout + bundled.stderr
    unzipped = bundle.parent / "unzipped"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unzipped)
    offline = unzipped / "site-offline"
    with serve(site) as base:
        yield {"hosted": Site("hosted", base, site),
               "offline": Site("offline", offline.as_uri() + "/", offline)}


KINDS = ["hosted", "offline"]


@contextmanager
def _opened(browser: Browser, site: Site, url: str, javascript: bool = True
            ) -> Iterator[Visit]:
    """A page of the library in a fresh browser context, closed afterwards."""
    context = browser.new_context(java_script_enabled=javascript)
    try:
        yield open_page(context, site, url)
    finally:
        context.close()


def _loaded(visit: Visit, site: Site, folder: str) -> list[str]:
    """The files under `folder` the page has asked for, in order."""
    return [u.removeprefix(site.base) for u in visit.requests
            if u.removeprefix(site.base).startswith(folder)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("number", [1, 17, 123, CASES])
def test_a_case_is_found_by_what_only_it_says(browser: Browser, library_sites: dict[str, Site],
                                              kind: str, number: int) -> None:
    site = library_sites[kind]
    with _opened(browser, site, site.url("home")) as visit:
        # each generated case restates a source by "Author<number - 1>" titled "Synthetic case
        # <number - 1>": one rare word and two that every case has (kept in part, at scale)
        results = search(visit.page, f"Author{number - 1} synthetic case")
        assert site.path_of(results[0]) == f"cases/case-{number:05d}", results[:3]
        assert results[0].endswith("#source")
        assert visit.errors == []


@pytest.mark.parametrize("kind", KINDS)
def test_clinical_words_are_found_together(browser: Browser, library_sites: dict[str, Site],
                                           kind: str) -> None:
    site = library_sites[kind]
    with _opened(browser, site, site.url("home")) as visit:
        search(visit.page, "nBCA lipiodol")
        first = visit.page.locator(".cp-search__result").first
        marked = {m.replace("-", "").lower() for m in first.locator("mark").all_inner_texts()}
        title = first.locator(".cp-search__title").inner_text().lower()
        assert marked | ({"nbca"} if "n-bca" in title else set()) >= {"nbca", "lipiodol"}, (
            title, marked)


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_files_a_query_needs_are_loaded(browser: Browser,
                                                 library_sites: dict[str, Site],
                                                 kind: str) -> None:
    site = library_sites[kind]
    with _opened(browser, site, site.url("home")) as visit:
        visit.page.wait_for_load_state("networkidle")

        assert _loaded(visit, site, "search/") == []
        results = search(visit.page, "Author41 synthetic case")
        files = _loaded(visit, site, "search/")
        words = sorted(u for u in files if u.startswith("search/t/"))
        pages = [u for u in files if u.startswith("search/p/")]
        assert files[0] == "search/manifest.js"
        assert 1 <= len(words) <= 3 + 4  # one file per word, a few more for the last as a prefix
        assert len(pages) == len({site.path_of(r) for r in results}) <= 8
        total = sum((site.root / u).stat().st_size for u in files)
        every = sum(p.stat().st_size for p in (site.root / "search").rglob("*.js"))
        assert total < min(300_000, every / 5), (total, every)


@pytest.mark.parametrize("kind", KINDS)
def test_the_case_listing_is_read_page_by_page_without_javascript(
        browser: Browser, library_sites: dict[str, Site], kind: str) -> None:
    site = library_sites[kind]
    listing = site.base + ("cases/index.html" if kind == "offline" else "cases/")
    with _opened(browser, site, listing, javascript=False) as visit:
        seen: list[str] = []
        for number in range(1, 5):
            page = visit.page
            assert page.locator("h1").inner_text().startswith(f"Cases, page {number} of 4")
            rows = page.locator("article table tbody tr")
            assert 0 < rows.count() <= 50
            seen += rows.locator("td:first-child a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))")
            assert page.locator(".cp-pager [aria-current=page]").inner_text() == str(number)
            if number < 4:
                page.locator(".cp-pager a", has_text="Next").click()
                page.wait_for_load_state("load")
        assert len(seen) == len(set(seen)) == CASES
        assert visit.errors == []


def test_a_listing_page_is_accessible(browser: Browser, library_sites: dict[str, Site]) -> None:
    site = library_sites["hosted"]
    with _opened(browser, site, site.url("cases/page-2")) as visit:
        assert axe_violations(visit.page) == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_case_finder_filters_sorts_and_pages(browser: Browser,
                                                 library_sites: dict[str, Site],
                                                 kind: str) -> None:
    site = library_sites[kind]
    listing = site.base + ("cases/index.html" if kind == "offline" else "cases/")
    with _opened(browser, site, listing) as visit:
        page = visit.page
        page.wait_for_selector(".cp-finder__form")
        assert _loaded(visit, site, "cases/finder/") == ["cases/finder/facets.js"]
        page.locator("summary", has_text="Condition").click()
        box = page.get_by_label("Breast carcinoma", exact=False)
        expected = int(box.evaluate("b => b.parentElement.textContent.match(/\\((\\d+)\\)/)[1]"))
        box.check()
        status = page.locator(".cp-finder__status")
        page.wait_for_function("() => /match/.test(document.querySelector('.cp-finder__status')"
                               ".textContent)")
        assert status.inner_text().startswith(f"{expected} case")
        assert page.locator(".cp-case-listing").is_hidden()  # the static page gives way
        rows = page.locator(".cp-finder__results tbody tr")
        assert rows.count() == min(expected, 50)
        assert all("Breast carcinoma" in t for t in
                   rows.locator("td:nth-child(2)").all_inner_texts())
        loaded = _loaded(visit, site, "cases/finder/")
        assert sum(u.startswith("cases/finder/v/") for u in loaded) == 1  # the one value ticked
        assert sum(u.startswith("cases/finder/rows/") for u in loaded) <= 4  # the rows shown
        # Sorted by age, then the next page of all cases
        box.uncheck()
        page.get_by_label("Order").select_option("age")
        page.wait_for_function("() => /of 4$/.test(document.querySelector('.cp-finder__status')"
                               ".textContent)")
        ages = [int(t.split("-")[0]) for t in
                page.locator(".cp-finder__results tbody td:nth-child(2)").all_inner_texts()]
        assert ages == sorted(ages) and len(ages) == 50
        page.locator(".cp-finder__results .cp-pager button", has_text="Next").click()
        page.wait_for_function("() => /page 2 of 4$/.test(document.querySelector("
                               "'.cp-finder__status').textContent)")
        later = [int(t.split("-")[0]) for t in
                 page.locator(".cp-finder__results tbody td:nth-child(2)").all_inner_texts()]
        assert later[0] >= ages[-1]
        first = page.locator(".cp-finder__results tbody a").first
        first.click()  # a result opens its case
        page.wait_for_load_state("load")
        assert "/cases/case-" in page.url
        assert visit.errors == []


def test_the_case_finder_is_accessible(browser: Browser, library_sites: dict[str, Site]) -> None:
    site = library_sites["hosted"]
    with _opened(browser, site, site.base + "cases/") as visit:
        visit.page.wait_for_selector(".cp-finder__form")
        visit.page.locator("summary", has_text="Sex").click()
        visit.page.get_by_label("female", exact=False).first.check()
        visit.page.wait_for_selector(".cp-finder__results tbody tr")
        assert axe_violations(visit.page) == []
