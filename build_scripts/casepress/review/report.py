"""A `Review` written out for people (text in a terminal, Markdown for a pull request's job
summary) and for programs (JSON). Clinical value changes come first in every form.

Markdown is read by GitHub as Markdown and HTML: every value from the content or the
references is escaped there (`escape_markdown`), as on the site.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from itertools import groupby

from casepress.diagnostics import sorted_diagnostics
from casepress.history.changes import Change, word_diff
from casepress.references.formatting import escape_markdown
from casepress.review.compare import Review

FORMATS = ("text", "markdown", "json")


def _value_text(change: Change) -> str:
    if change.action == "added":
        return f"added: {change.new}"
    if change.action == "removed":
        return f"removed: {change.old}"
    if change.action == "renamed":
        return f"{change.old} → {change.new}"
    if change.prose and change.old and change.new:
        return " ".join(words if kind == "=" else f"[-{words}-]" if kind == "-"
                        else f"{{+{words}+}}" for kind, words in word_diff(change.old,
                                                                           change.new))
    return f"{change.old} → {change.new}"


def _value_markdown(change: Change) -> str:
    def esc(text: str | None) -> str:
        return escape_markdown(text or "")

    if change.action == "added":
        return f"added: **{esc(change.new)}**"
    if change.action == "removed":
        return f"removed: ~~{esc(change.old)}~~"
    if change.prose and change.old and change.new:
        return " ".join(esc(words) if kind == "=" else f"~~{esc(words)}~~" if kind == "-"
                        else f"**{esc(words)}**" for kind, words in word_diff(change.old,
                                                                              change.new))
    return f"{esc(change.old)} → **{esc(change.new)}**"


def _by_file(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    ordered = sorted(changes, key=lambda c: c.file)  # stable: keeps each file's order
    return [(file, list(group)) for file, group in groupby(ordered, key=lambda c: c.file)]


def _sections(review: Review) -> list[tuple[str, list[Change]]]:
    return [("Clinical values changed", review.clinical),
            ("Other changes", [c for c in review.changes if not c.clinical])]


def _preview(base_url: str | None, address: str) -> str | None:
    return f"{base_url.rstrip('/')}/{address}" if base_url else None


@dataclass(frozen=True)
class _Style:
    """How one form writes the parts every form has."""

    title: str  # with {base} and {head}
    heading: Callable[[str], str]
    escape: Callable[[str], str]
    file: Callable[[str], str]
    item: Callable[[str, bool], str]  # (text, to be confirmed)
    change: Callable[[str, bool], str]  # an item under its file
    value: Callable[[Change], str]
    number: Callable[[int], str]
    page: Callable[[str, str, str | None], str]  # (action, path, preview link)
    confirm: str = ""  # said first when clinical values changed


TEXT = _Style(
    title="casepress diff: {base} → {head}",
    heading=lambda text: f"\n{text}", escape=str, file=lambda name: f"  {name}",
    item=lambda text, _confirm: f"  {text}", change=lambda text, _confirm: f"    {text}",
    value=_value_text, number=lambda n: f"[{n}]",
    page=lambda action, path, link: f"  {action:8} {path}" + (f"  {link}" if link else ""))
MARKDOWN = _Style(
    title="## Content changes: {base} → {head}",
    heading=lambda text: f"\n### {text}\n", escape=escape_markdown,
    file=lambda name: f"\n{name}\n",
    item=lambda text, confirm: ("- [ ] " if confirm else "- ") + text,
    change=lambda text, confirm: ("- [ ] " if confirm else "- ") + text,
    value=_value_markdown, number=lambda n: f"\\[{n}\\]",
    page=lambda action, path, link: f"- {action}: " + (f"[{path}](<{link}>)" if link else path),
    confirm="\n**Confirm each clinical value below against its source before approving.**")


def _write(review: Review, base_url: str | None, style: _Style) -> str:
    esc = style.escape
    lines = [style.title.format(base=esc(review.base), head=esc(review.head))]
    if not (review.changes or review.shifts or review.pages):
        lines.append("\nNo changes to content, references, citation numbers or pages.")
    if review.clinical and style.confirm:
        lines.append(style.confirm)
    for title, changes in _sections(review):
        if changes:
            lines.append(style.heading(f"{title} ({len(changes)})"))
            for file, group in _by_file(changes):
                lines.append(style.file(esc(file)))
                lines += [style.change(f"{esc(c.label)}: {style.value(c)}", c.clinical)
                          for c in group]
    if review.shifts:
        lines.append(style.heading(f"Citation numbers that move ({len(review.shifts)})"))
        lines += [style.item(f"{esc(s.key)}: {style.number(s.old)} → {style.number(s.new)} on "
                             f"{', '.join(esc(p) for p in s.pages)}", False)
                  for s in review.shifts]
    if review.pages:
        lines.append(style.heading(f"Pages that change ({len(review.pages)})"))
        lines += [style.page(p.action, esc(p.path), _preview(base_url, p.address)
                             if p.action != "removed" else None) for p in review.pages]
    for label, problems in review.problems.items():
        lines.append(style.heading(f"Problems in {esc(label)} ({len(problems)})"))
        lines += [style.item(esc(d.format_text()), False) for d in sorted_diagnostics(problems)]
    if review.notes:
        lines.append(style.heading("Notes"))
        lines += [style.item(esc(note), False) for note in review.notes]
    return "\n".join(lines) + "\n"


def format_text(review: Review, base_url: str | None = None) -> str:
    return _write(review, base_url, TEXT)


def format_markdown(review: Review, base_url: str | None = None) -> str:
    return _write(review, base_url, MARKDOWN)


def format_json(review: Review, base_url: str | None = None) -> str:
    return json.dumps({
        "base": review.base,
        "head": review.head,
        "clinical_changes": [c.as_dict() for c in review.clinical],
        "changes": [c.as_dict() for c in review.changes],
        "citation_numbers": [asdict(s) for s in review.shifts],
        "pages": [{**asdict(p), "preview": _preview(base_url, p.address)
                   if p.action != "removed" else None} for p in review.pages],
        "problems": {label: [{**asdict(d), "severity": str(d.severity)}
                             for d in sorted_diagnostics(found)]
                     for label, found in review.problems.items()},
        "notes": review.notes,
    }, indent=2, ensure_ascii=False) + "\n"


def format_review(review: Review, fmt: str, base_url: str | None = None) -> str:
    formatter = {"text": format_text, "markdown": format_markdown, "json": format_json}[fmt]
    return formatter(review, base_url)
