"""Deterministic output: two builds of the same sources are byte-identical, file by file.

The two builds run in two copies of the project at different paths, with different hash
seeds (so any iteration over a set of strings would show), and date themselves from the last
commit, never from the clock.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import BIN, SITES, copy_project

pytestmark = pytest.mark.slow  # real builds in subprocesses

COMMIT_DATE = "2021-03-04T05:06:07+00:00"
COMMIT_DAY = "2021-03-04"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    # Never find a git repository above the test's folder (the copies are not in one).
    return {**env, "NO_MKDOCS_2_WARNING": "1", "GIT_CEILING_DIRECTORIES": str(tmp_path),
            **extra}


def _project(tmp_path: Path, name: str, commit: bool = True) -> Path:
    """The repository's project plus the second fixture case, committed at COMMIT_DATE."""
    project = copy_project(tmp_path / name)
    for kind in ("cases", "techniques", "evidence"):
        for source in (SITES / "second-case" / "content" / kind).glob("*.yaml"):
            shutil.copy(source, project / "content" / kind / source.name)
    if commit:
        env = _env(tmp_path, GIT_AUTHOR_DATE=COMMIT_DATE, GIT_COMMITTER_DATE=COMMIT_DATE)
        git = ["git", "-c", "user.name=casepress tests", "-c", "user.email=tests@example.invalid",
               "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "fixture"]):
            subprocess.run([*git, *args], cwd=project, env=env, check=True, capture_output=True)
    return project


def _build(project: Path, site: Path, env: dict[str, str], command: str = "casepress") -> None:
    argv = ([str(BIN / "casepress"), "-f", str(project / "mkdocs.yml"), "build", "--strict",
             "-d", str(site)] if command == "casepress" else
            [str(BIN / "mkdocs"), "build", "--strict", "-f", str(project / "mkdocs.yml"),
             "-d", str(site)])
    result = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def differing_files(a: Path, b: Path) -> list[str]:
    """Relative paths that exist in only one tree or differ in content."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    only = sorted(files_a ^ files_b)
    changed = sorted(f for f in files_a & files_b
                     if (a / f).read_bytes() != (b / f).read_bytes())
    return [f"only in one build: {f}" for f in only] + [f"differs: {f}" for f in changed]


def _lastmods(site: Path) -> set[str]:
    return set(re.findall(r"<lastmod>([^<]+)</lastmod>",
                          (site / "sitemap.xml").read_text(encoding="utf-8")))


def _gzip_mtime(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[4:8], "little")  # RFC 1952: MTIME


def _midnight(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    sites = []
    for name, seed in (("first", "0"), ("second", "4242")):
        project = _project(tmp_path, name)
        site = tmp_path / name / "site"
        _build(project, site, _env(tmp_path, PYTHONHASHSEED=seed))
        sites.append(site)
    files = [p for p in sites[0].rglob("*") if p.is_file()]
    assert len(files) > 50  # a whole site, not an empty folder
    assert differing_files(*sites) == []


@pytest.mark.parametrize("command", ["casepress", "mkdocs"])
def test_build_date_is_the_last_commit_date(tmp_path: Path, command: str) -> None:
    project = _project(tmp_path, "project")
    site = tmp_path / "site"
    days = {datetime.now(UTC).strftime("%Y-%m-%d")}
    _build(project, site, _env(tmp_path), command)
    days.add(datetime.now(UTC).strftime("%Y-%m-%d"))
    assert _lastmods(site) == {COMMIT_DAY}
    clocked = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
               and any(day.encode() in p.read_bytes() for day in days)]
    assert clocked == [], "today's date (the build machine's clock) is in these files"
    assert _gzip_mtime(site / "sitemap.xml.gz") == _midnight(COMMIT_DAY)
    with gzip.open(site / "sitemap.xml.gz") as packed:
        assert packed.read() == (site / "sitemap.xml").read_bytes()


def test_source_date_epoch_set_by_the_caller_wins(tmp_path: Path) -> None:
    project = _project(tmp_path, "project")
    site = tmp_path / "site"
    _build(project, site, _env(tmp_path, SOURCE_DATE_EPOCH="1000000000"))
    assert _lastmods(site) == {"2001-09-09"}


def test_without_git_the_newest_source_file_dates_the_build(tmp_path: Path) -> None:
    project = _project(tmp_path, "project", commit=False)
    stamp = _midnight("2019-07-08") + 3600
    for path in project.rglob("*"):
        os.utime(path, (stamp, stamp))
    site = tmp_path / "site"
    _build(project, site, _env(tmp_path))
    assert _lastmods(site) == {"2019-07-08"}


@pytest.mark.parametrize(("value", "message"), [
    pytest.param("yesterday", "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds",
                 id="not-a-number"),
    pytest.param("253402300800", "SOURCE_DATE_EPOCH='253402300800' is after the year 9999",
                 id="after-9999"),
    pytest.param("9" * 40, "is after the year 9999", id="forty-digits"),
])
def test_an_unusable_source_date_epoch_is_reported(tmp_path: Path, value: str,
                                                   message: str) -> None:
    project = _project(tmp_path, "project", commit=False)
    result = subprocess.run(
        [str(BIN / "casepress"), "-f", str(project / "mkdocs.yml"), "build", "-d",
         str(tmp_path / "site")],
        env=_env(tmp_path, SOURCE_DATE_EPOCH=value), capture_output=True, text=True)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_two_offline_bundles_are_byte_identical(tmp_path: Path) -> None:
    zips = []
    for name, seed in (("first", "1"), ("second", "2")):
        project = _project(tmp_path, name)
        out = tmp_path / name / "dist" / "site-offline.zip"
        result = subprocess.run(
            [str(BIN / "casepress"), "-f", str(project / "mkdocs.yml"), "bundle", "-o", str(out)],
            cwd=project, env=_env(tmp_path, PYTHONHASHSEED=seed), capture_output=True,
            text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        zips.append(out.read_bytes())
    assert zips[0] == zips[1]


def test_the_newest_file_counts_not_folders_or_linked_folders(tmp_path: Path) -> None:
    from casepress.adapters.build_date import newest_mtime

    docs = tmp_path / "docs"
    (docs / "a" / "b").mkdir(parents=True)
    for name, stamp in [("index.md", 1_000), ("a/page.md", 3_000), ("a/b/deep.md", 5_000)]:
        (docs / name).write_text("x", encoding="utf-8")
        os.utime(docs / name, (stamp, stamp))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "newer.md").write_text("x", encoding="utf-8")
    os.utime(outside / "newer.md", (9_000, 9_000))
    (docs / "linked").symlink_to(outside, target_is_directory=True)
    os.utime(docs / "a", (8_000, 8_000))  # a folder's own time says nothing about its files
    bib = tmp_path / "references.bib"
    bib.write_text("", encoding="utf-8")
    os.utime(bib, (4_000, 4_000))
    assert newest_mtime([docs, bib, tmp_path / "missing"]) == 5_000
    os.utime(bib, (6_000, 6_000))
    assert newest_mtime([docs, bib]) == 6_000
