"""The plugin keeps what its pipeline made out of the garbage collector's way while MkDocs
renders pages (gc.freeze), and gives it back when the build ends, finished or failed: a
`mkdocs serve` session must not keep the garbage of its earlier builds.

Real builds, each in a fresh process; a second plugin looks at the collector from inside.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_site

PROBE = """
import gc, json, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

during = []

class Look(BasePlugin):
    def on_page_content(self, html, **kwargs):
        during.append(gc.get_freeze_count())
        return html

config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.plugins["look"] = Look()
try:
    build(config)
    failed = False
except Exception:
    failed = True
print(json.dumps({"during": min(during), "after": gc.get_freeze_count(), "failed": failed}))
"""


def _look(config: Path, site: Path) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(config), str(site)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    seen: dict[str, int] = json.loads(done.stdout)
    return seen


def test_frozen_while_pages_render_and_released_after(tmp_path: Path) -> None:
    seen = _look(copy_site("pages-only", tmp_path), tmp_path / "site")
    assert not seen["failed"]
    assert seen["during"] > 10_000  # every page rendered with the pipeline's objects frozen
    assert seen["after"] == 0


def test_released_when_the_build_stops_after_freezing(tmp_path: Path) -> None:
    config = copy_site("pages-only", tmp_path)
    # markup that could run code is found while pages render, after the pipeline has run
    (config.parent / "docs" / "unsafe.md").write_text(
        "# Unsafe\n\n<img src=x onerror=alert(1)>\n", encoding="utf-8")
    seen = _look(config, tmp_path / "site")
    assert seen["failed"]
    assert seen["during"] > 10_000
    assert seen["after"] == 0
