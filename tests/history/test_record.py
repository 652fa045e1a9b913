"""Each content file's history read from git, and the changes kept between builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.history import git
from casepress.history.record import Histories, read_histories
from casepress.references.store import ReferenceStore
from conftest import commit_all, edit, git_project

CASE = "content/cases/sacroplasty-hcc-nbca-pmma.yaml"


def histories(project: Path) -> Histories:
    """As one build reads them, in a process of its own: the cache folder is all it shares."""
    options, _config = options_from_mkdocs_yml(project / "mkdocs.yml")
    files = {CASE: "cases", "content/techniques/percutaneous-sacroplasty.yaml": "techniques"}
    store = ReferenceStore(options.cache_dir)
    found = read_histories(options, files, store)
    store.flush()  # as the pipeline does at the end of a build
    return found


def test_the_changes_of_a_commit_are_diffed_once_and_kept(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    project = git_project(tmp_path)
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    commit_all(project, "Volume", date="2026-02-01T10:00:00+00:00")
    first = histories(project)
    assert [c.field for c in first.files[CASE].entries[0].changes] == ["volume"]
    assert (project / ".cache/plugin/casepress/history.json").is_file()

    def no_reading(self: git.Repository, blobs: list[str]) -> dict[str, bytes | None]:
        assert blobs == [], "a version was read again"
        return {}

    # A later build (a new process: nothing in memory) reads no file version again.
    with monkeypatch.context() as patched:
        patched.setattr(git.Repository, "read", no_reading)
        assert histories(project) == first


def test_a_stale_or_damaged_store_is_a_miss(tmp_path: Path) -> None:
    project = git_project(tmp_path)
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    commit_all(project, "Volume", date="2026-02-01T10:00:00+00:00")
    first = histories(project)
    store = project / ".cache/plugin/casepress/history.json"
    store.write_text('{"version": "an older casepress", "values": {"x": 1}}', encoding="utf-8")
    assert histories(project) == first
    store.write_text("not json", encoding="utf-8")
    assert histories(project) == first


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    project = git_project(tmp_path)
    edit(project / CASE, "volume_ml: 7", "volume_ml: 6")
    commit_all(project, "Volume", date="2026-02-01T10:00:00+00:00")
    blocked = project / ".cache/plugin/casepress"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the folder would go", encoding="utf-8")
    changes = histories(project).files[CASE].entries[0].changes
    assert [c.field for c in changes] == ["volume"]
