"""The finished Markdown tree: every page with its citations resolved, every generated file,
and the project's other docs files, as `casepress export-md` writes it and as an engine that
runs no MkDocs plugin (Zensical) reads it."""

from __future__ import annotations

from pathlib import Path

from casepress.pages import PageFile
from casepress.site.build import SiteOutput


def write_tree(site: SiteOutput, docs_dir: Path, out: Path) -> None:
    for page in site.pages.values():
        if not (isinstance(page, PageFile) and page.file == out / page.path):  # already there
            _write(out / page.path, page.markdown.encode("utf-8"))
    for asset in site.assets:
        _write(out / asset.path, asset.content)
    for path in sorted(docs_dir.rglob("*")):
        relative = path.relative_to(docs_dir)
        if path.is_file() and path.suffix != ".md" and not (out / relative).exists():
            _write(out / relative, path.read_bytes())


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
