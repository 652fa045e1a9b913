"""Under `serve` with dirty builds (`casepress serve`, `mkdocs serve --dirty`) a rebuild
renders and writes only the pages an edit changed, and after any sequence of edits the
served folder equals a clean build of the same sources, file by file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from PIL import Image

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import gen_library

pytestmark = pytest.mark.slow  # real builds, a clean one in a subprocess after each edit

SERVE_URL = "http://127.0.0.1:8000/lib/"
# One build as `mkdocs serve` makes it (its address, drafts included), in a fresh process.
CLEAN_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.site_url = sys.argv[3]
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url=sys.argv[3], dirty=False)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = gen_library.generate_library(tmp_path / "lib", cases=12, citations=3, entries=30,
                                        techniques=2, evidence=2, rows=3)
    shutil.copytree(REPO / "templates", root / "templates")  # so that a test may edit them
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        str(REPO / "templates"), "templates"), encoding="utf-8")
    return root


class Server:
    """The rebuilds of one `mkdocs serve --dirty` session, in this process."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        self.plugin: object = None
        self.rebuild(first=True)

    def rebuild(self, first: bool = False) -> list[str]:
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        if first:
            config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["casepress"]
        build(config, serve_url=SERVE_URL, dirty=True)
        memo = self.plugin.memo
        return list(memo.rendered)


def _clean_build(project: Path, site: Path) -> None:
    subprocess.run([sys.executable, "-c", CLEAN_BUILD, str(project / "mkdocs.yml"), str(site),
                    SERVE_URL], check=True, capture_output=True, cwd=project)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_same(served: Path, clean: Path) -> None:
    have, want = _tree(served), _tree(clean)
    assert sorted(have.keys() - want.keys()) == [], "stale files left in the served site"
    assert sorted(want.keys() - have.keys()) == [], "files missing from the served site"
    differ = [path for path in want if have[path] != want[path]]
    assert differ == [], "files that differ from a clean build"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _case(project: Path, number: int) -> Path:
    return project / "content" / "cases" / f"case-{number:05}.yaml"


def _edit_line(path: Path, field: str, value: str) -> None:
    """Give the first line that sets `field` a new value."""
    line = next(x for x in path.read_text(encoding="utf-8").splitlines() if field in x)
    _edit(path, line, line.split(field)[0] + field + value)


def _volume(project: Path) -> None:
    _edit_line(_case(project, 3), "volume_ml:", " 13.5")


def _figure_image(project: Path, size: int) -> None:
    """Case 6's first panel gets a real image (its figure a provenance), or a new one."""
    case = _case(project, 6)
    figure = yaml.safe_load(case.read_text(encoding="utf-8"))["figures"][0]["id"]
    if "provenance:" not in case.read_text(encoding="utf-8"):
        _edit(case, f"- id: {figure}\n", f"- id: {figure}\n  provenance:\n    source: case "
              "article\n    credit: The source article\n    licence: reproduced with "
              "permission\n")
    image = project / f"docs/assets/figures/case-00006/{figure}-a.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    Image.new("L", (size, size // 2), size % 255).save(image)


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("change a volume", _volume),
    ("change a case title", lambda p: _edit(_case(p, 5), "title: ", "title: Retitled ")),
    ("add a case", lambda p: shutil.copy(_case(p, 2), p / "content/cases/case-00099.yaml")),
    ("delete a case", lambda p: _case(p, 7).unlink()),
    ("rename a case", lambda p: _case(p, 8).rename(p / "content/cases/renamed-case.yaml")),
    ("change a reference", lambda p: _edit_line(p / "references.bib", "year", " = {1999},")),
    ("change a template", lambda p: _edit(p / "templates/pages/case.md.j2", "\n## ",
                                          "\nEdited template.\n\n## ")),
    ("edit a hand-written page", lambda p: _edit(p / "docs/index.md", "# Synthetic case library",
                                                 "# Edited library\n\nA new paragraph.")),
    ("add a figure image", lambda p: _figure_image(p, 1200)),
    ("replace the image", lambda p: _figure_image(p, 700)),
    ("break a case", lambda p: _edit_line(_case(p, 4), "volume_ml:", " plenty")),
    ("mend it", lambda p: _edit_line(_case(p, 4), "volume_ml:", " 4")),
]


def test_each_edit_gives_the_served_site_a_clean_build_would(project: Path,
                                                             tmp_path: Path) -> None:
    server = Server(project, tmp_path / "served")
    _clean_build(project, tmp_path / "clean-0")
    _assert_same(tmp_path / "served", tmp_path / "clean-0")
    last_good = 0
    for number, (name, edit) in enumerate(EDITS, start=1):
        edit(project)
        server.rebuild()
        if name == "break a case":  # served as it was; a clean build refuses the content
            _assert_same(tmp_path / "served", tmp_path / f"clean-{last_good}")
            continue
        _clean_build(project, tmp_path / f"clean-{number}")
        _assert_same(tmp_path / "served", tmp_path / f"clean-{number}")
        last_good = number


def test_an_edit_renders_and_indexes_only_the_pages_it_changes(project: Path,
                                                               tmp_path: Path) -> None:
    server = Server(project, tmp_path / "served")
    assert server.rebuild() == []  # nothing changed, nothing rendered
    before = _tree(tmp_path / "served")
    _volume(project)
    assert server.rebuild() == ["cases/case-00003.md"]
    index = server.plugin.search_index
    assert index.reworked == ["cases/case-00003/"]
    after = _tree(tmp_path / "served")
    changed = sorted(p for p in after if before.get(p) != after[p])
    assert "cases/case-00003/index.html" in changed
    assert not [p for p in changed if p.endswith(".html") and not p.startswith(
        ("cases/case-00003/", "404.html"))], changed
