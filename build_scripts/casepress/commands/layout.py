"""`casepress fmt`: references.bib and the content YAML files in their canonical layout.

The layouts are in `bib_layout` and `yaml_layout`; this module picks the files, reports what it did
as diagnostics (so `--check` gives GitHub annotations like `check`), and replaces each file
in one step, so an interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from casepress.commands.bib_layout import FormatError, format_bib
from casepress.commands.yaml_layout import format_yaml
from casepress.content.loader import KINDS
from casepress.diagnostics import Diagnostic, error
from casepress.project import ProjectOptions


@dataclass
class FmtResult:
    changed: list[str] = field(default_factory=list)  # files rewritten (or, with --check, due)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def files_to_format(options: ProjectOptions) -> list[Path]:
    files = [options.bibliography] if options.bibliography.is_file() else []
    for kind in KINDS:
        folder = options.content_dir / kind
        if folder.is_dir():
            files += sorted(p for p in folder.glob("*.yaml") if p.is_file())
    return files


def formatter_for(path: Path) -> Callable[[str], str]:
    return format_bib if path.suffix.lower() == ".bib" else format_yaml


def replace_file(path: Path, content: str | bytes) -> None:
    """Write `content` beside `path`, then swap it in: readers see the old file or the new.
    A new file is made readable by all, as any file of the project or the site."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if path.exists():
            shutil.copymode(path, temp)
        else:
            os.chmod(temp, 0o644)  # mkstemp makes it private
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def format_files(options: ProjectOptions, paths: list[Path], check: bool) -> FmtResult:
    result = FmtResult()
    for path in paths:
        label = options.relative(path)
        try:
            original = path.read_text(encoding="utf-8")
            formatted = formatter_for(path)(original)
        except (OSError, UnicodeDecodeError) as exc:
            result.diagnostics.append(error(label, None, "fmt-failed", f"cannot be read: {exc}",
                                            "save it as UTF-8 text"))
            continue
        except FormatError as exc:
            result.diagnostics.append(error(label, exc.line, "fmt-failed", str(exc),
                                            "run `casepress check` to see what is wrong"))
            continue
        if formatted == original:
            continue
        result.changed.append(label)
        if check:
            result.diagnostics.append(error(label, _first_difference(original, formatted),
                                            "fmt-unformatted", "not in the canonical layout "
                                            "from this line on", "run `casepress fmt` and "
                                            "commit the result"))
        else:
            replace_file(path, formatted)
    return result


def _first_difference(a: str, b: str) -> int:
    for number, (x, y) in enumerate(zip(a.split("\n"), b.split("\n"), strict=False), start=1):
        if x != y:
            return number
    return min(a.count("\n"), b.count("\n")) + 1
