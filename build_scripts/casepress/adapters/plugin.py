"""MkDocs adapter: wires MkDocs events to the casepress pipeline and does nothing else.

* `on_startup`: its presence keeps this plugin object, and so its `BuildCache`, across the
  rebuilds of one `mkdocs serve`, which then redo only what an edit changed; under `serve`,
  content that does not validate is reported and the last good content built again (MkDocs'
  server would otherwise hang every request until a build succeeds).
* `on_config`: make the configuration offline when `casepress bundle` asks (another engine's
  process, see `offline`); make sure the Markdown extensions our pages use are on, add our
  CSS and JS;
  pin the build date (see `build_date`) so that equal sources give an equal site; warn when
  another search plugin is on beside ours.
* `on_pre_build`: run the whole pipeline. It runs before MkDocs empties `site/`, so content
  with errors stops the build with the previous site intact.
* `on_files`: hand the generated pages and files to MkDocs (never into docs/): in memory
  under `serve`; for a one-off build, pages from a temporary folder that the plugin removes
  when the build ends, so that a large library's pages are not all in memory at once.
* `on_nav`: under dirty `serve` builds, mark which pages and files an edit changed
  (`incremental.OutputMemo`): MkDocs renders and writes only those.
* `on_page_markdown`: give hand-written pages their resolved citations and a meta description.
* `on_page_content`: pass each page body through the HTML allow-list (checks/html_safety.py),
  noting what it removed, label table cells for narrow screens (table_labels.py) and make
  figure images' `srcset` relative to the page's URL (imaging/responsive.py); last of all
  plugins, let go of a generated page's Markdown and hold its HTML compressed, so that
  MkDocs' rendering every page before writing any does not hold a library's pages twice;
* `on_env`: stop the build if the allow-list removed anything from a page, after rendering,
  before writing.
* `on_page_context`: first of all plugins, give a generated page its HTML back.
* `on_post_page`: last of all plugins, let go of a generated page's HTML once it is written.
* `on_post_build`: remove what the last `serve` build wrote and this one did not; write the
  site search's files from the finished pages (search/), redoing only changed pages.
* `on_serve`: watch content, templates and references.bib for live reload.
"""

from __future__ import annotations

import html
import logging
import os
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from casepress.adapters.build_date import pin_build_date
from casepress.adapters.config import CasepressConfig
from casepress.adapters.incremental import OutputMemo
from casepress.adapters.offline import OFFLINE_VARIABLE, make_offline
from casepress.adapters.table_labels import label_table_cells
from casepress.checks.html_safety import page_problems, sanitise
from casepress.commands.atomic_output import scratch_folder
from casepress.commands.mkdocs_yml import (
    engine_without_casepress,
    missing_site_url,
    other_search_problem,
    read_mkdocs_yml,
)
from casepress.diagnostics import Diagnostic, Severity, format_report
from casepress.imaging.responsive import rebase_srcsets
from casepress.pages import PAGE_FOLDER_PREFIX, PageFile, PageFolder
from casepress.pipeline import BuildCache, run_pipeline
from casepress.project import ProjectOptions
from casepress.search import write_search_files
from casepress.search.index import SearchIndex
from casepress.site.build import ASSET_DIR, REQUIRED_EXTENSIONS, SiteOutput, static_asset_names
from casepress.site.listings import markdown_description
from casepress.site.navigation import nav_paths

if TYPE_CHECKING:  # only `mkdocs serve` loads it
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.casepress")

LISTING_PAGES = ("cases/index.md", "techniques/index.md", "evidence/index.md", "bibliography.md")


