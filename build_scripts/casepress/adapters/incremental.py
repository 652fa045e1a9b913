"""Rebuilds under `serve` that render and write only the pages whose output changed.

MkDocs' dirty builds (`mkdocs serve --dirty`, and `casepress serve`) skip a file when its
`File.is_modified()` says so, which MkDocs judges by modification times. That is wrong for
casepress in both directions: a generated page has no source file, and a hand-written page's
citation numbers may change without it being touched. Its known problems (MkDocs prints "will
likely lead to inaccurate navigation") are also ours to avoid: a skipped page has no title
for the navigation of the pages that are rebuilt, and pages and files that were removed stay
in the site.

`OutputMemo` decides instead, from what each page's HTML is made of:

* the site's shape: mkdocs.yml, the theme's override files, the navigation with the titles and
  front matter of its pages, every file's address (links resolve against them), and the build
  date when a theme template prints it;
* the page's own final Markdown (citations resolved) and address.

A page whose fingerprint equals the one of the last successful build, and whose output file is
still there, is skipped; it keeps the title and front matter MkDocs read last time, so that
the navigation of the rebuilt pages is the same as in a full build. A generated file is
written again only when its bytes changed. After the build, outputs of the last build that this
one no longer makes are removed. Anything else (other plugins, whose output casepress cannot
judge) makes every page count as changed. `tests/adapters/test_incremental.py` compares the
result of edit sequences with clean builds, file by file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.meta import get_data

from casepress.site.build import SiteOutput

# Theme templates that print the build date (MkDocs' own themes do, Material does not) make
# it part of every page.
BUILD_DATE_VARIABLE = "build_date_utc"


class TrackedFile(File):
    """A file whose `is_modified`, which dirty builds ask, is decided by `OutputMemo`."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def _tracked(file: File) -> TrackedFile:
    copy = TrackedFile.__new__(TrackedFile)
    copy.__dict__.update(vars(file))
    return copy


def _digest(data: bytes | str) -> bytes:
    return hashlib.sha1(data.encode() if isinstance(data, str) else data).digest()


