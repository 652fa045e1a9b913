"""A procedure described for someone about to perform or assess it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from casepress.models.common import Component, ContentModel, Name, Text

Basis = Literal["cited", "index case", "editorial"]
"""Where a step or caution comes from: the cited literature, the one case it is drawn from
(shown as such: one case is not a protocol), or the editors (shown as an editorial caution)."""


class Material(ContentModel):
    name: Name
    components: list[Component] = Field(default_factory=list)
    ratio_basis: Literal["w/w", "v/v"] | None = None
    """Whether `components` are by weight or by volume; left out where the source does not
    say, and the page then says "basis not stated"."""
    volume_used_ml: Annotated[float, Field(gt=0, le=1000)] | None = None
    """The volume used in the case(s) the technique is drawn from: not a recommendation."""
    volume_note: Text | None = None
    """Words on the volume used, shown instead of `volume_used_ml` where given."""
    purpose: Text


class Step(ContentModel):
    title: Name
    detail: Text
    basis: Basis = "cited"


class Pitfall(ContentModel):
    problem: Text
    prevention: Text
    basis: Basis = "cited"


class Technique(ContentModel):
    title: Name
    aliases: list[Name] = Field(default_factory=list)
    """Other names clinicians search for, e.g. 'cementoplasty'."""
    summary: Text
    indications: list[Text] = Field(min_length=1)
    contraindications: list[Text] = Field(default_factory=list)
    equipment: list[Text] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    materials: list[Material] = Field(default_factory=list)
    pitfalls: list[Pitfall] = Field(default_factory=list)
    complications: list[Pitfall] = Field(default_factory=list)
    mechanism: list[Text] = Field(default_factory=list)
    """How the treatment is thought to work."""
