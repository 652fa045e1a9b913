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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from casepress.citations.syntax import Citation, find_citations
from casepress.content import figures as fig
from casepress.content.figures import FIGURE_DIR, IMAGE_SUFFIXES
from casepress.content.timing import Day, day_of, days_by_id, in_course_order, resolve_days
from casepress.graphics.placeholder import placeholder_svg
from casepress.graphics.timeline import TimelineEvent, timeline_svg
from casepress.imaging.responsive import ResponsiveImage
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


@dataclass(frozen=True)
class TimeWords:
    """How a page names a time: as a day of the case ("~day 97", "on or after ~day 97"), or,
    for an event timed from one whose date the source does not give, relative to that event
    ("35 days after the right sacroplasty"), never as a day it cannot know."""

    anchors: dict[str, str]  # event id -> what the page calls it ("the right sacroplasty ...")

    def label(self, day: Day | None) -> str:
        if day is None:
            return "?"
        if not day.relative:
            return day.label()
        about = "about " if day.approximate else ""
        on_or_after = "on or after " if day.open_ended else ""
        name = self.anchors.get(day.anchor, day.anchor)
        if day.days_after == 0:
            return f"after {name}" if day.open_ended else f"{about}the day of {name}"
        unit = "day" if day.days_after == 1 else "days"
        return f"{on_or_after}{about}{day.days_after} {unit} after {name}"

    def heading(self, day: Day | None) -> str:
        """"Day 7", "~Day 97", "35 days after the right sacroplasty": an event heading."""
        text = self.label(day) if day else "day ?"
        return text[:1].upper() + text[1:]


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
    heading: str  # "~Day 100: 3 days after ...", "35 days after the right sacroplasty"
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
                         for c in agent.mixture) if agent.composition_stated else \
        "composition not stated in the source"
    purpose = table_cell(agent.purpose)
    if agent.technique:
        purpose += " " + table_cell(agent.technique)
    return AgentRow(agent, volume, mixture, purpose)


def _intervention_view(intervention: Intervention, days: dict[str, Day | None],
                       words: TimeWords) -> InterventionView:
    reported = intervention.adverse_events
    none_stated = reported == [NONE_STATED]
    return InterventionView(
        intervention, words.heading(days[intervention.id]),
        [_agent_row(a) for a in intervention.agents], none_stated,
        "" if none_stated else " ".join(map(inline_markdown, reported)))


def _outcome_view(outcome: Outcome, days: dict[str, Day | None], titles: dict[str, str],
                  words: TimeWords) -> OutcomeView:
    day, when = days[outcome.id], outcome.when
    heading = words.heading(day)
    if when.after and when.days is not None and not (day and day.relative):
        heading += f": {when.days} days after {inline_markdown(titles[when.after])}"
    imaging = outcome.imaging
    shown = [imaging.modality, imaging.sequence, imaging.plane] if imaging else []
    causes = " and ".join(map(escape_markdown, outcome.death.causes)) if outcome.death else ""
    return OutcomeView(outcome, heading, ", ".join(escape_markdown(x) for x in shown if x),
                       causes)


def timeline_rows(case: Case, days: dict[str, Day | None], words: TimeWords
                  ) -> list[dict[str, str]]:
    """One row per intervention and outcome, in the order of the course (`in_course_order`)."""
    rows = {}
    for i in case.interventions:
        rows[i.id] = {"id": i.id, "day": words.label(days[i.id]), "label": i.title,
                      "as_stated": i.when.as_stated or "", "note": i.when.note or "",
                      "kind": "procedure"}
    for o in case.outcomes:
        kind = "death" if o.death else "imaging" if o.imaging else "outcome"
        rows[o.id] = {"id": o.id, "day": words.label(days[o.id]),
                      "label": _first_sentence(o.summary), "as_stated": o.when.as_stated or "",
                      "note": o.when.note or "", "kind": kind}
    return [rows[event.id] for event in in_course_order(resolve_days(case))]


def _timeline_graphic(rows: list[dict[str, str]], days: dict[str, Day | None], slug: str,
                      wording: Wording, words: TimeWords) -> str:
    events = [
        TimelineEvent(day.day, day.approximate, row["label"], row["kind"],
                      words.label(day) if day.uncertain or day.relative else "",
                      day.open_ended and not day.relative)
        for row in rows
        if (day := days[row["id"]]) is not None
    ]
    return timeline_svg(events, f"timeline-{slug}", str(wording.timeline_title(len(events))),
                        wording.timeline_description)


def _when_label(days: dict[str, Day | None], when: When | None, wording: Wording,
                words: TimeWords) -> str:
    return wording.before_treatment if when is None else words.label(day_of(when, days))


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


