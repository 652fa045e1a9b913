"""Building blocks shared by every content model."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from casepress.urls import WEB_SCHEMES, link_scheme

# Raw HTML in a text field would reach the reader's browser; content is Markdown only.
_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
# Where Markdown reads a link or image target: `](target)`, `](<target>)`, and reference
# definitions `[label]: target` (the target may start on the next line). Every `](` is read,
# overlapping ones too (a lookahead): in `]( [a](javascript:...)` the first would otherwise
# swallow the second, which Markdown makes a link.
_LINK_TARGETS = (
    re.compile(r"\](?=\(\s*(<[^>\n]*>|[^)\n]*))"),
    re.compile(r"^[ \t]*\[[^\]\n]+\]:\s*(<[^>\n]*>|\S+)", re.MULTILINE),
)
# Python-Markdown's attr_list reads `{#id}`, `{.class}`, `{key=value}` and `{: ...}` after a
# paragraph, heading, link or image as HTML attributes (onclick=... included).
# `@{key}` is a citation, not an attribute list.
_ATTRIBUTE_LIST = re.compile(r"(?<!@)\{:?[ \t]*(?:[#.][\w-]|[\w:-]+[ \t]*=)")
# Characters that end or break out of a URL in Markdown (`<url>`, `[x](url)`) or in HTML.
_URL_BREAKERS = re.compile(r"[\s<>\"'`\\{}|^]")


def _check_visible(value: str) -> str:
    """No invisible formatting characters: a right-to-left override (U+202E) or a zero-width
    space makes a page read otherwise than the file a reviewer approved. The zero-width
    joiner stays allowed: it only joins characters, as in some scripts and emoji."""
    for character in value:
        if unicodedata.category(character) == "Cf" and character != "\u200d":
            name = unicodedata.name(character, "FORMAT CHARACTER")
            raise ValueError(f"holds an invisible character, U+{ord(character):04X} {name}, "
                             "which can make the page read otherwise than this file; delete it")
    return value


def _visible_before_pattern(value: object) -> object:
    """`_check_visible` ahead of a field's pattern: an id, key or address holding a hidden
    character is told which one and to delete it, not only that it does not match."""
    return _check_visible(value) if isinstance(value, str) else value


def _check_markdown(value: str) -> str:
    _check_visible(value)
    if _HTML_TAG.search(value):
        raise ValueError(
            "raw HTML is not allowed in content text; write Markdown (*italic*, **bold**) "
            "or describe the markup in words"
        )
    if match := _ATTRIBUTE_LIST.search(value):
        raise ValueError(
            f"'{match.group(0)}...' would set HTML attributes (Markdown attribute lists are not "
            "allowed in content text); write the braces as ( ) or leave them out"
        )
    for pattern in _LINK_TARGETS:
        for target in pattern.findall(value):
            scheme = link_scheme(target)
            if scheme is not None and scheme not in WEB_SCHEMES:
                raise ValueError(
                    f"link target '{target.strip()[:40]}' is not allowed; use an https:// "
                    "address or a link to a page of this site"
                )
    return value


def _check_one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("a name or label is one line; move the rest into a text field")
    return _check_markdown(value)


def _check_web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc or _URL_BREAKERS.search(value):
        raise ValueError(
            f"'{value[:60]}' is not a web address; write the full http(s):// address, with any "
            "space, quote, brace or angle bracket in it percent-encoded (e.g. %20 for a space)"
        )
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_check_markdown)]
"""Markdown text: may hold citations (`[@key]`) and figure references (`@fig-id`)."""

Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_check_one_line)]
"""A short label on one line."""

WebUrl = Annotated[str, Field(pattern=r"^https?://\S+$"), BeforeValidator(_visible_before_pattern),
                   AfterValidator(_check_web_url)]
"""A web address (http or https), written where a reader can follow it."""

AltText = Annotated[str, Field(min_length=10, max_length=400), AfterValidator(_check_one_line)]
"""What a reader who cannot see an image needs to know."""

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80),
                 BeforeValidator(_visible_before_pattern)]
"""Lower-case letters, digits and hyphens: used in file names and page addresses."""

BibKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][^\s{},~#%\\]*$", max_length=120),
                   BeforeValidator(_visible_before_pattern)]
"""A key of an entry in references.bib, without the @."""


class ContentModel(BaseModel):
    """Unknown fields are errors: a typo in a key must not silently drop content."""

    # defer_build: validators are built on first use, not at import, so commands and sites
    # that validate no content (a pages-only site, `casepress --help`) do not pay for them.
    # The docstrings under fields describe them in the JSON Schema (see schema.py).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Component(ContentModel):
    """One ingredient of a mixture, by proportion."""

    material: Name
    percent: Annotated[float, Field(gt=0, le=100)]
