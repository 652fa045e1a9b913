"""Clinical tables on a ward phone (390 px) and a desktop (1,400 px): every cell of the case,
technique and evidence tables lies inside the viewport and inside any box that would clip it,
with its column's name beside it on the phone; the graphics say that they scroll."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page

from .harness import Site, open_page

pytestmark = pytest.mark.browser

# Each cell's box against the viewport and against every ancestor that clips overflow
# (Material wraps tables in a sideways-scrolling box: a cell beyond its edge is hidden).
_CELLS_OUTSIDE = """() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  for (const cell of document.querySelectorAll('.md-content table td, .md-content table th')) {
    const box = cell.getBoundingClientRect();
    const head = cell.closest('thead');
    if (head && head.getBoundingClientRect().width <= 1) continue;  // the phone's hidden header
    let right = width, left = 0;
    for (let el = cell.parentElement; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'visible') {
        const clip = el.getBoundingClientRect();
        right = Math.min(right, clip.left + el.clientWidth);
        left = Math.max(left, clip.left);
      }
    }
    if (box.right > right + 1 || box.left < left - 1) {
      const where = [box.left, box.right, left, right].map(Math.round);
      out.push(`${cell.textContent.trim().slice(0, 40)} ${where}`);
    }
  }
  return out;
}"""


@contextmanager
def _opened(browser: Browser, site: Site, name: str, width: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        yield open_page(context, site, site.url(name)).page
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("name", ["case", "technique", "evidence"])
def test_every_table_cell_is_inside_the_viewport(browser: Browser, hosted: Site, name: str,
                                                 width: int) -> None:
    with _opened(browser, hosted, name, width) as page:
        assert page.locator(".md-content table td").count() > 0
        assert page.evaluate(_CELLS_OUTSIDE) == []


def test_on_a_phone_each_cell_shows_its_column_name(browser: Browser, hosted: Site) -> None:
    with _opened(browser, hosted, "case", 390) as page:
        labelled = page.locator("table[data-cp-stack] td[data-label]").first
        label = labelled.get_attribute("data-label")
        assert label
        shown = labelled.evaluate("el => getComputedStyle(el, '::before').content")
        assert shown == f'"{label}"'
        assert page.locator("table[data-cp-stack] thead").first.bounding_box() is not None
        assert "sideways" in page.locator(".cp-graphic").first.evaluate(
            "el => getComputedStyle(el, '::before').content")


def test_on_a_desktop_tables_keep_their_columns(browser: Browser, hosted: Site) -> None:
    with _opened(browser, hosted, "case", 1400) as page:
        cell = page.locator("table[data-cp-stack] td").first
        assert cell.evaluate("el => getComputedStyle(el).display") == "table-cell"
        assert page.locator(".cp-graphic").first.evaluate(
            "el => getComputedStyle(el, '::before').content") == "none"
