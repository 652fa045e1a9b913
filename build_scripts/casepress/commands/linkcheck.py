"""Check a built site: every internal link and anchor must resolve.

MkDocs validates the links it sees in Markdown, but citations, back-links, figure references,
navigation and theme assets only exist as HTML once the site is written. This reads the
written HTML (stdlib `html.parser`, no browser) and checks every `a`/`area` href, `img`,
`script`, `source` and `iframe` src, `link` href and SVG `use` reference that stays inside the
site: the file must exist, and a `#fragment` must name an `id` (or an `a name`) in that page.
External links (anything with a scheme or a host) are not fetched: the build is offline.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from casepress.diagnostics import Diagnostic, error

# (element, attribute) pairs that point at another file or an anchor.
LINK_ATTRIBUTES = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
    ("source", "src"), ("iframe", "src"), ("use", "href"), ("use", "xlink:href"),
    ("a", "xlink:href"),
}


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    # (line, column, element, attribute, value) of every link, in document order
    links: list[tuple[int, int, str, str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            if (tag, name) in LINK_ATTRIBUTES:
                line, offset = self.getpos()
                self.page.links.append((line, offset + 1, tag, name, value))


def read_page(html: str) -> _Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def _target_file(site: Path, relative: str, wants_folder: bool) -> str | None:
    """The site-relative HTML (or other) file a resolved path means, or None if none exists."""
    candidate = site / relative if relative else site
    if wants_folder or candidate.is_dir():
        index = posixpath.join(relative, "index.html") if relative else "index.html"
        return index if (site / index).is_file() else None
    return relative if candidate.is_file() else None


def site_base_path(site: Path) -> str:
    """The path part of the site's URL, read from its sitemap (the first <loc> is the home
    page); "/" when there is none. MkDocs writes absolute links with it in 404.html."""
    try:
        sitemap = (site / "sitemap.xml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "/"
    home = re.search(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap)
    return urlsplit(home.group(1)).path if home else "/"


def check_site(site: Path, base_path: str | None = None) -> list[Diagnostic]:
    """Every broken internal link or anchor in the HTML under `site`, located by page and line.

    `base_path` is the path part of the site's URL, e.g. "/casepress/" for
    https://casepress.github.io/casepress/ (default: read from the site's sitemap.xml).
    """
    base = (base_path if base_path is not None else site_base_path(site)).strip("/")
    base_path = f"/{base}/" if base else "/"
    pages: dict[str, _Page] = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        pages[relative] = read_page(path.read_text(encoding="utf-8", errors="replace"))

    problems: list[Diagnostic] = []
    for name, page in pages.items():
        for line, col, tag, attr, value in page.links:
            problem = _check_link(site, pages, name, value.strip(), base_path)
            if problem:
                what, hint = problem
                problems.append(error(name, line, "link-broken",
                                      f"<{tag} {attr}=\"{value}\">: {what}", hint, col=col))
    return problems


def _check_link(site: Path, pages: dict[str, _Page], page: str, value: str, base_path: str
                ) -> tuple[str, str] | None:
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None  # external (or not a link at all); never fetched
    path = unquote(parts.path)
    if path.startswith("/"):
        if not (path + "/").startswith(base_path):
            return (f"absolute path outside the site's base path {base_path}",
                    "use a relative link (MkDocs rewrites links between .md files)")
        resolved = posixpath.normpath(path[len(base_path):] or ".")
    elif path:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    else:
        resolved = page
    if resolved == ".":
        resolved = ""
    if resolved == ".." or resolved.startswith("../"):
        return "points above the site folder", "link to a page inside the site"
    target = _target_file(site, resolved, path.endswith("/"))
    if target is None:
        missing = posixpath.join(resolved, "index.html") if path.endswith("/") else resolved
        return (f"no file {missing or 'index.html'} in the site",
                "fix the link, or add the page it points to")
    fragment = unquote(parts.fragment)
    if not fragment or fragment.startswith(":~:") or not target.endswith(".html"):
        return None
    ids = pages[target].ids if target in pages else read_page(
        (site / target).read_text(encoding="utf-8", errors="replace")).ids
    if fragment in ids:
        return None
    where = "this page" if target == page else target
    return (f"no element with id '{fragment}' in {where}",
            "the page exists but has no such anchor: fix the link or give the target that id")
