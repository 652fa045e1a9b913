"""What a real image on a case page needs, which a placeholder does not: a source, a licence
and, for the editors' own patient, documented consent (reported at the figure's line); and,
for a panel recorded as a stack, every one of its frames beside the key image."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casepress.content.figures import FIGURE_DIR, IMAGE_SUFFIXES
from casepress.content.loader import Content, Document
from casepress.diagnostics import Diagnostic, error

if TYPE_CHECKING:
    from casepress.models.case import Case


def _has_image(slug: str, figure_id: str, letters: list[str], figure_files: set[str]) -> bool:
    stems = [f"{FIGURE_DIR}/{slug}/{figure_id}-{letter.lower()}" for letter in letters]
    return any(stem + suffix in figure_files or any(
        f.startswith(stem + "/") for f in figure_files) for stem in stems
        for suffix in IMAGE_SUFFIXES)


def real_image_problems(content: Content, figure_files: set[str]) -> list[Diagnostic]:
    problems = []
    for slug, doc in content.cases.items():
        for index, figure in enumerate(doc.model.figures):
            problems += _missing_frames(doc, slug, index, figure_files)
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


def _missing_frames(doc: Document[Case], slug: str, index: int, figure_files: set[str]
                    ) -> list[Diagnostic]:
    figure = doc.model.figures[index]
    problems = []
    for number, panel in enumerate(figure.panels):
        frames = panel.image.frames if panel.image else 1
        if frames < 2:
            continue
        folder = f"{FIGURE_DIR}/{slug}/{figure.id}-{panel.letter.lower()}/"
        found = {f.removeprefix(folder).split(".")[0] for f in figure_files
                 if f.startswith(folder)}
        missing = [n for n in range(1, frames + 1) if f"{n:03d}" not in found]
        if missing:
            problems.append(error(
                doc.file, doc.source.line_of(("figures", index, "panels", number, "image")),
                "figure-stack-incomplete",
                f"panel {panel.letter} of figure '{figure.id}' is recorded as a stack of "
                f"{frames} images, but {len(missing)} are missing from docs/{folder} "
                f"(first: {missing[0]:03d})",
                "import the series again with `casepress add-image --replace`"))
    return problems
