"""The case page: template, then figure numbering and the figures themselves.

Figure numbers follow the order in which the rendered page first refers to each figure, so
they can only be given once the page text exists; the figures block is rendered after that
into the slot the template left for it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from casepress.citations.syntax import Citation, find_citations
from casepress.content import figures as fig
from casepress.content.figures import FIGURE_DIR, IMAGE_SUFFIXES
from casepress.content.timing import Day, day_of, days_by_id
from casepress.graphics.placeholder import placeholder_svg
from casepress.graphics.timeline import TimelineEvent, timeline_svg
from casepress.models.case import Case, Figure, Panel, When
from casepress.pages import Asset, Page
from casepress.site.listings import describe
from casepress.site.templates import FIGURES_SLOT

if TYPE_CHECKING:
    from casepress.project import Project

Render = Callable[..., str]


def figure_image_stem(case_slug: str, figure_id: str, letter: str) -> str:
    """Where an editor drops the real image, without its suffix (documented in the README)."""
    return f"{FIGURE_DIR}/{case_slug}/{figure_id}-{letter.lower()}"


def _first_sentence(text: str, limit: int = 90) -> str:
    sentence = re.split(r"(?<=[.;])\s", text.strip(), maxsplit=1)[0]
    return describe(sentence, limit).rstrip(";,: ")


def timeline_rows(case: Case, days: dict[str, Day | None]) -> list[dict[str, str]]:
    rows = []
    for i in case.interventions:
        rows.append({"id": i.id, "day": _label(days[i.id]), "label": i.title,
                     "as_stated": i.when.as_stated or "", "kind": "procedure"})
    for o in case.outcomes:
        kind = "death" if o.death else "imaging" if o.imaging else "outcome"
        rows.append({"id": o.id, "day": _label(days[o.id]), "label": _first_sentence(o.summary),
                     "as_stated": o.when.as_stated or "", "kind": kind})

    def day_number(row: dict[str, str]) -> int:
        day = days[row["id"]]
        return day.day if day else 0

    return sorted(rows, key=day_number)


def _label(day: Day | None) -> str:
    return day.label() if day else "?"


def _timeline_graphic(rows: list[dict[str, str]], days: dict[str, Day | None], slug: str
                      ) -> str:
    events = [
        TimelineEvent(day.day, day.approximate, row["label"], row["kind"])
        for row in rows
        if (day := days[row["id"]]) is not None
    ]
    return timeline_svg(events, f"timeline-{slug}", f"Course of the case: {len(events)} events",
                        "Events plotted by day from the first procedure; the table below gives "
                        "the same information as text.")


def _figure_citation(citation: Citation, figures: list[Figure], numbers: dict[str, int]) -> str:
    links = []
    for key in citation.keys:
        ref = fig.parse_figure_key(key, figures)
        # A one-panel figure is captioned "Fig 2", so its panel A is called that too.
        shown = ref.panel if len(ref.figure.panels) > 1 else None
        label = fig.label(numbers[ref.figure.id], shown)
        links.append(f"[{label}](#{fig.anchor(ref.figure.id, ref.panel)})")
    joined = "; ".join(links)
    return joined if citation.narrative else f"({joined})"


def resolve_figures(markdown: str, figures: list[Figure]) -> tuple[str, dict[str, int]]:
    """Replace `@fig-...` references by numbered links; return the numbers given."""
    citations = [c for c in find_citations(markdown) if all(fig.is_figure_key(k) for k in c.keys)]
    first_seen = [fig.parse_figure_key(k, figures).figure.id for c in citations for k in c.keys]
    numbers = fig.number_figures(first_seen, figures)
    out, last = [], 0
    for citation in citations:
        out += [markdown[last:citation.start], _figure_citation(citation, figures, numbers)]
        last = citation.end
    out.append(markdown[last:])
    return "".join(out), numbers


def render_case_page(
    project: Project, slug: str, render: Render, figure_files: set[str]
) -> tuple[Page, list[Asset]]:
    doc = project.content.cases[slug]
    case = doc.model
    technique = project.content.techniques.get(case.technique or "")
    days = days_by_id(case)
    rows = timeline_rows(case, days)
    markdown = render(
        "case.md.j2", case=case, slug=slug, days=days,
        technique=technique, evidence=[project.content.evidence[s] for s in case.evidence
                                       if s in project.content.evidence],
        timeline=rows, timeline_svg=_timeline_graphic(rows, days, slug),
        when_label=lambda when: _when_label(days, when),
        event_titles={**{i.id: i.title[:1].lower() + i.title[1:] for i in case.interventions},
                      **{o.id: _first_sentence(o.summary).lower() for o in case.outcomes}},
        description=describe(case.summary.what_it_adds),
    )
    markdown, numbers = resolve_figures(markdown, case.figures)
    page_dir = PurePosixPath(f"cases/{slug}.md").parent
    assets: list[Asset] = []
    blocks = []
    for figure in sorted(case.figures, key=lambda f: numbers[f.id]):
        images: dict[str, str] = {}
        for panel in figure.panels:
            stem = figure_image_stem(slug, figure.id, panel.letter)
            existing = [stem + s for s in IMAGE_SUFFIXES if stem + s in figure_files]
            target = existing[0] if existing else stem + ".svg"
            if not existing:
                assets.append(Asset(target, _placeholder(numbers[figure.id], figure, panel,
                                                         slug).encode()))
            images[panel.letter] = _relative(target, page_dir)
        blocks.append(render("figure.md.j2", figure=figure, anchor=fig.anchor(figure.id),
                             label=fig.label(numbers[figure.id]),
                             image=lambda p, images=images: images[p.letter]))
    markdown = markdown.replace(FIGURES_SLOT, "\n".join(blocks))
    return Page(f"cases/{slug}.md", case.short_title or case.title, markdown, doc.file), assets


def _placeholder(number: int, figure: Figure, panel: Panel, slug: str) -> str:
    letter = panel.letter if len(figure.panels) > 1 else None
    modality = ", ".join(x for x in (panel.modality, panel.sequence, panel.plane) if x)
    return placeholder_svg(number, letter, modality, _first_sentence(panel.description, 120),
                           panel.alt, f"ph-{slug}-{figure.id}-{panel.letter.lower()}")


def _relative(target: str, page_dir: PurePosixPath) -> str:
    return posixpath.relpath(target, str(page_dir))


def _when_label(days: dict[str, Day | None], when: When | None) -> str:
    if when is None:
        return "before treatment"
    return _label(day_of(when, days))
