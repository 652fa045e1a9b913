"""The build date, fixed by the sources so that two builds of them are byte-identical.

MkDocs stamps the build date into sitemap.xml (`<lastmod>`), the gzip header of
sitemap.xml.gz and `build_date_utc` in templates; it honours SOURCE_DATE_EPOCH
(https://reproducible-builds.org/specs/source-date-epoch/) and otherwise uses the clock.
casepress sets SOURCE_DATE_EPOCH when the caller has not, from, in order:

1. the date of the last commit (`git log -1 --format=%ct`), when the project is in git;
2. otherwise the newest modification time of the project's source files.

A value the caller set is always kept (release pipelines pin it themselves).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

VARIABLE = "SOURCE_DATE_EPOCH"
LATEST = 253402300799  # 9999-12-31 23:59:59 UTC
# Whether the person running the build set it; if not, each build (also each `mkdocs serve`
# rebuild in one process) recomputes it, so a new commit moves the date.
_SET_BY_CALLER = VARIABLE in os.environ


def last_commit_time(root: Path) -> int | None:
    try:
        result = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                                capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = result.stdout.strip()
    return int(stamp) if result.returncode == 0 and stamp.isdigit() else None


def newest_mtime(paths: Iterable[Path]) -> int:
    newest = 0
    for path in paths:
        try:
            if path.is_file():
                newest = max(newest, int(path.stat().st_mtime))
            elif path.is_dir():
                newest = max(newest, _newest_in(str(path)))
        except OSError:
            continue
    return newest


def _newest_in(folder: str) -> int:
    """Newest file time under `folder` (files only: a folder's time changes whenever a file is
    added). os.scandir, whose entries carry their stat: a thousand pages are a thousand files."""
    newest = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                newest = max(newest, _newest_in(entry.path))
            elif entry.is_file():
                newest = max(newest, int(entry.stat().st_mtime))
        except OSError:
            continue
    return newest


def source_date_epoch(root: Path, sources: Iterable[Path]) -> int:
    """Seconds since 1970 that stand for "when these sources were last changed"."""
    committed = last_commit_time(root)
    return committed if committed is not None else newest_mtime(sources)


def pin_build_date(root: Path, sources: Iterable[Path]) -> str:
    """Set SOURCE_DATE_EPOCH for this process unless the caller set it; return its value.
    ValueError if the caller's value is not a whole number of seconds."""
    if not _SET_BY_CALLER:
        os.environ[VARIABLE] = str(source_date_epoch(root, sources))
    value = os.environ[VARIABLE]
    if not value.isdigit():
        raise ValueError(f"{VARIABLE}={value!r} is not a whole number of seconds since 1970; "
                         f"unset it, or set it to e.g. $(git log -1 --format=%ct)")
    if len(value) > len(str(LATEST)) or int(value) > LATEST:  # Python's dates end in 9999
        raise ValueError(f"{VARIABLE}={value[:20]!r}{'...' if len(value) > 20 else ''} is after "
                         "the year 9999; unset it, or set it to e.g. $(git log -1 --format=%ct)")
    return value
