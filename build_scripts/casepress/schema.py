"""JSON Schema files for editors: completion and validation while typing YAML."""

from __future__ import annotations

import json
from pathlib import Path

from casepress.loader import KINDS, SCHEMA_NAMES


def schemas() -> dict[str, str]:
    out = {}
    for kind, model in KINDS.items():
        schema = model.model_json_schema()
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
