"""Site search: the sections of built pages (`sections`), their words (`tokens`), and the
small files a page loads when a reader searches (`index`); `assets/search.js` reads them."""

from __future__ import annotations

from pathlib import Path

from casepress.search.index import PAGE_FOLDER, WORD_FOLDER, SearchIndex
from casepress.search.sections import read_page, site_pages


def write_search_files(site_dir: Path, directory_urls: bool,
                       index: SearchIndex | None = None) -> None:
    """Index the built site in `site_dir` and write its search files under `search/`.

    `index` is what earlier builds of this site in this process worked out (a `serve`
    session keeps one): a page whose file is unchanged since then (same size and modification
    time, as `make` and MkDocs' dirty builds judge) is not read again, and a search file whose
    bytes are unchanged is not written again."""
    index = index or SearchIndex()
    paths = dict(site_pages(site_dir, directory_urls))
    stamps = {url: _stamp(path) for url, path in paths.items()}
    index.update(stamps.items(), lambda url: read_page(url, paths[url]))
    files = index.files()
    # Stale files go; anything else under search/ (another search plugin's index) stays.
    for folder in (WORD_FOLDER, PAGE_FOLDER):
        for old in sorted((site_dir / folder).glob("*.js")):
            if old.relative_to(site_dir).as_posix() not in files:
                old.unlink()
    for path, content in files.items():
        target = site_dir / path
        if index.written.get(path) != content or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    index.written = files


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size
