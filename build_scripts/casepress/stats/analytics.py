"""Checks and summary statistics for evidence tables.

Everything here is arithmetic on the numbers a source reports, so that a reader sees how
uncertain each result is (Wilson interval), and an editor sees numbers that cannot all be
true at once (a percentage no whole count of patients can produce) before a clinician does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from casepress.models.evidence import EvidenceRow, EvidenceTable
from casepress.stats.cohorts import possible_duplicate_cohorts
from casepress.stats.proportions import (
    Z_95,
    closest_count,
    implied_totals,
    matches,
    nearest_counts,
    row_total,
    whole_counts,
    wilson_interval,
)

__all__ = [
    "Z_95",
    "Flag",
    "RowAnalysis",
    "TableAnalysis",
    "analyse_row",
    "analyse_table",
    "evidence_level",
    "possible_duplicate_cohorts",
    "wilson_interval",
]

# Oxford CEBM 2011, question "Does this intervention help? (treatment benefits)".
# Case reports are not listed there; a single case is weaker than a series, so it can rank
# no higher than the series level.
_LEVELS: dict[str, tuple[int, str]] = {
    "systematic review": (1, "1 (systematic review)"),
    "randomised trial": (2, "2 (randomised trial)"),
    "prospective cohort": (3, "3 (cohort study)"),
    "retrospective cohort": (3, "3 (cohort study)"),
    "case-control": (
        4,
        "4 (case-control study; CEBM level 4: case-series, case-control studies, "
        "or historically controlled studies)",
    ),
    "case series": (4, "4 (case series)"),
    "case report": (
        4,
        "4 (case report; CEBM 2011 lists case series at level 4, and a single case ranks "
        "no higher)",
    ),
}


@dataclass(frozen=True)
class Flag:
    """One problem with a row's numbers; `message` is written for a clinician or editor."""

    code: str
    message: str


@dataclass(frozen=True)
class RowAnalysis:
    index: int
    """Position of the row in the table, from 0."""
    reference: str
    level: int
    level_label: str
    events: int | None
    """Patients with the outcome: the reported count, or derived from the percentage."""
    total: int | None
    """Patients assessed: the denominator, or n where no denominator is given."""
    derived: bool
    """True when `events` was worked out from the reported percentage, not reported."""
    proportion: float | None
    interval: tuple[float, float] | None
    """95% Wilson score interval for `proportion`, as proportions 0..1."""
    reported_percent: float | None
    flags: list[Flag] = field(default_factory=list)
    single_case: bool = False
    """A case report: one patient is a case to read, not a proportion with an interval."""

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def summary(self) -> str:
        """The result on one line, e.g. '16/20 · 80% (58–92%)'."""
        if self.single_case:
            return "single case, not a proportion"
        pct = None if self.reported_percent is None else f"{_pct(self.reported_percent)}%"
        if self.proportion is None or self.events is None or self.total is None:
            if self.events is not None and self.total is None:
                return f"{self.events} patients{f' ({pct})' if pct else ''} · n not stated"
            if pct is not None and self.total is not None:
                return f"{pct} of {self.total} · count unclear"
            if pct is not None:
                return f"{pct} · n not stated"
            return "no count reported"
        count = f"{'≈' if self.derived else ''}{self.events}/{self.total}"
        text = f"{count} · {self.proportion * 100:.0f}%"
        if self.interval is not None:
            low, high = self.interval
            text += f" ({percent_limit(low, 0)}–{percent_limit(high, 0)}%)"
        return text


@dataclass(frozen=True)
class TableAnalysis:
    rows: list[RowAnalysis]
    duplicates: list[tuple[int, int, str]]
    """Pairs of row indexes that may describe the same patients, with a message."""

    @property
    def flag_count(self) -> int:
        return sum(len(row.flags) for row in self.rows)


def _pct(value: float) -> str:
    return f"{value:g}"


