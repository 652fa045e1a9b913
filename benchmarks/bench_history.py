"""Issue 19: what page histories cost a build, on a generated library kept in git.

The library is committed once, then edited commit by commit as editors would (a case's
cement volume each time, 10 cases per commit). Each build reads the log of `content/`,
follows every file back through its renames, and lists each commit's changes in the content
model's words; those are worked out once per pair of file versions and kept in the cache
folder. Measured in child processes (a build's own process, cold), each step on its own:
the first build with an empty cache, the next one with the cache, and after one more commit.

    python benchmarks/bench_history.py --cases 1000 --commits 50
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import print_table, run_child
from gen_library import generate_library

MEASURE = """
import sys, time
from pathlib import Path
from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.history.record import read_histories
from casepress.project import LoadCache, load_project
options, _ = options_from_mkdocs_yml(Path(sys.argv[1]))
project, _ = load_project(options, LoadCache())
files = {d.file: d.kind for d in project.content.documents()}
start = time.perf_counter()
found = read_histories(options, files, project.store)
project.store.flush()
Path(sys.argv[2]).write_text(f"{time.perf_counter() - start:.3f} "
                             f"{sum(len(h.entries) for h in found.files.values())}")
"""
_ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                   env={**os.environ, **_ENV})


def _edit_volumes(project: Path, commit: int, per_commit: int) -> None:
    cases = sorted((project / "content" / "cases").glob("*.yaml"))
    for offset in range(per_commit):
        path = cases[(commit * per_commit + offset) % len(cases)]
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"volume_ml: [\d.]+", f"volume_ml: {1 + (commit % 9)}", text, count=1)
        path.write_text(text, encoding="utf-8")
    _git(project, "commit", "-q", "-am", f"Volumes, round {commit}")


def _measure(project: Path) -> tuple[float, float, int]:
    """(seconds reading the histories, the build's own peak MB, history entries)."""
    out = project.parent / "measured.txt"
    run = run_child([sys.executable, "-c", MEASURE, project / "mkdocs.yml", out], cwd=project)
    seconds, entries = out.read_text(encoding="utf-8").split()
    return float(seconds), run.peak_mb, int(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--per-commit", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casepress-bench-history-") as temp:
        project = generate_library(Path(temp) / "library", args.cases)
        _git(project, "init", "-q", "-b", "main")
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "-m", "Library")
        for commit in range(args.commits):
            _edit_volumes(project, commit, args.per_commit)
        rows = []
        for label in ("first build (empty cache)", "next build (cache)"):
            seconds, peak, entries = _measure(project)
            rows.append([label, f"{seconds:.2f} s", f"{peak:.0f} MB", str(entries)])
        _edit_volumes(project, args.commits, args.per_commit)
        seconds, peak, entries = _measure(project)
        rows.append(["after one more commit", f"{seconds:.2f} s", f"{peak:.0f} MB",
                     str(entries)])
    print(f"{args.cases} cases; {args.commits} commits of {args.per_commit} edited cases each, "
          "then one more")
    print_table(["build", "reading histories", "peak (whole process)", "history entries"],
                rows)


if __name__ == "__main__":
    main()
