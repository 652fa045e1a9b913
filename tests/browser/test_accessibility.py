"""axe-core finds no serious or critical WCAG 2.2 AA problem, hosted or offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext

from .harness import Site, axe_violations, open_page, search

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["home", "case", "technique", "evidence", "bibliography"])
def test_no_serious_accessibility_violations(context: BrowserContext, site: Site,
                                             name: str) -> None:
    visit = open_page(context, site, site.url(name))
    # figures load lazily: bring every one in so they are checked as readers see them
    for image in visit.page.locator("img").all():
        image.scroll_into_view_if_needed()
    assert visit.page.locator("svg").count() > 0 or name != "case"
    assert axe_violations(visit.page) == []


@pytest.mark.parametrize(("scheme", "width"), [("dark", 1280), ("light", 390)],
                         ids=["dark-scheme", "phone"])
def test_case_page_in_dark_scheme_and_on_a_phone(browser: Browser, site: Site, scheme: str,
                                                 width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  color_scheme=scheme)  # type: ignore[arg-type]
    try:
        visit = open_page(context, site, site.url("case"))
        assert visit.page.evaluate("document.body.dataset.mdColorScheme") == (
            "slate" if scheme == "dark" else "default")
        assert axe_violations(visit.page) == []
    finally:
        context.close()


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390)],
                         ids=["light", "dark-scheme", "phone"])
def test_search_results_open(browser: Browser, site: Site, scheme: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  color_scheme=scheme)  # type: ignore[arg-type]
    try:
        visit = open_page(context, site, site.url("case"))
        assert search(visit.page, "n-BCA PMMA")
        visit.page.locator("#cp-search-input").press("ArrowDown")  # an option highlighted
        assert visit.page.locator(".cp-search__panel").is_visible()
        assert axe_violations(visit.page) == []
    finally:
        context.close()
