"""Assemble the whole site: every page's final Markdown and every generated file.

The flow is one direction: validated project -> render templates -> resolve figure references
per case page -> number and resolve citations across all pages in reading order ->
bibliography page with back-links -> generated files (figure placeholders, exports, assets).
Nothing here imports MkDocs; the plugin and `export-md` both call `build_site`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from urllib.parse import quote

import jinja2

from casepress import listings
from casepress.cache import SlotCache
from casepress.diagnostics import Diagnostic, warning
from casepress.figures import FIGURE_DIR
from casepress.navigation import reading_order
from casepress.output import Asset
from casepress.project import Project
from casepress.references import brief_reference, check_entries, escape_markdown, export
from casepress.render import TemplateProblem, make_environment, plain, render
from casepress.resolve import (
    BIBLIOGRAPHY_PAGE,
    CitationStyle,
    CitingPlace,
    Numbering,
    Page,
    number_citations,
    render_citations,
)

Render = Callable[..., str]
STATIC_ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/casepress"


@dataclass
class SiteOutput:
    pages: dict[str, Page] = field(default_factory=dict)
    assets: list[Asset] = field(default_factory=list)
    numbering: Numbering = field(default_factory=Numbering)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def generated_paths(self) -> list[str]:
        return [p for p, page in self.pages.items() if not page.source.startswith("docs/")]


def web_links(item: dict[str, object]) -> list[tuple[str, str]]:
    """PubMed and DOI links; identifiers were validated when references.bib was read."""
    links = []
    if pmid := item.get("PMID"):
        links.append(("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
    if doi := item.get("DOI"):
        # A DOI may hold ( ) < > (10.1002/(SICI)...<...>): encoded, it cannot end the link.
        links.append(("DOI", f"https://doi.org/{quote(str(doi), safe='/:;')}"))
    return links


class _CitedEntry(dict[str, object]):
    """One cited reference, as the bibliography template sees it. Its `places` (a dict per
    back-link) are made only when a template asks for them: the shipped template uses the
    back-links already joined (`cited_in`), and ten thousand dicts cost more than the page."""

    def __init__(self, places: Callable[[], list[dict[str, str]]], **fields: object) -> None:
        super().__init__(fields)
        self._places = places

    def __missing__(self, key: str) -> object:
        if key != "places":
            raise KeyError(key)
        made = self["places"] = self._places()
        return made


def _bibliography_page(project: Project, numbering: Numbering, env_render: Render) -> str:
    here = posixpath.dirname(BIBLIOGRAPHY_PAGE) or "."
    # Worked out once per citing folder, and per citing page and section: each is cited
    # dozens of times, and relpath makes both paths absolute (system calls) on every call.
    folders: dict[str, str] = {}
    targets: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}

    def target(place: CitingPlace) -> tuple[str, str, str, str]:
        """(section, label, href, start of the Markdown link) of a place's back-link."""
        known = targets.get((place.page_path, place.page_title, place.section))
        if known is None:
            # a citation above the first subheading sits in the page's own title section
            section = "" if place.section == place.page_title else place.section
            folder, name = posixpath.split(place.page_path)
            relative = folders.get(folder) or folders.setdefault(
                folder, posixpath.relpath(folder or ".", here))
            label = plain(place.page_title) + (f" \u203a {plain(section)}" if section else "")
            href = name if relative == "." else f"{relative}/{name}"
            known = targets[(place.page_path, place.page_title, place.section)] = (
                section, label, href, f"[{label}]({href}#")
        return known

    def places_of(key: str) -> list[dict[str, str]]:
        return [{"page_title": place.page_title, "section": section, "label": label,
                 "anchor": place.anchor, "href": href}
                for place in numbering.places[key]
                for section, label, href, _link in [target(place)]]

    cited = []
    for key in numbering.order():
        formatted = project.formatted[key]
        # "[page \u203a section](address#anchor), ...": joined here, not in the template, where
        # ten thousand back-links cost far more.
        cited_in = ", ".join([target(place)[3] + place.anchor + ")"
                              for place in numbering.places[key]])
        cited.append(_CitedEntry(partial(places_of, key), key=key,
                                 number=numbering.number_of[key], text=formatted.text,
                                 markdown=formatted.markdown, cited_in=cited_in,
                                 links=web_links(project.csl_item(key))))
    uncited = [{"key": k, "markdown": brief_reference(project.csl_item(k)).markdown}
               for k in project.bibliography.entries if k not in numbering.number_of]
    return env_render("bibliography.md.j2", cited=cited, uncited=uncited)


def static_asset_names() -> list[str]:
    """CSS and JavaScript shipped with casepress; every file here is added to each page."""
    return sorted(p.name for p in STATIC_ASSETS.iterdir() if p.is_file())


def _static_assets() -> list[Asset]:
    return [Asset(f"{ASSET_DIR}/{name}", (STATIC_ASSETS / name).read_bytes())
            for name in static_asset_names()]


def _reference_problems(project: Project, numbering: Numbering) -> list[Diagnostic]:
    """Uncited entries, entries lacking what the style needs, entries the style failed on."""
    bib = project.bibliography
    found = check_entries(bib, numbering.order())
    for key, entry in bib.entries.items():
        if key not in numbering.number_of:
            found.append(warning(bib.file, entry.line, "bib-uncited",
                                 f"entry '{key}' is not cited anywhere",
                                 "cite it where it supports a statement, or remove it"))
        elif (formatted := project.formatted.get(key)) and formatted.error:
            found.append(warning(bib.file, entry.line, "bib-style-failed",
                                 f"entry '{key}': {formatted.error}",
                                 "check the entry's fields or the CSL style"))
    return found


