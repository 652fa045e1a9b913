"""A procedure described for someone about to perform or assess it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from casepress.models.common import Component, ContentModel, Name, Text


class Material(ContentModel):
    name: Name
    components: list[Component] = Field(default_factory=list)
    typical_volume_ml: Annotated[float, Field(gt=0, le=1000)] | None = None
    volume_note: Text | None = None
    purpose: Text


class Step(ContentModel):
    title: Name
    detail: Text


class Pitfall(ContentModel):
    problem: Text
    prevention: Text


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
