"""A real image on a case page needs a source, a licence and, for the editors' own patient,
documented consent; a placeholder needs none of these. Reported at the figure's line."""

from __future__ import annotations

from casepress.content.figures import FIGURE_DIR, IMAGE_SUFFIXES
from casepress.content.loader import Content
from casepress.diagnostics import Diagnostic, error


def _has_image(slug: str, figure_id: str, letters: list[str], figure_files: set[str]) -> bool:
    stems = [f"{FIGURE_DIR}/{slug}/{figure_id}-{letter.lower()}" for letter in letters]
    return any(stem + suffix in figure_files or any(
        f.startswith(stem + "/") for f in figure_files) for stem in stems
        for suffix in IMAGE_SUFFIXES)


def provenance_problems(content: Content, figure_files: set[str]) -> list[Diagnostic]:
    problems = []
    for slug, doc in content.cases.items():
        for index, figure in enumerate(doc.model.figures):
            if not _has_image(slug, figure.id, [p.letter for p in figure.panels],
                              figure_files):
                continue
            line = doc.source.line_of(("figures", index))
            provenance = figure.provenance
            if provenance is None:
                problems.append(error(
                    doc.file, line, "figure-provenance",
                    f"figure '{figure.id}' shows a real image but does not say where it comes "
                    "from or on what terms it is shown",
                    "add `provenance:` with `source`, `credit` (shown under the caption) and "
                    "`licence`"))
            elif provenance.source == "own institution" and not provenance.consent_documented:
                problems.append(error(
                    doc.file, doc.source.line_of(("figures", index, "provenance")),
                    "figure-consent",
                    f"figure '{figure.id}' shows images of the editors' own patient without "
                    "documented consent to publish them",
                    "once the patient's consent is on file, set `consent_documented: true`; "
                    "until then, keep the placeholder"))
    return problems