def _export_assets(project: Project) -> list[Asset]:
    # Writing 10,000 entries three ways takes seconds: redo it only when references.bib changed.
    return list(_exports.get(project.bibliography.file, (project.bibliography, project.csl_items),
                             partial(_make_exports, project)))


def _make_exports(project: Project) -> list[Asset]:
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
        # They depend on the .bib file's bytes alone: kept in the disk cache under its digest.
        text = project.store.text(name, bib.digest) if bib.digest else None
        if text is None:
            text = make()
            if bib.digest:
                project.store.keep_text(name, bib.digest, text)
        assets.append(Asset(name, text.encode()))
    return assets


# Generated pages (and their figure files) from earlier builds in this process, by page.
Rendered = tuple[list[Page], list[Asset]]
_rendered: SlotCache[Rendered] = SlotCache()
_environments: SlotCache[jinja2.Environment] = SlotCache()
_exports: SlotCache[list[Asset]] = SlotCache()


def _world(project: Project) -> tuple[object, ...]:
    """What every generated page may draw on besides content files: the templates (their
    bytes), the options, and the reference data (the same objects while neither references.bib
    nor the style changed; see `project._reference_memo`)."""
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


def build_site(
    project: Project,
    handwritten: Sequence[Page],
    nav: object | None,
    figure_files: set[str] | None = None,
) -> SiteOutput:
    """Final Markdown for every page (generated and hand-written) and the generated files.

    `nav` is the `nav` setting of mkdocs.yml (or None for MkDocs' default order);
    `figure_files` lists image files present under the docs folder (to replace placeholders).
    """
    output = SiteOutput()
    world = _world(project)
    env = _environments.get(str(project.options.templates_dir), world[0], lambda: make_environment(
        project.options.templates_dir, project.options.root))

    def env_render(name: str, **context: object) -> str:
        return render(env, name, **context)

    content = project.content
    every_document = tuple((d.file, d.digest) for d in content.documents())
    figures_of = _figure_files_by_case(figure_files or set())

    # Case and evidence pages are imported when there is such content: they bring in pydantic
    # models and the SVG graphics, which a site of hand-written pages never needs.
    def case_page(slug: str) -> Rendered:
        from casepress import casepage

        page, assets = casepage.render_case_page(project, slug, env_render, figure_files or set())
        return [page], assets

    def evidence_page(slug: str) -> Rendered:
        from casepress import evidencepage

        page, assets = evidencepage.render_evidence_page(project, slug, env_render)
        return [page], assets

    def case_inputs(slug: str) -> tuple[object, ...]:
        case = content.cases[slug]
        technique = content.techniques.get(case.model.technique or "")
        evidence = [content.evidence.get(s) for s in case.model.evidence]
        return (world, case.digest, technique and technique.digest,
                tuple(e and e.digest for e in evidence), figures_of.get(slug))

    try:
        generated = list(_rendered.get("listings", (world, every_document), lambda: (
            listings.render_listing_pages(project, env_render), []))[0])
        for slug in content.cases:
            pages, assets = _rendered.get(f"cases/{slug}.md", case_inputs(slug),
                                          partial(case_page, slug))
            generated += pages
            output.assets += assets
        for slug in content.evidence:
            # Evidence pages draw on reference data and on every case that may cite the table.
            pages, assets = _rendered.get(f"evidence/{slug}.md", (world, every_document),
                                          partial(evidence_page, slug))
            generated += pages
            output.assets += assets
        generated.append(Page(BIBLIOGRAPHY_PAGE, "Bibliography", "", "references.bib"))
    except TemplateProblem as problem:
        output.diagnostics.append(problem.diagnostic)
        return output

    all_pages = {p.path: p for p in [*handwritten, *generated]}
    ordered = [all_pages[p] for p in reading_order(nav, list(all_pages))]
    known = project.bibliography.entries.__contains__
    numbering = number_citations(ordered, known)
    project.ensure_formatted(numbering.order())
    style = CitationStyle(
        tooltip=lambda key: project.formatted[key].text,
        narrative_name=lambda key: escape_markdown(project.narrative(key)),
    )
    for page in ordered:
        markdown = render_citations(page, numbering, style)
        output.pages[page.path] = Page(page.path, page.title, markdown, page.source)
    try:
        bibliography = _bibliography_page(project, numbering, env_render)
    except TemplateProblem as problem:
        output.diagnostics.append(problem.diagnostic)
        return output
    output.pages[BIBLIOGRAPHY_PAGE] = Page(BIBLIOGRAPHY_PAGE, "Bibliography", bibliography,
                                           "references.bib")
    output.numbering = numbering
    if content.cases:
        from casepress import jsonld  # with the case pages: only for sites that have cases

        for slug in content.cases:
            described = output.pages[f"cases/{slug}.md"]
            data = jsonld.case_article(project, slug, numbering, web_links)
            output.pages[described.path] = replace(
                described, markdown=jsonld.add_to_front_matter(described.markdown, data))
    output.diagnostics += _reference_problems(project, numbering)
    output.assets += _export_assets(project) + _static_assets()
    return output
