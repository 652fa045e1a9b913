"""Reading order of the site: the order citations are numbered in.

Pages follow the `nav` of mkdocs.yml; pages that are not in the nav (each case, technique and
evidence page) follow the listing page of their folder, so numbering stays stable as the site
grows. Without a `nav`, MkDocs' own default applies: index first, then alphabetical.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence


def nav_paths(nav: object) -> Iterator[str]:
    """The Markdown paths named in a `nav` setting, in order (external links skipped)."""
    if isinstance(nav, str):
        if nav.endswith(".md") and "://" not in nav:
            yield nav.lstrip("/")
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_paths(item)


def _default_key(path: str) -> tuple[str, int, str]:
    folder, name = posixpath.split(path)
    return (folder, 0 if name in ("index.md", "README.md") else 1, name)


def reading_order(nav: object | None, paths: Sequence[str]) -> list[str]:
    available = set(paths)
    in_nav = [p for p in nav_paths(nav) if p in available] if nav else []
    rest = sorted((p for p in paths if p not in in_nav), key=_default_key)
    order: list[str] = []
    for path in in_nav or sorted(paths, key=_default_key):
        if path in order:
            continue
        order.append(path)
        if posixpath.basename(path) == "index.md" and in_nav:
            folder = posixpath.dirname(path)
            order += [p for p in rest if posixpath.dirname(p) == folder and p not in order]
    order += [p for p in rest if p not in order]
    return order
