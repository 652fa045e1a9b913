"""Files the build generates besides Markdown pages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Asset:
    """A generated non-Markdown file; `path` is relative to the docs folder."""

    path: str
    content: bytes
