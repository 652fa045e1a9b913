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
from casepress.history.git import Commit, FileChange, GitError, Repository
from casepress.project import ProjectOptions
from casepress.references.store import ReferenceStore

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


def _stored(store: ReferenceStore, pair: str) -> tuple[tuple[Change, ...], str] | None:
    """The changes kept for a pair of versions; a value not as written is a miss."""
    from casepress.history.changes import Change

    kept = store.history_changes(pair)
    try:
        changes = tuple(Change(str(c["file"]), tuple(map(str, c["where"])), str(c["field"]),
                               c["action"], c["old"], c["new"], bool(c["clinical"]),
                               bool(c["prose"])) for c in kept["changes"])
        return changes, str(kept["note"])
    except (KeyError, TypeError):
        return None


def _store(store: ReferenceStore, pair: str, changes: tuple[Change, ...], note: str) -> None:
    store.keep_history_changes(pair, {"changes": [{**c.as_dict(), "prose": c.prose}
                                                  for c in changes], "note": note})


def read_histories(options: ProjectOptions, files: Mapping[str, str], store: ReferenceStore,
                   cache: HistoryCache | None = None) -> Histories:
    """Histories of `files` (project path -> kind); the changes of each pair of versions are
    kept in `store` (the project's cache folder) between builds."""
    repository = Repository.containing(options.root)
    if repository is None:
        return Histories(unavailable="the site was built outside a git checkout")
    cache = cache or HistoryCache()
    try:
        head = repository.head()
        content = options.relative(options.content_dir)
        uncommitted = repository.uncommitted([content])
        key = (head, tuple(sorted(files.items())), tuple(sorted(uncommitted & files.keys())))

        def make() -> Histories:
            return _read(repository, head, files, uncommitted, content, store)

        return cache.histories.get("histories", key, make)
    except GitError as exc:
        return Histories(unavailable=f"git could not read it ({exc})")


def _read(repository: Repository, head: str | None, files: Mapping[str, str],
          uncommitted: set[str], content: str, store: ReferenceStore) -> Histories:
    if head is None or not files:
        return Histories({path: FileHistory((), True) for path in files})
    log = repository.log([content])
    truncated = repository.shallow
    # The commits of each file, newest first, with the name it had in each: one pass over
    # the log, following each file back through its renames to the commit that added it.
    touched: dict[str, list[tuple[Commit, FileChange]]] = {p: [] for p in files}
    following = {path: path for path in files}  # name at the commit being read -> file
    for commit in log:
        renamed: dict[str, str] = {}
        for change in commit.changes:
            path = following.get(change.path)
            if path is None:
                continue
            del following[change.path]  # older commits know it by another name, or not
            if change.status in ("A", "M", "R"):
                touched[path].append((commit, change))
            if change.status == "R" and change.old_path:
                renamed[change.old_path] = path
            elif change.status == "M":
                renamed[change.path] = path
            # D: an earlier file of the same name, not this one's history
        following.update(renamed)
    pairs = {(files[path], change.old_blob, change.new_blob) for path, entries in touched.items()
             for _commit, change in entries if change.old_blob and change.new_blob}
    missing = sorted(p for p in pairs if _stored(store, _key(*p)) is None)
    blobs = repository.read(sorted({b for _k, *pair in missing for b in pair if b}))
    for kind, old_blob, new_blob in missing:
        assert old_blob and new_blob
        changes, note = _diff(kind, blobs.get(old_blob), blobs.get(new_blob))
        _store(store, _key(kind, old_blob, new_blob), changes, note)
    histories = {}
    for path, entries in touched.items():
        items = tuple(_entry(files[path], path, commit, change, store)
                      for commit, change in entries)
        histories[path] = FileHistory(items, path in uncommitted, truncated)
    return Histories(histories)


def _key(kind: str, old_blob: str | None, new_blob: str | None) -> str:
    return f"{kind} {old_blob} {new_blob}"


def _model(kind: str, raw: bytes | None) -> BaseModel | None:
    if raw is None:
        return None
    document, _problems = parse_document(kind, "content.yaml", raw)
    return document.model if isinstance(document, Document) else None


def _diff(kind: str, before: bytes | None, after: bytes | None
          ) -> tuple[tuple[Change, ...], str]:
    """The changes between two versions of a file, or why they cannot be listed."""
    old, new = _model(kind, before), _model(kind, after)
    if old is None or new is None:
        which = "before" if old is None else "after"
        return (), f"changes not listed: the file did not validate {which} this commit"
    from casepress.history.changes import diff_document

    return tuple(diff_document(kind, "", old, new)), ""


def _entry(kind: str, path: str, commit: Commit, change: FileChange, store: ReferenceStore
           ) -> HistoryEntry:
    date = commit.date[:10]
    if change.status == "A":
        return HistoryEntry(date, commit.short, commit.subject, note="first version")
    notes = [f"renamed from {change.old_path}"] if change.status == "R" and \
        change.old_path != path else []
    changes: tuple[Change, ...] = ()
    if change.old_blob and change.new_blob and change.old_blob != change.new_blob:
        found = _stored(store, _key(kind, change.old_blob, change.new_blob))
        if found is not None:
            changes, note = found
            notes += [note] if note else []
    return HistoryEntry(date, commit.short, commit.subject, changes, "; ".join(notes))
