"""`casepress bundle`: one zip that works from disk, with nothing that reaches the network."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from casepress.commands.bundle import external_loads
from conftest import copy_project, run_casepress

pytestmark = pytest.mark.slow  # real builds in subprocesses

CASE = "site-offline/cases/sacroplasty-hcc-nbca-pmma.html"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("dist") / "nested" / "site-offline.zip"
    result = run_casepress("bundle", "--strict", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout + result.stderr


def test_bundle_is_written_where_asked_and_reports_its_size(bundle: tuple[Path, str]) -> None:
    out, output = bundle
    assert zipfile.is_zipfile(out)
    size = re.search(r"Offline bundle written to .*site-offline\.zip: (\d+) files, ([\d.]+) MB",
                     output)
    assert size, output
    assert abs(float(size.group(2)) - out.stat().st_size / 1e6) < 0.1


def test_bundle_holds_html_pages_and_the_search_files(bundle: tuple[Path, str]) -> None:
    names = set(zipfile.ZipFile(bundle[0]).namelist())
    assert {"site-offline/index.html", CASE, "site-offline/bibliography.html",
            "site-offline/search/manifest.js", "site-offline/assets/casepress/search.js"} <= names
    assert any(n.startswith("site-offline/search/t/") for n in names)
    # the page files address pages as files, as the bundle opens them from disk
    pages = [zipfile.ZipFile(bundle[0]).read(n).decode() for n in names
             if n.startswith("site-offline/search/p/")]
    assert any('"u":"cases/sacroplasty-hcc-nbca-pmma.html"' in page for page in pages)
    assert all(n.startswith("site-offline/") for n in names)
    # served-only files are left out
    assert not {"site-offline/404.html", "site-offline/sitemap.xml"} & names


def test_bundle_links_pages_by_file_and_loads_nothing_remote(bundle: tuple[Path, str]) -> None:
    archive = zipfile.ZipFile(bundle[0])
    case = archive.read(CASE).decode("utf-8")
    assert 'href="#ref-' in case and 'id="references"' in case
    assert 'src="../assets/casepress/search.js"' in case
    for name in archive.namelist():  # (Material's script names CDNs it never uses here)
        if name.endswith((".html", ".css")):
            text = archive.read(name).decode("utf-8", errors="replace")
            assert "unpkg.com" not in text and "fonts.googleapis" not in text, name
    assert 'rel="canonical"' not in case  # no hosted address for a .html page
    # The structured data is there, without the hosted address casepress adds to it online.
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', case)
    assert data and "url" not in json.loads(data.group(1))
    assert "api.github.com" not in case and "md-source" not in case  # no repository facts


def test_existing_zip_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "site-offline.zip"
    with zipfile.ZipFile(out, "w") as earlier:  # an earlier bundle
        earlier.writestr("site-offline/index.html", "old")
    result = run_casepress("bundle", "--out", out)
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["site-offline.zip"]  # no temporary left


def test_settings_that_need_the_network_are_refused_all_at_once(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("font: false", "font: {text: Roboto}")
    config.write_text(text + "extra_javascript:\n  - https://cdn.example.org/widget.js\n",
                      encoding="utf-8")
    out = tmp_path / "dist" / "site-offline.zip"
    result = run_casepress("bundle", "--out", out, cwd=project)
    assert result.returncode == 1
    assert "theme.font" in result.stderr
    assert "extra_javascript: https://cdn.example.org/widget.js" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_scan_finds_everything_loaded_from_outside(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "page.html").write_text(
        '<img src="https://example.org/a.png"><img srcset="b.png 1x, //cdn.example.org/c.png 2x">'
        '<link rel="stylesheet" href="http://example.org/s.css"><a href="https://pubmed.org/1">'
        '<svg><image href="../../outside.png"/></svg><div style="background:url(data:x)"></div>'
        '<img src="../assets/ok.svg"><link rel="canonical" href="https://example.org/">',
        encoding="utf-8")
    (tmp_path / "style.css").write_text("@import 'https://example.org/f.css'; "
                                        "a { background: url(img/ok.png) }", encoding="utf-8")
    assert external_loads(tmp_path) == [
        "cases/page.html: loads https://example.org/a.png, which is outside the bundle",
        "cases/page.html: loads //cdn.example.org/c.png, which is outside the bundle",
        "cases/page.html: loads http://example.org/s.css, which is outside the bundle",
        "cases/page.html: loads ../../outside.png, which is outside the bundle",
        "style.css: loads https://example.org/f.css, which is outside the bundle",
    ]


def test_material_search_left_on_is_named_and_kept_out_of_the_bundle(tmp_path: Path) -> None:
    """A project made before casepress had its own search still lists Material's."""
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "plugins:\n", "plugins:\n  - search\n", 1), encoding="utf-8")
    built = run_casepress("-f", config, "build", "-d", tmp_path / "site")
    assert built.returncode == 0
    assert "the `search` plugin is on beside casepress" in built.stdout + built.stderr
    assert "md-search__input" in (tmp_path / "site" / "index.html").read_text("utf-8")
    out = tmp_path / "bundle.zip"
    bundled = run_casepress("-f", config, "bundle", "--out", out)
    assert bundled.returncode == 0, bundled.stdout + bundled.stderr
    archive = zipfile.ZipFile(out)
    assert "site-offline/search/search_index.json" not in archive.namelist()
    home = archive.read("site-offline/index.html").decode("utf-8")
    assert "md-search__input" not in home and "search.js" in home  # one box, ours
    checked = run_casepress("-f", config, "check")
    assert "(search-plugin)" in checked.stdout
