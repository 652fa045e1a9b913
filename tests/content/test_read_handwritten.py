"""The hand-written pages the pipeline reads from docs/: which, in what order, with what title.

The order is path order, folder by folder (numbering follows it wherever mkdocs.yml has no
`nav`), hidden files and folders left out.
"""

from __future__ import annotations

from pathlib import Path

from casepress.content.handwritten import read_handwritten
from casepress.project import ProjectOptions

NAMES = ["a.md", "a-b.md", "a/b.md", "a b/c.md", "A.md", "a.b/x.md", "z/y/x.md", "a0/b.md",
         "a/a.md", "notes/first-steps.md", "notes/index.md"]
HIDDEN = [".hidden/x.md", "x/.draft.md", ".notes.md"]


def _docs(root: Path) -> Path:
    docs = root / "docs"
    for name in [*NAMES, *HIDDEN]:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("Text without a heading.\n", encoding="utf-8")
    (docs / "notes" / "index.md").write_text("Intro\n\n# Reading *notes*\n", encoding="utf-8")
    (docs / "a" / "image.png").write_bytes(b"\x89PNG")
    return docs


def test_pages_in_rglob_order_without_hidden_ones(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    pages, problems = read_handwritten(ProjectOptions.at(tmp_path))
    assert problems == []
    expected = [p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*.md"))
                if not any(part.startswith(".") for part in p.relative_to(docs).parts)]
    assert [page.path for page in pages] == expected
    assert sorted(expected) != expected  # the order is the path parts', not the strings'
    assert {page.source for page in pages} == {f"docs/{name}" for name in NAMES}


def test_title_from_first_heading_or_file_name(tmp_path: Path) -> None:
    _docs(tmp_path)
    titles = {page.path: page.title for page in read_handwritten(ProjectOptions.at(tmp_path))[0]}
    assert titles["notes/index.md"] == "Reading notes"
    assert titles["notes/first-steps.md"] == "First steps"
    assert titles["a b/c.md"] == "C"


def test_a_page_that_is_not_utf8_is_reported_and_left_out(tmp_path: Path) -> None:
    docs = _docs(tmp_path)
    (docs / "a" / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    pages, problems = read_handwritten(ProjectOptions.at(tmp_path))
    assert "a/latin1.md" not in {page.path for page in pages}
    assert [(p.file, p.rule) for p in problems] == [("docs/a/latin1.md", "not-utf8")]
