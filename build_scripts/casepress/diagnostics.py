"""Problems found in content, references and pages, reported the way an editor can act on them.

Every check in casepress returns `Diagnostic` values instead of raising, so that one run
reports every problem at once. Only the boundary (CLI, MkDocs plugin) decides to stop.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located in a source file.

    `file` is relative to the project root (what an editor sees in a pull request);
    `line` and `col` are 1-based, `None` when the problem is about the file as a whole.
    """

    file: str
    line: int | None
    col: int | None
    severity: Severity
    rule: str
    message: str
    hint: str = ""

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def format_text(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return f"{text} ({self.rule})"

    def format_github(self) -> str:
        """A GitHub workflow command, so the problem shows on the pull request's line."""
        props = [f"file={self.file}"]
        if self.line is not None:
            props.append(f"line={self.line}")
            if self.col is not None:
                props.append(f"col={self.col}")
        props.append(f"title={self.rule}")
        body = self.message + (f"; {self.hint}" if self.hint else "")
        level = "error" if self.severity is Severity.ERROR else "warning"
        return f"::{level} {','.join(_escape_property(p) for p in props)}::{_escape_data(body)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C").replace("%3D", "=")


def error(file: str, line: int | None, rule: str, message: str, hint: str = "",
          col: int | None = None) -> Diagnostic:
    return Diagnostic(file, line, col, Severity.ERROR, rule, message, hint)


def warning(file: str, line: int | None, rule: str, message: str, hint: str = "",
            col: int | None = None) -> Diagnostic:
    return Diagnostic(file, line, col, Severity.WARNING, rule, message, hint)


def encoding_error(file: str, raw: bytes, exc: UnicodeDecodeError, rule: str = "not-utf8",
                   hint: str = "save the file as UTF-8") -> Diagnostic:
    """The first byte of `raw` that is not UTF-8, at its line."""
    line = raw[: exc.start].count(b"\n") + 1
    return error(file, line, rule, f"byte 0x{raw[exc.start]:02x} is not UTF-8", hint)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line or 0, d.col or 0, d.rule, d.message)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file and line, each problem once."""
    return sorted(set(diagnostics), key=sort_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def format_report(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    items = sorted_diagnostics(diagnostics)
    if fmt == "json":
        return json.dumps([{**asdict(d), "severity": str(d.severity)} for d in items], indent=2)
    if fmt == "github":
        return "\n".join(d.format_github() for d in items)
    return "\n".join(d.format_text() for d in items)


class CasepressError(Exception):
    """Raised at a boundary when diagnostics contain errors; carries all of them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted_diagnostics(diagnostics)
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        summary = f"{errors} error(s) in content; nothing was written."
        super().__init__(format_report(self.diagnostics) + "\n" + summary)
