"""The disk cache of reference work (references/store.py).

A fresh process with the cache must build exactly what a build without it builds, without
parsing the .bib, decoding LaTeX or running citeproc; an edited entry or another style must
be redone; a damaged, foreign or tampered cache must never change or break the site.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project, run_casepress

pytestmark = pytest.mark.slow  # real builds in subprocesses

CACHE = Path(".cache/plugin/casepress")
KEPT = ["bib", "export", "export", "export", "formatted", "items.json"]
HEAVY = ("citeproc", "bibtexparser", "pylatexenc")
PROBE = """
import json, sys
from pathlib import Path
from casepress.pipeline import BuildCache, run_pipeline
from casepress.commands.mkdocs_yml import options_from_mkdocs_yml


options, config = options_from_mkdocs_yml(Path(sys.argv[1]))
cache = BuildCache()
result = run_pipeline(options, config.get("nav"), cache)
assert result.ok, result.diagnostics
print(json.dumps({
    "imported": [m for m in sys.argv[2:] if m in sys.modules],
    "parsed": cache.load.bibliographies.stats.misses,
    "formatted": sum(f.stats.misses for f in cache.load.formatters.values()),
    "from_disk": result.project.store.reads,
}))
"""


def _export(project: Path, out: Path) -> dict[str, bytes]:
    done = run_casepress("-f", project / "mkdocs.yml", "export-md", out)
    assert done.returncode == 0, done.stdout + done.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _probe(project: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(project / "mkdocs.yml"), *HEAVY],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _set_plugin_option(project: Path, line: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "      bibliography: references.bib\n"
    assert anchor in text
    config.write_text(text.replace(anchor, anchor + f"      {line}\n"), encoding="utf-8")


def _uncached_export(project: Path, place: Path) -> dict[str, bytes]:
    """`project` as it is now, copied to `place` and built with `cache: false`."""
    copy = place / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
    _set_plugin_option(copy, "cache: false")
    files = _export(copy, place / "out")
    assert not (copy / ".cache").exists(), "cache: false must not write a cache"
    return files


def test_a_fresh_process_reuses_the_cache_and_builds_the_same_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    first = _export(project, tmp_path / "first")
    kept = sorted(p.name.split("-")[0] for p in (project / CACHE).iterdir())
    assert kept == KEPT, kept
    probe = _probe(project)
    assert probe["imported"] == [], "a cached build loaded the .bib parser, LaTeX or citeproc"
    assert probe["parsed"] == 0 and probe["formatted"] == 0
    assert isinstance(probe["from_disk"], int) and probe["from_disk"] > 19
    second = _export(project, tmp_path / "second")
    assert second == first
    assert first == _uncached_export(project, tmp_path / "plain")


def test_an_edited_entry_and_another_style_are_redone(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _export(project, tmp_path / "first")
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "{Technic} and results", "{Technic} and long-term results"), encoding="utf-8")
    edited = _export(project, tmp_path / "edited")
    assert "Technic and long-term results" in edited["bibliography.md"].decode()
    probe = _probe(project)  # the edit is in the cache now, too
    assert probe["parsed"] == 0 and probe["formatted"] == 0
    assert edited == _uncached_export(project, tmp_path / "plain")

    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "style: casepress", "style: ama"), encoding="utf-8")
    ama = _export(project, tmp_path / "ama")
    assert ama["bibliography.md"] != edited["bibliography.md"]
    assert ama == _uncached_export(project, tmp_path / "plain-ama")
    assert len(list((project / CACHE).glob("formatted-*.json"))) == 1, "old style's file kept"


DAMAGE = {
    "not-json": lambda text: "{not json",
    "empty": lambda text: "",
    "other-version": lambda text: text.replace('"version": "', '"version": "x', 1),
    "wrong-shapes": lambda text: json.dumps({
        "version": json.loads(text)["version"], "label": json.loads(text).get("label"),
        "values": {k: 7 for k in json.loads(text).get("values", {})},
        "entries": [[1, 2]], "problems": "x", "text": "changed", "sha256": "0"}),
    "text-changed": lambda text: text.replace('"text": "', '"text": "changed ', 1),
    "nested-deeper-than-the-parser-recurses": lambda text: "[" * 200_000 + "]" * 200_000,
    "not-utf8": lambda text: "\udcff",
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_cache_is_ignored(tmp_path: Path, damage: str) -> None:
    project = copy_project(tmp_path)
    first = _export(project, tmp_path / "first")
    for path in (project / CACHE).glob("*.json"):
        path.write_text(DAMAGE[damage](path.read_text(encoding="utf-8")), encoding="utf-8",
                        errors="surrogateescape")
    assert _export(project, tmp_path / "again") == first


def test_cached_text_is_escaped_again(tmp_path: Path) -> None:
    """A cache file is data: markup put into it is shown as text, never run."""
    project = copy_project(tmp_path)
    _export(project, tmp_path / "first")
    (formatted,) = (project / CACHE).glob("formatted-*.json")
    record = json.loads(formatted.read_text(encoding="utf-8"))
    for value in record["values"].values():
        value[0] = "<script>alert(1)</script> [x](javascript:alert(1))"
    formatted.write_text(json.dumps(record), encoding="utf-8")
    page = _export(project, tmp_path / "again")["bibliography.md"].decode()
    assert "<script" not in page
    # the reference text, as escaped as any text from references.bib
    assert ('<span class="cp-ref-text">&#60;script&#62;alert(1)&#60;/script&#62; '
            '&#91;x&#93;(javascript&#58;alert(1))</span>') in page


def test_a_read_only_cache_folder_still_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    # A file where the folder should be: unwritable even for root, who ignores permissions.
    (project / ".cache").write_text("not a folder", encoding="utf-8")
    built = _export(project, tmp_path / "out")
    (project / ".cache").unlink()
    assert built == _uncached_export(project, tmp_path / "plain")


def test_cache_dir_moves_the_cache(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _set_plugin_option(project, "cache_dir: build-cache/references")
    _export(project, tmp_path / "out")
    assert not (project / ".cache").exists()
    assert sorted(p.name.split("-")[0] for p in (project / "build-cache/references").iterdir()
                  ) == KEPT


def test_cache_files_are_versioned_by_release_and_schema_not_by_source_files(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Renaming or moving a module must not break the cache (nor every build): the version
    written into each file reads no source file, only the release, the cache schema and the
    library versions."""
    from casepress import __version__
    from casepress.references import store

    def no_reading(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("code_version read a file")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    version = store.code_version()
    assert version.startswith(f"casepress={__version__};schema={store.CACHE_SCHEMA};")
    assert all(f"{library}=" in version for library in ("bibtexparser", "pylatexenc",
                                                        "citeproc-py"))
