"""`casepress diff [BASE] [HEAD]`: the change report a reviewer reads before approving.

BASE defaults to where the current branch left the main branch (`git merge-base`), HEAD to
the working tree. Revisions are exported to temporary folders; the project's own files are
only read. The report itself is `review.compare` and `review.report`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from casepress.commands.mkdocs_yml import existing_config, options_from_mkdocs_yml
from casepress.history.git import MAIN_BRANCHES, GitError, Repository
from casepress.review.compare import Version, compare
from casepress.review.report import FORMATS, format_review

SHALLOW_HINT = ("this clone is shallow (CI checkouts fetch one commit unless told "
                "otherwise): run `git fetch --unshallow` (or `git fetch origin <branch>`), or "
                "set `fetch-depth: 0` on actions/checkout")


class DiffRefused(Exception):
    """What to tell the person running `casepress diff` instead of a report."""


def _commit(repository: Repository, revision: str) -> str:
    commit = repository.commit(revision)
    if commit is not None:
        return commit
    if repository.shallow:
        raise DiffRefused(f"revision '{revision}' is not in this clone; {SHALLOW_HINT}")
    raise DiffRefused(f"there is no revision '{revision}'; give a branch, a tag or a commit "
                      "id (`git log --oneline` lists commits)")


def _base(repository: Repository, revision: str | None) -> tuple[str, str]:
    if revision is not None:
        commit = _commit(repository, revision)
        return f"{revision} ({commit[:7]})", commit
    found = repository.default_base()
    if found is None:
        hint = f"; {SHALLOW_HINT}" if repository.shallow else ""
        raise DiffRefused(f"found no main branch ({', '.join(MAIN_BRANCHES)}) to compare "
                          f"with{hint}; name the base: `casepress diff <revision>`")
    branch, commit = found
    return f"{branch} at {commit[:7]}", commit


def _version(label: str, config_file: Path, cache_dir: Path | None) -> Version:
    if not config_file.is_file():
        raise DiffRefused(f"{label} has no {config_file.name}; compare revisions that hold the "
                          "project")
    options, config = options_from_mkdocs_yml(config_file)
    # Reference work is keyed by the bytes it was made from: both versions share the
    # project's cache, and nothing is written into an exported tree's sources. Pages are
    # compared without their History sections, which an exported tree does not have.
    return Version(label, replace(options, cache_dir=cache_dir, history=False),
                   config.get("nav"))


def review_report(config_file: Path, base: str | None, head: str | None, fmt: str,
                  base_url: str | None) -> tuple[str, int]:
    """The report text and how many clinical value changes it lists."""
    project_root = config_file.resolve().parent
    repository = Repository.containing(project_root)
    if repository is None:
        raise DiffRefused(f"{project_root} is not in a git repository; `casepress diff` "
                          "compares git revisions")
    head_options, _config = options_from_mkdocs_yml(config_file)
    cache_dir = head_options.cache_dir
    config_in_repo = config_file.resolve().relative_to(repository.top)
    try:
        base_label, base_commit = _base(repository, base)
        head_commit = _commit(repository, head) if head is not None else None
        with tempfile.TemporaryDirectory(prefix="casepress-diff-") as temp:
            repository.export(base_commit, Path(temp, "base"))
            old = _version(base_label, Path(temp, "base", config_in_repo), cache_dir)
            if head_commit is None:
                new = _version("the working tree", config_file.resolve(), cache_dir)
            else:
                repository.export(head_commit, Path(temp, "head"))
                new = _version(f"{head} ({head_commit[:7]})",
                               Path(temp, "head", config_in_repo), cache_dir)
            review = compare(old, new)
    except GitError as exc:
        raise DiffRefused(f"git: {exc}") from None
    return format_review(review, fmt, base_url), len(review.clinical)


def cmd_diff(args: argparse.Namespace) -> int:
    config_file = existing_config(Path(args.config_file))
    try:
        report, clinical = review_report(config_file, args.base, args.head, args.format,
                                         args.base_url)
    except DiffRefused as refused:
        print(f"casepress diff: {refused}", file=sys.stderr)
        return 2
    sys.stdout.write(report)
    if args.fail_on_clinical and clinical:
        print(f"casepress diff: {clinical} clinical value change(s) need sign-off "
              "(--fail-on-clinical)", file=sys.stderr)
        return 1
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    diff = commands.add_parser(
        "diff", help="report what changed clinically between two git revisions")
    diff.add_argument("base", nargs="?", default=None,
                      help="revision to compare from (default: the merge base with the main "
                      "branch)")
    diff.add_argument("head", nargs="?", default=None,
                      help="revision to compare to (default: the working tree)")
    diff.add_argument("--format", choices=FORMATS, default="text")
    diff.add_argument("--base-url", default=None,
                      help="address of a preview of HEAD: pages that change are linked there")
    diff.add_argument("--fail-on-clinical", action="store_true",
                      help="exit 1 when a clinical value changed (for a required sign-off)")
    diff.set_defaults(func=cmd_diff)
