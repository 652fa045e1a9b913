"""Shared helpers: run the real `casepress` command on fixture sites and read built HTML."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from casepress.commands.output_guard import MARKER, MARKER_TEXT

REPO = Path(__file__).resolve().parents[1]
SITES = REPO / "tests" / "sites"
BIN = Path(sys.executable).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser test drives a real build and Chromium: slow, like the subprocess builds
    marked so in their modules (`pytest -m "not slow"` runs the quick rest)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def run_casepress(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(BIN / "casepress"), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@dataclass
class Built:
    returncode: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        """HTML of a page, by its URL path (e.g. 'cases/' or 'bibliography/')."""
        return (self.site / path / "index.html").read_text(encoding="utf-8")


def build(config: Path, site_dir: Path, *extra: str) -> Built:
    result = run_casepress("-f", config, "build", "-d", site_dir, *extra)
    return Built(result.returncode, result.stdout + result.stderr, site_dir)


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace folded."""
    fragment = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", fragment, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def section(page_html: str, anchor: str) -> str:
    """Text of the section whose heading has id `anchor`, up to the next heading of its level."""
    match = re.search(rf'<h([1-6]) id="{re.escape(anchor)}"', page_html)
    assert match, f"no heading with id {anchor!r}"
    level = int(match.group(1))
    end = re.compile(rf"<h[1-{level}][ >]").search(page_html, match.end())
    return text_of(page_html[match.start(): end.start() if end else len(page_html)])


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The repository's own site, built once with --strict."""
    built = build(REPO / "mkdocs.yml", tmp_path_factory.mktemp("seed") / "site", "--strict")
    assert built.returncode == 0, built.output
    return built


def copy_site(name: str, parent: Path) -> Path:
    """mkdocs.yml of a copy of tests/sites/<name> under `parent`: a build keeps its reference
    cache beside mkdocs.yml, which must not land in tests/ (nor a cache left there change
    what a later run sees). The site's `templates_dir` points back at the repository's."""
    copy = parent / name
    shutil.copytree(SITES / name, copy, ignore=shutil.ignore_patterns(".cache"))
    config = copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "templates_dir: ../../../templates" in text
    config.write_text(text.replace("../../../templates", str(REPO / "templates")),
                      encoding="utf-8")
    return config


def earlier_output(folder: Path) -> Path:
    """A folder as an earlier casepress run left it (its marker says casepress wrote it)."""
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return folder


def copy_project(tmp_path: Path, with_content: bool = True) -> Path:
    """A copy of the repository's project files in tmp_path, with the real templates."""
    project = tmp_path / "project"
    for name in ("docs", "templates", *(("content",) if with_content else ())):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "references.bib", project / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def figure_numbers(page: str) -> dict[str, int]:
    """Figure id -> number, as the figures' own captions in a page's Markdown say, checked
    against every link to it."""
    captions = {m["id"]: int(m["n"]) for m in re.finditer(
        r'<figure class="cp-figure" id="fig-(?P<id>[\w-]+)" markdown>.*?'
        r'<figcaption markdown>\*\*Fig (?P<n>\d+)\. ', page, re.S)}
    for match in re.finditer(r"\[Fig (?P<n>\d+)[A-Z]?\]\(#fig-(?P<id>[\w-]+?)(?:-[a-z])?\)",
                             page):
        assert captions[match["id"]] == int(match["n"]), match.group(0)
    return captions


def git(project: Path, *args: str, date: str = "2026-01-10T09:00:00+00:00") -> str:
    """Run git in `project` as a fixed person at a fixed time (commits are reproducible)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test Editor", "GIT_AUTHOR_EMAIL": "ed@example.org",
           "GIT_COMMITTER_NAME": "Test Editor", "GIT_COMMITTER_EMAIL": "ed@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", *args], cwd=project, env=env, capture_output=True,
                            text=True, check=True)
    return result.stdout


def commit_all(project: Path, message: str, date: str = "2026-01-10T09:00:00+00:00") -> str:
    """Commit everything in `project`; the new commit's id."""
    git(project, "add", "-A", date=date)
    git(project, "commit", "-q", "-m", message, date=date)
    return git(project, "rev-parse", "HEAD").strip()


def git_project(tmp_path: Path) -> Path:
    """A copy of the seed project in a new git repository on branch main, one commit."""
    project = copy_project(tmp_path)
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Seed case, technique and evidence")
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