class CasepressPlugin(BasePlugin[CasepressConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = BuildCache()  # kept between the rebuilds of one `serve`
        self.site: SiteOutput | None = None  # what this build hands to MkDocs
        self.options: ProjectOptions | None = None
        self.unsafe: list[Diagnostic] = []  # markup that could run code, per page
        self.serving = False
        self.last_good: SiteOutput | None = None  # what `serve` shows while content is broken
        # Under `serve`: the search index and, for dirty builds, what the last build wrote,
        # so that a rebuild redoes only what an edit changed.
        self.search_index: SearchIndex | None = None
        self.memo: OutputMemo | None = None
        self.files: Files | None = None
        # A one-off build's finished pages, on disk until MkDocs has read them.
        self.page_folder: tempfile.TemporaryDirectory[str] | None = None
        # Generated pages' HTML, compressed, from rendering until each is written.
        self.held: dict[str, bytes] = {}

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool
                   ) -> None:
        # Also keeps this plugin object, and so its cache, across the rebuilds of one serve.
        self.serving = command == "serve"
        if self.serving:
            self.search_index = SearchIndex()
            self.memo = OutputMemo() if dirty else None
            if not dirty:
                log.info("casepress: every edit rebuilds the whole site; `casepress serve` (or "
                         "`mkdocs serve --dirty`) rebuilds only the pages it changes")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if os.environ.get(OFFLINE_VARIABLE) == "1":  # `casepress bundle` with another engine
            make_offline(config)
            self.config.hosted = False
        root = Path(config.config_file_path or ".").resolve().parent
        self.options = ProjectOptions.at(
            root,
            content_dir=root / self.config.content_dir,
            templates_dir=root / self.config.templates_dir,
            bibliography=root / self.config.bibliography,
            docs_dir=Path(config.docs_dir),
            style=self.config.style,
            numbering=self.config.numbering,
            site_name=config.site_name,
            cache_dir=root / self.config.cache_dir if self.config.cache else None,
            site_url=config.site_url,  # none in the offline copy: its pages carry no address
            directory_urls=config.use_directory_urls,
            history=self.config.history,
        )
        # Reproducible output: MkDocs dates sitemap.xml(.gz) from SOURCE_DATE_EPOCH.
        options = self.options
        sources = [Path(config.config_file_path or "mkdocs.yml"), options.content_dir,
                   options.templates_dir, options.bibliography, options.docs_dir]
        try:
            pin_build_date(root, sources)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        config_file = Path(config.config_file_path or "mkdocs.yml")
        if config_file.is_file():
            yml = read_mkdocs_yml(config_file)
            problems = [other_search_problem(config_file, yml),
                        *engine_without_casepress(config_file, yml)]
            for problem in problems:
                if problem is not None:
                    log.warning(problem.format_text())
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
        self.unsafe = []
        self.held = {}
        # A one-off build keeps nothing for a next one: each page is written to the page
        # folder once finished and let go, and the loaded project once every page is made.
        if self.serving:
            result = run_pipeline(self.options, config.nav, self.cache)
        else:
            self._remove_page_folder()  # should an earlier build in this process have left one
            self.page_folder = scratch_folder(PAGE_FOLDER_PREFIX)
            result = run_pipeline(self.options, config.nav, BuildCache.single(),
                                  PageFolder(Path(self.page_folder.name)).keep)
        if self.config.hosted and not config.site_url:
            result.diagnostics.append(missing_site_url())
        for diagnostic in result.diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.warning(diagnostic.format_text())
        if result.ok:
            self.site = result.site
            self.last_good = result.site if self.serving else None
            return
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        report = "casepress found problems in the content:\n" + format_report(errors)
        if self.serving and self.last_good is not None:
            # MkDocs' server would hang every request until a build succeeds: build the last
            # good content again instead, so that the preview stays readable while it is fixed.
            log.error(f"{report}\n{len(errors)} error(s); still serving the site as it was "
                      "before this edit: fix the lines above and save.")
            self.site = self.last_good
            return
        raise PluginError(
            f"{report}\n{len(errors)} error(s); nothing was built and site/ was left as it was.")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        site = self.site
        in_nav = set(nav_paths(config.nav))
        for path in site.generated_paths:
            inclusion = (InclusionLevel.UNDEFINED if path in in_nav or path in LISTING_PAGES
                         else InclusionLevel.NOT_IN_NAV)
            page = site.pages[path]
            if isinstance(page, PageFile):
                files.append(File.generated(config, path, abs_src_path=str(page.file),
                                            inclusion=inclusion))
            else:
                files.append(File.generated(config, path, content=page.markdown,
                                            inclusion=inclusion))
        for asset in site.assets:
            if existing := files.get_file_from_path(asset.path):
                files.remove(existing)
            files.append(File.generated(config, asset.path, content=asset.content))
        return self.memo.track(files) if self.memo else files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.memo:
            assert self.site is not None
            # Other plugins' output cannot be judged: with them, every page is rendered.
            alone = [name for name in config.plugins if name != "casepress"] == []
            self.memo.decide(nav, files, config, self.site, judged=alone)
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.site is not None
        resolved = self.site.pages.get(page.file.src_uri)
        if "description" not in page.meta and (description := markdown_description(markdown)):
            page.meta["description"] = description
        if isinstance(page.meta.get("description"), str):
            # Material writes it into an HTML attribute as it is.
            page.meta["description"] = html.escape(page.meta["description"], quote=False
                                                   ).replace('"', "&quot;")
        if resolved is None or page.file.generated_by is not None:
            return markdown  # not ours, or a generated page: MkDocs read it as we made it
        # A hand-written page with its citations resolved. MkDocs has already read the front
        # matter into page.meta; left in, it would show as text at the top of the page.
        return get_data(resolved.markdown)[0]

    def _on_page_content(
        self, content: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.site is not None and self.options is not None
        resolved = self.site.pages.get(page.file.src_uri)
        source = resolved.source if resolved else self.options.relative(
            Path(page.file.abs_src_path or page.file.src_uri))
        self.unsafe += page_problems(content, page.file.src_uri, source, self.options.root)
        # MkDocs rewrites each image's `src` for the page's URL, not its `srcset`.
        return rebase_srcsets(label_table_cells(sanitise(content)), page.file.src_uri, page.url)

    @event_priority(-100)
    def _hold_compressed(
        self, content: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        # MkDocs renders every page before it writes the first: at 10,000 cases their HTML
        # (64 KB a case page) and Markdown (54 KB) were most of a build's memory. After every
        # plugin's turn, a generated page lets go of its Markdown (not None: MkDocs would lose
        # the page's title) and keeps its HTML compressed (8 KB) until its turn to be written.
        if not self._made_here(page):
            return content
        page.markdown = ""
        self.held[page.file.src_uri] = zlib.compress(content.encode("utf-8"), 1)
        return ""

    @event_priority(100)
    def on_page_context(self, context: TemplateContext, *, page: MkDocsPage,
                        config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        # Before any plugin's turn: the page's HTML is back for its template and plugins.
        if (held := self.held.pop(page.file.src_uri, None)) is not None:
            page.content = zlib.decompress(held).decode("utf-8")
        return context

    def _made_here(self, page: MkDocsPage) -> bool:
        """A page casepress generated (not a hand-written one, nor another plugin's)."""
        return (self.site is not None and page.file.generated_by is not None
                and page.file.src_uri in self.site.pages)

    on_page_content = CombinedEvent(_on_page_content, _hold_compressed)

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        # Written now: its HTML is not needed again (anchors are checked from what rendering
        # noted), and the search index, made after the last page, reuses the memory.
        if self._made_here(page):
            page.content = None
        return output

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.files = files
        # Every page is rendered and none is written yet: stop here if any could run code.
        if self.unsafe:
            raise PluginError("casepress found markup that could run code in a reader's "
                              f"browser:\n{format_report(self.unsafe)}\n{len(self.unsafe)} "
                              "error(s); nothing was written.")
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._remove_page_folder()
        if self.memo and self.files is not None:
            self.memo.record(self.files, config)
        write_search_files(Path(config.site_dir), config.use_directory_urls, self.search_index)

    def on_build_error(self, *, error: Exception) -> None:
        self._remove_page_folder()

    def _remove_page_folder(self) -> None:
        if self.page_folder is not None:
            self.page_folder.cleanup()
            self.page_folder = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
                 ) -> LiveReloadServer:
        assert self.options is not None
        for path in (self.options.content_dir, self.options.templates_dir,
                     self.options.bibliography):
            if path.exists():
                server.watch(str(path))
        return server
