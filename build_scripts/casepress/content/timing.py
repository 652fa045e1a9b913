"""Turn the relative times written in a case into days from the first procedure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casepress.models.case import Case, When



@dataclass(frozen=True)
class Day:
    day: int
    approximate: bool

    def label(self) -> str:
        return f"{'~' if self.approximate else ''}day {self.day}"


@dataclass(frozen=True)
class TimedEvent:
    """An intervention or outcome placed on the case's time axis."""

    id: str
    kind: str  # "intervention" | "outcome"
    index: int
    when: When
    day: Day | None  # None when `after` names nothing earlier (reported by the checks)


def resolve_days(case: Case) -> list[TimedEvent]:
    """Days for every intervention and outcome, in the order they are written."""
    known: dict[str, Day | None] = {}
    events: list[TimedEvent] = []
    written = [("intervention", i, x.id, x.when) for i, x in enumerate(case.interventions)]
    written += [("outcome", i, x.id, x.when) for i, x in enumerate(case.outcomes)]
    for kind, index, event_id, when in written:
        day = day_of(when, known)
        if day is not None:
            known[event_id] = day
        events.append(TimedEvent(event_id, kind, index, when, day))
    return events


def days_by_id(case: Case) -> dict[str, Day | None]:
    """Day of every intervention and outcome, by id."""
    return {event.id: event.day for event in resolve_days(case)}


def day_of(when: When, known: dict[str, Day | None]) -> Day | None:
    """The day `when` falls on, given the days of the events it may be measured from."""
    if when.day is not None:
        return Day(when.day, when.approximate)
    anchor = known.get(when.after or "")
    if anchor is None or when.days is None:
        return None
    return Day(anchor.day + when.days, anchor.approximate or when.approximate)