def _folder_stamps(folder: str | None) -> tuple[tuple[str, int, int], ...]:
    if not folder or not os.path.isdir(folder):
        return ()
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            stat = path.stat()
            found.append((path.as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _prints_build_date(config: MkDocsConfig) -> bool:
    for folder in config.theme.dirs:
        for path in Path(folder).rglob("*.html"):
            if BUILD_DATE_VARIABLE in path.read_text(encoding="utf-8", errors="replace"):
                return True
    return False


class OutputMemo:
    """What the last successful build of a `serve` session wrote, kept by the plugin."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[bytes, str | None, dict[str, Any]]] = {}
        self._assets: dict[str, bytes] = {}
        self._outputs: set[str] = set()
        self._pending: dict[str, bytes] = {}
        self._prints_date: dict[object, bool] = {}
        self.rendered: list[str] = []  # pages the last build rendered, for tests and benchmarks

    def track(self, files: Files) -> Files:
        """The same files, pages and generated files made answerable to `decide`."""
        return Files([_tracked(f) if f.is_documentation_page() or f.generated_by else f
                      for f in files])

    def decide(self, nav: Navigation, files: Files, config: MkDocsConfig, site: SiteOutput,
               judged: bool) -> None:
        """Mark each tracked file changed or not; `judged` False marks every one changed."""
        shape = _digest(repr(self._shape(nav, files, config, site)))
        self._pending = {}
        for file in files:
            if not isinstance(file, TrackedFile):
                continue
            exists = os.path.isfile(file.abs_dest_path)
            if not file.is_documentation_page():
                digest = _digest(file.content_bytes)
                file.modified = not (judged and exists and self._assets.get(file.dest_uri) ==
                                     digest)
                self._pending["asset:" + file.dest_uri] = digest
                continue
            markdown = _markdown(file, site)
            fingerprint = _digest(b"\0".join((
                shape, repr((file.src_uri, file.dest_uri, file.url, file.inclusion.name)).encode(),
                markdown.encode() if isinstance(markdown, str) else markdown)))
            self._pending[file.src_uri] = fingerprint
            last = self._pages.get(file.src_uri)
            file.modified = not (judged and exists and last is not None
                                 and last[0] == fingerprint)
            if not file.modified and last is not None and file.page is not None:
                _restore(file.page, last[1], last[2])

    def record(self, files: Files, config: MkDocsConfig) -> None:
        """After a successful build: remember it, and remove what the last one wrote and this
        one did not."""
        self.rendered = []
        for file in files:
            fingerprint = self._pending.get(file.src_uri)
            if isinstance(file, TrackedFile) and file.is_documentation_page() and fingerprint:
                page = file.page
                if file.modified:
                    self.rendered.append(file.src_uri)
                title = page.title if page is not None else None
                meta = dict(page.meta) if page is not None else {}
                self._pages[file.src_uri] = (fingerprint, title, meta)
            elif isinstance(file, TrackedFile) and (
                    digest := self._pending.get("asset:" + file.dest_uri)):
                self._assets[file.dest_uri] = digest
        # what `serve` writes (InclusionLevel.is_in_serve, which has no type hints)
        included = [f for f in files if f.inclusion.value >= InclusionLevel.DRAFT.value]
        outputs = {f.abs_dest_path for f in included}
        for stale in sorted(self._outputs - outputs):
            _remove(stale, config.site_dir)
        self._outputs = outputs
        kept = {f.src_uri for f in included}
        self._pages = {k: v for k, v in self._pages.items() if k in kept}
        written = {f.dest_uri for f in included}
        self._assets = {k: v for k, v in self._assets.items() if k in written}

    def _shape(self, nav: Navigation, files: Files, config: MkDocsConfig, site: SiteOutput
               ) -> tuple[object, ...]:
        config_file = config.config_file_path
        config_bytes = Path(config_file).read_bytes() if config_file else b""
        overrides = _folder_stamps(config.theme.custom_dir)
        # The installed theme does not change under a running server; its overrides may.
        theme = (tuple(config.theme.dirs), overrides)
        if theme not in self._prints_date:
            self._prints_date = {theme: _prints_build_date(config)}
        date = os.environ.get("SOURCE_DATE_EPOCH") if self._prints_date[theme] else None
        addresses = tuple((f.src_uri, f.dest_uri, f.inclusion.name) for f in files)
        return (config_bytes, config.site_url, overrides, date, addresses,
                _nav_shape(nav.items, files, site))


def _markdown(file: File, site: SiteOutput) -> str | bytes:
    resolved = site.pages.get(file.src_uri)
    return resolved.markdown if resolved is not None else file.content_bytes


def _nav_shape(items: Iterable[Any], files: Files, site: SiteOutput) -> tuple[object, ...]:
    """Titles, addresses and front matter of the navigation, as every page shows it. A page
    without a title in mkdocs.yml takes it from its Markdown, which is then part of it."""
    shape: list[object] = []
    for item in items:
        if isinstance(item, Section):
            shape.append(("section", item.title, _nav_shape(item.children, files, site)))
        elif isinstance(item, MkDocsPage):
            markdown = _markdown(item.file, site)
            text = markdown if isinstance(markdown, str) else markdown.decode(errors="replace")
            meta = get_data(text)[1]
            untitled = item.title is None
            shape.append(("page", item.title, item.file.src_uri, repr(sorted(meta.items())),
                          _digest(text) if untitled else None))
        else:
            shape.append(("link", getattr(item, "title", None), getattr(item, "url", None)))
    return tuple(shape)


def _restore(page: MkDocsPage, title: str | None, meta: dict[str, Any]) -> None:
    # A page MkDocs does not read again has no title or front matter; the navigation of
    # the pages it renders shows both, so the ones it read last time stand in.
    page.title = title  # MkDocs' `weak_property` allows it
    page.meta = meta


def _remove(path: str, site_dir: str) -> None:
    if not os.path.isfile(path):
        return
    os.remove(path)
    folder = os.path.dirname(path)
    while os.path.abspath(folder) != os.path.abspath(site_dir) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)

