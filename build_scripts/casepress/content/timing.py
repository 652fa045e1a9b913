"""Turn the relative times written in a case into days from the first procedure.

A time is exact, approximate, open-ended ("on or after": the source gives no date) or an
interval. An event timed from an open-ended or interval event is known only relative to it
("35 days after the right sacroplasty"): its `Day` keeps that anchor, so that no page turns
it into an absolute day with a precision the source does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casepress.models.case import Case, When


@dataclass(frozen=True)
class Day:
    day: int
    """The day, or the earliest day the source allows."""
    approximate: bool
    open_ended: bool = False
    """On or after `day`; the source gives no later bound."""
    latest: int | None = None
    """The latest day the source allows, for an interval."""
    anchor: str = ""
    """For a time measured from an uncertain event: that event's id ..."""
    days_after: int = 0
    """... and the days after it."""

    @property
    def uncertain(self) -> bool:
        return self.open_ended or self.latest is not None

    @property
    def relative(self) -> bool:
        """Known only relative to an uncertain event, not as a day of the case."""
        return bool(self.anchor)

    def label(self) -> str:
        """The absolute wording: "day 7", "~day 97", "on or after ~day 97", "day 30–60".
        A relative day needs its anchor's name: see `site.case_page`."""
        base = f"{'~' if self.approximate else ''}day {self.day}"
        if self.open_ended:
            return f"on or after {base}"
        if self.latest is not None:
            return f"{base}\u2013{self.latest}"
        return base


@dataclass(frozen=True)
class TimedEvent:
    """An intervention or outcome placed on the case's time axis."""

    id: str
    kind: str  # "intervention" | "outcome"
    index: int
    when: When
    day: Day | None  # None when `after` names no event that has a time (reported by checks)
    rank: int = 0  # how many anchors lead to it: an event comes after the one it is timed from


def _written(case: Case) -> list[tuple[str, int, str, When]]:
    return ([("intervention", i, x.id, x.when) for i, x in enumerate(case.interventions)]
            + [("outcome", i, x.id, x.when) for i, x in enumerate(case.outcomes)])


def resolve_days(case: Case) -> list[TimedEvent]:
    """Days for every intervention and outcome, in the order they are written. An event may
    be timed from any other (a procedure from the complaint that led to it); a chain that
    never reaches a `day`, or loops, leaves its events without one."""
    written = _written(case)
    known: dict[str, tuple[Day, int]] = {}
    pending = list(written)
    while pending:
        still = []
        for entry in pending:
            _kind, _index, event_id, when = entry
            if when.after is None:
                known[event_id] = (Day(when.day or 0, when.approximate, when.open_ended,
                                       when.latest), 0)
            elif when.after in known and when.after != event_id:
                anchor, rank = known[when.after]
                known[event_id] = (_after(anchor, when.after, when), rank + 1)
            else:
                still.append(entry)
        if len(still) == len(pending):
            break  # nothing more can be resolved
        pending = still
    events = []
    for kind, index, event_id, when in written:
        day, rank = known.get(event_id, (None, 0))
        events.append(TimedEvent(event_id, kind, index, when, day, rank))
    return events


def _after(anchor: Day, anchor_id: str, when: When) -> Day:
    """The day of `when`, timed from `anchor` (the event `anchor_id`)."""
    days = when.days or 0
    # Relative to an uncertain event, only this interval's own looseness counts: "by the
    # third day after" it is exact, whatever the vagueness of its date.
    if anchor.relative:  # still relative to the first uncertain event up the chain
        return Day(anchor.day + days, anchor.approximate or when.approximate, when.open_ended,
                   None, anchor.anchor, anchor.days_after + days)
    if anchor.uncertain:
        return Day(anchor.day + days, when.approximate, when.open_ended, None, anchor_id, days)
    approximate = anchor.approximate or when.approximate
    latest = anchor.day + when.latest if when.latest is not None else None
    return Day(anchor.day + days, approximate, when.open_ended, latest)


def days_by_id(case: Case) -> dict[str, Day | None]:
    """Day of every intervention and outcome, by id."""
    return {event.id: event.day for event in resolve_days(case)}


def in_course_order(events: list[TimedEvent]) -> list[TimedEvent]:
    """Earliest first; where days tie or are uncertain, an event after the one it is timed
    from (the complaint, then the imaging, then the procedure), then as written."""
    return sorted(events, key=lambda e: (e.day.day if e.day else 0, e.rank))


def day_of(when: When, known: dict[str, Day | None]) -> Day | None:
    """The day `when` falls on, given the days of the events it may be measured from."""
    if when.after is None:
        return Day(when.day or 0, when.approximate, when.open_ended, when.latest)
    anchor = known.get(when.after)
    return None if anchor is None else _after(anchor, when.after, when)
