"""A one-off `mkdocs build` with the plugin: MkDocs reads the generated pages from a
temporary folder (not from memory), each generated page lets go of its Markdown once it is
HTML, holds its HTML compressed until its turn to be written and lets go of it once written,
and the folder is gone when the build ends, failed or not. A probe hook, run by the real
MkDocs build, reports what it sees; the pages themselves are checked by every other test."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import BIN, copy_project

PROBE = '''
import json, os
from pathlib import Path
seen = {}
def on_env(env, config, files):
    for file in files.documentation_pages():
        page = file.page
        seen[file.src_uri] = {"generated": file.generated_by is not None,
                              "in_memory": file._content is not None,
                              "from": file.abs_src_path, "markdown": len(page.markdown or ""),
                              "html": len(page.content or ""), "title": page.title}
    seen["_folders"] = sorted(p.name for p in Path(os.environ["TMPDIR"]).iterdir())
    seen["_files"] = files
    return env
def on_post_build(config):
    files = seen.pop("_files")
    seen["_html_after"] = [f.src_uri for f in files.documentation_pages() if f.page.content]
    Path(os.environ["PROBE_REPORT"]).write_text(json.dumps(seen))
def on_post_page(output, page, config):
    seen.setdefault("_html_kept", []).append(page.file.src_uri) if page.content else None
    return output
'''


def _build(project: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    (project / "probe.py").write_text(PROBE, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - probe.py\n")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    report = tmp_path / "probe.json"
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"), "-d",
         str(tmp_path / "site")], capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary),
             "PROBE_REPORT": str(report)})
    return result, report


def test_generated_pages_come_from_a_temporary_folder_and_are_let_go(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result, report = _build(project, tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(report.read_text())
    folders = seen.pop("_folders")
    assert len(folders) == 1 and folders[0].startswith(".casepress-pages-")
    generated = {uri: page for uri, page in seen.items()
                 if not uri.startswith("_") and page["generated"]}
    assert "cases/sacroplasty-hcc-nbca-pmma.md" in generated
    for uri, page in generated.items():
        assert not page["in_memory"] and page["from"].endswith(f"{folders[0]}/{uri}"), uri
        # Between rendering and writing: no Markdown, HTML held compressed, title known.
        assert page["markdown"] == page["html"] == 0 and page["title"], uri
    handwritten = [page for uri, page in seen.items()
                   if not uri.startswith("_") and not page["generated"]]
    assert handwritten and all(page["markdown"] > 0 < page["html"] for page in handwritten)
    # Its HTML is back for the page's turn: the probe's on_post_page, before ours, saw it.
    assert set(generated) <= set(seen["_html_kept"])
    # Once written, only the hand-written pages keep theirs.
    assert seen["_html_after"] and not set(generated) & set(seen["_html_after"])
    assert list((tmp_path / "tmp").iterdir()) == []  # the folder went with the build
    case = (tmp_path / "site/cases/sacroplasty-hcc-nbca-pmma/index.html").read_text()
    assert "n-butyl cyanoacrylate" in case.lower() or "n-bca" in case.lower()


def test_a_failed_build_removes_its_page_folder_too(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    # Markup that could run code stops the build after every page is rendered (on_env).
    (project / "docs" / "unsafe.md").write_text(
        "# Unsafe\n\n<img src=x onerror=alert(1)>\n", encoding="utf-8")
    result, report = _build(project, tmp_path)
    assert result.returncode != 0 and "could run code" in result.stderr, result.stderr
    assert not report.exists()
    assert list((tmp_path / "tmp").iterdir()) == []
