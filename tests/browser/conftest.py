"""One Chromium per session; the hosted site served on localhost and the offline bundle
unzipped, each built once per session."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from conftest import Built

from .harness import Site, casepress, launch, serve


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except RuntimeError as problem:  # a missing browser fails the run, never skips it
            pytest.fail(str(problem))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def hosted(seed_site: Built) -> Iterator[Site]:
    with serve(seed_site.site) as base:
        yield Site("hosted", base, seed_site.site)


@pytest.fixture(scope="session")
def bundle_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "site-offline.zip"
    result = casepress("bundle", "--strict", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def offline(bundle_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(bundle_zip) as archive:
        archive.extractall(folder)
    root = folder / "site-offline"
    return Site("offline", root.as_uri() + "/", root)


@pytest.fixture(params=["hosted", "offline"])
def site(request: pytest.FixtureRequest) -> Site:
    chosen: Site = request.getfixturevalue(request.param)
    return chosen


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()
