"""Building blocks shared by every content model."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# Raw HTML in a text field would reach the reader's browser; content is Markdown only.
_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
# Markdown link or image targets: only web links and in-site relative links are allowed.
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SAFE_TARGET = re.compile(r"^(https?://|#|\.{0,2}/|[\w-]+(\.md|/)?)", re.IGNORECASE)
_UNSAFE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _check_markdown(value: str) -> str:
    if _HTML_TAG.search(value):
        raise ValueError(
            "raw HTML is not allowed in content text; write Markdown (*italic*, **bold**) "
            "or describe the markup in words"
        )
    for target in _LINK_TARGET.findall(value):
        if _UNSAFE_SCHEME.match(target) and not target.lower().startswith(("http://", "https://")):
            raise ValueError(
                f"link target '{target[:40]}' is not allowed; use an https:// address"
            )
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_check_markdown)]
"""Markdown text: may hold citations (`[@key]`) and figure references (`@fig-id`)."""

Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_check_markdown)]
"""A short label on one line."""

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
"""Lower-case letters, digits and hyphens: used in file names and page addresses."""

BibKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][^\s{},~#%\\]*$", max_length=120)]
"""A key of an entry in references.bib, without the @."""


class ContentModel(BaseModel):
    """Unknown fields are errors: a typo in a key must not silently drop content."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True
    )


class Component(ContentModel):
    """One ingredient of a mixture, by proportion."""

    material: Name
    percent: Annotated[float, Field(gt=0, le=100)]
