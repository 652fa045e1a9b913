"""The Cases listing of a large library: pages of a set size that link to each other, every
case listed once, readable without JavaScript."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.pipeline import BuildCache, PipelineResult, run_pipeline
from casepress.site import paging
from conftest import REPO, Built

sys.path.insert(0, str(REPO / "benchmarks"))
import gen_library


def _generated(root: Path, cases: int, techniques: int, evidence: int) -> PipelineResult:
    """The pipeline's result for a generated library."""
    library = gen_library.generate_library(root / "lib", cases=cases, citations=2, entries=20,
                                           techniques=techniques, evidence=evidence, rows=2)
    options, mkdocs = options_from_mkdocs_yml(library / "mkdocs.yml")
    result = run_pipeline(options, mkdocs.get("nav"), BuildCache())
    assert result.ok and result.site is not None
    return result


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> PipelineResult:
    return _generated(tmp_path_factory.mktemp("listing"), cases=120, techniques=1, evidence=1)


@pytest.fixture(scope="module")
def listing(library: PipelineResult) -> dict[str, str]:
    assert library.site is not None
    return {path: page.markdown for path, page in library.site.pages.items()
            if path == "cases/index.md" or path.startswith("cases/page-")}


def _finder_data(library: PipelineResult) -> dict[str, object]:
    assert library.site is not None
    data = {}
    for asset in library.site.assets:
        if asset.path.startswith("cases/finder/"):
            match = re.fullmatch(r'casepressFinder\.add\("([^"]+)",(.*)\);\n',
                                 asset.content.decode(), re.S)
            assert match, asset.path
            data[match[1]] = json.loads(match[2])
    return data


def test_the_finder_data_match_the_content(library: PipelineResult) -> None:
    data = _finder_data(library)
    facets = data["facets.js"]
    assert isinstance(facets, dict) and facets["cases"] == 120
    assert [f["key"] for f in facets["facets"]] == [
        "site", "condition", "technique", "agent", "guidance", "age", "sex", "year"]
    models = [d.model for d in library.project.content.cases.values()]
    for facet in facets["facets"]:
        for i, (value, count) in enumerate(zip(facet["values"], facet["counts"], strict=True)):
            members = data[f"v/{facet['key']}-{i}.js"]
            assert isinstance(members, list) and len(members) == count and members == sorted(
                members), (facet["key"], value)
            if facet["key"] == "sex":
                assert all(models[n].patient.sex == value for n in members)
    rows = [row for n in range(3) for row in data[f"rows/{n}.js"]]  # type: ignore[attr-defined]
    assert [row[0] for row in rows] == [f"{slug}.md" for slug in library.project.content.cases]
    ages = [models[n].patient.age_years for n in data["sort/age.js"]]  # type: ignore[attr-defined]
    assert ages == sorted(ages)


@pytest.mark.parametrize(("years", "band"), [(9, "0\u20139"), (76, "70\u201379"),
                                              (89, "80\u201389"), (90, "90 and over"),
                                              (104, "90 and over")],
                         ids=["child", "seventies", "eighty-nine", "ninety", "over-ninety"])
def test_age_bands_stop_at_ninety(years: int, band: str) -> None:
    from casepress.site.case_finder import _age_band

    assert _age_band(years) == band


def test_every_case_is_listed_once_a_page_at_a_time(listing: dict[str, str]) -> None:
    assert sorted(listing) == ["cases/index.md", "cases/page-2.md", "cases/page-3.md"]
    listed = [slug for markdown in listing.values()
              for slug in re.findall(r"^\| \[[^\]]+\]\((case-\d+)\.md\)", markdown, re.M)]
    assert len(listed) == len(set(listed)) == 120
    for markdown in listing.values():
        rows = re.findall(r"^\| \[", markdown, re.M)
        assert 0 < len(rows) <= paging.PER_PAGE
    assert "Cases 51 to 100 are listed here." in listing["cases/page-2.md"]
    assert 'title: "Cases, page 2 of 3"' in listing["cases/page-2.md"]


def test_each_page_links_to_the_others(listing: dict[str, str]) -> None:
    nav = listing["cases/page-2.md"].split('<nav class="cp-pager"', 1)[1]
    assert re.findall(r"\[([^\]]+)\]\(([^)]+)\)", nav) == [
        ("Previous", "index.md"), ("1", "index.md"), ("3", "page-3.md"), ("Next", "page-3.md")]
    assert '<span aria-current="page">2</span>' in nav
    assert "[Previous]" not in listing["cases/index.md"]
    assert "[Next]" not in listing["cases/page-3.md"]


@pytest.mark.parametrize(("number", "count", "labels"), [
    (1, 1, []),
    (1, 200, ["1", "2", "3", "…", "200", "Next"]),
    (10, 200, ["Previous", "1", "…", "8", "9", "10", "11", "12", "…", "200", "Next"]),
    (200, 200, ["Previous", "1", "…", "198", "199", "200"]),
], ids=["one-page", "first-of-many", "middle", "last"])
def test_the_pager_stays_short_however_many_pages(number: int, count: int,
                                                  labels: list[str]) -> None:
    assert [link.label for link in paging.pager("cases/index.md", number, count)] == labels


def test_the_care_report_is_paged_like_the_listing(library: PipelineResult) -> None:
    assert library.site is not None
    care = {path: page.markdown for path, page in library.site.pages.items()
            if path.startswith("editors/care")}
    assert sorted(care) == ["editors/care-page-2.md", "editors/care-page-3.md",
                            "editors/care.md"]
    reported = [slug for markdown in care.values()
                for slug in re.findall(r"^\[Case page\]\(\.\./cases/(case-\d+)\.md\)", markdown,
                                       re.M)]
    assert len(reported) == len(set(reported)) == 120
    nav = care["editors/care-page-3.md"].split('<nav class="cp-pager"', 1)[1]
    assert 'aria-label="Pages of the CARE report"' in nav
    assert ("Previous", "care-page-2.md") in re.findall(r"\[([^\]]+)\]\(([^)]+)\)", nav)
    assert "Cases 101 to 120 of 120 are listed here." in care["editors/care-page-3.md"]


def test_techniques_and_evidence_listings_are_paged_when_they_grow(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    result = _generated(tmp_path_factory.mktemp("grown"), cases=6, techniques=55, evidence=53)
    assert result.site is not None
    pages = result.site.pages
    for folder, items, label, word in (("techniques", 55, "technique listing", "Techniques"),
                                       ("evidence", 53, "evidence listing", "Tables")):
        first, second = pages[f"{folder}/index.md"].markdown, pages[f"{folder}/page-2.md"].markdown
        assert f"{folder}/page-3.md" not in pages
        listed = [re.findall(r"^\| \[[^\]]+\]\(([\w-]+)\.md\)", page, re.M)
                  for page in (first, second)]
        assert [len(x) for x in listed] == [50, items - 50]
        assert len(set(listed[0] + listed[1])) == items
        assert f'aria-label="Pages of the {label}"' in second
        assert f"{word} 51 to {items} of {items} are listed here." in second


def test_a_small_library_has_one_page_and_no_pager(seed_site: Built) -> None:
    page = seed_site.page("cases/")
    assert "cp-pager" not in page and "<title>Cases - " in page
    assert not (seed_site.site / "cases" / "page-2").exists()
