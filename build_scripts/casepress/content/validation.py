"""Content validation errors, worded for an editor: each pydantic error becomes a
`file:line` diagnostic that says what is wrong and what to write instead.

Kept apart from `loader` so that a site without content files never imports pydantic.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from casepress.content.yaml_source import YamlDocument, field_path
from casepress.diagnostics import Diagnostic, error


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...], list[...], Annotated[...]."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "string_type": "expected text (put it in quotes if it looks like a number or date)",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list: one item per line, each starting with '- '",
    "model_type": "expected a block of `field: value` lines",
    "dict_type": "expected a block of `field: value` lines",
    "model_attributes_type": "expected a block of `field: value` lines",
}


def _shown(value: object, limit: int = 80) -> str:
    """The offending value as written, cut short: a 1 MB title must not flood the report."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


_DATE_WORDS = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec)", re.IGNORECASE)


def _looks_like_a_date(value: object) -> bool:
    """A YAML date (2004-05-24 loads as one) or text that reads as a calendar date."""
    return isinstance(value, date) or (isinstance(value, str) and bool(_DATE_WORDS.search(value)))


_TIME_PARTS = ("when", "day", "days", "after")
_WRITE_A_TIME = ("write `when: {day: 0}` for the first procedure (`day: -3` three days before "
                 "it), or `when: {after: <id>, days: N}` for N days after an earlier event")


def _describe(details: ErrorDetails, model: type[BaseModel]) -> tuple[str, str, str]:
    """(what is wrong, what is expected, rule id) for one pydantic error."""
    kind = details["type"]
    loc = tuple(details["loc"])
    name = str(loc[-1]) if loc else ""
    # Only the time itself: `as_stated` or `approximate` inside `when` may hold words such as
    # "May" for reasons that have nothing to do with dates.
    timed = "when" in loc and loc[-1] in _TIME_PARTS
    if timed and _looks_like_a_date(given := details.get("input")):
        # As written in the file: YAML turned 2004-05-24 into a date, whose repr is Python's.
        written = given.isoformat() if isinstance(given, date) else _shown(given)
        return (f"{written} is a calendar date; times in a case are days from the first "
                "procedure, never dates", _WRITE_A_TIME, "schema-value")
    if timed and loc[-1] == "when" and kind in _EXPECTED:
        return (f"{_shown(details['input'])} is not a time; times in a case are days from the "
                "first procedure", _WRITE_A_TIME, "schema-type")
    if kind == "missing":
        return "is required but missing", f"add `{name}:` with a value", "schema-missing-field"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        return ("is not a known field",
                f"remove it or fix its spelling; fields allowed here: {allowed}",
                "schema-unknown-field")
    if kind in _EXPECTED:
        return f"{_shown(details['input'])} is the wrong type", _EXPECTED[kind], "schema-type"
    pattern = str(details.get("ctx", {}).get("pattern", ""))
    if kind == "string_pattern_mismatch" and pattern.startswith("^[a-z0-9]"):
        return (f"{_shown(details['input'])} is not a valid id",
                "expected lower-case letters, digits and hyphens, e.g. `left-sacroplasty`",
                "schema-value")
    if kind == "string_pattern_mismatch" and pattern.startswith("^[A-Za-z0-9_]"):
        return (f"{_shown(details['input'])} is not a citation key",
                "expected the key of an entry in references.bib, without the @, "
                "e.g. `kaemmerlen1989`", "schema-value")
    message = details["msg"].removeprefix("Value error, ")
    if kind == "value_error":  # our own validators already say what to do
        return message, "", "schema-value"
    return f"{_shown(details['input'])}: {message}", "see the field's description in the schema", \
        "schema-value"


def validation_diagnostics(
    doc: YamlDocument, model: type[BaseModel], exc: ValidationError
) -> list[Diagnostic]:
    found = []
    for details in exc.errors(include_url=False):
        loc = tuple(details["loc"])
        line, col = doc.position(loc)
        wrong, expected, rule = _describe(details, model)
        found.append(error(doc.file, line, rule, f"{field_path(loc)}: {wrong}", expected, col=col))
    return found
