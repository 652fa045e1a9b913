"""MkDocs adapter: wires MkDocs events to the casepress pipeline and does nothing else.

* `on_config`: make sure the Markdown extensions our pages use are on, add our CSS and JS.
* `on_pre_build`: run the whole pipeline. It runs before MkDocs empties `site/`, so content
  with errors stops the build with the previous site intact.
* `on_files`: hand the generated pages and files to MkDocs in memory (never into docs/).
* `on_page_markdown`: give hand-written pages their resolved citations.
* `on_serve`: watch content, templates and references.bib for live reload.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.meta import get_data

from casepress.diagnostics import Severity, format_report
from casepress.pipeline import PipelineResult, run_pipeline
from casepress.project import ProjectOptions
from casepress.site import ASSET_DIR, static_asset_names

log = logging.getLogger("mkdocs.plugins.casepress")

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc", "admonition")
LISTING_PAGES = ("cases/index.md", "techniques/index.md", "evidence/index.md", "bibliography.md")


class CasepressConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """Folder holding `cases/`, `techniques/` and `evidence/` YAML files, relative to
    mkdocs.yml."""

    templates_dir = c.Type(str, default="templates")
    """Folder whose `pages/` subfolder holds the Jinja2 page templates, relative to
    mkdocs.yml."""

    bibliography = c.Type(str, default="references.bib")
    """The BibTeX file every citation key is looked up in, relative to mkdocs.yml."""

    style = c.Type(str, default="casepress")
    """Citation style for the bibliography: `casepress` (the seed journal's style), `ama`,
    `vancouver`, or the path of any CSL 1.0 style file."""


class CasepressPlugin(BasePlugin[CasepressConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: PipelineResult | None = None
        self.options: ProjectOptions | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.options = ProjectOptions.at(
            root,
            content_dir=root / self.config.content_dir,
            templates_dir=root / self.config.templates_dir,
            bibliography=root / self.config.bibliography,
            docs_dir=Path(config.docs_dir),
            style=self.config.style,
            site_name=config.site_name,
        )
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        for name in static_asset_names():
            if name.endswith(".css"):
                config.extra_css.append(f"{ASSET_DIR}/{name}")
            elif name.endswith(".js"):
                config.extra_javascript.append(f"{ASSET_DIR}/{name}")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        assert self.options is not None
        self.result = run_pipeline(self.options, config.nav)
        for diagnostic in self.result.diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.warning(diagnostic.format_text())
        if not self.result.ok:
            errors = [d for d in self.result.diagnostics if d.severity is Severity.ERROR]
            raise PluginError(
                "casepress found problems in the content:\n" + format_report(errors)
                + f"\n{len(errors)} error(s); nothing was built and site/ was left as it was."
            )

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.result is not None and self.result.site is not None
        site = self.result.site
        in_nav = set(_nav_paths(config.nav))
        for path in site.generated_paths:
            inclusion = (InclusionLevel.UNDEFINED if path in in_nav or path in LISTING_PAGES
                         else InclusionLevel.NOT_IN_NAV)
            files.append(File.generated(config, path, content=site.pages[path].markdown,
                                        inclusion=inclusion))
        for asset in site.assets:
            if existing := files.get_file_from_path(asset.path):
                files.remove(existing)
            files.append(File.generated(config, asset.path, content=asset.content))
        return files

    def on_page_markdown(
        self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.result is not None and self.result.site is not None
        resolved = self.result.site.pages.get(page.file.src_uri)
        if resolved is None:
            return markdown
        # MkDocs has already read the front matter into page.meta; left in, it would show
        # as text at the top of the page.
        return get_data(resolved.markdown)[0]

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
                 ) -> LiveReloadServer:
        assert self.options is not None
        for path in (self.options.content_dir, self.options.templates_dir,
                     self.options.bibliography):
            if path.exists():
                server.watch(str(path))
        return server


def _nav_paths(nav: object) -> list[str]:
    from casepress.navigation import nav_paths

    return list(nav_paths(nav))
