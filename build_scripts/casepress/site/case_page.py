"""The case page: the values its template shows, prepared; its figures numbered and drawn.

Figure numbers follow the order in which the page first refers to each figure, in the order
the template shows the case (an editor who moves a section of `case.md.j2` moves the
numbering with it). So the page is rendered once without its figures, to find that order,
then with them; a case without figures is rendered once. Working the order out from the case
model instead would need a second copy of the template's section order, kept in step by hand.
A figure's own caption referring to another figure does not move the numbering (the first
pass has no captions), as a reader meets the captions only after the text.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from casepress.citations.syntax import Citation, find_citations
from casepress.content import figures as fig
from casepress.content.figures import FIGURE_DIR, IMAGE_SUFFIXES
from casepress.content.timing import Day, day_of, days_by_id
from casepress.graphics.placeholder import placeholder_svg
from casepress.graphics.timeline import TimelineEvent, timeline_svg
from casepress.models.case import (
    NONE_STATED,
    Agent,
    Case,
    Figure,
    Intervention,
    Outcome,
    Panel,
    Source,
    When,
)
from casepress.pages import Asset, Page
from casepress.references.formatting import escape_markdown
from casepress.site.listings import describe
from casepress.site.templates import Wording, inline_markdown, number, table_cell

if TYPE_CHECKING:
    from casepress.project import Project

Render = Callable[..., str]


def figure_image_stem(case_slug: str, figure_id: str, letter: str) -> str:
    """Where an editor drops the real image, without its suffix (documented in the README)."""
    return f"{FIGURE_DIR}/{case_slug}/{figure_id}-{letter.lower()}"


def _first_sentence(text: str, limit: int = 90) -> str:
    sentence = re.split(r"(?<=[.;])\s", text.strip(), maxsplit=1)[0]
    return describe(sentence, limit).rstrip(";,: ")


def _label(day: Day | None) -> str:
    return day.label() if day else "?"


def _heading(day: Day | None) -> str:
    """"Day 7", "~Day 97": the start of an event's heading."""
    return day.label().capitalize() if day else "Day ?"


@dataclass(frozen=True)
class SourceCitation:
    """The publication the case is taken from, each field escaped on its own (as the `literal`
    filter does) and led by the punctuation that joins it to the field before, so the short
    line under the title and the full reference under "Source" are made of the same parts."""

    first_author: str
    more_authors: bool  # the short line adds "et al"
    authors: str  # "Uemura A, Matsusako M, Numaguchi Y"
    title: str
    journal: str
    year: int
    volume: str  # ";26", or ""
    issue: str  # "(3)", or ""
    first_page: str  # ":493", or ""
    url: str  # a validated web address, or ""


@dataclass(frozen=True)
class AgentRow:
    agent: Agent
    volume: str  # "7 mL", or "" when the source gives none
    mixture: str  # "30% PMMA / 70% barium sulfate", each material escaped on its own
    purpose: str  # the purpose and how it was given, each a table cell on its own


@dataclass(frozen=True)
class InterventionView:
    intervention: Intervention
    heading: str
    agents: list[AgentRow]
    none_stated: bool  # the source states there were no adverse events
    adverse_events: str  # those it reports, each escaped on its own; "" if none or not reported


@dataclass(frozen=True)
class OutcomeView:
    outcome: Outcome
    heading: str  # "~Day 100"
    after: str  # the event it is timed from, lower-cased and Markdown-safe, or ""
    imaging: str  # "MR imaging, T1-weighted, axial", each part escaped on its own
    causes_of_death: str  # "tumour progression and liver failure", likewise


def _source_citation(source: Source) -> SourceCitation:
    def part(lead: str, value: str | None, close: str = "") -> str:
        return f"{lead}{escape_markdown(value)}{close}" if value else ""

    return SourceCitation(
        first_author=escape_markdown(source.authors[0]), more_authors=len(source.authors) > 1,
        authors=", ".join(map(escape_markdown, source.authors)),
        title=escape_markdown(source.title), journal=escape_markdown(source.journal),
        year=source.year, volume=part(";", source.volume), issue=part("(", source.issue, ")"),
        first_page=part(":", source.first_page), url=str(source.url or ""))


def _agent_row(agent: Agent) -> AgentRow:
    volume = f"{number(agent.volume_ml)} mL" if agent.volume_ml else ""
    mixture = " / ".join(f"{number(c.percent)}% {escape_markdown(c.material)}"
                         for c in agent.mixture)
    purpose = table_cell(agent.purpose)
    if agent.technique:
        purpose += " " + table_cell(agent.technique)
    return AgentRow(agent, volume, mixture, purpose)


def _intervention_view(intervention: Intervention, days: dict[str, Day | None]
                       ) -> InterventionView:
    reported = intervention.adverse_events
    none_stated = reported == [NONE_STATED]
    return InterventionView(
        intervention, _heading(days[intervention.id]),
        [_agent_row(a) for a in intervention.agents], none_stated,
        "" if none_stated else " ".join(map(inline_markdown, reported)))


def _outcome_view(outcome: Outcome, days: dict[str, Day | None], titles: dict[str, str]
                  ) -> OutcomeView:
    after = inline_markdown(titles[outcome.when.after]) if outcome.when.after else ""
    imaging = outcome.imaging
    shown = [imaging.modality, imaging.sequence, imaging.plane] if imaging else []
    causes = " and ".join(map(escape_markdown, outcome.death.causes)) if outcome.death else ""
    return OutcomeView(outcome, _heading(days[outcome.id]), after,
                       ", ".join(escape_markdown(x) for x in shown if x), causes)


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


