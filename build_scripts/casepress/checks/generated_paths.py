"""Hand-written pages where the build puts generated ones."""

from __future__ import annotations

from collections.abc import Sequence

from casepress.diagnostics import Diagnostic, error
from casepress.pages import Page

# Folders of docs/ that the build fills, and the bibliography page it writes.
GENERATED_FOLDERS = ("cases", "techniques", "evidence", "editors")
GENERATED_PAGES = ("bibliography.md",)


def check_generated_paths(handwritten: Sequence[Page]) -> list[Diagnostic]:
    """A page an editor wrote under docs/ that a generated page would hide."""
    return [error(page.source, None, "docs-conflict",
                  f"docs/{page.path} would hide a generated page",
                  "move it elsewhere: " + ", ".join(f"{f}/" for f in GENERATED_FOLDERS)
                  + " and bibliography.md are generated from content/")
            for page in handwritten
            if page.path in GENERATED_PAGES or page.path.split("/")[0] in GENERATED_FOLDERS]
