"""An edited book and an entry without a year build, and read as a reference list should."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build, copy_project, text_of

pytestmark = pytest.mark.slow  # a real build in a subprocess

BOOKS = (Path(__file__).parent / "books.bib").read_text(encoding="utf-8")


def test_edited_book_and_undated_entry_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(BOOKS)
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8")
                     + "\nFurther reading [@edited2001; @undated].\n", encoding="utf-8")
    built = build(project / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.output
    assert "references.bib:" in built.output and "(bib-no-year)" in built.output
    assert "(bib-missing-field)" not in built.output
    text = text_of(built.page("bibliography"))
    assert ("Editor E, Second S, editors. An edited handbook of interventional radiology. "
            "3rd ed. Paris: Test Press; 2001") in text
    assert "Writer W et al. A book without a year. Test Press; n.d." in text
