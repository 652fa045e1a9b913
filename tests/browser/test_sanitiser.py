"""Markup that browsers and Python's html.parser read differently runs nothing once it leaves
the build: each family is written into a page body, passed through the allow-list, and the
page opened from disk in Chromium. The same markup opened without the allow-list does run, so
the test would catch a sanitiser that let it through."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from casepress.checks.html_safety import sanitise, unsafe_markup

pytestmark = pytest.mark.browser

RUN = "window.__ran=(window.__ran||0)+1"
# One payload per way html.parser and an HTML5 parser disagree (and a plain one).
FAMILIES = {
    "plain-handler": f'<img src="x" onerror="{RUN}">',
    "comment-short": f'<!--><img src="x" onerror="{RUN}">-->',
    "comment-dash": f'<!---><img src="x" onerror="{RUN}">-->',
    "comment-bang": f'<!-- --!><img src="x" onerror="{RUN}">-->',
    "textarea": f'<textarea><p title="</textarea><img src=x onerror={RUN}>"></textarea>',
    "noscript": f'<noscript><p title="</noscript><img src=x onerror={RUN}>"></noscript>',
    "xmp": f'<xmp><p title="</xmp><img src=x onerror={RUN}>"></xmp>',
    "style": f'<style><p title="</style><img src=x onerror={RUN}>"></style>',
    "title": f'<title><p title="</title><img src=x onerror={RUN}>"></title>',
    "noembed": f'<noembed><p title="</noembed><img src=x onerror={RUN}>"></noembed>',
    "noframes": f'<noframes><p title="</noframes><img src=x onerror={RUN}>"></noframes>',
    "iframe": f'<iframe><p title="</iframe><img src=x onerror={RUN}>"></iframe>',
    "cdata-outside-svg": f'<![CDATA[><img src=x onerror={RUN}>]]>',
    "svg-cdata": f'<svg><![CDATA[</svg><img src=x onerror={RUN}>]]></svg>',
    "svg-animate": f'<svg><a><animate attributeName=href values=javascript:{RUN} />'
                   '<text x=20 y=20>click</text></a></svg>',
    "math-mglyph": f'<math><mtext><table><mglyph><style><img src=x onerror={RUN}>',
}


def _ran(context: BrowserContext, tmp_path: Path, name: str, body: str) -> int:
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(f"<!DOCTYPE html><html><head><meta charset=utf-8></head><body>"
                         f"<article>{body}</article></body></html>", encoding="utf-8")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_timeout(150)  # onerror of a missing image fires after the load
        for anchor in page.locator("a, text").all():  # click whatever could be clicked
            anchor.click(timeout=500, force=True, no_wait_after=True)
        page.wait_for_timeout(50)
        ran = page.evaluate("window.__ran || 0")
    finally:
        page.close()
    return int(ran) + len(dialogs)


@pytest.mark.parametrize("name", FAMILIES)
def test_nothing_from_a_page_body_runs_after_the_allow_list(context: BrowserContext,
                                                            tmp_path: Path, name: str) -> None:
    assert _ran(context, tmp_path, f"clean-{name}", sanitise(FAMILIES[name])) == 0


# The families the allow-list removes something from that a browser would run; the others
# (CDATA outside SVG, the math trick) are inert in Chromium even unsanitised.
RUNS_RAW = [name for name in FAMILIES if name not in
            ("cdata-outside-svg", "svg-cdata", "math-mglyph", "svg-animate", "noscript")]


@pytest.mark.parametrize("name", RUNS_RAW)
def test_the_same_markup_without_the_allow_list_runs(context: BrowserContext,
                                                     tmp_path: Path, name: str) -> None:
    """Without this the test above could pass by never running anything at all."""
    assert _ran(context, tmp_path, f"raw-{name}", FAMILIES[name]) >= 1


# CDATA holds text, inside SVG as outside it: the image in it is never an element.
INERT_TEXT = ("cdata-outside-svg", "svg-cdata")


@pytest.mark.parametrize("name", [n for n in FAMILIES if n not in INERT_TEXT])
def test_each_family_is_reported(name: str) -> None:
    """What the allow-list removes is named, so the build stops with a located error."""
    assert unsafe_markup(FAMILIES[name]), name
