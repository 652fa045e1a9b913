"""The evidence table's sorting and filtering, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from conftest import Built

pytestmark = pytest.mark.browser

CASE = "cases/sacroplasty-hcc-nbca-pmma"
EVIDENCE = "evidence/cement-injection-pain-relief"


@pytest.fixture(scope="module")
def browser_page(browser: Browser, seed_site: Built) -> Iterator[tuple[Page, list[str]]]:
    page = browser.new_page()
    errors: list[str] = []
    # Only errors thrown by our script count: other assets (e.g. search) are not tested here.
    page.on("pageerror", lambda exc: errors.append(f"{exc}\n{exc.stack}")
            if "evidence-table.js" in f"{exc.stack}" else None)
    page.goto((seed_site.site / EVIDENCE / "index.html").as_uri())
    yield page, errors
    page.close()


def first_column(page: Page) -> list[str]:
    """Row numbers shown in the table of the studies of the question (the first table)."""
    table = page.locator(".cp-evidence").first
    return [t.strip() for t in
            table.locator("tbody tr:not([hidden]) td:first-child").all_text_contents()]


def test_columns_sort_from_the_keyboard(browser_page: tuple[Page, list[str]]) -> None:
    page, errors = browser_page
    studies = page.locator(".cp-evidence").first
    studies.get_by_role("button", name="Proportion (sort)").focus()
    page.keyboard.press("Enter")
    header = studies.locator("th[aria-sort]")
    assert header.count() == 1 and header.get_attribute("aria-sort") == "ascending"
    # 73.0, 80.0, 83.3, 97.3; rows without a proportion (and the single case) stay last.
    assert first_column(page) == ["2", "1", "5", "3", "4", "6", "7"]
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert first_column(page) == ["3", "5", "1", "2", "4", "6", "7"]
    studies.get_by_role("button", name="# (sort)").click()
    assert first_column(page) == [str(i) for i in range(1, 8)]
    assert studies.locator("[role=status]").text_content() == "Sorted by #, ascending."
    assert errors == []


def test_rows_filter_by_site_and_intervention(browser_page: tuple[Page, list[str]]) -> None:
    page, errors = browser_page
    page.get_by_label("Site", exact=True).select_option("acetabulum")
    assert first_column(page) == ["5", "7"]
    assert page.locator(".cp-evidence [role=status]").first.text_content() == \
        "Showing 2 of 7 studies."
    page.get_by_label("Intervention").select_option("percutaneous acetabular osteoplasty")
    assert first_column(page) == ["7"]
    page.get_by_label("Site", exact=True).select_option("")
    page.get_by_label("Intervention").select_option("")
    assert len(first_column(page)) == 7
    assert errors == []


def test_other_tables_are_left_alone(browser: Browser, seed_site: Built) -> None:
    page = browser.new_page()
    page.goto((seed_site.site / CASE / "index.html").as_uri())
    assert page.locator("table").count() > 0
    assert page.locator("button.cp-sort, .cp-evidence-tools").count() == 0
    page.close()
