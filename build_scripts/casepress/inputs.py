"""Checks on the files MkDocs reads as they are: hand-written pages, images, templates and
references.bib (content files are checked by the loader).

* Every one must lie inside the project. A symlink to /etc/hostname (or a folder of them)
  committed to the repository would otherwise publish a file of the machine that builds it.
(Hand-written pages must also be UTF-8; `pipeline.read_handwritten` checks that as it reads
them.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from casepress.diagnostics import Diagnostic, error
from casepress.project import ProjectOptions


def _walk(folder: Path) -> Iterator[Path]:
    """`folder` and everything under it, without following symlinked folders."""
    yield folder
    for parent, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs) + sorted(files):
            yield Path(parent) / name


def _label(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def links_outside(options: ProjectOptions) -> list[Diagnostic]:
    root = options.root.resolve()
    found = []
    for start in (options.docs_dir, options.templates_dir, options.bibliography):
        if not start.exists() and not start.is_symlink():
            continue
        for path in _walk(start):
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                found.append(error(_label(path, root), None, "file-outside-project",
                                   "this links to a place outside the project",
                                   "copy the file into the repository instead of linking to it"))
    return found


def check_inputs(options: ProjectOptions) -> list[Diagnostic]:
    return links_outside(options)
