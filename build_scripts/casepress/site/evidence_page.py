"""The evidence page: each study's numbers checked and summarised, a forest plot, and a CSV.

`analytics` does the arithmetic; this module words and formats it once, so the table on the
page, the forest plot and the CSV download always say the same thing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casepress.graphics.forest import ForestRow, forest_plot_svg
from casepress.models.evidence import EvidenceRow
from casepress.pages import Asset, Page
from casepress.site.listings import describe
from casepress.site.templates import Wording
from casepress.stats.analytics import RowAnalysis, analyse_table, percent_limit

if TYPE_CHECKING:
    from casepress.project import Project

Render = Callable[..., str]

CSV_COLUMNS = (
    "reference key", "citation", "role", "design", "level", "site", "condition", "intervention",
    "n", "n from", "counted in", "outcome", "timepoint", "events", "denominator",
    "reported percent", "counts from", "events used",
    "proportion (%)", "95% CI low (%)", "95% CI high (%)", "flags", "notes",
)
# Where a number comes from, when not the article that cites the study.
_PROVENANCE = {"cited title": "from the cited paper's title", "editors": "derived by the editors"}
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Study:
    """One row of the evidence table with everything the page shows about it."""

    number: int
    """Row number from 1, as written in the content file; stays with the row when sorted."""
    row: EvidenceRow
    analysis: RowAnalysis
    citation: str
    """Short citation as plain text, e.g. 'Kaemmerlen et al 1989'."""
    same_cohort: list[int] = field(default_factory=list)
    """Numbers of other rows that may count the same patients."""

    @property
    def reported(self) -> str:
        """What the source reports, as it reports it: '36/37', '36 (97.3%)', '80%'."""
        row = self.row
        pct = "" if row.reported_percent is None else f"{row.reported_percent:g}%"
        if row.events is None:
            return pct
        total = row.denominator or row.n
        count = f"{row.events}/{total}" if total is not None else str(row.events)
        return f"{count} ({pct})" if pct else count

    @property
    def n(self) -> str:
        """'37', '57 (from the cited paper's title)', 'not stated'."""
        row = self.row
        if row.n is None:
            return "not stated"
        where = _PROVENANCE.get(row.n_from)
        return f"{row.n} ({where})" if where else str(row.n)

    @property
    def count(self) -> str:
        """'36/37', or '≈16/20' where the count was worked out from the reported percentage."""
        a = self.analysis
        if a.proportion is None:
            return ""
        return f"{'≈' if a.derived else ''}{a.events}/{a.total}"

    @property
    def proportion(self) -> str:
        """'80.0% (≈16/20)'; a case report is a case, not a proportion."""
        if self.analysis.single_case:
            return "single case"
        if self.analysis.proportion is None:
            return ""
        return f"{self.analysis.proportion * 100:.1f}% ({self.count})"

    @property
    def interval(self) -> str:
        if self.analysis.interval is None:
            return ""
        low, high = self.analysis.interval
        return f"{percent_limit(low, 1)}–{percent_limit(high, 1)}%"

    @property
    def outcome(self) -> str:
        row = self.row
        return f"{row.outcome}, {row.timepoint}" if row.timepoint else row.outcome


def _csl_authors(item: dict[str, Any]) -> tuple[str, ...]:
    names = []
    for name in item.get("author") or []:
        family = " ".join(x for x in (name.get("non-dropping-particle"), name.get("family"))
                          if x)
        names.append(f"{family}, {name.get('given', '')}" if family
                     else str(name.get("literal", "")))
    return tuple(names)


def short_citation(project: Project, key: str) -> str:
    """'Kaemmerlen et al 1989' (the key itself if references.bib lacks the entry)."""
    item = project.find_item(key)
    if item is None:
        return key
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    year = parts[0][0] if parts and parts[0] else ""
    return f"{project.narrative(key)} {year}".strip()


