"""A one-off build holds one finished page at a time, not the library: pages are handed to
`keep` as they are finished (a `PageFolder` writes them out), the render caches of a single
build remember nothing, and a loaded file's YAML positions are worked out only if a problem
is reported in it. What benchmarks/README.md measures at 10,000 cases rests on these."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.pages import Page, PageFile, PageFolder
from casepress.pipeline import BuildCache, run_pipeline
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import gen_library

CASES = 30


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gen_library.generate_library(tmp_path_factory.mktemp("lib") / "lib", cases=CASES,
                                        citations=6, entries=40) / "mkdocs.yml"


def _live_pages() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is Page)


def test_pages_kept_on_disk_are_the_pages_kept_in_memory(library: Path, tmp_path: Path
                                                         ) -> None:
    options, config = options_from_mkdocs_yml(library)
    in_memory = run_pipeline(options, config.get("nav"), BuildCache())
    folder = PageFolder(tmp_path / "pages")
    on_disk = run_pipeline(options, config.get("nav"), BuildCache.single(), folder.keep)
    assert in_memory.ok and on_disk.ok and in_memory.site and on_disk.site
    assert list(on_disk.site.pages) == list(in_memory.site.pages)  # reading order
    for path, page in on_disk.site.pages.items():
        assert isinstance(page, PageFile) and page.file == tmp_path / "pages" / path
        expected = in_memory.site.pages[path]
        assert (page.title, page.source) == (expected.title, expected.source)
        assert page.markdown == expected.markdown, path
    assert on_disk.site.assets == in_memory.site.assets


def test_a_single_build_lets_each_page_go_once_it_is_finished(library: Path,
                                                              tmp_path: Path) -> None:
    options, config = options_from_mkdocs_yml(library)
    alive: list[int] = []
    folder = PageFolder(tmp_path / "pages")

    def keep(page: Page) -> PageFile:
        alive.append(_live_pages())
        return folder.keep(page)

    before = _live_pages()  # other tests' pages, still held by their fixtures
    result = run_pipeline(options, config.get("nav"), BuildCache.single(), keep)
    assert result.ok and len(alive) > CASES
    # The first page finished, every page waits; by the last, the others are gone.
    assert alive[0] - before > CASES and alive[-1] - before < 5, (before, alive)


def test_a_kept_cache_keeps_the_pages_for_the_next_build(library: Path, tmp_path: Path
                                                          ) -> None:
    """The other side: under `serve` the cache holds the rendered pages, so that the next
    build takes them over (the test above would pass if nothing were ever released)."""
    options, config = options_from_mkdocs_yml(library)
    cache = BuildCache()
    before = _live_pages()
    result = run_pipeline(options, config.get("nav"), cache, PageFolder(tmp_path / "p").keep)
    assert result.ok and _live_pages() - before > CASES
    cache.render.pages.stats.reset()
    again = run_pipeline(options, config.get("nav"), cache, PageFolder(tmp_path / "q").keep)
    assert again.ok and cache.render.pages.stats.misses == 0
    assert cache.render.pages.stats.hits > CASES


def test_a_clean_build_never_works_out_yaml_positions(library: Path) -> None:
    options, config = options_from_mkdocs_yml(library)
    result = run_pipeline(options, config.get("nav"))
    documents = result.project.content.documents()
    assert result.ok and len(documents) > CASES
    assert not [d.file for d in documents if "positions" in vars(d.source)]


def test_positions_are_found_when_a_problem_is_reported(library: Path) -> None:
    case = library.parent / "content" / "cases" / "case-00003.yaml"
    text = case.read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("technique:"))
    lines[number] = "technique: no-such-technique"
    case.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        options, config = options_from_mkdocs_yml(library)
        result = run_pipeline(options, config.get("nav"))
    finally:
        case.write_text(text, encoding="utf-8")
    found = [d for d in result.diagnostics if d.rule == "technique-unknown"]
    assert [(d.file, d.line) for d in found] == [("content/cases/case-00003.yaml", number + 1)]


def test_a_page_file_gives_back_exactly_what_was_kept(tmp_path: Path) -> None:
    page = Page("cases/x.md", "X", "---\ntitle: X\n---\n\nline\r\nother\rlast ↩ é\n",
                "content/cases/x.yaml")
    kept = PageFolder(tmp_path).keep(page)
    assert kept.file == tmp_path / "cases" / "x.md"
    assert (kept.path, kept.title, kept.source, kept.markdown) == (
        page.path, page.title, page.source, page.markdown)
