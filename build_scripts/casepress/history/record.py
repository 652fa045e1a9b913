"""Each content file's history from git: the commits that changed it (renames followed),
newest first, with the semantic changes of each (`changes`), for the History section of its
page.

Dates are the commits' own (committer dates), never the clock, so equal checkouts build
equal pages. Outside a git checkout (a source zip) there is no history, and pages say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casepress.cache import SlotCache
from casepress.content.loader import Document, parse_document
from casepress.history.git import Commit, GitError, Repository
from casepress.project import ProjectOptions

if TYPE_CHECKING:  # a site of hand-written pages only never loads pydantic
    from pydantic import BaseModel

    from casepress.history.changes import Change


@dataclass(frozen=True)
class HistoryEntry:
    date: str  # YYYY-MM-DD, the committer's
    commit: str  # short id
    subject: str
    changes: tuple[Change, ...] = ()
    note: str = ""  # "added", "renamed from …", "changes not listed: …"


@dataclass(frozen=True)
class FileHistory:
    entries: tuple[HistoryEntry, ...]  # newest first
    uncommitted: bool = False  # the working copy differs from the last commit
    truncated: bool = False  # a shallow clone: older commits are not in this copy


@dataclass(frozen=True)
class Histories:
    files: Mapping[str, FileHistory] = field(default_factory=dict)  # by project path
    unavailable: str = ""  # why there is no history at all, when there is none

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)


@dataclass
class HistoryCache:
    """What a `serve` session keeps: the histories while HEAD and the files' state stay."""

    histories: SlotCache[Histories] = field(default_factory=SlotCache)


def read_histories(options: ProjectOptions, files: Mapping[str, str],
                   cache: HistoryCache | None = None) -> Histories:
    """Histories of `files` (project path -> kind)."""
    repository = Repository.containing(options.root)
    if repository is None:
        return Histories(unavailable="the site was built outside a git checkout")
    try:
        head = repository.head()
        content = options.relative(options.content_dir)
        uncommitted = repository.uncommitted([content])
        key = (head, tuple(sorted(files.items())), tuple(sorted(uncommitted & files.keys())))
        def make() -> Histories:
            return _read(repository, head, files, uncommitted, content)

        return cache.histories.get("histories", key, make) if cache is not None else make()
    except GitError as exc:
        return Histories(unavailable=f"git could not read it ({exc})")


def _read(repository: Repository, head: str | None, files: Mapping[str, str],
          uncommitted: set[str], content: str) -> Histories:
    if head is None or not files:
        return Histories({path: FileHistory((), True) for path in files})
    log = repository.log([content])
    truncated = repository.shallow
    # The commits of each file, newest first, with the name it had in each: one pass over
    # the log, following each file back through its renames to the commit that added it.
    touched: dict[str, list[tuple[Commit, str, str | None, str]]] = {p: [] for p in files}
    following = {path: path for path in files}  # name at the commit being read -> file
    for commit in log:
        renamed: dict[str, str] = {}
        for change in commit.changes:
            path = following.get(change.path)
            if path is None:
                continue
            del following[change.path]  # older commits know it by another name, or not
            if change.status == "R" and change.old_path:
                touched[path].append((commit, change.path, change.old_path, "R"))
                renamed[change.old_path] = path
            elif change.status in ("A", "M"):
                touched[path].append((commit, change.path, change.path
                                      if change.status == "M" else None, change.status))
                if change.status == "M":
                    renamed[change.path] = path
            # D: an earlier file of the same name, not this one's history
        following.update(renamed)
    wanted = sorted({spec for entries in touched.values() for commit, new, old, _ in entries
                     for spec in ((commit.sha, new), *([(commit.sha + "^", old)] if old else []))})
    blobs = repository.read(wanted)
    histories = {}
    for path, entries in touched.items():
        kind = files[path]
        items = tuple(_entry(kind, path, commit, blobs.get((commit.sha + "^", old or "")),
                             blobs.get((commit.sha, new)), status, old)
                      for commit, new, old, status in entries)
        histories[path] = FileHistory(items, path in uncommitted, truncated)
    return Histories(histories)


def _model(kind: str, path: str, raw: bytes | None) -> BaseModel | None:
    if raw is None:
        return None
    document, _problems = parse_document(kind, path, raw)
    return document.model if isinstance(document, Document) else None


def _entry(kind: str, path: str, commit: Commit, before: bytes | None, after: bytes | None,
           status: str, old_path: str | None) -> HistoryEntry:
    date = commit.date[:10]
    if status == "A":
        return HistoryEntry(date, commit.short, commit.subject, note="first version")
    note = f"renamed from {old_path}" if status == "R" and old_path != path else ""
    old, new = _model(kind, path, before), _model(kind, path, after)
    if old is None or new is None:
        which = "before" if old is None else "after"
        note = "; ".join(filter(None, [note, f"changes not listed: the file did not validate "
                                             f"{which} this commit"]))
        return HistoryEntry(date, commit.short, commit.subject, note=note)
    from casepress.history.changes import diff_document

    changes = tuple(diff_document(kind, path, old, new))
    return HistoryEntry(date, commit.short, commit.subject, changes, note)
