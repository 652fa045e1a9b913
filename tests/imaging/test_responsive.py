"""Sized copies of figure images and their `srcset` URLs on the built page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from casepress.imaging import responsive
from casepress.imaging.responsive import make_responsive, rebase_srcsets

SOURCE = "cases/x.md"
IMG = ('<img src="a.png" srcset="../assets/figures/x/a.480w.webp 480w, '
       '../assets/figures/x/a.960w.webp 960w">')


@pytest.mark.parametrize(("page_url", "expected"), [
    ("cases/x/", "../../assets/figures/x/a.480w.webp 480w, ../../assets/figures/x/a.960w.webp "
     "960w"),
    ("cases/x.html", "../assets/figures/x/a.480w.webp 480w, ../assets/figures/x/a.960w.webp "
     "960w"),
], ids=["directory-urls", "file-urls"])
def test_srcset_urls_follow_the_page_url(page_url: str, expected: str) -> None:
    assert f'srcset="{expected}"' in rebase_srcsets(IMG, SOURCE, page_url)


def test_absolute_and_data_urls_are_left_alone() -> None:
    html = '<img srcset="https://example.org/a.webp 1x, data:image/png;base64,AA 2x">'
    assert rebase_srcsets(html, SOURCE, "cases/x/") == html


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_copies_are_made_at_the_widths_below_the_original() -> None:
    image, assets = make_responsive("assets/figures/x/a.png", _png(1200, 600))
    assert [(c.path, c.width) for c in image.candidates] == [
        ("assets/figures/x/a.480w.webp", 480), ("assets/figures/x/a.960w.webp", 960),
        ("assets/figures/x/a.1200w.webp", 1200)]
    assert (image.width, image.height, image.fallback) == (1200, 600,
                                                           "assets/figures/x/a.960w.png")
    sizes = {a.path: Image.open(io.BytesIO(a.content)).size for a in assets}
    assert sizes["assets/figures/x/a.480w.webp"] == (480, 240)
    assert sizes["assets/figures/x/a.960w.png"] == (960, 480)


def test_a_small_image_is_its_own_fallback_and_copies_are_reproducible() -> None:
    first, assets = make_responsive("assets/figures/x/b.png", _png(300, 300))
    assert first.fallback == "assets/figures/x/b.png"
    assert [c.width for c in first.candidates] == [300]
    _again, again = make_responsive("assets/figures/x/b.png", _png(300, 300))
    assert [a.content for a in assets] == [a.content for a in again]


def test_copies_are_kept_between_builds_and_a_damaged_cache_is_a_miss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _png(1200, 600)
    made = responsive.cached_responsive("assets/figures/x/a.png", data, tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 1

    def not_again(path: str, data: bytes) -> None:
        raise AssertionError("made again")

    with monkeypatch.context() as patched:
        patched.setattr(responsive, "make_responsive", not_again)
        # Same bytes under another name: the copies come from the cache, named for it.
        image, assets = responsive.cached_responsive("assets/figures/y/b.png", data, tmp_path)
    assert image.fallback == "assets/figures/y/b.960w.png"
    assert [a.content for a in assets] == [a.content for a in made[1]]
    # A cache file that is not the image it claims to be is not served: made again.
    for copy in tmp_path.glob("*-0"):
        copy.write_bytes(b"<svg onload=alert(1)>")
    again = responsive.cached_responsive("assets/figures/x/a.png", data, tmp_path)
    assert again == made


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "images"
    blocked.write_text("a file where the folder would go", encoding="utf-8")
    image, assets = responsive.cached_responsive("assets/figures/x/a.png", _png(600, 300),
                                                 blocked)
    assert [c.width for c in image.candidates] == [480, 600] and assets
