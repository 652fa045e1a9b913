"""Real figures in Chromium: the seed case with an imported DICOM panel, a photo and a
generated series, hosted (built by MkDocs and by Zensical) and from the offline bundle. Zoom
and stacks by keyboard; axe."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect
from pydicom.data import get_testdata_file

from conftest import build, copy_project, run_casepress

from .harness import Site, axe_violations, casepress, open_page, serve

pytestmark = pytest.mark.browser

CASE = "sacroplasty-hcc-nbca-pmma"
PROVENANCE = """    provenance:
      source: own institution
      credit: The editors' radiology department
      licence: CC BY 4.0
      consent_documented: true
"""


@pytest.fixture(scope="module")
def imaged_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed with panel A from pydicom's MR_small.dcm, B a photo, C a series of 7."""
    project = copy_project(tmp_path_factory.mktemp("imaged"))
    scratch = tmp_path_factory.mktemp("sources")
    Image.new("RGB", (1800, 1200), (90, 120, 150)).save(scratch / "photo.jpg")
    series = scratch / "series"
    series.mkdir()
    for number in range(1, 8):
        Image.new("L", (96, 96), number * 30).save(series / f"{number:02d}.png")
    for panel, source in (("mri-course-a", get_testdata_file("MR_small.dcm")),
                          ("mri-course-b", scratch / "photo.jpg"),
                          ("mri-course-c", series)):
        result = run_casepress("add-image", CASE, panel, source, cwd=project)
        assert result.returncode == 0, result.stderr
    case = project / f"content/cases/{CASE}.yaml"
    text = case.read_text(encoding="utf-8")
    panels = text.index("    panels:", text.index("  - id: mri-course\n"))
    case.write_text(text[:panels] + PROVENANCE + text[panels:], encoding="utf-8")
    return project


@pytest.fixture(scope="module", params=["hosted", "offline", "zensical"])
def imaged_site(request: pytest.FixtureRequest, imaged_project: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if request.param in ("hosted", "zensical"):
        engine = () if request.param == "hosted" else ("--engine", "zensical")
        built = build(imaged_project / "mkdocs.yml", tmp_path_factory.mktemp("s") / "site",
                      "--strict", *engine)
        assert built.returncode == 0, built.output
        with serve(built.site) as base:
            yield Site("hosted", base, built.site)
        return
    out = tmp_path_factory.mktemp("b") / "site-offline.zip"
    result = casepress("-f", imaged_project / "mkdocs.yml", "bundle", "--strict", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
    root = folder / "site-offline"
    yield Site("offline", root.as_uri() + "/", root)


def case_page(context: BrowserContext, site: Site) -> tuple[Page, list[str]]:
    visit = open_page(context, site, site.url(f"cases/{CASE}"))
    return visit.page, visit.errors


def test_panels_load_a_sized_copy_and_zoom_by_keyboard(context: BrowserContext,
                                                      imaged_site: Site) -> None:
    page, errors = case_page(context, imaged_site)
    photo = page.locator("#fig-mri-course-b img")
    photo.scroll_into_view_if_needed()
    expect(photo).to_have_attribute("width", "1800")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=photo.element_handle())
    # The browser chose a WebP copy from the srcset, not the 1800 px original.
    assert ".webp" in photo.evaluate("img => img.currentSrc")

    link = page.locator("#fig-mri-course-a a.cp-zoom")
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cp-lightbox")
    expect(dialog).to_be_visible()
    # The original, full size: what the link itself opens without JavaScript.
    assert dialog.locator("img").evaluate("img => img.src") == link.evaluate("a => a.href")
    expect(dialog.locator("figcaption")).to_contain_text("Fig 1A")
    expect(dialog.locator(".cp-lightbox__count")).to_have_text("Panel 1 of 6")
    # Focus stays inside the dialog; arrows move between the page's panels.
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    page.keyboard.press("ArrowRight")
    expect(dialog.locator("figcaption")).to_contain_text("Fig 1B")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.closest('#fig-mri-course-a') !== null")
    assert errors == []


def test_a_series_scrolls_as_a_stack_by_keyboard(context: BrowserContext,
                                                imaged_site: Site) -> None:
    page, errors = case_page(context, imaged_site)
    stack = page.locator("#fig-mri-course-c")
    stack.scroll_into_view_if_needed()  # its images load lazily
    slider = stack.locator("input[type=range]")
    counter = stack.locator("output")
    expect(counter).to_have_text("4 / 7")  # the key image: the middle frame
    expect(stack.locator("label")).to_have_text("Image in the stack")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text("5 / 7")
    image = stack.locator("img")
    expect(image).to_have_attribute("src", "mri-course-c/005.png".join(
        [(image.get_attribute("src") or "").rsplit("mri-course-c", 1)[0], ""]))
    page.wait_for_function("img => img.complete && img.naturalWidth > 0 && "
                           "img.currentSrc.endsWith('mri-course-c/005.png')",
                           arg=image.element_handle())
    page.keyboard.press("End")
    expect(counter).to_have_text("7 / 7")
    assert slider.get_attribute("aria-valuetext") == "image 7 of 7"
    image.hover()  # the wheel over the image moves through the stack, not the page
    scrolled = page.evaluate("window.scrollY")
    page.mouse.wheel(0, -120)
    expect(counter).to_have_text("6 / 7")
    assert page.evaluate("window.scrollY") == scrolled
    assert axe_violations(page) == []
    assert errors == []