def _timeline_graphic(rows: list[dict[str, str]], days: dict[str, Day | None], slug: str,
                      wording: Wording) -> str:
    events = [
        TimelineEvent(day.day, day.approximate, row["label"], row["kind"])
        for row in rows
        if (day := days[row["id"]]) is not None
    ]
    return timeline_svg(events, f"timeline-{slug}", str(wording.timeline_title(len(events))),
                        wording.timeline_description)


def _when_label(days: dict[str, Day | None], when: When | None, wording: Wording) -> str:
    return wording.before_treatment if when is None else _label(day_of(when, days))


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


def _figure_references(markdown: str) -> list[Citation]:
    return [c for c in find_citations(markdown) if all(fig.is_figure_key(k) for k in c.keys)]


def resolve_figures(markdown: str, figures: list[Figure], numbers: dict[str, int]) -> str:
    """Replace `@fig-...` references by links to the numbered figures."""
    out, last = [], 0
    for citation in _figure_references(markdown):
        out += [markdown[last:citation.start], _figure_citation(citation, figures, numbers)]
        last = citation.end
    out.append(markdown[last:])
    return "".join(out)


def figure_numbers(markdown: str, figures: list[Figure]) -> dict[str, int]:
    """Numbers by first reference in `markdown`; figures it never refers to come last."""
    first_seen = [fig.parse_figure_key(k, figures).figure.id
                  for c in _figure_references(markdown) for k in c.keys]
    return fig.number_figures(first_seen, figures)


def _placeholder(number: int, figure: Figure, panel: Panel, slug: str) -> str:
    letter = panel.letter if len(figure.panels) > 1 else None
    modality = ", ".join(x for x in (panel.modality, panel.sequence, panel.plane) if x)
    return placeholder_svg(number, letter, modality, _first_sentence(panel.description, 120),
                           panel.alt, f"ph-{slug}-{figure.id}-{panel.letter.lower()}")


def _figure_blocks(case: Case, slug: str, numbers: dict[str, int], render: Render,
                   figure_files: set[str]) -> tuple[list[str], list[Asset]]:
    """Each figure rendered by figure.md.j2, in number order, and the placeholders drawn for
    panels whose image has not been supplied."""
    page_dir = PurePosixPath(f"cases/{slug}.md").parent
    assets: list[Asset] = []
    blocks = []
    for figure in sorted(case.figures, key=lambda f: numbers[f.id]):
        label = fig.label(numbers[figure.id])
        anchor = fig.anchor(figure.id)
        panels = []
        for panel in figure.panels:
            stem = figure_image_stem(slug, figure.id, panel.letter)
            existing = [stem + s for s in IMAGE_SUFFIXES if stem + s in figure_files]
            target = existing[0] if existing else stem + ".svg"
            if not existing:
                assets.append(Asset(target, _placeholder(numbers[figure.id], figure, panel,
                                                         slug).encode()))
            markers = "; ".join(f"{escape_markdown(a.marker)}: {escape_markdown(a.points_to)}"
                                for a in panel.arrows)
            panels.append({
                "panel": panel, "anchor": f"{anchor}-{panel.letter.lower()}",
                "label": label + (panel.letter if len(figure.panels) > 1 else ""),
                "image": posixpath.relpath(target, str(page_dir)), "markers": markers})
        blocks.append(render("figure.md.j2", figure=figure, anchor=anchor, label=label,
                             panels=panels))
    return blocks, assets


def render_case_page(project: Project, slug: str, render: Render, figure_files: set[str],
                     wording: Wording) -> tuple[Page, list[Asset]]:
    doc = project.content.cases[slug]
    case = doc.model
    technique = project.content.techniques.get(case.technique or "")
    days = days_by_id(case)
    rows = timeline_rows(case, days)
    titles = {**{i.id: i.title[:1].lower() + i.title[1:] for i in case.interventions},
              **{o.id: _first_sentence(o.summary).lower() for o in case.outcomes}}
    glance = ", ".join(_label(days[i.id]) for i in case.interventions)
    context: dict[str, Any] = dict(
        case=case, slug=slug, technique=technique,
        evidence=[project.content.evidence[s] for s in case.evidence
                  if s in project.content.evidence],
        procedures=f"{len(case.interventions)} ({glance})",
        imaging=[{"study": s, "when": _when_label(days, s.when, wording),
                  "sequence_plane": ", ".join(escape_markdown(x)
                                              for x in (s.sequence, s.plane) if x)}
                 for s in case.diagnostic_assessment.imaging],
        timeline=rows, timeline_svg=_timeline_graphic(rows, days, slug, wording),
        source=_source_citation(case.source) if case.source else None,
        interventions=[_intervention_view(i, days) for i in case.interventions],
        outcomes=[_outcome_view(o, days, titles) for o in case.outcomes],
        description=describe(case.summary.what_it_adds),
    )
    markdown = render("case.md.j2", **context, figures=[])
    assets: list[Asset] = []
    if case.figures:
        numbers = figure_numbers(markdown, case.figures)
        blocks, assets = _figure_blocks(case, slug, numbers, render, figure_files)
        markdown = resolve_figures(render("case.md.j2", **context, figures=blocks),
                                   case.figures, numbers)
    return Page(f"cases/{slug}.md", case.short_title or case.title, markdown, doc.file), assets
