"""Commands from the README say what a person needs and nothing else."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from casepress.commands import cli
from casepress.commands.mkdocs_yml import site_path
from conftest import REPO


def test_serve_runs_mkdocs_dirty_builds_without_banner_or_dirty_notice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands import serve

    started: list[dict[str, object]] = []
    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)
    monkeypatch.setattr(serve, "serve", lambda **options: started.append(options))
    monkeypatch.chdir(REPO)
    build_log = logging.getLogger("mkdocs.commands.build")
    try:
        assert cli.main(["serve"]) == 0
        [options] = started
        assert options["build_type"] == "dirty" and options["livereload"] is True
        assert os.environ["NO_MKDOCS_2_WARNING"] == "1"
        # MkDocs' notice that dirty builds may be wrong is dropped, nothing else is
        dirty = logging.LogRecord("mkdocs.commands.build", logging.WARNING, "", 0,
                                  "A 'dirty' build is being performed, this will likely",
                                  None, None)
        other = logging.LogRecord("mkdocs.commands.build", logging.WARNING, "", 0,
                                  "Doc file 'a.md' contains a link", None, None)
        assert not build_log.filter(dirty) and build_log.filter(other)
    finally:
        build_log.filters.clear()


@pytest.mark.parametrize(("site_url", "path"), [
    ("https://casepress.github.io/casepress/", "/casepress/"),
    ("https://example.org", "/"),
    ("https://example.org/library", "/library/"),
    (None, "/"),
])
def test_the_preview_address_has_the_path_of_site_url(tmp_path: Path, site_url: str | None,
                                                       path: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\n" + (f"site_url: {site_url}\n" if site_url else ""),
                      encoding="utf-8")
    assert site_path(config) == path


def test_make_site_says_where_the_site_is_and_how_to_preview_it() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nsite: setup\n", 1)[1].split("\n\n", 1)[0]
    assert "site/index.html" in recipe and "casepress serve" in recipe and "site_path" in recipe