def _panel_details(panel: Panel) -> list[str]:
    """What the source's caption says of a panel besides its content: modality or stain,
    sequence, plane, magnification ("Histology, silver stain, ×200")."""
    return [x for x in (panel.modality, panel.sequence, panel.plane, panel.magnification) if x]


def _placeholder(number: int, figure: Figure, panel: Panel, slug: str) -> str:
    letter = panel.letter if len(figure.panels) > 1 else None
    modality = ", ".join(_panel_details(panel))
    return placeholder_svg(number, letter, modality, _first_sentence(panel.description, 120),
                           panel.alt, f"ph-{slug}-{figure.id}-{panel.letter.lower()}")


def _image_view(target: str, image: ResponsiveImage | None, page_dir: str) -> dict[str, Any]:
    """How a panel names its image: a placeholder as it is; a real image by its fallback, the
    WebP widths a browser picks from, its size (no layout shift) and the original to zoom."""
    full = posixpath.relpath(target, page_dir)
    if image is None:
        return {"src": full, "full": full, "srcset": None}
    return {"src": posixpath.relpath(image.fallback, page_dir), "full": full,
            "srcset": ", ".join(f"{posixpath.relpath(c.path, page_dir)} {c.width}w"
                                for c in image.candidates),
            "width": image.width, "height": image.height}


def _figure_blocks(case: Case, slug: str, numbers: dict[str, int], render: Render,
                   figure_files: set[str], images: Mapping[str, ResponsiveImage]
                   ) -> tuple[list[str], list[Asset]]:
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
            frames = panel.image.frames if existing and panel.image else 1
            panels.append({
                "panel": panel, "anchor": f"{anchor}-{panel.letter.lower()}",
                "label": label + (panel.letter if len(figure.panels) > 1 else ""),
                "image": _image_view(target, images.get(target), str(page_dir)),
                "frames": frames if frames > 1 else None, "markers": markers,
                "details": ", ".join(map(escape_markdown, _panel_details(panel)))})
        provenance = figure.provenance
        credit = (f"{escape_markdown(provenance.credit)} ({escape_markdown(provenance.licence)})"
                  if provenance else None)
        blocks.append(render("figure.md.j2", figure=figure, anchor=anchor, label=label,
                             panels=panels, credit=credit))
    return blocks, assets


def render_case_page(project: Project, slug: str, render: Render, figure_files: set[str],
                     wording: Wording, images: Mapping[str, ResponsiveImage] | None = None
                     ) -> tuple[Page, list[Asset]]:
    """The case page; `images` are the sized copies of its figure files (none: shown as
    they are)."""
    doc = project.content.cases[slug]
    case = doc.model
    technique = project.content.techniques.get(case.technique or "")
    days = days_by_id(case)
    titles = {**{i.id: i.title[:1].lower() + i.title[1:] for i in case.interventions},
              **{o.id: _first_sentence(o.summary).lower() for o in case.outcomes}}
    anchors = {event: f"the {title}" if event in {i.id for i in case.interventions} else title
               for event, title in titles.items()}
    words = TimeWords({event: table_cell(escape_markdown(name)) for event, name in anchors.items()})
    plain_words = TimeWords(anchors)  # the graphic escapes its own text
    rows = timeline_rows(case, days, words)
    glance = ", ".join(words.label(days[i.id]) for i in case.interventions)
    context: dict[str, Any] = dict(
        case=case, slug=slug, technique=technique,
        evidence=[project.content.evidence[s] for s in case.evidence
                  if s in project.content.evidence],
        procedures=f"{len(case.interventions)} ({glance})",
        imaging=[{"study": s, "when": _when_label(days, s.when, wording, words),
                  "sequence_plane": ", ".join(escape_markdown(x)
                                              for x in (s.sequence, s.plane) if x)}
                 for s in case.diagnostic_assessment.imaging],
        timeline=rows, timeline_svg=_timeline_graphic(
            timeline_rows(case, days, plain_words), days, slug, wording, plain_words),
        source=_source_citation(case.source) if case.source else None,
        interventions=[_intervention_view(i, days, words) for i in case.interventions],
        outcomes=[_outcome_view(o, days, titles, words) for o in case.outcomes],
        discussion=[(d, wording.discussion_status.get(d.status or "", ""))
                    for d in case.discussion],
        description=describe(case.summary.what_it_adds),
    )
    markdown = render("case.md.j2", **context, figures=[])
    assets: list[Asset] = []
    if case.figures:
        numbers = figure_numbers(markdown, case.figures)
        blocks, assets = _figure_blocks(case, slug, numbers, render, figure_files,
                                        images or {})
        markdown = resolve_figures(render("case.md.j2", **context, figures=blocks),
                                   case.figures, numbers)
    return Page(f"cases/{slug}.md", case.short_title or case.title, markdown, doc.file), assets
