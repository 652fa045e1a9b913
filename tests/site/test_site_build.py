"""The site built from the repository's own content: pages exist, facts land in their sections."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, SITES, Built, build, copy_project, run_casepress, section, text_of

pytestmark = pytest.mark.slow  # real builds in subprocesses

CASE = "cases/sacroplasty-hcc-nbca-pmma/"


@pytest.mark.parametrize(
    "url",
    ["", "cases/", CASE, "techniques/", "techniques/percutaneous-sacroplasty/", "evidence/",
     "evidence/cement-injection-pain-relief/", "bibliography/", "about/", "contributing/"],
    ids=["home", "cases", "case", "techniques", "technique", "evidence-index", "evidence",
         "bibliography", "about", "contributing"],
)
def test_every_page_is_built(seed_site: Built, url: str) -> None:
    assert (seed_site.site / url / "index.html").is_file()


@pytest.mark.parametrize("url", ["", CASE, "techniques/percutaneous-sacroplasty/", "bibliography/"],
                         ids=["home", "case", "technique", "bibliography"])
def test_front_matter_becomes_metadata_not_text(seed_site: Built, url: str) -> None:
    page = seed_site.page(url)
    body = page.split('<article class="md-content__inner', 1)[1]
    assert "description:" not in body and "title:" not in text_of(body)
    if url:
        assert '<meta name="description" content="' in page


def test_strict_build_prints_no_warning(seed_site: Built) -> None:
    assert "WARNING" not in seed_site.output


def test_generated_pages_link_nothing_a_project_may_not_have(tmp_path: Path) -> None:
    """A library whose docs/ holds only its home page (none of the seed's hand-written
    pages): every generated page's links still resolve, in strict mode."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    import gen_library

    library = gen_library.generate_library(tmp_path / "lib", cases=3, citations=2, entries=10)
    assert [p.name for p in (library / "docs").iterdir()] == ["index.md"]
    built = build(library / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output


@pytest.mark.parametrize(
    ("anchor", "facts"),
    [
        ("presentation", ["76-year-old male", "hepatocellular carcinoma", "Radiation therapy",
                          "Transcatheter arterial embolization"]),
        ("first-attempt", ["Day 0", "11-gauge", "2 mL", "50% n-butyl cyanoacrylate",
                           "50% lipiodol", "stopped"]),
        ("left-sacroplasty", ["Day 7", "2 mL", "7 mL", "70% PMMA", "30% barium powder",
                              "coaxially"]),
        ("right-sacroplasty", ["3 mL", "numbness"]),
        ("left-pain-free", ["Day 17", "10 days after left sacroplasty"]),
        ("death", ["72 days after the right sacroplasty", "sepsis", "intestinal bleeding"]),
    ],
    ids=["patient", "first-attempt", "second-procedure", "right-side", "pain-free", "death"],
)
def test_seed_facts_appear_in_their_section(seed_site: Built, anchor: str,
                                            facts: list[str]) -> None:
    text = section(seed_site.page(CASE), anchor).lower()
    for fact in facts:
        assert fact.lower() in text, f"{fact!r} missing from section #{anchor}"


def test_listing_pages_link_their_items(seed_site: Built) -> None:
    assert 'href="sacroplasty-hcc-nbca-pmma/"' in seed_site.page("cases/")
    assert 'href="percutaneous-sacroplasty/"' in seed_site.page("techniques/")
    assert 'href="cement-injection-pain-relief/"' in seed_site.page("evidence/")


def test_navigation_shows_sections_not_every_case(seed_site: Built) -> None:
    page = seed_site.page("")
    nav = page[page.index('md-nav--primary'):page.index('class="md-content"')]
    assert "cases/" in nav and "bibliography/" in nav
    assert "sacroplasty-hcc-nbca-pmma" not in nav


def test_no_web_fonts_or_cdn(seed_site: Built) -> None:
    for page in seed_site.site.rglob("*.html"):
        markup = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in markup and "fonts.gstatic" not in markup, page


def test_generated_pages_never_land_in_docs(seed_site: Built) -> None:
    untracked = subprocess.run(["git", "status", "--porcelain", "--", "docs"], cwd=REPO,
                               capture_output=True, text=True).stdout
    assert "cases" not in untracked and "bibliography.md" not in untracked
    assert not (REPO / "docs" / "cases").exists()


def test_a_second_case_needs_no_code_change(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    for kind in ("cases", "techniques", "evidence"):
        for source in (SITES / "second-case" / "content" / kind).glob("*.yaml"):
            shutil.copy(source, project / "content" / kind / source.name)
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    assert "Invented fixture case of lumbar vertebroplasty" in text_of(built.page("cases/"))
    assert "Invented vertebroplasty technique" in text_of(built.page("techniques/"))
    assert "Invented evidence table" in text_of(built.page("evidence/"))
    page = built.page("cases/invented-vertebroplasty/")
    assert "13-gauge" in section(page, "invented-procedure")
    assert "4.5 mL" in section(page, "invented-procedure")
    assert (built.site / "assets/figures/invented-vertebroplasty/invented-ct-a.svg").is_file()
    # the seed case is still there
    assert "sacroplasty-hcc-nbca-pmma/" in built.page("cases/")


def test_export_md_writes_the_finished_markdown_tree(tmp_path: Path) -> None:
    out = tmp_path / "markdown"
    result = run_casepress("export-md", out)
    assert result.returncode == 0, result.stderr
    case = (out / "cases/sacroplasty-hcc-nbca-pmma.md").read_text(encoding="utf-8")
    assert "[@" not in case and "@fig-" not in case  # every citation and figure resolved
    assert "](#ref-" in case and "## References { #references " in case
    assert (out / "bibliography.md").is_file() and (out / "index.md").is_file()
    assert (out / "assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-a.svg").is_file()


def test_committed_json_schemas_are_current(tmp_path: Path) -> None:
    from casepress.content.schema import schemas

    for name, text in schemas().items():
        committed = REPO / "content" / "schema" / name
        assert committed.read_text(encoding="utf-8") == text, f"run `casepress schema` ({name})"


@pytest.mark.parametrize("kind", ["cases", "techniques", "evidence"])
def test_every_content_file_names_its_schema(kind: str) -> None:
    schema = {"cases": "case", "techniques": "technique", "evidence": "evidence"}[kind]
    for path in (REPO / "content" / kind).glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path
