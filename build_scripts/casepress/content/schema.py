"""JSON Schema files for editors: completion and validation while typing YAML."""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from casepress.content.loader import KINDS, SCHEMA_NAMES, model_for
from casepress.models.common import ContentModel


def attribute_docstrings(cls: type) -> dict[str, str]:
    """The string written under each annotated attribute of `cls`, by attribute name."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    docs = {}
    for node, after in itertools.pairwise(body):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


@cache
def _all_models() -> dict[str, type[ContentModel]]:
    found: dict[str, type[ContentModel]] = {}
    pending = [ContentModel]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending += cls.__subclasses__()
    return found


def _add_descriptions(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Field descriptions are the docstrings under each field. pydantic can read them itself
    (`use_attribute_docstrings`), but by parsing the models' source at import, in every
    build; only the schema needs them, so they are added here."""
    models = _all_models()
    definitions = [(model, schema), *((models[name], d) for name, d in
                                      schema.get("$defs", {}).items() if name in models)]
    for cls, definition in definitions:
        properties = definition.get("properties", {})
        for klass in cls.__mro__:  # a field's own class first: its docstring wins
            if isinstance(klass, type) and issubclass(klass, ContentModel):
                for name, doc in attribute_docstrings(klass).items():
                    if name in properties:
                        properties[name].setdefault("description", doc)


def schemas() -> dict[str, str]:
    out = {}
    for kind in KINDS:
        model = model_for(kind)
        schema = model.model_json_schema()
        _add_descriptions(schema, model)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{SCHEMA_NAMES[kind]}.schema.json"] = json.dumps(schema, indent=2,
                                                                sort_keys=True) + "\n"
    return out


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
