"""Listings that grow with the library, split into pages of a fixed size: the Cases,
Techniques and Evidence listings and the editors' CARE report. Page 1 keeps the listing's
own address; later pages sit beside it (`cases/index.md`, `cases/page-2.md`;
`editors/care.md`, `editors/care-page-2.md`), so that links between them are file names,
and an edit to one item re-renders one page."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
PER_PAGE = 50  # a listing page a phone opens at once, however large the library


@dataclass(frozen=True)
class PageLink:
    label: str
    href: str  # relative to the listing page that shows it
    current: bool = False


def page_path(first: str, number: int) -> str:
    """Where page `number` of the listing whose first page is `first` is."""
    if number == 1:
        return first
    folder, name = posixpath.split(first)
    stem = "page" if name == "index.md" else f"{name.removesuffix('.md')}-page"
    return posixpath.join(folder, f"{stem}-{number}.md")


def split(items: Sequence[T], per_page: int = PER_PAGE) -> list[Sequence[T]]:
    """The items page by page; one empty page when there are none."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [items[:0]]


def pager(first: str, number: int, count: int) -> list[PageLink]:
    """Links to the first and last pages of a listing and to those near this one, a gap shown
    as "…" (an empty `href`); none when one page holds everything."""
    if count == 1:
        return []

    def link(n: int, label: str | None = None) -> PageLink:
        return PageLink(label or str(n), posixpath.basename(page_path(first, n)),
                        n == number and label is None)

    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    links = [link(number - 1, "Previous")] if number > 1 else []
    for previous, n in zip([0, *shown], shown, strict=False):
        if n - previous > 1:
            links.append(PageLink("…", ""))
        links.append(link(n))
    if number < count:
        links.append(link(number + 1, "Next"))
    return links


@dataclass(frozen=True)
class ListingPage:
    path: str
    title: str  # "Cases", or "Cases, page 2 of 20"
    shown: Sequence[object]
    context: dict[str, object]  # what every listing template is given besides its items


def listing(first: str, name: str, items: Sequence[object]) -> Iterator[ListingPage]:
    """The pages of the listing `name` whose first page is `first`. Each template is given
    `page_title`, `pager` (see pager.md.j2), `first` (the number of the first item shown)
    and `total`."""
    chunks = split(items)
    for number, shown in enumerate(chunks, start=1):
        title = name if len(chunks) == 1 else f"{name}, page {number} of {len(chunks)}"
        yield ListingPage(page_path(first, number), title, shown, {
            "page_title": title, "pager": pager(first, number, len(chunks)),
            "first": (number - 1) * PER_PAGE + 1, "total": len(items)})
