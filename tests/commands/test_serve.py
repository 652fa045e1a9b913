"""`casepress serve` (MkDocs, and `--engine properdocs`) under an editor's hands: an edit is
rebuilt and served with its search, and an edit that breaks validation is reported in the
terminal while the last good site goes on being served."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BIN, copy_project

pytestmark = pytest.mark.slow  # a real server in a subprocess

CASE = "content/cases/sacroplasty-hcc-nbca-pmma.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(condition: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if callable(condition) and condition():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("timed out")


@pytest.fixture(params=["mkdocs", "properdocs"])
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str, Path]]:
    project = copy_project(tmp_path)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [str(BIN / "casepress"), "-f", str(project / "mkdocs.yml"), "serve",
             "--engine", request.param, "-a", f"127.0.0.1:{port}"], cwd=project,
            stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        base = f"http://127.0.0.1:{port}/casepress/"
        try:
            _wait_for(lambda: "Sacroplasty with n-BCA" in _get(base + "cases/sacroplasty-hcc-"
                                                               "nbca-pmma/"))
            yield project, base, log
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_an_edit_is_served_with_its_search_and_a_broken_one_keeps_the_last_good_site(
        served: tuple[Path, str, Path]) -> None:
    project, base, log = served
    case_file = project / CASE
    good = case_file.read_text(encoding="utf-8")
    page = base + "cases/sacroplasty-hcc-nbca-pmma/"
    case_file.write_text(good.replace("  age_years: 76\n", "  age_years: 77\n", 1),
                         encoding="utf-8")
    _wait_for(lambda: "77-year-old" in _get(page))
    assert "77-year-old" in _get(base + "search/p/" + _page_file(base, "77yearold"))

    case_file.write_text(good.replace("  age_years: 76\n", "  age_years: old\n", 1),
                         encoding="utf-8")
    _wait_for(lambda: "age_years" in log.read_text(encoding="utf-8")
              and "(schema-type)" in log.read_text(encoding="utf-8"))
    time.sleep(2)  # a rebuild that failed must not have replaced the site
    assert "77-year-old" in _get(page)  # the last good site, still served
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _page_file(base: str, word: str) -> str:
    """The search page file of the best section for `word`, found as the reader finds it:
    the word file named by the longest prefix the manifest lists, then its first triple."""
    manifest = json.loads(_get(base + "search/manifest.js").split(",", 2)[2][:-3])
    key = next(word[:n] for n in range(len(word), 0, -1) if word[:n] in manifest["shards"])
    shard = json.loads(_get(base + f"search/t/{key.encode().hex()}.js").split(",", 2)[2][:-3])
    return f"{shard[word][1]}.js"
