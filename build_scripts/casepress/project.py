"""A casepress project on disk: where things live, and everything loaded from it.

`load_project` is the first step of the flow: content + references.bib -> validated model.
It only loads (the checks are `checks.CHECKS`, run by the pipeline) and never raises for bad
input: it returns the diagnostics of loading beside whatever could be loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casepress.cache import SlotCache
from casepress.content.loader import Content, Loaded, load_content
from casepress.diagnostics import Diagnostic, error
from casepress.references import (
    Bibliography,
    FormattedReference,
    Formatter,
    escape_markdown,
    narrative_label,
    resolve_style,
    to_csl,
)
from casepress.references.bibfile import content_digest
from casepress.references.store import DEFAULT_FOLDER, BibliographyCache, ReferenceStore

# CSL items and formatted references of one parsed bibliography in one version of the style.
References = tuple[dict[str, dict[str, Any]], dict[str, FormattedReference]]


@dataclass
class LoadCache:
    """What loading may take over from an earlier build in the same process, so that a
    `mkdocs serve` rebuild redoes only what an edit changed: content files by their bytes,
    the parsed bibliography, the style's formatter, and the decoded and formatted references
    (shared by successive projects while neither references.bib nor the style changed). Part
    of the `pipeline.BuildCache` that the caller owns."""

    documents: SlotCache[Loaded] = field(default_factory=SlotCache)
    bibliographies: BibliographyCache = field(default_factory=BibliographyCache)
    formatters: dict[Path, Formatter] = field(default_factory=dict)
    references: SlotCache[References] = field(default_factory=SlotCache)
    stores: dict[Path | None, ReferenceStore] = field(default_factory=dict)

    def store(self, folder: Path | None) -> ReferenceStore:
        """The disk cache in `folder` (None: a store that keeps nothing)."""
        store = self.stores.get(folder)
        if store is None:
            store = self.stores[folder] = ReferenceStore(folder)
        return store


NUMBERINGS = ("page", "site")


@dataclass(frozen=True)
class ProjectOptions:
    """Paths and choices; the MkDocs plugin and the CLI both fill this in."""

    root: Path
    content_dir: Path
    templates_dir: Path
    bibliography: Path
    docs_dir: Path
    style: str = "casepress"
    numbering: str = "page"  # one of NUMBERINGS: per-page numbers and lists, or site-wide
    site_name: str = "casepress"
    cache_dir: Path | None = None  # where reference work is kept between builds; None: not
    site_url: str | None = None  # the hosted site's address: pages' "cite this version" name it
    directory_urls: bool = True  # MkDocs' use_directory_urls: cases/x/ rather than cases/x.html
    history: bool = True  # each content page ends with its history from git

    @classmethod
    def at(cls, root: Path, **overrides: Any) -> ProjectOptions:
        root = root.resolve()
        defaults: dict[str, Any] = {
            "content_dir": root / "content",
            "templates_dir": root / "templates",
            "bibliography": root / "references.bib",
            "docs_dir": root / "docs",
            "cache_dir": root / DEFAULT_FOLDER,
        }
        if "cache_dir" in overrides:  # None here means "no cache", not "the default"
            defaults["cache_dir"] = overrides.pop("cache_dir")
        defaults.update({k: v for k, v in overrides.items() if v is not None})
        return cls(root=root, **defaults)

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class Project:
    options: ProjectOptions
    content: Content
    bibliography: Bibliography
    csl_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    formatted: dict[str, FormattedReference] = field(default_factory=dict)
    formatter: Formatter | None = None
    store: ReferenceStore = field(default_factory=lambda: ReferenceStore(None))
    style_digest: str = ""  # of the style file's bytes: formatted text is cached under it

    def narrative(self, key: str) -> str:
        return narrative_label(self.csl_item(key))

    def csl_item(self, key: str) -> dict[str, Any]:
        """The entry as CSL-JSON, LaTeX decoded on first use; memoised across rebuilds, and
        kept in the disk cache across builds."""
        item = self.csl_items.get(key)
        if item is None:
            entry = self.bibliography.entries[key]
            item = self.store.item(entry)
            if item is None:
                item = to_csl(entry)
                self.store.keep_item(entry, item)
            self.csl_items[key] = item
        return item

    def find_item(self, key: str) -> dict[str, Any] | None:
        """`csl_item`, or None when references.bib has no such entry."""
        return self.csl_item(key) if key in self.bibliography.entries else None

    def ensure_formatted(self, keys: list[str]) -> None:
        """Run the CSL style over the cited entries only: citeproc is the costly step, and
        uncited entries are listed briefly (see `brief_reference`). Text formatted by an
        earlier build with the same style bytes comes from the disk cache."""
        missing = [k for k in keys if k not in self.formatted and k in self.bibliography.entries]
        if not missing or self.formatter is None:
            return
        to_format = []
        for key in missing:
            entry = self.bibliography.entries[key]
            cached = self.store.formatted(self.style_digest, entry)
            if cached is None:
                to_format.append(key)
            else:  # escaped again: a cache file is data, never trusted as Markdown
                text, problem = cached
                self.formatted[key] = FormattedReference(key, text, escape_markdown(text),
                                                         problem)
        if not to_format:
            return
        made = self.formatter.format_entries([self.csl_item(k) for k in to_format])
        for key, reference in made.items():
            self.formatted[key] = reference
            self.store.keep_formatted(self.style_digest, self.bibliography.entries[key],
                                      reference.text, reference.error)


def load_project(options: ProjectOptions, cache: LoadCache | None = None
                 ) -> tuple[Project, list[Diagnostic]]:
    """Load content and references; the diagnostics are those of reading and validating each
    file on its own (references between files are checked later, by `checks`)."""
    cache = cache or LoadCache()
    folder_problem = _content_dir_problem(options)
    if folder_problem is None:
        content, diagnostics = load_content(options.root, options.content_dir, cache.documents)
    else:  # never walk a folder outside the project (`content_dir: /`)
        content, diagnostics = Content(), [folder_problem]
    if options.numbering not in NUMBERINGS:  # `mkdocs build` refuses it too; `check` says why
        diagnostics.append(error(
            "mkdocs.yml", None, "numbering",
            f"numbering '{options.numbering}' is neither `page` nor `site`",
            "write `numbering: page` (each page numbers its own citations and lists them; the "
            "default) or `numbering: site` (one numbering, the bibliography as the only list)"))
    store = cache.store(options.cache_dir)
    bib_label = options.relative(options.bibliography)
    bibliography, bib_problems = cache.bibliographies.get(options.bibliography, bib_label, store)
    diagnostics += bib_problems
    formatter = None
    style_digest = ""
    try:
        style_path = resolve_style(options.style, options.root)
        style_digest = content_digest(style_path.read_bytes())
        # A style whose results are in the cache loaded before: citeproc can wait until an
        # entry actually needs formatting (often never).
        formatter = cache.formatters.get(style_path) or Formatter(
            style_path, load=not store.knows_style(style_digest))
        cache.formatters[style_path] = formatter
    except (ValueError, OSError) as exc:
        diagnostics.append(error("mkdocs.yml", None, "style", str(exc),
                                 "set `style:` to casepress, ama, vancouver or a .csl file"))
    project = Project(options, content, bibliography, formatter=formatter, store=store,
                      style_digest=style_digest)
    if formatter is not None:
        project.csl_items, project.formatted = cache.references.get(
            str(options.bibliography), (bibliography, formatter.style_path,
                                        _stamp(formatter.style_path)), lambda: ({}, {}))
    return project, diagnostics


def _content_dir_problem(options: ProjectOptions) -> Diagnostic | None:
    shown = options.relative(options.content_dir)
    hint = "set `content_dir:` in mkdocs.yml to a folder inside the project, e.g. content"
    if not options.content_dir.resolve().is_relative_to(options.root):
        return error("mkdocs.yml", None, "content-dir",
                     f"content_dir '{shown}' is outside the project", hint)
    # Only the default may be missing: a site of hand-written pages has no content folder,
    # but a folder someone named and that is not there is a typo that would publish no case.
    if options.content_dir != options.root / "content" and not options.content_dir.is_dir():
        return error("mkdocs.yml", None, "content-dir",
                     f"content_dir '{shown}' does not exist", "fix its name in mkdocs.yml, "
                     "or create the folder")
    return None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
