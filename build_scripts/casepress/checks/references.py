"""Problems of references.bib entries that only the numbering of citations can tell."""

from __future__ import annotations

from casepress.citations.numbering import Numbering
from casepress.diagnostics import Diagnostic, warning
from casepress.project import Project
from casepress.references import check_entries


def reference_problems(project: Project, numbering: Numbering) -> list[Diagnostic]:
    """Uncited entries, entries lacking what the style needs, entries the style failed on."""
    bib = project.bibliography
    found = check_entries(bib, numbering.order())
    for key, entry in bib.entries.items():
        if key not in numbering.number_of:
            found.append(warning(bib.file, entry.line, "bib-uncited",
                                 f"entry '{key}' is not cited anywhere",
                                 "cite it where it supports a statement, or remove it"))
        elif (formatted := project.formatted.get(key)) and formatted.error:
            found.append(warning(bib.file, entry.line, "bib-style-failed",
                                 f"entry '{key}': {formatted.error}",
                                 "check the entry's fields or the CSL style"))
    return found
