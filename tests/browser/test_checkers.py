"""The checks catch what they are for: a broken citation link and a request leaving the bundle
are planted in a copy of the built bundle, and the same checkers must report them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from .harness import CASE, Site, citation_problems, open_page, requests_outside

pytestmark = pytest.mark.browser


@pytest.fixture
def copy(offline: Site, tmp_path: Path) -> Site:
    root = tmp_path / "site-offline"
    shutil.copytree(offline.root, root)
    return Site("offline", root.as_uri() + "/", root)


def test_a_broken_citation_link_is_reported(context: BrowserContext, copy: Site) -> None:
    page = copy.root / f"{CASE}.html"
    html = page.read_text(encoding="utf-8")
    assert "#ref-kaizu1998" in html
    page.write_text(html.replace("#ref-kaizu1998", "#ref-no-such-entry", 1), encoding="utf-8")
    problems = citation_problems(context, copy, ["case"])
    assert problems == [f"case: link to {CASE}#ref-no-such-entry lands on no element"]


def test_a_request_leaving_the_bundle_is_reported(context: BrowserContext, copy: Site) -> None:
    page = copy.root / "index.html"
    html = page.read_text(encoding="utf-8")
    tracker = "https://example.invalid/pixel.png"
    page.write_text(html.replace("</body>", f'<img src="{tracker}" alt="">\n</body>'),
                    encoding="utf-8")
    visit = open_page(context, copy, copy.url("home"))
    visit.page.wait_for_load_state("networkidle")
    assert requests_outside(visit, copy) == [f"request outside the site: {tracker}"]
    assert any(tracker in error for error in visit.errors)  # stopped, so never sent
