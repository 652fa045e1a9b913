"""Each content page's History section, from real git repositories holding the seed project,
built by the real `casepress build`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import build, commit_all, edit, git, git_project, section

CASE = "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
PAGE = "cases/sacroplasty-hcc-nbca-pmma/"
FIRST, SECOND = "2026-01-10T09:00:00+00:00", "2026-02-20T16:30:00+01:00"


def history_of(project: Path, tmp_path: Path, page: str = PAGE) -> tuple[str, str]:
    """The History section's text and its HTML, from a strict build of `project`."""
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    html = built.page(page)
    start = html.index('id="history"')
    # Dates are bold: the text of the section reads "date , version" where tags were.
    return section(html, "history").replace(" , ", ", "), html[start:]


def html_head(tmp_path: Path) -> str:
    page = (tmp_path / "site" / PAGE / "index.html").read_text(encoding="utf-8")
    return page[: page.index("</head>")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = git_project(tmp_path)
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    commit_all(project, "Cement volume as printed in the article's table", date=SECOND)
    return project


def test_a_page_shows_when_it_last_changed_and_each_change(project: Path,
                                                           tmp_path: Path) -> None:
    text, html = history_of(project, tmp_path)
    head = git(project, "rev-parse", "--short=7", "HEAD").strip()
    first = git(project, "rev-parse", "--short=7", "HEAD~1").strip()

    assert f"Last updated 20 February 2026 (version {head})." in text
    assert "2 recorded changes to this page's content" in text
    # Newest first; the commit's own words and what it changed, in the model's terms.
    assert text.index(f"20 February 2026, version {head}: Cement volume as printed") < \
        text.index(f"10 January 2026, version {first}: Seed case, technique and evidence "
                   "(first version)")
    assert ("Interventions › Left sacroplasty with n-BCA and PMMA › Agents › Bone cement › "
            "volume: 7 mL → 6 mL") in text
    assert "<del>7 mL</del> → <ins>6 mL</ins>" in html
    # Reference managers read the version from the page head too.
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                html_head(tmp_path), re.S).group(1))  # type: ignore[union-attr]
    assert (data["dateModified"], data["version"]) == ("2026-02-20", head)
    # Collapsed until the reader opens it.
    assert re.search(r"<details class=\"cp-history\"[^>]*>\s*<summary>", html)
    assert (f"Cite this version: casepress editors. n-BCA-assisted sacroplasty for HCC "
            f"metastasis. casepress — Sacroplasty case library. Version of 20 February 2026 "
            f"({head}). https://casepress.github.io/casepress/{PAGE}") in text


def test_technique_and_evidence_pages_have_their_own_history(project: Path,
                                                              tmp_path: Path) -> None:
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    for page in ("techniques/percutaneous-sacroplasty/",
                 "evidence/cement-injection-pain-relief/"):
        text = section(built.page(page), "history").replace(" , ", ", ")
        # Their files were not touched by the second commit: their date is the first's.
        assert "Last updated 10 January 2026" in text, page
        assert "1 recorded change to this page's content" in text, page


def test_a_renamed_file_keeps_its_history(project: Path, tmp_path: Path) -> None:
    git(project, "mv", CASE, "content/cases/sacroplasty-hcc.yaml")
    index = project / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "cases/sacroplasty-hcc-nbca-pmma.md", "cases/sacroplasty-hcc.md"), encoding="utf-8")
    commit_all(project, "Shorter file name", date="2026-03-01T08:00:00+00:00")
    text, _html = history_of(project, tmp_path, "cases/sacroplasty-hcc/")
    assert "3 recorded changes" in text
    assert (f"1 March 2026, version {git(project, 'rev-parse', '--short=7', 'HEAD').strip()}: "
            f"Shorter file name (renamed from {CASE})") in text
    assert "Bone cement › volume: 7 mL → 6 mL" in text


def test_uncommitted_changes_are_said(project: Path, tmp_path: Path) -> None:
    edit(project / CASE, "volume_ml: 6", "volume_ml: 5")
    text, _html = history_of(project, tmp_path)
    assert "Last updated 20 February 2026" in text
    assert "this copy also has changes not yet committed" in text


def test_outside_a_checkout_history_is_unavailable(project: Path, tmp_path: Path) -> None:
    shutil.rmtree(project / ".git")  # as unpacked from a source zip
    text, _html = history_of(project, tmp_path)
    assert ("History is unavailable for this copy: the site was built outside a git "
            "checkout.") in text
    assert "Version of" not in text


def test_a_shallow_clone_says_earlier_changes_are_missing(project: Path,
                                                          tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{project}", str(clone))
    text, _html = history_of(clone, tmp_path)
    assert "1 recorded change" in text
    assert "Earlier changes are not in this copy of the repository (a shallow clone)." in text


def test_history_can_be_turned_off(project: Path, tmp_path: Path) -> None:
    edit(project / "mkdocs.yml", "  - casepress:\n", "  - casepress:\n      history: false\n")
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    assert 'id="history"' not in built.page(PAGE)


def test_equal_checkouts_build_equal_history(project: Path, tmp_path: Path) -> None:
    """Dates come from commits: a clone built later gives the same bytes."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{project}", str(clone))
    _text, first = history_of(project, tmp_path / "a")
    _text, second = history_of(clone, tmp_path / "b")
    assert first == second


def test_withdrawn_wording_is_not_shown_to_readers(project: Path, tmp_path: Path) -> None:
    """A reworded sentence is listed as reworded, with the numbers it changed: the page never
    prints a sentence its editors took back (git and `casepress diff` keep the wording)."""
    edit(project / CASE, "CT after the procedure showed cement lying within",
         "CT after the procedure showed all 6 mL of cement lying within")
    commit_all(project, "Result states the volume", date="2026-03-01T08:00:00+00:00")
    text, html = history_of(project, tmp_path)
    assert ("Interventions › Left sacroplasty with n-BCA and PMMA › result: reworded, numbers "
            "none → 6") in text
    assert "<del>none</del> → <ins>6</ins>" in html
    assert text.count("showed cement lying within") == 0


def test_a_commit_subject_is_text_not_markup(project: Path, tmp_path: Path) -> None:
    edit(project / CASE, "volume_ml: 6", "volume_ml: 5")
    commit_all(project, "<img src=x onerror=alert(1)> *volume* [@kaizu1998] @fig-mri-course",
               date="2026-03-01T08:00:00+00:00")
    text, html = history_of(project, tmp_path)
    assert "<img src=x onerror=alert(1)> *volume* [@kaizu1998] @fig-mri-course" in text
    assert "onerror" not in html.replace("onerror=alert(1)&gt;", "")


def test_a_commit_subject_cannot_make_a_link(project: Path, tmp_path: Path) -> None:
    edit(project / CASE, "volume_ml: 6", "volume_ml: 5")
    commit_all(project, "[read this](javascript:alert(1))", date="2026-03-01T08:00:00+00:00")
    text, html = history_of(project, tmp_path)  # a strict build: nothing was refused
    assert "[read this](javascript:alert(1))" in text
    assert 'href="javascript' not in html
