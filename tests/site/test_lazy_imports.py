"""Start-up cost follows the site: a site of hand-written pages and references has no content
files to validate or draw, so `mkdocs build` must not import pydantic, the content models or
the SVG graphics (most of what importing casepress used to cost), while a site with content
imports them and builds its case pages as before.

Each build runs in a fresh process, so modules imported by other tests do not count.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project, copy_site, text_of

pytestmark = pytest.mark.slow  # real builds in subprocesses

CONTENT_ONLY = ("pydantic", "casepress.models", "casepress.content.validation",
                "casepress.site.case_page", "casepress.site.evidence_page",
                "casepress.graphics.placeholder", "casepress.graphics.timeline",
                "casepress.site.structured_data")
PROBE = """
import json, runpy, sys

config, site, out = sys.argv[1:4]
sys.argv = ["mkdocs", "build", "--quiet", "-f", config, "-d", site]
try:
    runpy.run_module("mkdocs", run_name="__main__")
except SystemExit as stop:
    assert not stop.code, stop.code
with open(out, "w") as file:
    json.dump(sorted(sys.modules), file)
"""


def _modules_after_build(config: Path, site: Path) -> set[str]:
    out = site.parent / "modules.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(config), str(site), str(out)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(out.read_text(encoding="utf-8"))
    return {m for m in modules if m.startswith(CONTENT_ONLY)}


def test_a_pages_only_site_builds_without_the_content_models(tmp_path: Path) -> None:
    config = copy_site("pages-only", tmp_path)
    loaded = _modules_after_build(config, tmp_path / "site")
    assert loaded == set(), sorted(loaded)
    # and it is a whole site: citations numbered and linked, bibliography with back-links
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="#ref-ortiz2019"' in home and 'id="ref-ortiz2019"' in home  # its own list
    raw = (tmp_path / "site" / "bibliography" / "index.html").read_text(encoding="utf-8")
    bibliography = text_of(raw)
    assert "Ortiz L, Brandt J. An invented cohort of cement augmentations." in bibliography
    assert re.search(r">Teaching notes</a> \(.*?\) · <a [^>]*>Reading notes</a>",
                     raw)  # nakamura2021: cited on both pages


def test_a_site_with_content_loads_them(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    loaded = _modules_after_build(project / "mkdocs.yml", tmp_path / "site")
    assert {"pydantic", "casepress.models.case", "casepress.site.case_page",
            "casepress.graphics.placeholder"} <= loaded
    assert any((tmp_path / "site" / "cases").glob("*/index.html"))
