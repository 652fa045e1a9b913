"""Reading a git repository with the `git` command: revisions, the log of content files,
file contents at a commit, trees exported to a folder. Nothing here writes to the
repository (no index, no worktree, no config): `casepress diff` and the page histories only
read."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass, replace
from pathlib import Path

# Quoted file names and translated messages would not parse; no pager, no prompts.
_ENV = {"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C",
        "GIT_CONFIG_PARAMETERS": "'core.quotepath=false'"}
MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master")


class GitError(Exception):
    """A git command failed: `str()` is what to tell the person running casepress."""


@dataclass(frozen=True)
class FileChange:
    status: str  # A, M, D or R (renamed; `old_path` is the name before)
    path: str
    old_path: str | None = None
    old_blob: str | None = None  # git's ids of the file's contents before and after
    new_blob: str | None = None


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # the committer's date, ISO 8601 as git prints it
    subject: str
    changes: tuple[FileChange, ...] = ()

    @property
    def short(self) -> str:
        return self.sha[:7]


class Repository:
    """The git repository a project lives in; `prefix` is the project's folder inside it."""

    def __init__(self, top: Path, prefix: str) -> None:
        self.top = top
        self.prefix = prefix

    @classmethod
    def containing(cls, folder: Path) -> Repository | None:
        """The repository `folder` is in, or None (not a checkout, or no git installed)."""
        try:
            top = _run(["rev-parse", "--show-toplevel"], folder).strip()
        except GitError:
            return None
        top_path = Path(top).resolve()
        prefix = folder.resolve().relative_to(top_path).as_posix()
        return cls(top_path, "" if prefix == "." else prefix)

    def git(self, *args: str, stdin: bytes | None = None) -> str:
        return _run(list(args), self.top, stdin)

    def path_in_repo(self, project_path: str) -> str:
        return f"{self.prefix}/{project_path}" if self.prefix else project_path

    def path_in_project(self, repo_path: str) -> str | None:
        if not self.prefix:
            return repo_path
        head = self.prefix + "/"
        return repo_path[len(head):] if repo_path.startswith(head) else None

    @property
    def shallow(self) -> bool:
        return self.git("rev-parse", "--is-shallow-repository").strip() == "true"

    def commit(self, revision: str) -> str | None:
        """The full commit id `revision` names, or None when there is no such commit."""
        try:
            return self.git("rev-parse", "--verify", "--quiet", "--end-of-options",
                            f"{revision}^{{commit}}").strip() or None
        except GitError:
            return None

    def head(self) -> str | None:
        return self.commit("HEAD")

    def default_base(self) -> tuple[str, str] | None:
        """(branch, commit) of the merge base of HEAD with the main branch, if any."""
        for branch in MAIN_BRANCHES:
            if self.commit(branch) is None:
                continue
            try:
                return branch, self.git("merge-base", "HEAD", branch).strip()
            except GitError:
                continue
        return None

    def log(self, paths: list[str]) -> list[Commit]:
        """Commits that changed `paths` (project paths), newest first, with renames."""
        if self.head() is None:  # a repository without a commit yet
            return []
        out = self.git("log", "-z", "--no-merges", "-M", "--raw", "--no-abbrev",
                       "--format=%x1e%H%x1f%cI%x1f%s", "--",
                       *[self.path_in_repo(p) for p in paths])
        commits = [_commit(chunk) for chunk in out.split("\x1e") if chunk.strip("\0\n")]
        return [Commit(c.sha, c.date, c.subject, tuple(
            replace(f, path=self.path_in_project(f.path) or f.path,
                    old_path=f.old_path and (self.path_in_project(f.old_path) or f.old_path))
            for f in c.changes)) for c in commits]

    def uncommitted(self, paths: list[str]) -> set[str]:
        """Project paths under `paths` whose working copy differs from HEAD, or is new."""
        out = self.git("status", "-z", "--porcelain", "--untracked-files=all", "--",
                       *[self.path_in_repo(p) for p in paths])
        changed = set()
        tokens = iter(out.split("\0"))
        for token in tokens:
            if len(token) < 4:
                continue
            if token[0] in "RC":  # porcelain -z gives the old name as the next token
                next(tokens, None)
            if (path := self.path_in_project(token[3:])) is not None:
                changed.add(path)
        return changed

    def read(self, blobs: list[str]) -> dict[str, bytes | None]:
        """The contents of each blob id (None where there is no such blob), all in one git
        process."""
        if not blobs:
            return {}
        proc = subprocess.run(["git", "cat-file", "--batch"], cwd=self.top, env=_environment(),
                              input="".join(f"{b}\n" for b in blobs).encode(),
                              capture_output=True, check=False)
        if proc.returncode != 0:
            raise GitError(proc.stderr.decode(errors="replace").strip())
        found: dict[str, bytes | None] = {}
        data, at = proc.stdout, 0
        for blob in blobs:
            end = data.index(b"\n", at)
            header = data[at:end].split()
            at = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                found[blob] = data[at:at + size]
                at += size + 1
            else:
                found[blob] = None
        return found

    def export(self, commit: str, destination: Path) -> Path:
        """Write the tree of `commit` into `destination`; the project's folder there."""
        proc = subprocess.run(["git", "archive", "--format=tar", commit], cwd=self.top,
                              env=_environment(), capture_output=True, check=False)
        if proc.returncode != 0:
            raise GitError(proc.stderr.decode(errors="replace").strip())
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
            archive.extractall(destination, filter="data")  # no links out, no devices
        return destination / self.prefix if self.prefix else destination


def _environment() -> dict[str, str]:
    return {**os.environ, **_ENV}


def _run(args: list[str], cwd: Path, stdin: bytes | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, env=_environment(), input=stdin,
                              capture_output=True, check=False)
    except OSError as exc:  # git is not installed
        raise GitError(f"git could not be run: {exc.strerror}") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode(errors="replace").strip() or f"git {args[0]} failed")
    return proc.stdout.decode("utf-8", errors="replace")


def _commit(chunk: str) -> Commit:
    """One commit of `git log -z --raw`: its header, then per file
    `:<modes> <old blob> <new blob> <status>`, its path, and for a rename the new path."""
    header, _, rest = chunk.partition("\0")
    sha, date, subject = header.split("\x1f", 2)
    tokens = [t for t in rest.lstrip("\n").split("\0") if t]
    changes, i = [], 0
    while i < len(tokens):
        _old_mode, _new_mode, old_blob, new_blob, status = tokens[i].lstrip(":\n").split()
        if status[:1] in "RC":
            renamed = status[0] == "R"
            changes.append(FileChange("R" if renamed else "A", tokens[i + 2],
                                      tokens[i + 1] if renamed else None,
                                      old_blob if renamed else None, new_blob))
            i += 3
        else:
            changes.append(FileChange(status[:1], tokens[i + 1], None,
                                      None if status[0] == "A" else old_blob, new_blob))
            i += 2
    return Commit(sha, date, subject.strip(), tuple(changes))
