"""Rebuilds in one process (`mkdocs serve`) redo only what an edit changed, and their output is
exactly a cold build's: the .bib is parsed once, no reference is formatted twice, unchanged
content files are not re-validated and unchanged generated pages are not re-rendered."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casepress.cache import CacheStats
from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.pipeline import BuildCache, PipelineResult, run_pipeline
from conftest import REPO, run_casepress

sys.path.insert(0, str(REPO / "benchmarks"))
import gen_library

pytestmark = pytest.mark.slow  # real builds in subprocesses

EVIDENCE_TABLES = 2


def _all_stats(cache: BuildCache) -> dict[str, CacheStats]:
    formatter_stats = [f.stats for f in cache.load.formatters.values()]
    formatted = CacheStats(hits=sum(s.hits for s in formatter_stats),
                           misses=sum(s.misses for s in formatter_stats))
    return {"bib": cache.load.bibliographies.stats,
            "documents": cache.load.documents.stats,
            "pages": cache.render.pages.stats,
            "listings": cache.render.listings.stats,
            "formatted": formatted}


def _reset(cache: BuildCache) -> None:
    for stats in (cache.load.bibliographies.stats, cache.load.documents.stats,
                  cache.render.pages.stats, cache.render.listings.stats,
                  *(f.stats for f in cache.load.formatters.values())):
        stats.reset()


def _build(config: Path, cache: BuildCache) -> PipelineResult:
    """One build of a `mkdocs serve` session that keeps `cache`, its counts reset."""
    options, mkdocs = options_from_mkdocs_yml(config)
    _reset(cache)
    result = run_pipeline(options, mkdocs.get("nav"), cache)
    assert result.ok, [d.format_text() for d in result.diagnostics if d.severity.name == "ERROR"]
    return result


def _assert_same_as_cold_build(config: Path, warm: PipelineResult, out: Path) -> None:
    """A fresh process (nothing cached) writes the same pages and files as the warm rebuild."""
    done = run_casepress("-f", config, "export-md", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert warm.site is not None
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(warm.site.pages) <= written
    for path, page in warm.site.pages.items():
        assert (out / path).read_text(encoding="utf-8") == page.markdown, path
    for asset in warm.site.assets:
        assert (out / asset.path).read_bytes() == asset.content, asset.path


@pytest.fixture
def cache() -> BuildCache:
    return BuildCache()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return gen_library.generate_library(tmp_path / "lib", cases=12, citations=6, entries=40,
                                        techniques=3, evidence=EVIDENCE_TABLES, rows=4)


def test_unchanged_rebuild_redoes_nothing(cache: BuildCache, library: Path) -> None:
    config = library / "mkdocs.yml"
    _build(config, cache)
    _build(config, cache)
    stats = _all_stats(cache)
    assert stats["bib"].misses == 0 and stats["bib"].hits == 1
    assert stats["documents"].misses == 0 and stats["documents"].hits == 12 + 3 + EVIDENCE_TABLES
    assert stats["pages"].misses == 0
    assert stats["formatted"].misses == 0


def test_editing_one_case_rerenders_only_what_shows_it(cache: BuildCache, library: Path,
                                                       tmp_path: Path) -> None:
    config = library / "mkdocs.yml"
    first = _build(config, cache)
    assert first.site is not None
    case_file = library / "content" / "cases" / "case-00003.yaml"
    text = case_file.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("title: "))
    case_file.write_text(text.replace(old_title, "title: Edited case title for the rebuild test"),
                         encoding="utf-8")

    warm = _build(config, cache)
    stats = _all_stats(cache)
    assert stats["bib"].misses == 0, "references.bib was parsed again"
    assert stats["formatted"].misses == 0, "references were formatted again"
    assert list(stats["documents"].made) == [case_file.as_posix()]
    assert set(stats["pages"].made) == {
        "cases/case-00003.md",  # the edited case
        *(f"evidence/evidence-{e + 1}.md" for e in range(EVIDENCE_TABLES)),
    }
    technique = next(line for line in text.splitlines() if line.startswith("technique: "))
    # the listing pages that show its title: the cases listing, its technique, the CARE report
    assert set(stats["listings"].made) == {
        "cases.md.j2|Cases", f"technique.md.j2|{technique.split(': ')[1]}",
        "care-report.md.j2|CARE completeness"}
    assert warm.site is not None
    assert "Edited case title for the rebuild test" in warm.site.pages["cases/index.md"].markdown
    unchanged = "cases/case-00004.md"
    assert warm.site.pages[unchanged].markdown == first.site.pages[unchanged].markdown
    _assert_same_as_cold_build(config, warm, tmp_path / "cold")


def test_editing_a_template_or_the_bib_redoes_what_depends_on_it(cache: BuildCache,
                                                                 library: Path,
                                                                 tmp_path: Path) -> None:
    # A project-local copy of the templates, so editing one cannot touch the repository's.
    templates = library / "templates"
    for source in (REPO / "templates" / "pages").iterdir():
        (templates / "pages").mkdir(parents=True, exist_ok=True)
        (templates / "pages" / source.name).write_bytes(source.read_bytes())
    config = library / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        f"templates_dir: {gen_library.TEMPLATES}", "templates_dir: templates"), encoding="utf-8")
    _build(config, cache)

    case_template = templates / "pages" / "case.md.j2"
    case_template.write_text(case_template.read_text(encoding="utf-8") + "\nEdited footer.\n",
                             encoding="utf-8")
    warm = _build(config, cache)
    stats = _all_stats(cache)
    assert stats["documents"].misses == 0 and stats["bib"].misses == 0
    assert sum(p.startswith("cases/case-") for p in stats["pages"].made) == 12
    assert warm.site is not None
    assert "\nEdited footer.\n" in warm.site.pages["cases/case-00001.md"].markdown

    bib = library / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("  volume  = {", "  volume  = {1", 1),
                   encoding="utf-8")
    warm = _build(config, cache)
    stats = _all_stats(cache)
    assert stats["bib"].misses == 1 and stats["documents"].misses == 0
    assert stats["formatted"].misses == 1, "only the edited entry is formatted again"
    _assert_same_as_cold_build(config, warm, tmp_path / "cold")
