"""The seed site built by Zensical (`casepress build --engine zensical`), in Chromium: the
clinical queries find their pages first, the evidence table sorts from the keyboard, the
citations land, nothing leaves the site, and axe finds no serious violation. (ProperDocs
writes the same bytes as MkDocs, tests/commands/test_engines.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import REPO

from .harness import (
    PAGES,
    Site,
    axe_violations,
    casepress,
    citation_problems,
    open_page,
    requests_outside,
    search,
    serve,
)
from .test_search import EXPECTED

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("zensical") / "site"
    result = casepress("-f", REPO / "mkdocs.yml", "build", "--engine", "zensical",
                       "-d", folder)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(Path(folder)) as base:
        yield Site("hosted", base, Path(folder))


def test_clinical_queries_find_their_pages_first(browser: Browser, zensical_site: Site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visit = open_page(context, zensical_site, zensical_site.url("home"))
    for query, (page, _section) in EXPECTED.items():
        results = search(visit.page, query)
        assert results and zensical_site.path_of(results[0]) == PAGES[page], (query, results)
    assert visit.page.locator("#cp-search-input").count() == 1  # Zensical's own is off
    assert not visit.errors + requests_outside(visit, zensical_site)
    context.close()


def test_citations_land_and_the_evidence_table_sorts(browser: Browser,
                                                    zensical_site: Site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    assert citation_problems(context, zensical_site, ["case", "technique", "evidence"]) == []
    visit = open_page(context, zensical_site, zensical_site.url("evidence"))
    table = visit.page.locator(".cp-evidence").first
    table.get_by_role("button", name="Proportion (sort)").focus()
    visit.page.keyboard.press("Enter")
    header = table.locator("th[aria-sort]")
    assert header.count() == 1 and header.get_attribute("aria-sort") == "ascending"
    rows = table.locator("tbody tr:not([hidden]) td:first-child").all_text_contents()
    assert [r.strip() for r in rows] == ["2", "1", "5", "3", "4", "6", "7"]  # as under MkDocs
    assert visit.page.locator("a[download]", has_text="as CSV").count() >= 1
    assert not visit.errors + requests_outside(visit, zensical_site)
    context.close()


@pytest.mark.parametrize("page", ["case", "evidence", "bibliography"])
def test_pages_are_accessible(browser: Browser, zensical_site: Site, page: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visit = open_page(context, zensical_site, zensical_site.url(page))
    assert axe_violations(visit.page) == []
    context.close()
