"""The editorial workflow files: pre-commit hooks that run, a pull-request template that asks
for what the checks cannot see, and guides that name only commands that exist."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from casepress.commands.cli import make_parser
from conftest import REPO, run_casepress


@pytest.mark.slow
def test_pre_commit_hooks_are_local_and_pass_on_the_seed() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    hooks = {hook["id"]: hook for hook in repo["hooks"]}
    assert set(hooks) == {"casepress-fmt", "casepress-check"}
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        program, *args = shlex.split(hook["entry"])
        assert program == ".venv/bin/casepress"
        result = run_casepress(*args)  # what the hook runs, on the repository itself
        assert result.returncode == 0, result.stdout + result.stderr
        for path in ("references.bib", "content/cases/sacroplasty-hcc-nbca-pmma.yaml"):
            assert re.search(hook["files"], path), (hook["id"], path)
    assert shlex.split(hooks["casepress-fmt"]["entry"])[1:] == ["fmt", "--check"]
    assert shlex.split(hooks["casepress-check"]["entry"])[1:] == ["check"]


def test_pull_request_template_asks_what_the_checks_cannot_see() -> None:
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for must in ("casepress check", "casepress fmt", "mkdocs serve", "[@key]", "@fig-<id>",
                 "own words", "alt text", "identifies the patient", "# casepress: allow"):
        assert must in template, must


def test_guides_name_only_commands_that_exist() -> None:
    commands = set(make_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for guide in (REPO / "README.md", REPO / "docs" / "contributing.md"):
        text = guide.read_text(encoding="utf-8")
        used = set(re.findall(r"(?:`|\.venv/bin/)casepress ([a-z][a-z-]+)", text))
        assert used <= commands, (guide.name, used - commands)
        for command in ("new-case", "new-evidence", "fmt", "check"):
            assert command in text, (guide.name, command)
