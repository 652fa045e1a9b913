"""The History section at the end of each case, technique and evidence page: when the page's
content last changed, each change from git with its semantic changes, and how to cite this
version. The values are prepared here; `templates/pages/history.md.j2` only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from casepress.history.record import FileHistory, Histories
from casepress.site.templates import Render

if TYPE_CHECKING:  # the models come with the first content page, not before
    from casepress.history.changes import Change

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True)
class ChangeView:
    label: str  # where, below the page itself: "Interventions › … › volume"
    runs: tuple[tuple[str, str], ...]  # ('=' | '-' | '+', words): the old and new values


@dataclass(frozen=True)
class EntryView:
    date: str
    commit: str
    subject: str
    note: str
    changes: tuple[ChangeView, ...]


def long_date(iso: str) -> str:
    """'2026-12-03' -> '3 December 2026', as a reader anywhere reads it."""
    year, month, day = iso.split("-")
    return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"


def _change_view(change: Change) -> ChangeView:
    """Values as they were and are; for reworded text, only that it was reworded and the
    numbers it changed: a page never shows a reader sentences its editors withdrew (the
    full wording is in git and in `casepress diff`)."""
    from casepress.history.changes import SEP, numbers_in

    label = SEP.join([*change.where[1:], change.field] if change.field else change.where[1:])
    runs: tuple[tuple[str, str], ...]
    if change.prose and change.action == "changed":
        before, after = numbers_in(change.old or ""), numbers_in(change.new or "")
        runs = (("=", "reworded,"),) + ((
            ("=", "numbers"), ("-", " ".join(before) or "none"), ("=", "→"),
            ("+", " ".join(after) or "none")) if before != after else ())
    elif change.prose and change.action == "removed":
        runs = (("=", "removed"),)
    elif change.action == "added":
        runs = (("+", change.new or ""),)
    elif change.action == "removed":
        runs = (("-", change.old or ""),)
    else:
        runs = (("-", change.old or ""), ("=", "→"), ("+", change.new or ""))
    return ChangeView(label or change.action, runs)


def _entries(history: FileHistory) -> tuple[EntryView, ...]:
    return tuple(EntryView(long_date(e.date), e.commit, e.subject, e.note,
                           tuple(_change_view(c) for c in e.changes))
                 for e in history.entries)


def render_history(render: Render, histories: Histories, source: str, title: str,
                   site_name: str, address: str | None) -> str:
    """The section for the page made from content file `source`."""
    history = histories.of(source)
    latest = history.entries[0] if history and history.entries else None
    return render(
        "history.md.j2",
        unavailable=histories.unavailable,
        entries=_entries(history) if history else (),
        last_updated=long_date(latest.date) if latest else None,
        version=latest.commit if latest else None,
        uncommitted=bool(history and history.uncommitted),
        truncated=bool(history and history.truncated),
        title=title,
        site_name=site_name,
        address=address,
    )