def studies_of(project: Project, slug: str) -> tuple[list[Study], list[str]]:
    """The table's studies, and a message per pair of rows that may share a cohort."""
    table = project.content.evidence[slug].model
    project.ensure_formatted([r.reference for r in table.rows])

    def authors_of(key: str) -> tuple[str, ...]:
        item = project.find_item(key)
        return _csl_authors(item) if item else ()

    analysis = analyse_table(table, authors_of)
    pairs: dict[int, list[int]] = {}
    for i, j, _message in analysis.duplicates:
        pairs.setdefault(i, []).append(j + 1)
        pairs.setdefault(j, []).append(i + 1)
    studies = [
        Study(i + 1, row, analysis.rows[i], short_citation(project, row.reference),
              pairs.get(i, []))
        for i, row in enumerate(table.rows)
    ]
    messages = []
    for i, j, message in analysis.duplicates:
        for s in (studies[i], studies[j]):  # readers know studies by author, not by key
            message = message.replace(f"({s.row.reference})", f"({s.citation})")
        messages.append(message)
    return studies, messages


def forest_svg(slug: str, outcome: str, studies: list[Study], wording: Wording) -> str:
    """The studies of the question, then the comparators under a label of their own."""
    rows = [
        ForestRow(
            label=f"{s.number}. {s.citation}",
            n=s.analysis.total,
            proportion=s.analysis.proportion,
            low=s.analysis.interval[0] if s.analysis.interval else None,
            high=s.analysis.interval[1] if s.analysis.interval else None,
            text=s.analysis.summary(),  # whole percentages: the plot is for a glance
            flagged=s.analysis.flagged,
            group=_GROUPS[s.row.role],
            note="single case" if s.analysis.single_case else "",
        )
        for s in sorted(studies, key=lambda s: s.row.role == "comparator")
    ]
    return forest_plot_svg(rows, f"forest-{slug}", str(wording.forest_title(outcome)),
                           wording.forest_description)


_GROUPS = {"question": "", "comparator": "Comparator (another treatment; not pooled)"}


def _spreadsheet_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def evidence_csv(studies: list[Study]) -> str:
    """The table as CSV (RFC 4180 via the csv module), one line per study."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for s in studies:
        row, a = s.row, s.analysis
        interval = a.interval or (None, None)
        values: dict[str, object] = {
            "reference key": row.reference,
            "citation": s.citation,
            "role": row.role,
            "design": row.design,
            "level": a.level,
            "site": row.setting,
            "condition": row.condition,
            "intervention": row.intervention,
            "n": row.n,
            "n from": row.n_from,
            "counted in": row.unit,
            "outcome": row.outcome,
            "timepoint": row.timepoint,
            "events": row.events,
            "denominator": row.denominator,
            "reported percent": None if row.reported_percent is None
            else f"{row.reported_percent:g}",
            "counts from": row.counts_from,
            "events used": a.events if a.proportion is not None else None,
            "proportion (%)": _pct(a.proportion),
            "95% CI low (%)": _pct(interval[0]),
            "95% CI high (%)": _pct(interval[1]),
            "flags": " | ".join(f"{f.code}: {f.message}" for f in a.flags),
            "notes": " ".join((row.notes or "").split()),
        }
        writer.writerow({k: "" if v is None else _spreadsheet_safe(v)
                         for k, v in values.items()})
    return out.getvalue()


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.1f}"


def render_evidence_page(project: Project, slug: str, render: Render, wording: Wording
                         ) -> tuple[Page, list[Asset]]:
    doc = project.content.evidence[slug]
    table = doc.model
    studies, same_cohort = studies_of(project, slug)
    cases = [c for c in project.content.cases.values() if slug in c.model.evidence]
    markdown = render(
        "evidence.md.j2", table=table, slug=slug, description=describe(table.question),
        studies=studies, same_cohort=same_cohort, words=wording,
        question_studies=[s for s in studies if s.row.role == "question"],
        comparators=[s for s in studies if s.row.role == "comparator"],
        forest_svg=forest_svg(slug, table.outcome, studies, wording),
        csv_name=f"{slug}.csv", cases=cases,
    )
    # Excel reads a CSV without a byte-order mark as the local code page; the mark keeps
    # accented author names intact, and csv readers opened with utf-8-sig drop it.
    csv_asset = Asset(f"evidence/{slug}.csv", evidence_csv(studies).encode("utf-8-sig"))
    return Page(f"evidence/{slug}.md", table.title, markdown, doc.file), [csv_asset]
