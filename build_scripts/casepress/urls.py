"""What scheme a link target has, as a browser would read it; where a page is published.

Shared by content validation (models/common.py) and the last check of every built page
(checks/html_safety.py); kept free of pydantic so the page check does not load it.
"""

from __future__ import annotations

import html
import re

# Browsers skip these inside a URL: `java&#9;script:` is still `javascript:`.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
WEB_SCHEMES = ("http", "https")


def link_scheme(target: str) -> str | None:
    """The scheme a browser would see in a link target (entities decoded, ignored characters
    dropped), lower-cased; None for a relative link."""
    cleaned = _URL_IGNORED.sub("", html.unescape(target.strip().strip("<>")))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def page_address(path: str, directory_urls: bool = True) -> str:
    """A page's address relative to the site root, as MkDocs gives it: with directory URLs
    `cases/x.md` -> `cases/x/`, `index.md` -> `` (the site root); without, `cases/x.html`."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"
