"""`casepress diff`: the change report, on real git repositories holding the seed project.

Each scenario is read in all three formats: text (terminal), markdown (the pull request's
job summary) and json (for tools)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casepress.commands.cli import main
from conftest import commit_all, edit, git, git_project, run_casepress

CASE = "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
VOLUME = "Bone cement › volume"
NEW_REFERENCE = """
@article{zz-uncited2020,
  author = {Doe, Jane},
  title = {An Uncited Study of Cement},
  journal = {J Test},
  year = {2020}
}
"""


def report(project: Path, fmt: str, *revisions: str, capsys: pytest.CaptureFixture[str]
           ) -> str:
    code = main(["-f", str(project / "mkdocs.yml"), "diff", *revisions, "--format", fmt])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def all_formats(project: Path, capsys: pytest.CaptureFixture[str], *revisions: str
                ) -> tuple[str, str, dict[str, Any]]:
    text = report(project, "text", *revisions, capsys=capsys)
    markdown = report(project, "markdown", *revisions, capsys=capsys)
    data = json.loads(report(project, "json", *revisions, capsys=capsys))
    return text, markdown, data


def labels(data: dict[str, Any], key: str = "changes") -> list[str]:
    return [f"{c['label']}: {c['old']} → {c['new']}" for c in data[key]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return git_project(tmp_path)


def test_a_changed_volume_is_a_clinical_value_change(project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    text, markdown, data = all_formats(project, capsys)

    clinical = text.split("Clinical values changed (1)")[1].split("\n\n")[0]
    assert f"Left sacroplasty with n-BCA and PMMA › Agents › {VOLUME}: 7 mL → 6 mL" in clinical
    assert text.startswith("casepress diff: main at ")
    assert "changed  cases/sacroplasty-hcc-nbca-pmma.md" in text
    assert "Other changes" not in text

    assert "### Clinical values changed (1)" in markdown
    assert "- [ ] Case &quot;Sacroplasty with n-BCA" in markdown
    assert f"{VOLUME}: 7 mL → **6 mL**" in markdown
    assert "Confirm each clinical value below against its source" in markdown

    assert [c["field"] for c in data["clinical_changes"]] == ["volume"]
    assert labels(data, "clinical_changes")[0].endswith(f"{VOLUME}: 7 mL → 6 mL")
    assert {"path": "cases/sacroplasty-hcc-nbca-pmma.md", "address":
            "cases/sacroplasty-hcc-nbca-pmma/", "action": "changed",
            "preview": None} in data["pages"]


def test_a_changed_reference_year_is_listed_field_by_field(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@article{weill1996")
    year = text.index("1996", text.index("year", start))
    bib.write_text(text[:year] + "1997" + text[year + 4:], encoding="utf-8")
    text, markdown, data = all_formats(project, capsys)

    assert "references.bib\n    References › weill1996 › year: 1996 → 1997" in text
    assert "Clinical values changed" not in text  # bibliographic data, not a clinical value
    assert "changed  bibliography.md" in text
    assert "References › weill1996 › year: 1996 → **1997**" in markdown
    assert labels(data) == ["References › weill1996 › year: 1996 → 1997"]
    assert data["clinical_changes"] == []


def test_an_added_case_is_named_with_its_title(project: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run_casepress("new-case", "second-case", cwd=project).returncode == 0
    commit_all(project, "Second case", date="2026-02-01T10:00:00+00:00")
    text, markdown, data = all_formats(project, capsys, "HEAD~1", "HEAD")

    added = 'content/cases/second-case.yaml\n    Case: added: Case "TODO: the diagnosis'
    assert added in text
    assert "added    cases/second-case.md" in text
    assert "Case: added: **Case &quot;TODO&#58; the diagnosis" in markdown
    change = next(c for c in data["changes"] if c["file"].endswith("second-case.yaml"))
    assert change["action"] == "added" and change["new"].startswith('Case "TODO: the')
    assert data["base"].startswith("HEAD~1 (") and data["head"].startswith("HEAD (")


def test_a_renamed_case_file_is_followed(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    git(project, "mv", CASE, "content/cases/sacroplasty-hcc.yaml")
    edit(project / "content/cases/sacroplasty-hcc.yaml", "volume_ml: 7", "volume_ml: 6")
    text, markdown, data = all_formats(project, capsys)

    assert (f"renamed: {CASE} → content/cases/sacroplasty-hcc.yaml"
            .replace("renamed: ", "file: ")) in text
    assert f"{VOLUME}: 7 mL → 6 mL" in text  # compared with its old self
    assert "added:" not in text and "removed:" not in text.split("Pages that change")[0]
    assert "removed  cases/sacroplasty-hcc-nbca-pmma.md" in text
    assert "added    cases/sacroplasty-hcc.md" in text
    assert "content/cases/sacroplasty-hcc.yaml" in markdown
    renamed = [c for c in data["changes"] if c["action"] == "renamed"]
    assert [(c["old"], c["new"]) for c in renamed] == [(CASE,
                                                        "content/cases/sacroplasty-hcc.yaml")]


def test_a_deleted_reference_is_listed(project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    bib = project / "references.bib"
    with bib.open("a", encoding="utf-8") as handle:
        handle.write(NEW_REFERENCE)
    commit_all(project, "An uncited reference", date="2026-02-01T10:00:00+00:00")
    bib.write_text(bib.read_text(encoding="utf-8").replace(NEW_REFERENCE, ""), encoding="utf-8")
    text, markdown, data = all_formats(project, capsys, "HEAD")

    assert "References › zz-uncited2020: removed: Doe, Jane, 2020, An Uncited Study" in text
    assert "References › zz-uncited2020: removed: ~~Doe, Jane, 2020" in markdown
    removed = [c for c in data["changes"] if c["action"] == "removed"]
    assert [c["field"] for c in removed] == ["zz-uncited2020"]


def test_a_file_invalid_at_base_is_reported_and_the_rest_compared(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / CASE, "volume_ml: 7", "volume_ml: lots")
    commit_all(project, "Broken volume", date="2026-02-01T10:00:00+00:00")
    edit(project / CASE, "volume_ml: lots", "volume_ml: 6")
    bib = project / "references.bib"
    with bib.open("a", encoding="utf-8") as handle:
        handle.write(NEW_REFERENCE)
    text, markdown, data = all_formats(project, capsys, "HEAD")

    assert "Problems in HEAD (" in text
    assert f"{CASE}:" in text.split("Problems in HEAD")[1]
    assert f"{CASE}: not compared field by field, it does not validate in the base" in text
    assert "References: zz-uncited2020: added: Doe, Jane" in text.replace(" › ", ": ", 1)
    assert "pages and citation numbers not compared" in text
    assert "Problems in HEAD" in markdown
    problems = next(iter(data["problems"].values()))
    assert problems[0]["file"] == CASE and problems[0]["severity"] == "error"
    assert any(c["field"] == "zz-uncited2020" for c in data["changes"])


def test_no_change_says_so_and_exits_zero(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    text, _markdown, data = all_formats(project, capsys)
    assert "No changes to content, references, citation numbers or pages." in text
    assert data["changes"] == [] and data["pages"] == []


def test_fail_on_clinical_and_preview_links(project: Path) -> None:
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    result = run_casepress("diff", "--fail-on-clinical", "--base-url",
                           "https://preview.example.org/pr-7/", cwd=project)
    assert result.returncode == 1
    assert "1 clinical value change(s) need sign-off" in result.stderr
    assert ("cases/sacroplasty-hcc-nbca-pmma.md  "
            "https://preview.example.org/pr-7/cases/sacroplasty-hcc-nbca-pmma/") in result.stdout
    edit(project / CASE, "volume_ml: 6", "volume_ml: 7")
    assert run_casepress("diff", "--fail-on-clinical", cwd=project).returncode == 0


def test_the_sources_are_left_as_they_were(project: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    # The reference cache (.cache/, git-ignored in a real project) is the only thing written.
    before = git(project, "status", "--porcelain", "--ignored", "--", ".", ":!.cache")
    stash = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in
             p.parts and ".cache" not in p.parts}
    report(project, "text", capsys=capsys)
    assert git(project, "status", "--porcelain", "--ignored", "--", ".", ":!.cache") == before
    assert {p: p.read_bytes() for p in stash} == stash


Refusal = Callable[[Path], list[str]]


def _unknown_revision(project: Path) -> list[str]:
    return ["diff", "no-such-branch"]


def _shallow_clone_without_base(project: Path) -> list[str]:
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    commit_all(project, "Volume", date="2026-02-01T10:00:00+00:00")
    clone = project.parent / "clone"
    git(project.parent, "clone", "-q", "--depth", "1", f"file://{project}", str(clone))
    git(clone, "branch", "-q", "-m", "topic")
    git(clone, "remote", "remove", "origin")  # as in a pull request's checkout: no main
    return ["-f", str(clone / "mkdocs.yml"), "diff"]


def _shallow_clone_named_base(project: Path) -> list[str]:
    args = _shallow_clone_without_base(project)
    return [*args, "HEAD~1"]


def _outside_git(project: Path) -> list[str]:
    shutil.rmtree(project / ".git")
    return ["diff"]


@pytest.mark.parametrize(("setup", "expected"), [
    (_unknown_revision, "there is no revision 'no-such-branch'; give a branch, a tag"),
    (_shallow_clone_without_base, "found no main branch (main, master, origin/main, "
     "origin/master) to compare with; this clone is shallow"),
    (_shallow_clone_named_base, "revision 'HEAD~1' is not in this clone; this clone is "
     "shallow (CI checkouts fetch one commit unless told otherwise): run `git fetch "
     "--unshallow`"),
    (_outside_git, "is not in a git repository; `casepress diff` compares git revisions"),
], ids=["unknown-revision", "shallow-no-base", "shallow-named-base", "not-a-checkout"])
def test_what_cannot_be_compared_is_said_in_one_line(project: Path, setup: Refusal,
                                                     expected: str) -> None:
    result = run_casepress(*setup(project), cwd=project)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_binary_file_in_content_is_a_problem_and_the_rest_is_compared(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content/cases/scan.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    text, _markdown, data = all_formats(project, capsys)
    assert f"{VOLUME}: 7 mL → 6 mL" in text
    assert "content/cases/scan.yaml" in text.split("Problems in the working tree")[1]
    assert "Case: added: content/cases/scan.yaml" in text
    assert data["problems"]["the working tree"][0]["file"] == "content/cases/scan.yaml"


def test_citation_numbers_that_move_are_listed_with_their_pages(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A citation before all the others on the case page: every number there moves by one.
    edit(project / CASE, "In a hypervascular sacral deposit of hepatocellular carcinoma (HCC),",
         "In a hypervascular sacral deposit of hepatocellular carcinoma (HCC) [@pommersheim2003],")
    text, markdown, data = all_formats(project, capsys)
    shifts = {s["key"]: (s["old"], s["new"], s["pages"]) for s in data["citation_numbers"]}
    page = ["cases/sacroplasty-hcc-nbca-pmma.md"]
    assert shifts["kaizu1998"] == (1, 2, page)
    assert shifts["pommersheim2003"][1:] == (1, page)  # cited further down before
    assert "Citation numbers that move (" in text
    assert "  kaizu1998: [1] → [2] on cases/sacroplasty-hcc-nbca-pmma.md" in text
    assert "- kaizu1998: \\[1\\] → \\[2\\] on cases/sacroplasty-hcc-nbca-pmma.md" in markdown


def test_evidence_rows_are_named_by_their_reference(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    table = project / "content/evidence/cement-injection-pain-relief.yaml"
    text = table.read_text(encoding="utf-8")
    first = text.index("  - reference: kaemmerlen1989")
    second = text.index("  - reference: weill1996")
    table.write_text(text[:first] + text[second:], encoding="utf-8")  # the first row removed
    text, _markdown, data = all_formats(project, capsys)
    removed = [c for c in data["changes"] if c["action"] == "removed"]
    assert [(c["label"].split(" › ", 1)[1], c["old"], c["clinical"]) for c in removed] == [
        ("Rows › item", "kaemmerlen1989", True)]
    assert "Rows › item: removed: kaemmerlen1989" in text.split("Clinical values changed")[1]
