"""Commands from the README say what a person needs and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casepress.commands import cli
from casepress.commands.mkdocs_yml import site_path
from conftest import REPO


def test_serve_runs_mkdocs_without_materials_end_of_life_banner(
        monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[list[str], dict[str, str]]] = []

    def execve(program: str, argv: list[str], env: dict[str, str]) -> None:
        started.append((argv, env))

    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)
    monkeypatch.setattr(os, "execve", execve)
    monkeypatch.chdir(REPO)
    cli.main(["serve"])
    [(argv, env)] = started
    assert argv[1:4] == ["-m", "mkdocs", "serve"]
    assert env["NO_MKDOCS_2_WARNING"] == "1"


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
