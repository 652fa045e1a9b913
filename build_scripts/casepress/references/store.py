"""The reference work worth keeping between builds, in JSON files under the cache folder.

Parsing a large references.bib, decoding its LaTeX and running citeproc cost seconds in every
fresh process (`mkdocs build`, `casepress check`, CI), although their results change only
when the .bib file or the style does. Like Material's plugins (`.cache/plugin/<name>`), we
keep them on disk, in the project's `.cache/plugin/casepress/` unless configured otherwise:

* `bib-<digest of the file's bytes>.json`: the parsed entries and the problems found in them;
* `items.json`: each entry as a CSL-JSON item, by a digest of the entry (key, type, fields);
* `formatted-<digest of the style's bytes>.json`: each entry's formatted text in that style;
* `export-<digest of the .bib>-references-<format>.json`: the BibTeX, RIS and CSL-JSON
  downloads (with a checksum: they are served as they are);
* `history.json`: for page histories, the changes between two versions of a content file,
  by git's ids of the two versions (`history.record`; shown as literal text).

Every file carries `version`: the casepress release, `CACHE_SCHEMA` and the versions of
bibtexparser, pylatexenc and citeproc-py that made it; a file from other code is ignored.
Only JSON and text, never pickle, so a cache file cannot run code; formatted text is
escaped again when read (`escape_markdown`), never trusted as Markdown. An unreadable or
damaged file is a miss, and a folder that cannot be written is used read-only: the cache only
ever saves time. Files are replaced atomically, and only the current generation of each is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from casepress import __version__
from casepress.cache import CacheStats
from casepress.diagnostics import Diagnostic, Severity
from casepress.references.bibfile import (
    BibEntry,
    Bibliography,
    content_digest,
    load_bibliography,
    parse_bibliography,
)

log = logging.getLogger("mkdocs.plugins.casepress")

DEFAULT_FOLDER = ".cache/plugin/casepress"
_LIBRARIES = ("bibtexparser", "pylatexenc", "citeproc-py")
# 2: entries keep the fields a missing comma swallowed.
# 3: bib problems name invisible characters and a missing comma's place.
# 4: books show edition, publisher and place; no year is "n.d."; editors stand for authors.
CACHE_SCHEMA = 4
"""Bump it when a change to casepress alters what a cache file holds (its layout, or the
text made from an entry), so that files written by the earlier code are read as misses."""


def code_version() -> str:
    """What a cache file must have been written by: this casepress release and cache
    schema, and the libraries that parse, decode and format references."""
    parts = [f"casepress={__version__}", f"schema={CACHE_SCHEMA}"]
    for library in _LIBRARIES:
        try:
            parts.append(f"{library}={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(library)
    return ";".join(parts)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def entry_digest(entry: BibEntry) -> str:
    raw = json.dumps([entry.key, entry.entry_type, entry.fields], sort_keys=True,
                     ensure_ascii=False)
    return hashlib.sha1(raw.encode()).hexdigest()


@dataclass
class _Table:
    """One cache file holding a digest -> value table, read on first use."""

    values: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: bool = False


class ReferenceStore:
    """Cached reference results of one project; `flush` writes what is new."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder  # None: nothing is read or written
        self.version = code_version()
        self._tables: dict[str, _Table] = {}
        self.reads = 0  # values served from disk (tests and benchmarks look)
        self._pending: dict[str, tuple[str, str]] = {}  # file name -> (its kind, its text)
        self._digests: dict[int, tuple[BibEntry, str]] = {}  # by id(), entry kept alive

    def _digest(self, entry: BibEntry) -> str:
        known = self._digests.get(id(entry))
        if known is not None and known[0] is entry:
            return known[1]
        digest = entry_digest(entry)
        self._digests[id(entry)] = (entry, digest)
        return digest

    # Parsed bibliographies -------------------------------------------------------------

    def bibliography(self, data: bytes, label: str) -> tuple[Bibliography, list[Diagnostic]] | None:
        digest = content_digest(data)
        record = self._read(f"bib-{digest}.json")
        if record is None or record.get("label") != label:
            return None
        try:
            entries: dict[str, BibEntry] = {}
            for key, kind, fields, line, lines, sha, swallowed in record["entries"]:
                entry = entries[key] = BibEntry(key, kind, dict(fields), line, dict(lines),
                                                tuple(swallowed))
                # kept with the entry: worked out again, it would cost a JSON dump per entry
                self._digests[id(entry)] = (entry, str(sha))
            problems = [Diagnostic(f, ln, col, Severity(sev), rule, msg, hint)
                        for f, ln, col, sev, rule, msg, hint in record["problems"]]
        except (KeyError, TypeError, ValueError):
            return None
        self.reads += 1
        return Bibliography(entries, label, digest), problems

    def keep_bibliography(self, data: bytes, label: str, bibliography: Bibliography,
                          problems: list[Diagnostic]) -> None:
        entries = [[e.key, e.entry_type, e.fields, e.line, e.field_lines, self._digest(e),
                    list(e.swallowed)] for e in bibliography.entries.values()]
        rows = [[d.file, d.line, d.col, d.severity.value, d.rule, d.message, d.hint]
                for d in problems]
        self._pending[f"bib-{content_digest(data)}.json"] = ("bib-*.json", json.dumps(
            {"version": self.version, "label": label, "entries": entries, "problems": rows},
            ensure_ascii=False))

    # CSL items and formatted text, per entry ------------------------------------------

    def item(self, entry: BibEntry) -> dict[str, Any] | None:
        value = self._lookup("items.json", self._digest(entry))
        return value if isinstance(value, dict) and value.get("id") == entry.key else None

    def keep_item(self, entry: BibEntry, item: dict[str, Any]) -> None:
        self._keep("items.json", self._digest(entry), item)

    def formatted(self, style: str, entry: BibEntry) -> tuple[str, str] | None:
        """(text, problem) of `entry` in the style whose bytes digest is `style`."""
        value = self._lookup(f"formatted-{style}.json", self._digest(entry))
        if (isinstance(value, list) and len(value) == 2
                and all(isinstance(v, str) for v in value)):
            return value[0], value[1]
        return None

    def knows_style(self, style: str) -> bool:
        """Whether entries were formatted with this style (these bytes) before: it loads."""
        return bool(self._table(f"formatted-{style}.json").values)

    def keep_formatted(self, style: str, entry: BibEntry, text: str, problem: str) -> None:
        self._keep(f"formatted-{style}.json", self._digest(entry), [text, problem])

    # Whole texts (the downloads) -----------------------------------------------------

    def text(self, name: str, digest: str) -> str | None:
        """The text kept as `name` (e.g. references.ris) for the .bib file of `digest`."""
        record = self._read(self._text_file(name, digest))
        if record is None:
            return None
        text = record.get("text")
        # Served to readers as it is: a damaged file must not slip through.
        if not isinstance(text, str) or record.get("sha256") != _sha256(text):
            return None
        self.reads += 1
        return text

    def keep_text(self, name: str, digest: str, text: str) -> None:
        self._pending[self._text_file(name, digest)] = (self._text_file(name, "*"), json.dumps(
            {"version": self.version, "sha256": _sha256(text), "text": text},
            ensure_ascii=False))

    @staticmethod
    def _text_file(name: str, digest: str) -> str:
        return f"export-{digest}-{name.replace('.', '-')}.json"

    # Page histories ----------------------------------------------------------------------

    def history_changes(self, pair: str) -> Any:
        """What `keep_history_changes` kept for a pair of content file versions, or None."""
        return self._lookup("history.json", pair)

    def keep_history_changes(self, pair: str, value: Any) -> None:
        self._keep("history.json", pair, value)

    # Files -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write what is new: files made in this build, and every table that gained values
        (keeping only the values this build used). Nothing is written before this."""
        for name, (kind, text) in self._pending.items():
            self._write(name, kind, text)
        self._pending.clear()
        for name, table in self._tables.items():
            if not table.dirty:
                continue
            kept = {k: v for k, v in table.values.items() if k in table.used}
            kind = name.split("-")[0] + "-*.json" if "-" in name else name
            self._write(name, kind, json.dumps({"version": self.version, "values": kept},
                                                 ensure_ascii=False))
            table.dirty = False

    def _table(self, name: str) -> _Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = _Table()
            record = self._read(name)
            values = record.get("values") if record else None
            if isinstance(values, dict):
                table.values.update(values)
        return table

    def _lookup(self, name: str, digest: str) -> Any:
        table = self._table(name)
        value = table.values.get(digest)
        if value is not None:
            table.used.add(digest)
            self.reads += 1
        return value

    def _keep(self, name: str, digest: str, value: Any) -> None:
        table = self._table(name)
        table.values[digest] = value
        table.used.add(digest)
        table.dirty = self.folder is not None

    def _read(self, name: str) -> dict[str, Any] | None:
        if self.folder is None:
            return None
        try:
            record = json.loads((self.folder / name).read_bytes())
        except (OSError, ValueError, RecursionError, MemoryError):
            return None  # any file that cannot be read as it was written is a miss
        if not isinstance(record, dict) or record.get("version") != self.version:
            return None
        return record

    def _write(self, name: str, kind: str, text: str) -> None:
        """Atomically; older files of the same kind (the glob `kind`) are removed."""
        if self.folder is None:
            return
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; it is build output
            os.replace(temporary, self.folder / name)
            for old in self.folder.glob(kind):
                if old.name != name:
                    old.unlink(missing_ok=True)
        except OSError as exc:  # a read-only checkout: build without the cache
            log.debug("casepress: cache folder %s not written: %s", self.folder, exc)
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


class BibliographyCache:
    """Keeps parsed bibliographies while their files are unchanged (`mkdocs serve`
    rebuilds on every save; re-parsing an unchanged 10,000-entry file each time is waste)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Path, str], tuple[tuple[int, int, str],
                                                  tuple[Bibliography, list[Diagnostic]]]] = {}
        self.stats = CacheStats()  # a miss is a parse

    def get(self, path: Path, file_label: str, store: ReferenceStore | None = None
            ) -> tuple[Bibliography, list[Diagnostic]]:
        """`store` (on disk) is asked before parsing, and keeps what was parsed."""
        try:
            stat = path.stat()
            data = path.read_bytes()
        except OSError:
            return load_bibliography(path, file_label)  # reports the problem, never cached
        # The hash catches edits that keep size and mtime (fast saves, restored files).
        fingerprint = (stat.st_mtime_ns, stat.st_size, hashlib.sha1(data).hexdigest())
        slot = (path.resolve(), file_label)
        cached = self._cache.get(slot)
        if cached is not None and cached[0] == fingerprint:
            self.stats.hits += 1
            return cached[1][0], list(cached[1][1])
        result = store.bibliography(data, file_label) if store is not None else None
        if result is not None:
            self.stats.hits += 1
        else:
            self.stats.miss(file_label)
            result = parse_bibliography(data, file_label)
            if store is not None:
                store.keep_bibliography(data, file_label, *result)
        self._cache[slot] = (fingerprint, result)
        return result[0], list(result[1])

    def clear(self) -> None:
        self._cache.clear()
