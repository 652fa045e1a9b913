"""Assemble the whole site: every page's final Markdown and every generated file.

The flow is one direction: validated project -> render templates (figure references resolved
per case page) -> number and resolve citations across all pages in reading order ->
bibliography page with back-links -> generated files (figure placeholders, downloads, assets).
Nothing here imports MkDocs; the plugin and `export-md` both call `build_site`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from casepress.cache import SlotCache
from casepress.citations.numbering import (
    BIBLIOGRAPHY_PAGE,
    CitationStyle,
    Numbering,
    number_citations,
    render_citations,
)
from casepress.content.figures import FIGURE_DIR
from casepress.content.loader import KINDS
from casepress.diagnostics import Diagnostic
from casepress.history.record import Histories
from casepress.imaging.responsive import ResponsiveImage
from casepress.pages import Asset, FinishedPage, Page
from casepress.project import Project
from casepress.references import escape_markdown, export
from casepress.site import listings, templates
from casepress.site.bibliography_page import render_bibliography_page
from casepress.site.navigation import reading_order
from casepress.site.page_history import render_history
from casepress.site.reference_list import render_reference_list
from casepress.site.templates import Render, TemplateProblem, make_environment
from casepress.urls import page_address

STATIC_ASSETS = Path(__file__).parent.parent / "assets"
ASSET_DIR = "assets/casepress"
# Python-Markdown extensions the generated pages are written for, whatever the engine.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc", "admonition")
# A generated page (or pages) and the files made with it, such as figure placeholders.
Rendered = tuple[list[Page], list[Asset]]


@dataclass
class SiteOutput:
    pages: dict[str, FinishedPage] = field(default_factory=dict)
    assets: list[Asset] = field(default_factory=list)
    numbering: Numbering = field(default_factory=Numbering)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def generated_paths(self) -> list[str]:
        return [p for p, page in self.pages.items() if not page.source.startswith("docs/")]


@dataclass
class RenderCache:
    """What rendering may take over from an earlier build in the same process: generated
    pages by page (keyed by everything they are made from), the template environment, and the
    reference downloads. Part of the `pipeline.BuildCache` that the caller owns."""

    pages: SlotCache[Rendered] = field(default_factory=SlotCache)
    listings: SlotCache[str] = field(default_factory=SlotCache)
    structured_data: SlotCache[dict[str, Any]] = field(default_factory=SlotCache)
    reference_lists: SlotCache[str] = field(default_factory=SlotCache)
    bibliography: SlotCache[str] = field(default_factory=SlotCache)
    environments: SlotCache[jinja2.Environment] = field(default_factory=SlotCache)
    downloads: SlotCache[list[Asset]] = field(default_factory=SlotCache)
    images: SlotCache[tuple[ResponsiveImage, list[Asset]]] = field(default_factory=SlotCache)

    @classmethod
    def forgetting(cls) -> RenderCache:
        """For a build with none after it: nothing rendered is kept, so each generated page
        is let go once it is finished (see `build_site`'s `keep`)."""
        return cls(**{f.name: SlotCache(remember=False) for f in fields(cls)})


def static_asset_names() -> list[str]:
    """CSS and JavaScript shipped with casepress; every file here is added to each page."""
    return sorted(p.name for p in STATIC_ASSETS.iterdir() if p.is_file())


def _static_assets() -> list[Asset]:
    return [Asset(f"{ASSET_DIR}/{name}", (STATIC_ASSETS / name).read_bytes())
            for name in static_asset_names()]


def _downloads(project: Project) -> list[Asset]:
    """references.bib, .ris and .json for readers to download. They depend on the .bib file's
    bytes alone: kept in the disk cache under its digest."""
    bib = project.bibliography
    keys = list(bib.entries)

    def items() -> list[dict[str, object]]:
        return [project.csl_item(k) for k in keys]

    makers: dict[str, Callable[[], str]] = {
        "references.bib": lambda: export.to_bibtex(bib, keys),
        "references.ris": lambda: export.to_ris(items()),
        "references.json": lambda: export.to_csl_json(items()),
    }
    assets = []
    for name, make in makers.items():
        text = project.store.text(name, bib.digest) if bib.digest else None
        if text is None:
            text = make()
            if bib.digest:
                project.store.keep_text(name, bib.digest, text)
        assets.append(Asset(name, text.encode()))
    return assets


def _world(project: Project) -> tuple[object, ...]:
    """What every generated page may draw on besides content files: the templates (their
    bytes), the options, and the reference data (the same objects while neither references.bib
    nor the style changed; see `project.LoadCache`)."""
    folder = project.options.templates_dir / "pages"
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    templates = tuple((p.as_posix(), p.read_bytes()) for p in files)
    return ((templates, project.options), project.bibliography, project.csl_items,
            project.formatted)


def _figure_files_by_case(figure_files: set[str]) -> dict[str, tuple[str, ...]]:
    """Image files under assets/figures/<case>/, by case: a case page depends on its own."""
    by_case: dict[str, list[str]] = {}
    for path in sorted(figure_files):
        parts = path.split("/")
        if "/".join(parts[:-2]) == FIGURE_DIR:
            by_case.setdefault(parts[-2], []).append(path)
    return {slug: tuple(paths) for slug, paths in by_case.items()}


def _render_case(project: Project, render: Render, figure_files: set[str],
                 images: Mapping[str, ResponsiveImage], words: Any, slug: str) -> Rendered:
    # Imported with the first case: case and evidence pages bring in the pydantic models and
    # the SVG graphics, which a site of hand-written pages never needs.
    from casepress.site.case_page import render_case_page

    page, assets = render_case_page(project, slug, render, figure_files, words, images)
    return [page], assets


def _render_evidence(project: Project, render: Render, words: Any, slug: str) -> Rendered:
    from casepress.site.evidence_page import render_evidence_page

    page, assets = render_evidence_page(project, slug, render, words)
    return [page], assets


def _remembered(cache: SlotCache[str], world: tuple[object, ...], render: Render) -> Render:
    """`render` for listing pages, which render again only when the templates, the options,
    the reference data or what they are given changed. What they are given is compared with
    `==`; unchanged content files are the same objects from build to build, so a listing of
    a thousand cases costs a thousand identity checks. One slot per page: each listing page
    is given its own title or slug."""
    def remembered(template: str, **context: Any) -> str:
        slot = f"{template}|{context.get('page_title', context.get('slug', ''))}"
        return cache.get(slot, (world, template, context), partial(render, template, **context))
    return remembered


def _responsive_images(docs_dir: Path, figure_files: set[str],
                       cache: SlotCache[tuple[ResponsiveImage, list[Asset]]],
                       disk: Path | None) -> tuple[dict[str, ResponsiveImage], list[Asset]]:
    """Resized copies of each figure image (not of a stack's frames, shown at their size),
    kept in `cache` under `serve` and in the folder `disk` between builds."""
    from casepress.imaging.responsive import cached_responsive

    images, assets = {}, []
    slashes = FIGURE_DIR.count("/") + 2  # assets/figures/<case>/<file>
    for path in sorted(figure_files):
        if path.count("/") != slashes:
            continue
        file = docs_dir / path
        stat = file.stat()  # under `serve`, an unchanged file is not read again

        def make(file: Path = file, path: str = path) -> tuple[ResponsiveImage, list[Asset]]:
            return cached_responsive(path, file.read_bytes(), disk)

        image, made = cache.get(path, (stat.st_mtime_ns, stat.st_size), make)
        images[path] = image
        assets += made
    return images, assets


def _generated_pages(project: Project, env: jinja2.Environment, figure_files: set[str],
                     cache: RenderCache, world: tuple[object, ...]) -> Rendered:
    """Listing, technique, case, evidence and editors' pages, citations still unresolved;
    each taken from `cache` when nothing it is made from changed."""
    content = project.content
    render: Render = partial(templates.render, env)
    # Only sites with cases or evidence need the wording of their graphics and labels.
    words = templates.wording(env) if content.cases or content.evidence else None
    every_document = tuple((d.file, d.digest) for d in content.documents())
    figures_of = _figure_files_by_case(figure_files)
    disk = project.options.cache_dir
    images, image_assets = _responsive_images(project.options.docs_dir, figure_files,
                                              cache.images, disk and disk / "images")

    def case_inputs(slug: str) -> tuple[object, ...]:
        case = content.cases[slug]
        technique = content.techniques.get(case.model.technique or "")
        evidence = [content.evidence.get(s) for s in case.model.evidence]
        own_images = tuple(images.get(p) for p in figures_of.get(slug, ()))
        return (world, case.digest, technique and technique.digest,
                tuple(e and e.digest for e in evidence), figures_of.get(slug), own_images)

    pages = listings.render_listing_pages(project, _remembered(cache.listings, world, render))
    assets: list[Asset] = image_assets
    for slug in content.cases:
        made = cache.pages.get(f"cases/{slug}.md", case_inputs(slug),
                               partial(_render_case, project, render, figure_files, images,
                                       words, slug))
        pages += made[0]
        assets += made[1]
    for slug in content.evidence:
        # Evidence pages draw on reference data and on every case that may cite the table.
        made = cache.pages.get(f"evidence/{slug}.md", (world, every_document),
                               partial(_render_evidence, project, render, words, slug))
        pages += made[0]
        assets += made[1]
    return pages, assets


def _content_sources(project: Project) -> dict[str, str]:
    """Page -> the content file it is made from, for the pages made from one."""
    return {f"{kind}/{slug}.md": doc.file for kind in KINDS
            for slug, doc in getattr(project.content, kind).items()}


# A schema.org description of one page: made of its content file (and a case's technique),
# the page's numbered references and the reference data.
Describe = Callable[[Project, str, Numbering], dict[str, Any]]


@dataclass
class _Describer:
    describe: Describe
    slug: str
    files: tuple[str | None, ...]  # digests of the content files it is made of


def _describers(project: Project) -> dict[str, _Describer]:
    """The structured data of each page made from a content file, by page."""
    from casepress.site import structured_data  # only for sites that have content

    content = project.content

    def digest_of(documents: dict[str, Any], slug: str | None) -> str | None:
        return documents[slug].digest if slug in documents else None

    found = {f"cases/{slug}.md": _Describer(structured_data.case_article, slug, (
        doc.digest, digest_of(content.techniques, doc.model.technique)))
        for slug, doc in content.cases.items()}
    found |= {f"techniques/{slug}.md": _Describer(structured_data.technique_page, slug,
                                                   (doc.digest,))
              for slug, doc in content.techniques.items()}
    found |= {f"evidence/{slug}.md": _Describer(structured_data.evidence_page, slug,
                                                 (doc.digest,))
              for slug, doc in content.evidence.items()}
    return found


@dataclass
class _PageFinisher:
    """Makes one page final once every page is numbered: its citations resolved, then its
    own reference list, its History section and its structured data."""

    project: Project
    numbering: Numbering
    render: Render
    cache: RenderCache
    world: tuple[object, ...]
    histories: Histories | None
    sources: dict[str, str] = field(init=False)
    describers: dict[str, _Describer] = field(init=False)
    style: CitationStyle = field(init=False)

    def __post_init__(self) -> None:
        project = self.project
        self.sources = _content_sources(project)
        self.describers = _describers(project) if project.content.documents() else {}
        self.style = CitationStyle(
            tooltip=lambda key: project.formatted[key].text,
            narrative_name=lambda key: escape_markdown(project.narrative(key)),
        )

    def finish(self, page: Page) -> Page:
        markdown = render_citations(page, self.numbering, self.style)
        if self.project.options.numbering == "page" and (listed := self._reference_list(page)):
            markdown = f"{markdown.rstrip()}\n\n{listed}"
        source = self.sources.get(page.path)
        if self.histories is not None and source is not None:  # last: after the references
            markdown = f"{markdown.rstrip()}\n\n{self._history(page, source)}"
        if (describer := self.describers.get(page.path)) is not None:
            from casepress.site.structured_data import add_to_front_matter

            markdown = add_to_front_matter(markdown, self._description(page.path, describer))
        return Page(page.path, page.title, markdown, page.source)

    def _reference_list(self, page: Page) -> str:
        # A page's list is made of its references, their numbers and its citations' anchors,
        # and of the ids its own headings take.
        numbering = self.numbering
        cited = tuple((key, number, numbering.anchors_on(page.path, key))
                      for key, number in numbering.numbers_on(page.path).items())
        return self.cache.reference_lists.get(page.path, (
            self.world, cited, page.headings), partial(
            render_reference_list, self.project, numbering, page, self.render))

    def _address(self, path: str) -> str | None:
        """The page's address on the hosted site, as MkDocs' canonical URL gives it."""
        options = self.project.options
        return (f"{options.site_url.rstrip('/')}/{page_address(path, options.directory_urls)}"
                if options.site_url else None)

    def _history(self, page: Page, source: str) -> str:
        assert self.histories is not None
        return render_history(self.render, self.histories, source, page.title,
                              self.project.options.site_name, self._address(page.path))

    def _description(self, path: str, describer: _Describer) -> dict[str, Any]:
        numbers = self.numbering.numbers_on(path)
        numbered = tuple((key, numbers.get(key)) for key in self.numbering.cited_on(path))
        data = self.cache.structured_data.get(path, (self.world, describer.files, numbered),
                                              partial(describer.describe, self.project,
                                                      describer.slug, self.numbering))
        history = self.histories.of(self.sources[path]) if self.histories is not None else None
        if history and history.entries:
            # The version a reader sees, for reference managers reading the page head.
            latest = history.entries[0]
            data = {**data, "dateModified": latest.date, "version": latest.commit}
        if address := self._address(path):  # none in the offline copy
            data = {**data, "url": address}
        return data


def keep_in_memory(page: Page) -> FinishedPage:
    return page


def build_site(
    project: Project,
    handwritten: Sequence[Page],
    nav: object | None,
    figure_files: set[str] | None = None,
    cache: RenderCache | None = None,
    histories: Histories | None = None,
    keep: Callable[[Page], FinishedPage] = keep_in_memory,
) -> SiteOutput:
    """Final Markdown for every page (generated and hand-written) and the generated files.

    `nav` is the `nav` setting of mkdocs.yml (or None for MkDocs' default order);
    `figure_files` lists image files present under the docs folder (to replace placeholders);
    `cache` holds what earlier builds in this process made; `histories`, when given, end
    each content file's page with its History section. `keep` is given each finished page
    and returns what the output holds of it: the page itself, or, where memory matters more,
    a stand-in that reads it back from disk (`pages.PageFolder`).
    """
    cache = cache or RenderCache()
    figure_files = figure_files or set()
    output = SiteOutput()
    world = _world(project)
    env = cache.environments.get(str(project.options.templates_dir), world[0], lambda: (
        make_environment(project.options.templates_dir, project.options.root)))
    env_render: Render = partial(templates.render, env)
    try:
        generated, output.assets = _generated_pages(project, env, figure_files, cache, world)
    except TemplateProblem as problem:
        output.diagnostics.append(problem.diagnostic)
        return output
    # The bibliography is in the reading order (it may cite), and is made last, from every
    # citing place.
    generated.append(Page(BIBLIOGRAPHY_PAGE, "Bibliography", "", "references.bib"))
    # Pages whose citations are not resolved yet, each let go once it is finished: only
    # `pending` holds them (and `cache`, when the caller keeps one for a next build).
    pending = {p.path: p for p in [*handwritten, *generated]}
    del generated
    order = reading_order(nav, list(pending))
    per_page = project.options.numbering == "page"
    numbering = number_citations((pending[p] for p in order),
                                 project.bibliography.entries.__contains__, per_page)
    project.ensure_formatted(numbering.order())
    finisher = _PageFinisher(project, numbering, env_render, cache, world, histories)
    try:
        for path in order:
            page = pending.pop(path)
            if path != BIBLIOGRAPHY_PAGE:
                output.pages[path] = keep(finisher.finish(page))
        # The bibliography is made of every citing place, in order, and the reference data.
        bibliography = cache.bibliography.get(BIBLIOGRAPHY_PAGE, (
            world, per_page, tuple((key, tuple(numbering.places[key]))
                                   for key in numbering.order())), partial(
            render_bibliography_page, project, numbering, env_render))
    except TemplateProblem as problem:
        output.diagnostics.append(problem.diagnostic)
        return output
    output.pages[BIBLIOGRAPHY_PAGE] = keep(Page(BIBLIOGRAPHY_PAGE, "Bibliography",
                                                bibliography, "references.bib"))
    output.pages = {path: output.pages[path] for path in order}  # in reading order
    output.numbering = numbering
    downloads = cache.downloads.get(project.bibliography.file, (
        project.bibliography, project.csl_items), partial(_downloads, project))
    output.assets += downloads + _static_assets()
    if project.content.cases:
        from casepress.site.case_finder import finder_assets  # only for sites with cases

        output.assets += finder_assets(project)
    return output
