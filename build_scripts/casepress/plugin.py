"""MkDocs adapter: wires MkDocs events to the casepress pipeline and does nothing else.

* `on_config`: make sure the Markdown extensions our pages use are on, add our CSS and JS;
  pin the build date (see `reproducible`) so that equal sources give an equal site.
* `on_pre_build`: run the whole pipeline. It runs before MkDocs empties `site/`, so content
  with errors stops the build with the previous site intact.
* `on_files`: hand the generated pages and files to MkDocs in memory (never into docs/).
* `on_page_markdown`: give hand-written pages their resolved citations and a meta description.
* `on_page_content`: add other spellings of hyphenated terms for the search (search_terms.py,
  kept between builds by pagescan.py).
  It also scans each page body for markup that could run code (htmlsafety.py);
* `on_env`: stop the build if any page had such markup, after rendering, before writing.
* `on_serve`: watch content, templates and references.bib for live reload.
"""

from __future__ import annotations

import gc
import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.meta import META_RE, get_data

from casepress.diagnostics import Diagnostic, Severity, error, format_report
from casepress.htmlsafety import page_problems
from casepress.navigation import nav_paths
from casepress.pagescan import page_description, page_with_search_terms
from casepress.pipeline import PipelineResult, run_pipeline
from casepress.project import ProjectOptions
from casepress.references.store import DEFAULT_FOLDER
from casepress.reproducible import pin_build_date
from casepress.site import ASSET_DIR, static_asset_names

if TYPE_CHECKING:  # only `mkdocs serve` loads it
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.casepress")

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc", "admonition")
LISTING_PAGES = ("cases/index.md", "techniques/index.md", "evidence/index.md", "bibliography.md")


def without_front_matter(markdown: str) -> str:
    """`get_data(markdown)[0]`: the page as MkDocs reads it, without its YAML or
    MultiMarkdown front matter. A page whose first line can start neither is returned as it
    is, not split into lines and joined again as get_data does."""
    first_line = markdown.partition("\n")[0]
    if ("\r" in markdown or not first_line.strip() or first_line.startswith("---")
            or META_RE.match(first_line)):
        return get_data(markdown)[0]
    return markdown


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

    cache = c.Type(bool, default=True)
    """Keep parsed, decoded and formatted references between builds (in `cache_dir`), so a
    fresh `mkdocs build` redoes only what changed in references.bib or the style. Safe to
    delete at any time; set to false to build without it."""

    cache_dir = c.Type(str, default=DEFAULT_FOLDER)
    """Folder for that cache, relative to mkdocs.yml. Git-ignore it; in CI, keep it between
    runs (e.g. GitHub's actions/cache) to save the work on every run."""

    hosted = c.Type(bool, default=True)
    """True for a site published at `site_url` (canonical links, sitemap, structured data need
    it, so a missing `site_url` is an error); `casepress bundle` sets it to false for the
    offline copy."""


class CasepressPlugin(BasePlugin[CasepressConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: PipelineResult | None = None
        self.options: ProjectOptions | None = None
        self.unsafe: list[Diagnostic] = []  # markup that could run code, per page

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
            cache_dir=root / self.config.cache_dir if self.config.cache else None,
        )
        # Reproducible output: MkDocs dates sitemap.xml(.gz) from SOURCE_DATE_EPOCH.
        options = self.options
        sources = [Path(config.config_file_path or "mkdocs.yml"), options.content_dir,
                   options.templates_dir, options.bibliography, options.docs_dir]
        try:
            pin_build_date(root, sources)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
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
        if gc.get_freeze_count():  # an earlier build in this process (`mkdocs serve`)
            gc.unfreeze()
            self.result = None
            gc.collect()  # its garbage, before this build freezes what is alive
        self.unsafe = []
        self.result = run_pipeline(self.options, config.nav)
        if self.config.hosted and not config.site_url:
            self.result.diagnostics.append(error(
                "mkdocs.yml", None, "site-url",
                "site_url is not set; a hosted site needs it for canonical links, the sitemap "
                "and each case's structured data",
                "set `site_url:` to the address the site is published at"))
        for diagnostic in self.result.diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.warning(diagnostic.format_text())
        if not self.result.ok:
            errors = [d for d in self.result.diagnostics if d.severity is Severity.ERROR]
            raise PluginError(
                "casepress found problems in the content:\n" + format_report(errors)
                + f"\n{len(errors)} error(s); nothing was built and site/ was left as it was."
            )
        # What the pipeline made stays alive until the build ends: at a thousand pages, tens
        # of thousands of objects (references, numbering, finished pages) that every full
        # collection while MkDocs renders would walk again, for nothing. Freezing moves all
        # that is alive now out of the collector's way. They stay frozen after the build, so
        # the interpreter's last collection when `mkdocs build` exits skips them too (about
        # 0.15 s at a thousand pages); the next build of a `mkdocs serve` session, or a failed
        # build, gives them back, so a long session keeps no garbage of its earlier builds.
        gc.freeze()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.result is not None:
            self.result.project.store.flush()  # the page descriptions found while rendering

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.result is not None and self.result.site is not None
        site = self.result.site
        in_nav = set(nav_paths(config.nav))
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
        if "description" not in page.meta and (
                description := page_description(markdown, self.result.project.store)):
            page.meta["description"] = description
        if isinstance(page.meta.get("description"), str):
            # Material writes it into an HTML attribute as it is.
            page.meta["description"] = html.escape(page.meta["description"], quote=False
                                                   ).replace('"', "&quot;")
        if resolved is None:
            return markdown
        # MkDocs has already read the front matter into page.meta; left in, it would show
        # as text at the top of the page.
        return without_front_matter(resolved.markdown)

    def on_page_content(
        self, content: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.result is not None and self.result.site is not None
        assert self.options is not None
        resolved = self.result.site.pages.get(page.file.src_uri)
        source = resolved.source if resolved else self.options.relative(
            Path(page.file.abs_src_path or page.file.src_uri))
        self.unsafe += page_problems(content, page.file.src_uri, source, self.options.root)
        return page_with_search_terms(content, self.result.project.store)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # Every page is rendered and none is written yet: stop here if any could run code.
        if self.unsafe:
            raise PluginError("casepress found markup that could run code in a reader's "
                              f"browser:\n{format_report(self.unsafe)}\n{len(self.unsafe)} "
                              "error(s); nothing was written.")
        return env

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
                 ) -> LiveReloadServer:
        assert self.options is not None
        for path in (self.options.content_dir, self.options.templates_dir,
                     self.options.bibliography):
            if path.exists():
                server.watch(str(path))
        return server
