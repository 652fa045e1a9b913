"""What clinicians type finds the right page, and the right section on it, hosted and offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from .harness import CASE, PAGES, Site, Visit, open_page, requests_outside, search

pytestmark = pytest.mark.browser

# query -> (page that must come first, a section of it that must be among the results)
EXPECTED = {
    "n-BCA": ("case", "left-sacroplasty"),
    "nBCA": ("case", "left-sacroplasty"),
    "PMMA": ("case", "left-sacroplasty"),
    "lipiodol": ("case", "first-attempt"),
    "11-gauge": ("technique", "equipment"),  # the needles a technique needs
    "sacroplasty": ("case", None),
    "hepatocellular": ("case", "presentation"),
    "TAE": ("case", "prior-treatments"),
    "Kaemmerlen": ("case", "discussion-3"),  # where the text names the study
}


@pytest.fixture(scope="module")
def home(browser: Browser, hosted: Site, offline: Site) -> Iterator[dict[str, tuple[Site, Visit]]]:
    """The home page of each site, opened once: its search index is built once per module."""
    contexts = {kind: browser.new_context(viewport={"width": 1280, "height": 900})
                for kind in ("hosted", "offline")}
    yield {site.kind: (site, open_page(contexts[site.kind], site, site.url("home")))
           for site in (hosted, offline)}
    for context in contexts.values():
        context.close()


KINDS = ["hosted", "offline"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("query", list(EXPECTED))
def test_query_finds_the_right_page_first(home: dict[str, tuple[Site, Visit]], kind: str,
                                          query: str) -> None:
    site, visit = home[kind]
    results = search(visit.page, query)
    page, section = EXPECTED[query]
    assert results, f"no results for {query!r}"
    assert site.path_of(results[0]) == PAGES[page], (query, results[:5])
    if section:
        on_page = [r for r in results if site.path_of(r) == PAGES[page]]
        assert any(r.endswith(f"#{section}") for r in on_page), (query, on_page)
    assert not visit.errors + requests_outside(visit, site)


@pytest.mark.parametrize("kind", KINDS)
def test_an_author_finds_the_reference_too(home: dict[str, tuple[Site, Visit]],
                                           kind: str) -> None:
    site, visit = home[kind]
    pages = {site.path_of(r) for r in search(visit.page, "Kaemmerlen")}
    assert {PAGES["bibliography"], CASE} <= pages


@pytest.mark.parametrize("kind", KINDS)
def test_the_procedure_finds_its_technique_page(home: dict[str, tuple[Site, Visit]],
                                                kind: str) -> None:
    site, visit = home[kind]
    first_pages = list(dict.fromkeys(site.path_of(r) for r in search(visit.page, "sacroplasty")))
    assert PAGES["technique"] in first_pages[:2], first_pages


# Words in the titles the pages cite, and in the pages' own text too.
IN_CITED_TITLES = ["hepatocellular", "acetabular", "vertebroplasty", "radiotherapy",
                   "embolization"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("query", IN_CITED_TITLES)
def test_a_page_reference_list_ranks_below_its_text(home: dict[str, tuple[Site, Visit]],
                                                    kind: str, query: str) -> None:
    site, visit = home[kind]
    results = [site.path_of(r) + ("#" + r.rsplit("#", 1)[1] if "#" in r else "")
               for r in search(visit.page, query)]
    lists = [r for r in results if r.endswith("#references")]
    assert lists, f"{query!r} is in cited titles but no reference list was found"
    for found in lists:
        page = found.split("#")[0]
        sections = [r for r in results if r.startswith(page + "#")]
        assert sections[-1] == found, (query, sections)  # the page's text comes first


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_only_in_reference_lists_finds_them(home: dict[str, tuple[Site, Visit]],
                                                   kind: str) -> None:
    site, visit = home[kind]
    found = search(visit.page, "Karasawa")  # a co-author, named in no page's text
    assert any(site.path_of(r) == CASE and r.endswith("#references") for r in found), found