def percent_limit(value: float, decimals: int) -> str:
    """An interval limit (0..1) as a percentage that never rounds onto a bound it does not
    reach: 0.995 is "99.5" (or "99" with no decimals), not "100"; 0.004 is not "0"."""
    step = 10.0 ** -decimals
    shown = round(value * 100, decimals)
    if value < 1 and shown >= 100:
        shown = 100 - step
    elif value > 0 and shown <= 0:
        shown = step
    return f"{shown:.{decimals}f}"


def _check_row(row: EvidenceRow, total: int | None) -> list[Flag]:
    flags: list[Flag] = []
    pct = row.reported_percent
    if total is None:
        message = "The source does not state how many patients were studied (n)"
        implied = implied_totals(row.events, pct) if pct is not None else range(0)
        if pct is not None and len(implied) == 1:
            # Tell the editor the likely n, but never use it: the source did not state it.
            message += f"; {row.events} patients at {_pct(pct)}% implies n = {implied[0]}"
        flags.append(Flag("n-not-stated", message + ", so no confidence interval is shown."))
        return flags
    if row.events is not None and row.events > total:
        flags.append(Flag(
            "count-exceeds-total",
            f"{row.events} patients with the outcome is more than the {total} assessed.",
        ))
        return flags
    if pct is None:
        return flags
    if not whole_counts(pct, total):
        near = " and ".join(
            f"{k}/{total} = {100 * k / total:.1f}%" for k in nearest_counts(pct, total)
        )
        if row.n_from == "citing article":
            why = "the percentage or the patient count may be misreported."
        else:  # n is ours to doubt, not the source's: say where it came from
            where = {"cited title": "the cited paper's title", "editors": "the editors"}
            other = next((f" ({k}/{d} = {100 * k / d:.1f}%)" for d in range(2, total)
                          if (k := closest_count(pct, d)) is not None), "")
            why = (f"n = {total} is taken from {where[row.n_from]}, not from the citing "
                   f"article, so the percentage may refer to another denominator{other}.")
        flags.append(Flag(
            "percent-not-whole-count",
            f"{_pct(pct)}% cannot come from a whole number of {total} patients "
            f"(nearest: {near}); {why}",
        ))
    if row.events is not None and not matches(row.events, total, pct):
        flags.append(Flag(
            "count-percent-mismatch",
            f"{row.events}/{total} is {100 * row.events / total:.1f}%, but the source "
            f"reports {_pct(pct)}%.",
        ))
    return flags


def analyse_row(row: EvidenceRow, index: int = 0) -> RowAnalysis:
    total = row_total(row)
    flags = _check_row(row, total)
    events, derived = row.events, False
    if events is None and row.reported_percent is not None and total is not None and not flags:
        # Show an interval for a consistent percentage by recovering the count behind it.
        events = closest_count(row.reported_percent, total)
        derived = events is not None
    proportion: float | None = None
    interval: tuple[float, float] | None = None
    single_case = row.design == "case report"
    if events is not None and total is not None and events <= total and not single_case:
        proportion = events / total
        interval = wilson_interval(events, total)
    level, label = evidence_level(row.design)
    return RowAnalysis(
        index=index,
        reference=row.reference,
        level=level,
        level_label=label,
        events=events,
        total=total,
        derived=derived,
        proportion=proportion,
        interval=interval,
        reported_percent=row.reported_percent,
        flags=flags,
        single_case=single_case,
    )


def evidence_level(design: str) -> tuple[int, str]:
    """Oxford CEBM 2011 level for a treatment-benefit question, and a label for a table."""
    try:
        return _LEVELS[design]
    except KeyError:
        known = ", ".join(_LEVELS)
        raise ValueError(f"unknown study design {design!r}; expected one of: {known}") from None


def analyse_table(
    table: EvidenceTable, authors_of: Callable[[str], tuple[str, ...]]
) -> TableAnalysis:
    return TableAnalysis(
        rows=[analyse_row(row, i) for i, row in enumerate(table.rows)],
        duplicates=possible_duplicate_cohorts(table.rows, authors_of),
    )
