"""Take the README's screenshot of the case page with the browser the tests use.

    .venv/bin/python tests/browser/screenshot.py   (or: make screenshot)

Builds the site into a temporary folder, serves it on localhost and saves the top of the case
page, 1280 px wide, to docs/assets/screenshot-case.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from harness import REPO, Site, casepress, launch, open_page, serve

OUT = REPO / "docs" / "assets" / "screenshot-case.png"


def main() -> int:
    with tempfile.TemporaryDirectory() as temporary:
        site_dir = Path(temporary) / "site"
        built = casepress("build", "--strict", "-d", site_dir)
        if built.returncode:
            print(built.stdout + built.stderr, file=sys.stderr)
            return 1
        with serve(site_dir) as base, sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            # not "hosted": leave the repository's star count out rather than show a stand-in
            site = Site("preview", base, site_dir)
            visit = open_page(context, site, site.url("case"))
            visit.page.wait_for_load_state("networkidle")
            OUT.parent.mkdir(parents=True, exist_ok=True)
            visit.page.screenshot(path=str(OUT))
            browser.close()
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
