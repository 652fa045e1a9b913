"""`casepress build --engine`: the same site from the same sources on MkDocs, ProperDocs and
Zensical, and an engine that cannot build said so, the old site kept."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from casepress.commands import cli, engines
from conftest import REPO, copy_project, run_casepress

CASE = "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
# Each engine names itself in the page head; nothing else may differ.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build_with(tmp_path: Path, *engines: str) -> None:
    """The seed project built by each engine into tmp_path/<engine>."""
    project = copy_project(tmp_path)
    for engine in engines:
        result = run_casepress("build", "--engine", engine, "-d", tmp_path / engine, cwd=project)
        assert result.returncode == 0, result.stderr


@pytest.mark.slow  # two real builds in subprocesses
def test_properdocs_builds_the_site_mkdocs_builds(tmp_path: Path) -> None:
    _build_with(tmp_path, "mkdocs", "properdocs")
    mkdocs, properdocs = _tree(tmp_path / "mkdocs"), _tree(tmp_path / "properdocs")
    assert "cases/sacroplasty-hcc-nbca-pmma/index.html" in properdocs
    assert "search/manifest.js" in properdocs  # the plugin's post-build step ran too
    assert sorted(mkdocs) == sorted(properdocs)
    assert [path for path in mkdocs if mkdocs[path] != properdocs[path]] == []
    page = (tmp_path / "properdocs" / "cases/sacroplasty-hcc-nbca-pmma/index.html").read_text(
        encoding="utf-8")
    assert "ProperDocs" in page


@pytest.mark.slow
def test_a_failed_engine_build_keeps_the_old_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    site = tmp_path / "site"
    assert run_casepress("build", "--engine", "properdocs", "-d", site,
                         cwd=project).returncode == 0
    before = _tree(site)
    case = project / CASE
    case.write_text(case.read_text(encoding="utf-8").replace(
        "  age_years: 76\n", "  age_years: old\n", 1), encoding="utf-8")
    result = run_casepress("build", "--engine", "properdocs", "-d", site, cwd=project)
    assert result.returncode == 1
    assert "age_years" in result.stderr and "(schema-type)" in result.stderr  # its own words
    assert "was left as it was" in result.stderr and "Traceback" not in result.stderr
    assert _tree(site) == before


def test_an_engine_that_is_not_installed_names_the_extra(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.setattr(engines.importlib.util, "find_spec",
                        lambda name: None if name == "properdocs" else object())
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    code = cli.main(["-f", str(REPO / "mkdocs.yml"), "build", "--engine", "properdocs",
                     "-d", str(site)])
    assert code == 2
    error = capsys.readouterr().err
    assert "ProperDocs is not installed" in error and "casepress[properdocs]" in error
    assert (site / "index.html").read_text(encoding="utf-8") == "old"


def test_an_unknown_engine_is_refused_with_the_choices(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["build", "--engine", "hugo"])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'hugo'" in error and "mkdocs" in error and "properdocs" in error


@pytest.mark.parametrize(("files", "expected"), [
    ({"mkdocs.yml": "site_name: x\nplugins:\n  - casepress\n"}, []),
    ({"mkdocs.yml": "site_name: x\nplugins:\n  - search\n"}, ["mkdocs.yml"]),
    ({"mkdocs.yml": "site_name: x\n"}, ["mkdocs.yml"]),
    ({"mkdocs.yml": "site_name: x\nplugins: [casepress]\n", "zensical.toml": "[project]\n"},
     ["zensical.toml"]),
], ids=["plugin-on", "plugin-missing", "no-plugins", "zensical-config"])
def test_what_would_build_the_site_without_casepress_is_named(
        tmp_path: Path, files: dict[str, str], expected: list[str]) -> None:
    from casepress.commands.mkdocs_yml import engine_without_casepress, read_mkdocs_yml

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    found = engine_without_casepress(config, read_mkdocs_yml(config))
    assert [d.file for d in found] == expected
    assert all(d.rule == "engine-without-casepress" for d in found)


@pytest.mark.slow  # two real bundles
def test_properdocs_makes_the_offline_bundle_mkdocs_makes(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    trees = {}
    for engine in ("mkdocs", "properdocs"):
        out = tmp_path / f"{engine}.zip"
        result = run_casepress("bundle", "--engine", engine, "-o", out, cwd=project)
        assert result.returncode == 0, result.stderr
        with zipfile.ZipFile(out) as bundle:
            trees[engine] = {name: GENERATOR.sub(b"", bundle.read(name))
                             for name in bundle.namelist()}
    mkdocs, properdocs = trees["mkdocs"], trees["properdocs"]
    assert "site-offline/cases/sacroplasty-hcc-nbca-pmma.html" in properdocs  # files, not folders
    assert "site-offline/sitemap.xml" not in properdocs
    assert sorted(mkdocs) == sorted(properdocs)
    assert [name for name in mkdocs if mkdocs[name] != properdocs[name]] == []


def _reader_facts(page: Path) -> tuple[str, list[tuple[str | None, ...]], int, str | None]:
    """What a reader meets in a page's article: its text, its links with their hover text,
    its images, how many table cells are labelled for narrow screens; and its JSON-LD."""
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    article = tree.css_first("article")
    assert article is not None, page
    for node in article.css(".headerlink, a#__skip"):  # Zensical's skip-link target
        node.decompose()
    text = " ".join(article.text(separator=" ").split())
    links = [(a.attributes.get("href"), a.attributes.get("title")) for a in article.css("a[href]")]
    links += [(img.attributes.get("src"), img.attributes.get("alt")) for img in article.css("img")]
    data = tree.css_first('script[type="application/ld+json"]')
    return (text, links, len(article.css("[data-label]")),
            json.dumps(json.loads(data.text()), sort_keys=True) if data else None)


@pytest.mark.slow  # two real builds in subprocesses
def test_zensical_builds_what_mkdocs_builds_from_the_finished_markdown(tmp_path: Path) -> None:
    _build_with(tmp_path, "mkdocs", "zensical")
    mkdocs, zensical = tmp_path / "mkdocs", tmp_path / "zensical"
    pages = sorted(p.relative_to(mkdocs).as_posix() for p in mkdocs.rglob("*.html"))
    assert "cases/sacroplasty-hcc-nbca-pmma/index.html" in pages
    for page in pages:  # every page, each with the same text, links, figures and data
        assert _reader_facts(zensical / page) == _reader_facts(mkdocs / page), page
    case = _reader_facts(zensical / "cases/sacroplasty-hcc-nbca-pmma/index.html")
    assert any(href and href.startswith("#ref-") and title for href, title in case[1])
    assert case[2] > 0 and case[3] is not None  # labelled table cells, structured data
    # the same search, file for file: it reads the same sections
    search = {p.relative_to(mkdocs).as_posix(): p.read_bytes()
              for p in (mkdocs / "search").rglob("*.js")}
    assert search and all((zensical / path).read_bytes() == data
                          for path, data in search.items())
    assert (zensical / "assets/casepress/search.js").is_file()
    assert not (zensical / "search.json").exists()  # Zensical's own search is off


@pytest.mark.slow
def test_zensical_refuses_content_that_does_not_validate(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    case = project / CASE
    case.write_text(case.read_text(encoding="utf-8").replace(
        "  age_years: 76\n", "  age_years: old\n", 1), encoding="utf-8")
    result = run_casepress("build", "--engine", "zensical", "-d", tmp_path / "site",
                           cwd=project)
    assert result.returncode == 1 and "(schema-type)" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


@pytest.mark.parametrize(("extra", "named"), [
    ("  - tags\n", "plugin `tags`"),
    ("  - search\n", None),  # casepress brings its own; Zensical's is turned off
    ("hooks:\n  - hooks.py\n", "`hooks`"),
], ids=["other-plugin", "search", "hooks"])
def test_zensical_names_each_setting_it_cannot_honour(extra: str, named: str | None) -> None:
    from casepress.commands.zensical_build import unhonoured

    text = "site_name: x\nplugins:\n  - casepress\n" + extra
    found = unhonoured(yaml.safe_load(text))
    assert [named in w for w in found] == ([True] if named else [])


@pytest.mark.slow
def test_zensical_reports_content_warnings_and_strict_stops_on_them(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@article{nowhere2020,\n  author = {Nobody, A},\n  title = {Never cited},\n"
                  "  journal = {J},\n  year = {2020},\n}\n")
    relaxed = run_casepress("build", "--engine", "zensical", "-d", tmp_path / "site",
                            cwd=project)
    assert relaxed.returncode == 0 and "(bib-uncited)" in relaxed.stderr
    strict = run_casepress("build", "--strict", "--engine", "zensical", "-d",
                           tmp_path / "strict", cwd=project)
    assert strict.returncode == 1 and "(bib-uncited)" in strict.stderr
    assert "strict mode" in strict.stderr and not (tmp_path / "strict").exists()
