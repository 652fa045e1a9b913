"""The whole flow in one call, shared by the MkDocs plugin and the command line.

content + references.bib -> load and validate (`project`, `content.handwritten`) -> checks
(`checks.CHECKS`) -> each content file's history from git (`history.record`) -> resolve
figure references and citations, render templates (`site.build`) -> reference checks that
need the numbering -> finished pages.

All that one build may hand to the next lives in a `BuildCache` that the caller makes and
keeps (the plugin for a whole `mkdocs serve` session, a command for one run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from casepress.cache import SlotCache
from casepress.checks import CheckCache, run_checks
from casepress.checks.html_safety import asset_problems
from casepress.checks.real_images import real_image_problems
from casepress.checks.references import reference_problems
from casepress.content.figure_files import read_figure_files
from casepress.content.handwritten import read_handwritten
from casepress.diagnostics import Diagnostic, has_errors
from casepress.history.record import HistoryCache, read_histories
from casepress.pages import FinishedPage, Page
from casepress.project import LoadCache, Project, ProjectOptions, load_project
from casepress.site.build import RenderCache, SiteOutput, build_site, keep_in_memory


@dataclass
class BuildCache:
    """Everything a build may take over from the builds before it in the same process."""

    load: LoadCache = field(default_factory=LoadCache)
    handwritten: SlotCache[Page] = field(default_factory=SlotCache)
    render: RenderCache = field(default_factory=RenderCache)
    checks: CheckCache = field(default_factory=CheckCache)
    generated_files: SlotCache[list[Diagnostic]] = field(default_factory=SlotCache)
    history: HistoryCache = field(default_factory=HistoryCache)

    @classmethod
    def single(cls) -> BuildCache:
        """For one build with none after it (`mkdocs build`, `export-md`): what is rendered
        is not kept, so that memory holds one finished page at a time, not the library."""
        return cls(render=RenderCache.forgetting(), checks=CheckCache.forgetting())


@dataclass
class PipelineResult:
    project: Project
    site: SiteOutput | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return self.site is not None and not has_errors(self.diagnostics)


def run_pipeline(options: ProjectOptions, nav: object | None,
                 cache: BuildCache | None = None,
                 keep: Callable[[Page], FinishedPage] = keep_in_memory) -> PipelineResult:
    """`keep` decides what the result holds of each finished page (see `site.build_site`)."""
    cache = cache or BuildCache.single()
    project, diagnostics = load_project(options, cache.load)
    try:
        handwritten, unreadable = read_handwritten(options, cache.handwritten)
        figures, unusable = read_figure_files(options.docs_dir,
                                              options.relative(options.docs_dir))
        diagnostics += unreadable + unusable + run_checks(project, handwritten, cache.checks)
        diagnostics += real_image_problems(project.content, figures)
        if has_errors(diagnostics):
            return PipelineResult(project, None, diagnostics)
        documents = {d.file: d.kind for d in project.content.documents()}
        histories = (read_histories(options, documents, project.store, cache.history)
                     if options.history and documents else None)
        site = build_site(project, handwritten, nav, figures, cache.render, histories, keep)
        diagnostics += site.diagnostics
        if not site.diagnostics:  # else a template failed and nothing was numbered
            diagnostics += reference_problems(project, site.numbering)
            diagnostics += asset_problems(site.assets, cache.generated_files)
        return PipelineResult(project, site, diagnostics)
    finally:
        # Reference work done so far, kept for the next build even when this one stops on
        # a content error: the editor fixing it rebuilds without redoing it.
        project.store.flush()
