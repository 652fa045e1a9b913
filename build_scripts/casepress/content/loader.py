"""Load and validate the content files: `content/{cases,techniques,evidence}/<slug>.yaml`.

Each file is parsed with positions (see `yaml_source`), validated against its pydantic model,
and every failure becomes a `file:line` diagnostic. A file that cannot be read does not stop
the others from being checked.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from casepress.cache import SlotCache
from casepress.content.yaml_source import YamlDocument, parse_yaml
from casepress.diagnostics import Diagnostic, error, warning

if TYPE_CHECKING:
    from pydantic import BaseModel

    from casepress.models import Case, EvidenceTable, Technique

ModelT = TypeVar("ModelT", bound="BaseModel")

KINDS = ("cases", "techniques", "evidence")
"""The kinds of content file, each in its own folder of content/."""


def model_for(kind: str) -> type[BaseModel]:
    """The pydantic model of a kind. Imported here, on first use: a site without content
    files (hand-written pages and references only) never loads pydantic."""
    from casepress.models import Case, EvidenceTable, Technique

    models: dict[str, type[BaseModel]] = {
        "cases": Case, "techniques": Technique, "evidence": EvidenceTable}
    return models[kind]


SCHEMA_NAMES = {"cases": "case", "techniques": "technique", "evidence": "evidence"}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Document(Generic[ModelT]):
    """One validated content file."""

    kind: str
    slug: str
    file: str
    model: ModelT
    source: YamlDocument
    digest: str = ""
    """SHA-1 of the file's bytes: what caches of pages made from this file are keyed by."""


@dataclass
class Content:
    cases: dict[str, Document[Case]] = field(default_factory=dict)
    techniques: dict[str, Document[Technique]] = field(default_factory=dict)
    evidence: dict[str, Document[EvidenceTable]] = field(default_factory=dict)
    invalid: dict[tuple[str, str], YamlDocument | None] = field(default_factory=dict)
    """Files that exist but did not load, by (kind, slug), with their YAML where it could be
    read: their own errors are reported, files that name them are not told that they do not
    exist, and the citations in their text are still checked."""

    def documents(self) -> list[Document[Any]]:
        return [*self.cases.values(), *self.techniques.values(), *self.evidence.values()]


def _schema_line_problem(doc: YamlDocument, kind: str) -> Diagnostic | None:
    expected = f"../schema/{SCHEMA_NAMES[kind]}.schema.json"
    first = doc.comments.get(1, "")
    if f"$schema={expected}" in first.replace(" ", ""):
        return None
    return warning(doc.file, 1, "schema-line", "the first line does not name the schema",
                   f"make line 1 `# yaml-language-server: $schema={expected}` so editors "
                   "can check the file as you type")


# A validated document; or, for a file that parsed but did not validate, its YAML; or None.
Loaded = tuple[Document[Any] | YamlDocument | None, list[Diagnostic]]


def load_document(kind: str, path: Path, root: Path, raw: bytes | None = None) -> Loaded:
    file = path.relative_to(root).as_posix()
    slug = path.stem
    if not _SLUG.match(slug):
        return None, [error(file, None, "file-name",
                            f"'{path.name}' is not a valid content file name",
                            "rename it with lower-case letters, digits and hyphens, ending .yaml")]
    # A symlinked file, or a file in a symlinked folder, may point anywhere on the machine.
    if not path.resolve().is_relative_to(root.resolve()):
        return None, [error(file, None, "file-outside-project",
                            "this file links to a place outside the project",
                            "copy the content into the repository instead of linking to it")]
    return parse_document(kind, file, path.read_bytes() if raw is None else raw)


def parse_document(kind: str, file: str, raw: bytes) -> Loaded:
    """A content file's bytes parsed and validated; `file` names it in the diagnostics."""
    slug = Path(file).stem
    doc, problems = parse_yaml(file, raw)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, Mapping):
        return None, [error(file, 1, "schema-type", "the file must be a block of `field: value` "
                            "lines", "start from `casepress new-case` for a skeleton")]
    from pydantic import ValidationError

    from casepress.content.validation import validation_diagnostics

    model = model_for(kind)
    schema_problem = _schema_line_problem(doc, kind)
    problems += [schema_problem] if schema_problem else []
    try:
        validated = model.model_validate(doc.data)
    except ValidationError as exc:
        return doc, problems + validation_diagnostics(doc, model, exc)
    return Document(kind, slug, file, validated, doc, hashlib.sha1(raw).hexdigest()), problems


def _load_cached(kind: str, path: Path, root: Path, cache: SlotCache[Loaded]) -> Loaded:
    """A file with the same bytes at the same place is not parsed or validated again."""
    try:
        raw = path.read_bytes()
    except OSError:
        return load_document(kind, path, root)  # not cached: reading it may work next time
    fingerprint = (kind, root, path.resolve(), hashlib.sha1(raw).digest())
    document, problems = cache.get(path.as_posix(), fingerprint,
                                   lambda: load_document(kind, path, root, raw))
    return document, list(problems)


def load_content(
    root: Path, content_dir: Path, cache: SlotCache[Loaded] | None = None
) -> tuple[Content, list[Diagnostic]]:
    """Every content file under `content_dir`, validated; problems for those that fail.
    With a `cache` (kept across `mkdocs serve` rebuilds), unchanged files are reused."""
    content = Content()
    diagnostics: list[Diagnostic] = []
    for kind in KINDS:
        folder = content_dir / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix == ".yml":
                diagnostics.append(error(path.relative_to(root).as_posix(), None, "file-name",
                                         "content files end in .yaml", "rename it to .yaml"))
            if path.suffix != ".yaml":
                continue
            if path.is_dir():
                diagnostics.append(error(path.relative_to(root).as_posix(), None, "file-name",
                                         f"'{path.name}' is a folder, not a content file",
                                         "rename the folder, or move the files in it up into "
                                         f"content/{kind}/"))
                continue
            document, problems = (_load_cached(kind, path, root, cache) if cache is not None
                                  else load_document(kind, path, root))
            diagnostics.extend(problems)
            if isinstance(document, Document):
                getattr(content, kind)[document.slug] = document
            else:
                content.invalid[(kind, path.stem)] = document
    return content, diagnostics
