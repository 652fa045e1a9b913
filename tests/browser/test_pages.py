"""The built site in Chromium, served (hosted) and opened from disk (offline): citations link
both ways, hover text shows, figures render, and pages load without errors or outside requests."""

from __future__ import annotations

from urllib.parse import urldefrag

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from .harness import (
    CASE,
    PAGES,
    Site,
    citation_problems,
    figure_problems,
    open_page,
    requests_outside,
    search,
)

pytestmark = pytest.mark.browser


def _at(page: Page, site: Site, path: str, fragment: str) -> None:
    page.wait_for_url(lambda url: urldefrag(url).fragment == fragment)
    assert site.path_of(page.url) == path, page.url
    target = page.locator(f"[id='{fragment}']")
    assert target.evaluate("el => el.matches(':target')"), f"#{fragment} is not the target"
    assert target.is_visible() and target.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0 }"
    ), f"#{fragment} was not scrolled into view"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_citation_jumps_to_the_page_list_and_the_back_link_returns(
        browser: Browser, site: Site, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        visit = open_page(context, site, site.url("case"))
        citation = visit.page.locator("a.cp-cite[id]").nth(2)
        anchor = str(citation.get_attribute("id"))
        entry = urldefrag(str(citation.evaluate("a => a.href"))).fragment
        number = citation.inner_text()
        citation.click()
        _at(visit.page, site, CASE, entry)  # the case page's own list, not another page
        listed = visit.page.locator(f"[id='{entry}']")
        assert listed.locator(".cp-ref-number").inner_text() == f"{number}."
        back = listed.locator(f"a[href$='#{anchor}']").first
        back.click()
        _at(visit.page, site, CASE, anchor)
        assert not visit.errors + requests_outside(visit, site)
    finally:
        context.close()


def test_every_citation_and_back_link_lands_on_its_target(
        context: BrowserContext, site: Site) -> None:
    assert citation_problems(context, site, list(PAGES)) == []


def test_hovering_a_citation_shows_the_reference(context: BrowserContext, site: Site) -> None:
    visit = open_page(context, site, site.url("case"))
    citation = visit.page.locator("a.cp-cite").first
    title = str(citation.get_attribute("title"))
    citation.hover()
    tooltip = visit.page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert title[:60] in tooltip.inner_text()


def test_figure_placeholders_render(context: BrowserContext, site: Site) -> None:
    visit = open_page(context, site, site.url("case"))
    assert figure_problems(visit.page) == []
    assert not visit.errors + requests_outside(visit, site)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_errors_or_outside_requests(context: BrowserContext, site: Site,
                                                       name: str) -> None:
    visit = open_page(context, site, site.url(name))
    visit.page.wait_for_load_state("networkidle")
    assert visit.errors == []
    assert requests_outside(visit, site) == []


def test_navigation_links_open_pages(context: BrowserContext, site: Site) -> None:
    visit = open_page(context, site, site.url("home"))
    visit.page.locator("nav.md-nav--primary a.md-nav__link", has_text="Bibliography").first.click()
    visit.page.wait_for_url(lambda url: site.path_of(url) == PAGES["bibliography"])
    assert visit.page.locator("h1").inner_text().startswith("Bibliography")


def test_offline_bundle_makes_no_request_outside_itself(context: BrowserContext,
                                                        offline: Site) -> None:
    """Every request while reading, searching and following a citation, recorded."""
    record: list[str] = []
    for name in PAGES:
        visit = open_page(context, offline, offline.url(name))
        if name == "home":
            assert search(visit.page, "lipiodol")
        if name == "case":
            assert figure_problems(visit.page) == []
            visit.page.locator("a.cp-cite").first.click()
            visit.page.wait_for_url("**/sacroplasty-hcc-nbca-pmma.html#ref-*")  # its own list
        visit.page.wait_for_load_state("networkidle")
        assert visit.errors == [], name
        record += visit.requests
        visit.page.close()
    outside = [url for url in record if not url.startswith(offline.base)]
    assert outside == [], outside
    inside = {url.removeprefix(offline.base).split("?")[0] for url in record}
    # the record really covers search (its manifest, word and page files) and figures
    assert {"assets/casepress/search.js", "search/manifest.js"} <= inside
    assert any(u.startswith("search/t/") for u in inside), inside
    assert any(u.startswith("search/p/") for u in inside), inside
    assert any(u.startswith("assets/figures/") for u in inside), inside
