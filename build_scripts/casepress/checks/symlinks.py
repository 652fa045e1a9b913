"""Checks on the files MkDocs reads as they are: hand-written pages, images, templates and
references.bib (content files are checked by the loader).

* Every one must lie inside the project. A symlink to /etc/hostname (or a folder of them)
  committed to the repository would otherwise publish a file of the machine that builds it.
(Hand-written pages must also be UTF-8; `content.handwritten` checks that as it reads them.)
"""

from __future__ import annotations

import os
from pathlib import Path

from casepress.diagnostics import Diagnostic, error
from casepress.project import ProjectOptions


def _symlinks(start: Path) -> list[str]:
    """`start` if it is a symlink, and every symlink under it, without following symlinked
    folders. os.scandir tells a link from its directory entry: no system call per file."""
    found = [str(start)] if start.is_symlink() else []
    folders = [str(start)] if start.is_dir() else []
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_symlink():
                    found.append(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
    return sorted(found)


def _label(path: str, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def links_outside(options: ProjectOptions) -> list[Diagnostic]:
    root = options.root.resolve()
    found = []
    for start in (options.docs_dir, options.templates_dir, options.bibliography):
        for path in _symlinks(start):
            if not Path(path).resolve().is_relative_to(root):
                found.append(error(_label(path, root), None, "file-outside-project",
                                   "this links to a place outside the project",
                                   "copy the file into the repository instead of linking to it"))
    return found
