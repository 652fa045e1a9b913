"""Site search: the sections of built pages (`sections`), their words (`tokens`), and the
small files a page loads when a reader searches (`index`); `assets/search.js` reads them."""

from __future__ import annotations

import shutil
from pathlib import Path

from casepress.search.index import PAGE_FOLDER, WORD_FOLDER, build_index
from casepress.search.sections import read_site


def write_search_files(site_dir: Path, directory_urls: bool) -> None:
    """Index the built site in `site_dir` and write its search files under `search/`."""
    files = build_index(read_site(site_dir, directory_urls))
    # A rebuild's stale files go; anything else under search/ (another search plugin's
    # index, say) stays.
    for folder in (WORD_FOLDER, PAGE_FOLDER):
        shutil.rmtree(site_dir / folder, ignore_errors=True)
    for path, content in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
