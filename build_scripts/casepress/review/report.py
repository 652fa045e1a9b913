"""A `Review` written out for people (text in a terminal, Markdown for a pull request's job
summary) and for programs (JSON). Clinical value changes come first in every form.

Markdown is read by GitHub as Markdown and HTML: every value from the content or the
references is escaped there (`escape_markdown`), as on the site.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
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


def format_text(review: Review, base_url: str | None = None) -> str:
    lines = [f"casepress diff: {review.base} → {review.head}"]
    if not (review.changes or review.shifts or review.pages):
        lines.append("\nNo changes to content, references, citation numbers or pages.")
    for title, changes in _sections(review):
        if not changes:
            continue
        lines.append(f"\n{title} ({len(changes)})")
        for file, group in _by_file(changes):
            lines.append(f"  {file}")
            lines += [f"    {c.label}: {_value_text(c)}" for c in group]
    if review.shifts:
        lines.append(f"\nCitation numbers that move ({len(review.shifts)})")
        lines += [f"  {s.key}: [{s.old}] → [{s.new}] on {', '.join(s.pages)}"
                  for s in review.shifts]
    if review.pages:
        lines.append(f"\nPages that change ({len(review.pages)})")
        for page in review.pages:
            link = _preview(base_url, page.address) if page.action != "removed" else None
            lines.append(f"  {page.action:8} {page.path}" + (f"  {link}" if link else ""))
    _problems_and_notes(review, lines, lambda d: d.format_text(), "  ")
    return "\n".join(lines) + "\n"


def format_markdown(review: Review, base_url: str | None = None) -> str:
    lines = [f"## Content changes: {escape_markdown(review.base)} → "
             f"{escape_markdown(review.head)}"]
    if not (review.changes or review.shifts or review.pages):
        lines.append("\nNo changes to content, references, citation numbers or pages.")
    if review.clinical:
        lines.append("\n**Confirm each clinical value below against its source before "
                     "approving.**")
    for title, changes in _sections(review):
        if not changes:
            continue
        lines.append(f"\n### {title} ({len(changes)})")
        for file, group in _by_file(changes):
            lines.append(f"\n{escape_markdown(file)}\n")
            check = "- [ ] " if title.startswith("Clinical") else "- "
            lines += [f"{check}{escape_markdown(c.label)}: {_value_markdown(c)}"
                      for c in group]
    if review.shifts:
        lines.append(f"\n### Citation numbers that move ({len(review.shifts)})\n")
        lines += [f"- {escape_markdown(s.key)}: \\[{s.old}\\] → \\[{s.new}\\] on "
                  f"{', '.join(escape_markdown(p) for p in s.pages)}" for s in review.shifts]
    if review.pages:
        lines.append(f"\n### Pages that change ({len(review.pages)})\n")
        for page in review.pages:
            link = _preview(base_url, page.address) if page.action != "removed" else None
            name = escape_markdown(page.path)
            lines.append(f"- {page.action}: " + (f"[{name}](<{link}>)" if link else name))
    _problems_and_notes(review, lines, lambda d: escape_markdown(d.format_text()), "- ")
    return "\n".join(lines) + "\n"


def _problems_and_notes(review: Review, lines: list[str], show: Callable[..., str],
                        bullet: str) -> None:
    for label, problems in review.problems.items():
        lines.append(f"\nProblems in {label} ({len(problems)})" + ("\n" if bullet == "- "
                                                                    else ""))
        lines += [bullet + show(d) for d in sorted_diagnostics(problems)]
    if review.notes:
        lines.append("\nNotes" + ("\n" if bullet == "- " else ""))
        note = escape_markdown if bullet == "- " else str
        lines += [bullet + note(n) for n in review.notes]


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
