"""Drive the built site in a real Chromium: serve it or open it from disk, and check it.

Every check returns a list of problems (empty when all is well), so the same checker that
passes on the real site can be shown to catch a planted fault.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, Route

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CASEPRESS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CASE = "cases/sacroplasty-hcc-nbca-pmma"
# Page name -> path without suffix; hosted URLs end in "/", offline ones in ".html".
PAGES = {
    "home": "index",
    "case": CASE,
    "technique": "techniques/percutaneous-sacroplasty",
    "evidence": "evidence/cement-injection-pain-relief",
    "bibliography": "bibliography",
    "how-to-cite": "how-to-cite",
}
_NEVER_LEAVE = ("data:", "blob:", "about:")
def launch(playwright: Playwright) -> Browser:
    if not CHROMIUM.is_file():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: run `make browser-deps` "
                           "(apt-get install chromium) or set CASEPRESS_CHROMIUM")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on a free localhost port for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def casepress(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(Path(sys.executable).parent / "casepress"), *map(str, args)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@dataclass(frozen=True)
class Site:
    """A built site as the browser reaches it: over HTTP (hosted) or from disk (offline)."""

    kind: str
    base: str
    root: Path

    def url(self, page: str) -> str:
        path = PAGES.get(page, page)
        if self.kind == "offline":
            return self.base + path + ".html"
        return self.base + ("" if path == "index" else path + "/")

    def path_of(self, url: str) -> str:
        """The page path (as in PAGES) a URL of this site shows, fragment dropped."""
        address = urldefrag(url).url.split("?")[0]
        if not address.startswith(self.base):
            return address
        path = address[len(self.base):]
        path = path.removesuffix("index.html").removesuffix(".html").removesuffix("/")
        return path or "index"

    def contains(self, url: str) -> bool:
        return url.startswith((self.base, *_NEVER_LEAVE))


@dataclass
class Visit:
    """One opened page, with every request it made and every error it reported."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _blocked(site: Site, route: Route) -> None:
    # Nothing may leave the site; stopping it here also keeps the tests off the network.
    if site.contains(route.request.url):
        route.continue_()
    else:
        route.abort()


def open_page(context: BrowserContext, site: Site, url: str) -> Visit:
    page = context.new_page()
    visit = Visit(page)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("console", lambda m: visit.errors.append(f"console: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda exc: visit.errors.append(f"page error: {exc}"))
    page.on("requestfailed", lambda r: _failed(visit, r))
    page.route("**/*", lambda route: _blocked(site, route))
    page.goto(url, wait_until="load")
    return visit


def _failed(visit: Visit, request: Request) -> None:
    # ERR_ABORTED is the browser cancelling a request because the page navigated away (a
    # favicon still loading when a test clicks a link to another page). A missing file does
    # not hide behind it (a 404 is a console error, a missing file on disk fails with
    # ERR_FILE_NOT_FOUND), nor does a request we block (ERR_FAILED, and requests_outside).
    if request.failure == "net::ERR_ABORTED":
        return
    visit.errors.append(f"request failed: {request.url} ({request.failure})")


def requests_outside(visit: Visit, site: Site) -> list[str]:
    return [f"request outside the site: {url}" for url in dict.fromkeys(visit.requests)
            if not site.contains(url)]


def search(page: Page, query: str) -> list[str]:
    """Type a query into the site search; the result links, best first."""
    box = page.locator("#cp-search-input")
    box.click()
    box.fill("")
    status = "document.querySelector('.cp-search__status').textContent"
    page.wait_for_function(f"() => !{status}")
    box.fill(query)
    page.wait_for_function(f"() => /found|No results|unavailable/.test({status})")
    options = page.locator(".cp-search__results [role=option]")
    return [str(href) for href in options.evaluate_all("els => els.map(e => e.dataset.href)")]


def citation_problems(context: BrowserContext, site: Site, pages: list[str]) -> list[str]:
    """Every citation and bibliography back-link on `pages` lands on an element that exists."""
    problems = []
    wanted: list[tuple[str, str, str]] = []  # (page name, document, fragment)
    ids: dict[str, set[str]] = {}  # element ids of each document opened

    def read(url: str) -> Page:
        visit = open_page(context, site, url)
        ids[urldefrag(url).url] = set(
            visit.page.locator("[id]").evaluate_all("els => els.map(e => e.id)"))
        return visit.page

    for name in pages:
        page = read(site.url(name))
        hrefs = page.locator("a.cp-cite, .cp-ref a[href*='#cite-']").evaluate_all(
            "els => els.map(e => e.href)")
        page.close()
        if name == "case" and not hrefs:
            problems.append(f"{name}: no citation links found")
        wanted += [(name, *urldefrag(str(href))) for href in hrefs]
    for name, document, fragment in wanted:
        if document not in ids:
            read(document).close()
        if fragment not in ids[document]:
            problems.append(f"{name}: link to {site.path_of(document)}#{fragment} "
                            "lands on no element")
    return problems


def figure_problems(page: Page) -> list[str]:
    """Every figure image loads with a real size (scrolled to, since they load lazily)."""
    images = page.locator(".cp-figure img")
    problems = [] if images.count() else ["no figure images found"]
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        image.evaluate("img => img.complete || new Promise(r => { img.onload = img.onerror = r; })")
        if image.evaluate("img => img.naturalWidth") <= 0:
            problems.append(f"figure image {image.get_attribute('src')} did not render")
    return problems


def axe_violations(page: Page) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations found by axe-core."""
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `make browser-deps` (npm install)")
    # colours are measured as readers see them, not halfway through a fade-in
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    page.add_script_tag(path=str(AXE))  # inlined: no request leaves the page
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                preload: false});  // preloading re-fetches stylesheets, refused on file://
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""", AXE_TAGS)
    return [f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'])}" for v in found]
