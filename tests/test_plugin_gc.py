"""The plugin keeps what its pipeline made out of the garbage collector's way while MkDocs
renders pages (gc.freeze). A finished build leaves it frozen, so that the interpreter's last
collection skips it when `mkdocs build` exits; the next build in the process (`mkdocs serve`)
gives it back first, and a failed build at once: a session keeps no garbage of its earlier
builds.

Real builds, each in a fresh process; a second plugin looks at the collector from inside.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import copy_site

PROBE = """
import gc, json, sys, weakref
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

during = []

first_result = []  # a weak reference to the first build's pipeline result

class Look(BasePlugin):
    def on_page_content(self, html, **kwargs):
        during.append(gc.get_freeze_count())
        return html

    def on_post_build(self, **kwargs):
        result = config.plugins["casepress"].result
        if result is not None and not first_result:
            result.__dict__["cycle"] = result  # only the collector can free it
            first_result.append(weakref.ref(result))

config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.plugins["look"] = Look()
during_each, after_each, failed = [], [], False
for _ in range(int(sys.argv[3])):
    during.clear()
    try:
        build(config)
    except Exception as exc:
        print(repr(exc), file=sys.stderr)
        failed = True
    during_each.append(min(during))
    after_each.append(gc.get_freeze_count())
alive = bool(first_result) and first_result[0]() is not None
print(json.dumps({"during": during_each, "after": after_each, "failed": failed,
                  "first_result_alive": alive}))
"""


def _look(config: Path, site: Path, builds: int = 1) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(config), str(site), str(builds)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


def test_frozen_while_pages_render_and_until_the_next_build(tmp_path: Path) -> None:
    seen = _look(copy_site("pages-only", tmp_path), tmp_path / "site", builds=4)
    assert not seen["failed"]
    # every page rendered with the pipeline's objects frozen, and they stay so after a build
    assert all(n > 10_000 for n in seen["during"] + seen["after"])
    # each build first gives back what the one before froze: nothing piles up, and the first
    # build's result, garbage in a reference cycle since the second build, is collected
    assert max(seen["during"]) < 1.2 * min(seen["during"])
    assert seen["first_result_alive"] is False


def test_released_when_the_build_stops_after_freezing(tmp_path: Path) -> None:
    config = copy_site("pages-only", tmp_path)
    # markup that could run code is found while pages render, after the pipeline has run
    (config.parent / "docs" / "unsafe.md").write_text(
        "# Unsafe\n\n<img src=x onerror=alert(1)>\n", encoding="utf-8")
    seen = _look(config, tmp_path / "site")
    assert seen["failed"]
    assert seen["during"][0] > 10_000
    assert seen["after"] == [0]
