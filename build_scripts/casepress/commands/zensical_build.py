"""A Zensical build: Zensical runs no MkDocs plugin, so casepress hands it what the plugin
would have made.

1. The pipeline's finished Markdown tree (what `casepress export-md` writes: pages with
   citations resolved, generated files, the project's other docs files) goes into a
   temporary folder.
2. A configuration for Zensical is derived from mkdocs.yml: the plugin left out, its
   Markdown extensions and casepress's CSS and JavaScript added, Zensical's own search
   turned off (casepress brings its own), the Material look kept (`variant: classic`), paths
   made absolute.
3. Zensical builds that into the staging folder.
4. casepress does after the build what the plugin does during one: every page's article is
   checked against the HTML allow-list (a page that could run code stops the build) and its
   tables are labelled for narrow screens; the search files are written; internal links are
   checked.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from casepress.adapters.table_labels import label_table_cells
from casepress.checks.html_safety import unsafe_markup
from casepress.commands.atomic_output import scratch_folder
from casepress.commands.engines import EngineFailed, run_engine
from casepress.commands.linkcheck import check_site
from casepress.commands.markdown_tree import write_tree
from casepress.commands.mkdocs_yml import (
    OTHER_SEARCH_PLUGINS,
    missing_site_url,
    plugin_names,
    read_mkdocs_yml,
)
from casepress.diagnostics import Severity, format_report
from casepress.imaging.responsive import rebase_srcsets
from casepress.pages import PageFolder
from casepress.pipeline import BuildCache, run_pipeline
from casepress.project import ProjectOptions
from casepress.search import write_search_files
from casepress.site.build import ASSET_DIR, REQUIRED_EXTENSIONS, static_asset_names

LEFT_BEHIND = ("search.json",)  # Zensical's own (empty) search index
TEMPORARY_PREFIX = ".casepress-zensical-"


def zensical_config(mkdocs: dict[str, Any], root: Path) -> dict[str, Any]:
    """mkdocs.yml as Zensical should read it for a casepress site, from a folder that holds
    the Markdown tree in `docs/` (Zensical takes paths relative to its configuration)."""
    config = {key: value for key, value in mkdocs.items()
              if key not in ("plugins", "exclude_docs", "docs_dir", "site_dir")}
    config["docs_dir"], config["site_dir"] = "docs", "site"
    config["plugins"] = [{"search": {"enabled": False}}]
    theme = dict(config.get("theme") or {"name": "material"})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    theme.setdefault("variant", "classic")
    config["theme"] = theme
    extensions = list(config.get("markdown_extensions") or [])
    named = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    extensions += [e for e in REQUIRED_EXTENSIONS if e not in named]
    config["markdown_extensions"] = extensions
    assets = [f"{ASSET_DIR}/{name}" for name in static_asset_names()]
    config["extra_css"] = [*config.get("extra_css", []),
                           *(a for a in assets if a.endswith(".css"))]
    config["extra_javascript"] = [*config.get("extra_javascript", []),
                                  *(a for a in assets if a.endswith(".js"))]
    return config


def unhonoured(mkdocs: dict[str, Any]) -> list[str]:
    """Settings of mkdocs.yml that Zensical would ignore, each named with what is lost."""
    found = [f"mkdocs.yml: warning: plugin `{name}` is not run by Zensical; a site built with "
             "--engine zensical lacks what it adds (build with --engine mkdocs or properdocs)"
             for name in plugin_names(mkdocs) if name not in ("casepress", *OTHER_SEARCH_PLUGINS)]
    if mkdocs.get("hooks"):
        found.append("mkdocs.yml: warning: `hooks` are not run by Zensical; a site built with "
                     "--engine zensical lacks what they do")
    return found


def _source_of(relative: str, sources: set[str]) -> str:
    """The Markdown page an output file of Zensical's directory URLs was made from."""
    if relative.endswith("/index.html") or relative == "index.html":
        folder = relative.removesuffix("index.html").rstrip("/")
        nested = f"{folder}/index.md" if folder else "index.md"
        return nested if nested in sources or not folder else f"{folder}.md"
    return relative.removesuffix(".html") + ".md"


def _finish_pages(site: Path, sources: set[str]) -> list[str]:
    """Label each page's tables and make figure images' `srcset` relative to the page (as
    the plugin does under MkDocs); the pages whose article holds markup that could run code."""
    unsafe = []
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        start = html.find("<article")
        end = html.rfind("</article>")
        if start == -1 or end == -1:
            continue
        start = html.index(">", start) + 1
        article = html[start:end]
        relative = path.relative_to(site).as_posix()
        unsafe += [f"{relative}: {u.what} ({u.evidence[:60]!r})" for u in unsafe_markup(article)]
        page_url = relative.removesuffix("index.html")
        labelled = rebase_srcsets(label_table_cells(article), _source_of(relative, sources),
                                  page_url)
        if labelled != article:
            path.write_text(html[:start] + labelled + html[end:], encoding="utf-8")
    return unsafe


def build_with_zensical(config_file: Path, options: ProjectOptions, site: Path,
                        strict: bool) -> None:
    """The site of `config_file`, built by Zensical into `site`; EngineFailed if it cannot be."""
    mkdocs = read_mkdocs_yml(config_file)
    if warnings := unhonoured(mkdocs):
        print("\n".join(warnings), file=sys.stderr)
        if strict:
            raise EngineFailed(f"{len(warnings)} setting(s) Zensical cannot honour, in strict mode")
    with scratch_folder(TEMPORARY_PREFIX) as temporary:
        docs = Path(temporary) / "docs"
        # Pages go straight into Zensical's docs folder as they are finished.
        result = run_pipeline(options, mkdocs.get("nav"), BuildCache.single(),
                              PageFolder(docs).keep)
        if not mkdocs.get("site_url"):  # a Zensical site is always the hosted one
            result.diagnostics.append(missing_site_url())
        if result.diagnostics:  # as the plugin reports them under MkDocs, warnings included
            print(format_report(result.diagnostics), file=sys.stderr)
        errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
        if not result.ok or result.site is None or (strict and result.diagnostics):
            what = f"{errors} error(s)" if errors else "warnings, in strict mode"
            raise EngineFailed(f"casepress found problems in the content: {what}")
        write_tree(result.site, options.docs_dir, docs)
        built = Path(temporary) / "site"  # Zensical writes only inside its project folder
        derived = Path(temporary) / "mkdocs.yml"
        derived.write_text(yaml.safe_dump(
            zensical_config(mkdocs, config_file.resolve().parent),
            sort_keys=False, allow_unicode=True), encoding="utf-8")
        run_engine("zensical", derived, None, strict)  # its site_dir is in the configuration
        shutil.copytree(built, site, dirs_exist_ok=True)
    for name in LEFT_BEHIND:
        (site / name).unlink(missing_ok=True)
    if unsafe := _finish_pages(site, set(result.site.pages)):
        raise EngineFailed("markup that could run code in a reader's browser:\n  "
                           + "\n  ".join(unsafe))
    write_search_files(site, mkdocs.get("use_directory_urls", True))
    if broken := check_site(site, _base_path(mkdocs)):
        print(format_report(broken), file=sys.stderr)
        if strict:
            raise EngineFailed(f"{len(broken)} broken link(s) in strict mode")


def _base_path(mkdocs: dict[str, Any]) -> str:
    return urlsplit(str(mkdocs.get("site_url") or "/")).path or "/"

