"""Values and comments a skeleton left to fill in (`casepress new-case` writes `TODO`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from casepress.cache import SlotCache
from casepress.content.loader import Content, Document
from casepress.content.skeleton import PLACEHOLDER
from casepress.content.yaml_source import field_path, text_fields
from casepress.diagnostics import Diagnostic, warning


def placeholder_problems(content: Content,
                         cache: SlotCache[list[Diagnostic]] | None = None) -> list[Diagnostic]:
    """A warning for each line whose value or comment still starts with TODO (`cache` keeps
    each file's while its bytes are unchanged)."""
    cache = cache or SlotCache()
    return [d for doc in content.documents()
            for d in cache.get(doc.file, doc.digest, partial(_left_in, doc))]


def _left_in(doc: Document[Any]) -> list[Diagnostic]:
    left: dict[int, str] = {}
    for path, text in text_fields(doc.source.data):
        if text.startswith(PLACEHOLDER):
            left.setdefault(doc.source.line_of(path), f"{field_path(path)} is still "
                            f"the placeholder '{text[:60]}'")
    for line, comment in doc.source.comments.items():
        if comment.startswith(PLACEHOLDER):
            left.setdefault(line, f"the comment '{comment[:60]}' is still there")
    return [warning(doc.file, line, "todo-left", message, "fill in the value and delete the TODO")
            for line, message in sorted(left.items())]
