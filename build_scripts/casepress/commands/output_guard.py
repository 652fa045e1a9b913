"""Where a command may write its output: never over, into or around the project's sources,
and never over a folder casepress did not write unless the person says `--force`.

Every output folder casepress writes carries a `MARKER` file, so a later run can tell its own
earlier output (replaced without asking) from a folder that merely has the same name. A site
built before the marker existed is recognised by casepress's own assets in it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from casepress.project import ProjectOptions

MARKER = ".casepress-output"
MARKER_TEXT = ("This folder was written by casepress, which replaces it whole on its next run "
               "into the same place. Nothing in it is a source; it is safe to delete.\n")
_EARLIER_OUTPUT = "assets/casepress"  # every site and export-md tree casepress has written


class OutputRefused(Exception):
    """Why an output path was refused, phrased for the person who typed it."""


def project_sources(options: ProjectOptions, config_file: Path) -> list[Path]:
    """What no output may be, hold or sit in: everything an editor or developer writes."""
    root = options.root
    return [options.content_dir, options.docs_dir, options.templates_dir,
            options.bibliography, config_file, root / "build_scripts", root / ".git"]


def _overlap(target: Path, sources: Iterable[Path]) -> str | None:
    for source in sources:
        source = source.resolve()
        if target == source:
            return f"it is {source}"
        if target.is_relative_to(source):
            return f"it lies inside {source}"
        if source.is_relative_to(target):
            return f"it holds {source}"
    return None


def _refuse_sources(target: Path, sources: Iterable[Path]) -> None:
    if (overlap := _overlap(target, sources)) is not None:
        raise OutputRefused(f"refusing to write to {target}: {overlap}, a source of the project "
                            "that the output would replace; choose a folder outside the "
                            "sources, such as site/ or dist/")


def _written_by_casepress(folder: Path) -> bool:
    return (folder / MARKER).is_file() or (folder / _EARLIER_OUTPUT).is_dir()


def check_output_folder(target: Path, sources: Iterable[Path], force: bool) -> None:
    """Raise OutputRefused unless casepress may replace the folder `target` as a whole."""
    target = target.resolve()
    _refuse_sources(target, sources)
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"refusing to replace {target}: it is a file, not a folder")
    if (target.is_dir() and not force and any(target.iterdir())
            and not _written_by_casepress(target)):
        raise OutputRefused(f"refusing to replace {target}: it holds files casepress did not "
                            f"write (it has no {MARKER} file); delete it, choose another "
                            "folder, or pass --force to replace it")


def check_output_file(target: Path, sources: Iterable[Path], force: bool) -> None:
    """Raise OutputRefused unless casepress may replace the zip file `target`."""
    target = target.resolve()
    _refuse_sources(target, sources)
    if target.is_dir():
        raise OutputRefused(f"refusing to write {target}: it is a folder; name a .zip file")
    if target.exists() and not force and not zipfile.is_zipfile(target):
        raise OutputRefused(f"refusing to replace {target}: it is not a zip file casepress "
                            "wrote; delete it, choose another name, or pass --force")


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
