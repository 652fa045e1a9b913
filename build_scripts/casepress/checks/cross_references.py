"""Checks that every reference between pieces of content points at something that exists.

Citations and figure references are found in every text field of every content file, and
reported at the line of the field that holds them; keys that name other content (technique,
evidence tables, figures, earlier events) are checked the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from casepress.cache import SlotCache
from casepress.citations.syntax import column_of, find_citations, line_of
from casepress.content.figures import FigureRefError, is_figure_key, parse_figure_key
from casepress.content.loader import Document
from casepress.content.timing import resolve_days
from casepress.content.yaml_source import YamlDocument, text_fields
from casepress.diagnostics import Diagnostic, error, warning
from casepress.references import closest_keys

if TYPE_CHECKING:
    from casepress.models import Case, EvidenceTable
    from casepress.pages import Page
    from casepress.project import Project


def _unknown_key(project: Project, file: str, line: int, key: str, col: int | None = None
                 ) -> Diagnostic:
    suggestions = closest_keys(project.bibliography, key)
    hint = (f"did you mean {', '.join('@' + s for s in suggestions)}?" if suggestions
            else "add the entry to references.bib, or fix the key")
    return error(file, line, "citation-unknown-key",
                 f"citation key '@{key}' is not in references.bib", hint, col=col)


def cited_keys_in(text: str) -> list[str]:
    return [k for c in find_citations(text) for k in c.keys if not is_figure_key(k)]


def _check_document_text(project: Project, doc: Document[Any]) -> Iterator[Diagnostic]:
    figures = doc.model.figures if doc.kind == "cases" else []
    referenced: set[str] = set()
    for path, text in text_fields(doc.source.data):
        for citation in find_citations(text):
            for key in citation.keys:
                if not is_figure_key(key):
                    if key not in project.bibliography.entries:
                        line, col = doc.source.position(path)
                        yield _unknown_key(project, doc.file, line, key, col)
                    continue
                try:
                    referenced.add(parse_figure_key(key, figures).figure.id)
                except FigureRefError as exc:
                    # A wrong panel still refers to its figure: warn about the panel only.
                    referenced.update(f.id for f in figures if key.startswith(f"fig-{f.id}-"))
                    line, col = doc.source.position(path)
                    yield error(doc.file, line, "figure-unknown", f"@{key}: {exc}",
                                "declare the figure under `figures:` or fix the reference",
                                col=col)
    for index, figure in enumerate(figures):
        if figure.id not in referenced:
            yield warning(doc.file, doc.source.line_of(("figures", index)), "figure-unreferenced",
                          f"figure '{figure.id}' is never referred to",
                          f"mention it where it matters, e.g. `@fig-{figure.id}`")


def _check_case(project: Project, doc: Document[Case]) -> Iterator[Diagnostic]:
    case, src = doc.model, doc.source
    invalid = project.content.invalid
    if (case.technique and case.technique not in project.content.techniques
            and ("techniques", case.technique) not in invalid):
        yield error(doc.file, src.line_of(("technique",)), "technique-unknown",
                    f"technique: '{case.technique}' does not exist",
                    f"create content/techniques/{case.technique}.yaml or fix the slug; known: "
                    + (", ".join(project.content.techniques) or "none"))
    for index, slug in enumerate(case.evidence):
        if slug not in project.content.evidence and ("evidence", slug) not in invalid:
            yield error(doc.file, src.line_of(("evidence", index)), "evidence-unknown",
                        f"evidence: '{slug}' does not exist",
                        f"create content/evidence/{slug}.yaml or fix the slug")
    for index, key in enumerate(case.related_references):
        if key not in project.bibliography.entries:
            yield _unknown_key(project, doc.file, src.line_of(("related_references", index)), key)
    figure_ids = {f.id for f in case.figures}
    for i, intervention in enumerate(case.interventions):
        for j, figure_id in enumerate(intervention.figures):
            if figure_id not in figure_ids:
                yield error(doc.file, src.line_of(("interventions", i, "figures", j)),
                            "figure-unknown", f"interventions[{i}].figures: no figure "
                            f"'{figure_id}'", "declare it under `figures:` or fix the id")
    seen_figures: set[str] = set()
    for index, figure in enumerate(case.figures):
        if figure.id in seen_figures:
            yield error(doc.file, src.line_of(("figures", index, "id")), "figure-duplicate-id",
                        f"figures[{index}]: id '{figure.id}' is used by an earlier figure",
                        "give every figure its own id")
        seen_figures.add(figure.id)
    ids = [x.id for x in case.interventions] + [x.id for x in case.outcomes]
    for event_id in {i for i in ids if ids.count(i) > 1}:
        yield error(doc.file, None, "event-duplicate-id", f"id '{event_id}' is used twice",
                    "give every intervention and outcome its own id")
    yield from _check_chronology(doc)


QUOTE_WORDS = 12  # "by the third day after the second procedure" is eight


def _check_chronology(doc: Document[Case]) -> Iterator[Diagnostic]:
    section = {"intervention": "interventions", "outcome": "outcomes"}
    events = resolve_days(doc.model)
    position = {e.id: (e.kind, e.index) for e in events}
    last: dict[str, int] = {}
    unresolved: set[str] = set()  # events whose time could not be worked out
    # An event listed below one timed from it is reported once, as time-before-anchor.
    listed_late = {e.when.after for e in events
                   if (a := position.get(e.when.after or "")) and a[0] == e.kind
                   and a[1] > e.index}
    for event in events:
        where = (section[event.kind], event.index, "when")
        line = partial(doc.source.line_of, where)  # found only to report
        name = f"{section[event.kind]}[{event.index}]"
        when = event.when
        if when.latest is not None and (when.open_ended or when.latest < when.start):
            yield error(doc.file, line(), "time-bounds",
                        f"{name}.when: `latest: {when.latest}` " + (
                            "contradicts `open_ended: true`, which says the source gives no "
                            "later bound" if when.open_ended else
                            f"is earlier than the time it bounds ({when.start})"),
                        "give the earliest time in `day`/`days` and the latest in `latest`, "
                        "or write `open_ended: true` alone")
        if when.as_stated and len(when.as_stated.split()) > QUOTE_WORDS:
            yield error(doc.file, line(), "quote-too-long",
                        f"{name}.when.as_stated has {len(when.as_stated.split())} words; it "
                        f"holds the source's own words for the time, a short phrase of at most "
                        f"{QUOTE_WORDS}",
                        "quote only the phrase that gives the time, and put your own "
                        "explanation in `note`")
        anchor = position.get(when.after or "")
        if anchor and anchor[0] == event.kind and anchor[1] > event.index:
            yield error(doc.file, line(), "time-before-anchor",
                        f"{name} is listed above '{when.after}', the event it is timed from",
                        "list events in the order they happened: the one it is timed from "
                        "first")
        if event.day is None:
            # One wrong anchor is one error: the events timed from it are not reported too.
            if when.after not in unresolved:
                yield error(doc.file, line(), "time-unknown-anchor",
                            f"{name}.when.after: '{when.after}' is not an intervention or "
                            "outcome of this case with a time of its own",
                            "name the id of the event this one is timed from")
            unresolved.add(event.id)
            continue
        previous = last.get(event.kind)
        if previous is not None and event.day.day < previous and event.id not in listed_late:
            yield error(doc.file, line(), "time-out-of-order",
                        f"{name} ({event.day.label()}) comes before the one above it "
                        f"(day {previous})",
                        "list events in the order they happened, or fix the timing")
        last[event.kind] = event.day.day


def _check_evidence(project: Project, doc: Document[EvidenceTable]) -> Iterator[Diagnostic]:
    for index, row in enumerate(doc.model.rows):
        if row.reference not in project.bibliography.entries:
            line = doc.source.line_of(("rows", index, "reference"))
            yield _unknown_key(project, doc.file, line, row.reference)
        total, field = (row.denominator, "denominator") if row.denominator else (row.n, "n")
        if row.events is not None and total is not None and row.events > total:
            at, col = doc.source.position(("rows", index, "events"))
            yield error(doc.file, at, "evidence-count",
                        f"rows[{index}].events: {row.events} patients with the outcome is more "
                        f"than {field} = {total}", f"the count cannot be larger than {field}; "
                        "check both numbers against the source", col=col)


def check_page_citations(project: Project, page: Page) -> list[Diagnostic]:
    """Unknown keys in a hand-written page (figure references belong to case content)."""
    found = []
    known = project.bibliography.entries
    file, text = page.source, page.markdown
    for citation in page.citations:
        if all(key in known and not is_figure_key(key) for key in citation.keys):
            continue  # the common case: no position needs working out
        line, col = line_of(text, citation.start), column_of(text, citation.start)
        for key in citation.keys:
            if is_figure_key(key):
                found.append(error(file, line, "figure-unknown",
                                   f"@{key}: figures can only be referred to in case content",
                                   "link to the case page instead", col=col))
            elif key not in project.bibliography.entries:
                found.append(_unknown_key(project, file, line, key, col))
    return found


# Headings under which an article lists its references.
_LIST_HEADINGS = {"references", "reference list", "bibliography", "literature", "literature cited"}


def check_own_reference_list(project: Project, page: Page) -> list[Diagnostic]:
    """A hand-written reference list on a page that casepress ends with its own."""
    if project.options.numbering != "page" or not any(
            key in project.bibliography.entries for c in page.reference_citations
            for key in c.keys):
        return []
    return [warning(page.source, line_of(page.markdown, offset), "own-reference-list",
                    f'"{title}": casepress ends this page with its own numbered reference '
                    "list, so readers would see two",
                    "delete this section and cite each reference in the text with [@key]")
            for offset, title, _anchor in page.headings
            if title.strip().rstrip(":").casefold() in _LIST_HEADINGS]


def _check_invalid_text(project: Project, source: YamlDocument) -> Iterator[Diagnostic]:
    """Citation keys in a file that did not validate: the rest of it still gets checked."""
    for path, text in text_fields(source.data):
        for citation in find_citations(text):
            for key in citation.keys:
                if not is_figure_key(key) and key not in project.bibliography.entries:
                    line, col = source.position(path)
                    yield _unknown_key(project, source.file, line, key, col)


def check_cross_references(project: Project,
                           cache: SlotCache[list[Diagnostic]] | None = None) -> list[Diagnostic]:
    """`cache` keeps each file's citation and figure problems while its bytes and the
    bibliography are unchanged (under `mkdocs serve`)."""
    cache = cache or SlotCache()
    found: list[Diagnostic] = []
    for source in project.content.invalid.values():
        if source is not None:
            found += _check_invalid_text(project, source)
    for doc in project.content.documents():
        found += cache.get(doc.file, (doc.digest, project.bibliography), partial(
            lambda d: list(_check_document_text(project, d)), doc))
    for case_doc in project.content.cases.values():
        found += _check_case(project, case_doc)
    for evidence_doc in project.content.evidence.values():
        found += _check_evidence(project, evidence_doc)
    return found
