"""No command writes over, into or around the sources, nor over a folder it did not write.

Each dangerous output is tried for real on a project that is a git repository, and the
project, `.git` included, must be byte for byte what it was; nothing may be created beside it
either (no staging folder in a source folder or in the filesystem root).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from casepress.commands.output_guard import MARKER
from conftest import copy_project, run_casepress

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, files with the sha256 of their bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "folder" for p in sorted(folder.rglob("*"))}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path)
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=project, check=True)
    return project


DANGEROUS = {
    "build-into-the-project": (["build", "-d", "."], "it holds"),
    "build-into-docs": (["build", "-d", "docs"], "it is"),
    "build-into-content": (["build", "-d", "content"], "it is"),
    "build-into-templates": (["build", "-d", "templates"], "it is"),
    "build-inside-docs": (["build", "-d", "docs/site"], "it lies inside"),
    "build-into-git": (["build", "-d", ".git"], "it is"),
    "build-around-the-project": (["build", "-d", ".."], "it holds"),
    "export-into-content": (["export-md", "content"], "it is"),
    "export-into-the-root": (["export-md", "/"], "it holds"),
    "export-over-mkdocs-yml": (["export-md", "mkdocs.yml"], "it is"),
    "bundle-over-references": (["bundle", "--out", "references.bib"], "it is"),
    "bundle-into-docs": (["bundle", "--out", "docs/site.zip"], "it lies inside"),
    "bundle-into-the-project": (["bundle", "--out", "."], "it holds"),
}


@pytest.mark.parametrize("name", DANGEROUS)
def test_output_over_the_sources_is_refused(project: Path, name: str) -> None:
    arguments, relation = DANGEROUS[name]
    before = snapshot(project)
    root_before = sorted(p.name for p in Path("/").iterdir())
    # --force never allows it: that flag is for folders casepress did not write, not sources
    for force in ([], ["--force"]):
        result = run_casepress(*arguments, *force, cwd=project)
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"refusing to write to {(project / arguments[-1]).resolve()}: {relation}" \
            in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(project) == before
    assert sorted(p.name for p in Path("/").iterdir()) == root_before


@pytest.mark.parametrize("command", [["build", "-d"], ["export-md"]], ids=["build", "export-md"])
def test_a_folder_casepress_did_not_write_is_kept_unless_forced(project: Path, tmp_path: Path,
                                                                command: list[str]) -> None:
    theirs = tmp_path / "thesis"
    theirs.mkdir()
    (theirs / "chapter-1.tex").write_text("years of work", encoding="utf-8")
    result = run_casepress(*command, theirs, cwd=project)
    assert result.returncode == 1
    assert f"refusing to replace {theirs}: it holds files casepress did not write" \
        in result.stderr
    assert (theirs / "chapter-1.tex").read_text(encoding="utf-8") == "years of work"

    forced = run_casepress(*command, theirs, "--force", cwd=project)
    assert forced.returncode == 0, forced.stderr
    assert not (theirs / "chapter-1.tex").exists() and (theirs / MARKER).is_file()
    again = run_casepress(*command, theirs, cwd=project)  # now casepress's own: no question
    assert again.returncode == 0, again.stderr


def test_a_file_that_is_not_a_bundle_is_kept_unless_forced(project: Path,
                                                           tmp_path: Path) -> None:
    notes = tmp_path / "notes.zip"
    notes.write_text("not a zip at all", encoding="utf-8")
    result = run_casepress("bundle", "--out", notes, cwd=project)
    assert result.returncode == 1 and "is not a zip file casepress wrote" in result.stderr
    assert notes.read_text(encoding="utf-8") == "not a zip at all"
