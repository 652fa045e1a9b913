"""What changed between two versions of a content file or of references.bib, in the words of
the content model rather than of YAML lines: `Case "…" › Interventions › Left sacroplasty ›
Bone cement: volume 7 mL → 6 mL`.

Two validated models are walked field by field in the model's own order. List items that
carry a name of their own (an `id`, a `name`, a panel `letter`, an evidence row's
`reference`…) are matched by it, so that inserting an intervention does not read as every
later one changing; lists of plain text are compared as sequences. A change is *clinical*
when a number changed: a numeric field (volumes, percentages, gauges, days, n, counts), or
a text whose numbers differ ("7 mL" → "6 mL"). Reports list those first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel

from casepress.models.case import When
from casepress.references.bibfile import BibEntry, Bibliography

Action = Literal["changed", "added", "removed", "renamed"]

SEP = " › "
KIND_NAMES = {"cases": "Case", "techniques": "Technique", "evidence": "Evidence table"}

# How a field is named in a report, where its YAML name is not already plain English.
FIELD_LABELS = {
    "volume_ml": "volume", "volume_used_ml": "volume used", "age_years": "age",
    "needle_gauge": "needle gauge", "reported_percent": "reported percentage",
    "n_from": "n comes from", "counts_from": "counts come from", "as_stated": "as stated",
    "open_ended": "open-ended", "what_it_adds": "what it adds",
    "composition_stated": "composition stated", "first_page": "first page",
    "condition_code": "condition code", "primary_condition": "primary condition",
    "chief_complaint": "chief complaint", "diagnostic_assessment": "diagnostic assessment",
    "related_references": "related references", "percent_checked": "percentage checked",
    "adverse_events": "adverse events", "patient_perspective": "patient perspective",
    "informed_consent": "informed consent", "short_title": "short title",
}
UNITS = {"volume_ml": " mL", "volume_used_ml": " mL", "percent": "%",
         "reported_percent": "%", "age_years": " years"}
# The field that identifies a list item, and the one that names it, in order of preference.
ITEM_KEYS = ("id", "title", "name", "reference", "letter", "code", "material", "topic",
             "marker", "problem", "modality")
ITEM_NAMES = ("title", "name", "reference", "letter", "code", "material", "topic", "marker",
              "problem", "modality", "id")
PROSE_FIELDS = ("title", "abstract", "note", "annote", "booktitle")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SHORT = 60


@dataclass(frozen=True)
class Change:
    """One change, located by human labels from the file's title down."""

    file: str
    where: tuple[str, ...]
    field: str
    action: Action
    old: str | None = None
    new: str | None = None
    clinical: bool = False
    prose: bool = False  # free text: shown as a word diff

    @property
    def label(self) -> str:
        return SEP.join([*self.where, self.field] if self.field else self.where)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "where": list(self.where), "field": self.field,
                "action": self.action, "old": self.old, "new": self.new,
                "clinical": self.clinical, "label": self.label}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def _section(name: str) -> str:
    label = field_label(name)
    return label[:1].upper() + label[1:]


def shorten(text: str, limit: int = _SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def document_title(kind: str, model: BaseModel) -> str:
    return f'{KIND_NAMES[kind]} "{shorten(str(getattr(model, "title", "")))}"'


def format_value(name: str, value: Any) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return f"{value}{UNITS.get(name, '')}"
    if isinstance(value, When):
        return when_text(value)
    if isinstance(value, BaseModel):
        return item_name(value)
    if isinstance(value, list):
        return "; ".join(format_value(name, item) for item in value) or "none listed"
    return str(value)


def when_text(when: When) -> str:
    """A time as written: "day 0", "7 days after first-attempt", "on or after …"."""
    text = (f"day {when.day}" if when.day is not None
            else f"{when.days} days after {when.after}" if when.days is not None
            else f"after {when.after}")
    if when.latest is not None:
        text += f" (at the latest {when.latest})"
    if when.approximate:
        text = "about " + text
    return ("on or after " + text) if when.open_ended else text


def item_name(item: BaseModel) -> str:
    for name in ITEM_NAMES:
        value = getattr(item, name, None)
        if isinstance(value, str) and value:
            return shorten(value) if name != "letter" else f"Panel {value}"
    return type(item).__name__.lower()


def numbers_in(text: str) -> list[str]:
    return _NUMBER.findall(text)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def diff_models(file: str, old: BaseModel, new: BaseModel, where: tuple[str, ...]
                ) -> Iterator[Change]:
    """Every field of `new` that differs from `old` (two instances of one model)."""
    for name in type(new).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if isinstance(before, BaseModel) and isinstance(after, BaseModel):
            yield from diff_models(file, before, after, (*where, _section(name)))
        elif isinstance(before, list) and isinstance(after, list):
            yield from _diff_lists(file, name, before, after, where)
        else:
            yield _leaf(file, where, name, before, after)


def _leaf(file: str, where: tuple[str, ...], name: str, before: Any, after: Any) -> Change:
    action: Action = ("added" if before is None else "removed" if after is None
                      else "changed")
    prose = isinstance(before, str) and isinstance(after, str)
    numbers_differ = prose and numbers_in(before) != numbers_in(after)
    clinical = _is_number(before) or _is_number(after) or numbers_differ or (
        # A timing added, removed or replaced moves the event on the course.
        isinstance(before, When) or isinstance(after, When))
    return Change(file, where, field_label(name), action,
                  None if before is None else format_value(name, before),
                  None if after is None else format_value(name, after), clinical, prose)


def _key(item: Any) -> str | None:
    if not isinstance(item, BaseModel):
        return None
    for name in ITEM_KEYS:
        value = getattr(item, name, None)
        if isinstance(value, str) and value:
            return f"{name}={value}"
    return None


def _diff_lists(file: str, name: str, before: list[Any], after: list[Any],
                where: tuple[str, ...]) -> Iterator[Change]:
    section = (*where, _section(name))
    keys_before, keys_after = [_key(i) for i in before], [_key(i) for i in after]
    keyed = (all(keys_before) and all(keys_after) and len(set(keys_before)) == len(before)
             and len(set(keys_after)) == len(after))
    if keyed:
        old_by_key = dict(zip(keys_before, before, strict=True))
        new_keys = set(keys_after)
        for key, item in zip(keys_after, after, strict=True):
            previous = old_by_key.get(key)
            if previous is None:
                yield _item_change(file, section, None, item)
            elif previous != item:
                yield from diff_models(file, previous, item, (*section, item_name(item)))
        for key, item in zip(keys_before, before, strict=True):
            if key not in new_keys:
                yield _item_change(file, section, item, None)
        if [k for k in keys_before if k in new_keys] != [k for k in keys_after
                                                          if k in old_by_key]:
            yield Change(file, section, "order", "changed",
                         "; ".join(item_name(i) for i in before),
                         "; ".join(item_name(i) for i in after))
        return
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(pairs):
            old_item, new_item = before[i1 + offset], after[j1 + offset]
            position = f"item {j1 + offset + 1}"
            if isinstance(old_item, BaseModel) and isinstance(new_item, BaseModel):
                yield from diff_models(file, old_item, new_item, (*section, position))
            else:
                yield _leaf(file, section, position, old_item, new_item)
        for old_item in before[i1 + pairs:i2]:
            yield _item_change(file, section, old_item, None)
        for new_item in after[j1 + pairs:j2]:
            yield _item_change(file, section, None, new_item)


def _item_change(file: str, section: tuple[str, ...], before: Any, after: Any
                 ) -> Change:
    """A list item added or removed: clinical when it carries numbers (a text "7 mL of
    cement", an agent with its volume, an evidence row with its counts)."""
    item = after if after is not None else before
    change = _leaf(file, section, "item", before, after)
    carries_numbers = bool(numbers_in(item)) if isinstance(item, str) else _has_numbers(item)
    return replace(change, clinical=change.clinical or carries_numbers,
                   prose=isinstance(item, str))


def _has_numbers(item: Any) -> bool:
    if not isinstance(item, BaseModel):
        return False
    return any(_is_number(v) or _has_numbers(v)
               or (isinstance(v, list) and any(_has_numbers(x) for x in v))
               for v in (getattr(item, f) for f in type(item).model_fields))


def diff_document(kind: str, file: str, old: BaseModel, new: BaseModel) -> list[Change]:
    return list(diff_models(file, old, new, (document_title(kind, new),)))


def document_added(kind: str, file: str, model: BaseModel | None) -> Change:
    title = document_title(kind, model) if model is not None else file
    return Change(file, (KIND_NAMES[kind],), "", "added", None, title)


def document_removed(kind: str, file: str, model: BaseModel | None) -> Change:
    title = document_title(kind, model) if model is not None else file
    return Change(file, (KIND_NAMES[kind],), "", "removed", title, None)


def document_renamed(kind: str, old_file: str, file: str, model: BaseModel | None) -> Change:
    return Change(file, (KIND_NAMES[kind] + (f' "{shorten(str(getattr(model, "title", "")))}"'
                                             if model is not None else ""),),
                  "file", "renamed", old_file, file)


def reference_summary(entry: BibEntry) -> str:
    author = entry.fields.get("author", "").split(" and ")[0]
    parts = [author, entry.fields.get("year", ""), entry.fields.get("title", "")]
    return shorten(", ".join(p.strip("{} ") for p in parts if p), 90)


def diff_bibliographies(file: str, old: Bibliography | None, new: Bibliography | None
                        ) -> list[Change]:
    """References added, removed, or changed field by field (`weill1996: year 1996 → 1997`)."""
    before = old.entries if old else {}
    after = new.entries if new else {}
    changes: list[Change] = []
    for key, entry in after.items():
        previous = before.get(key)
        if previous is None:
            changes.append(Change(file, ("References",), key, "added", None,
                                  reference_summary(entry)))
            continue
        if previous.entry_type != entry.entry_type:
            changes.append(Change(file, ("References", key), "type", "changed",
                                  previous.entry_type, entry.entry_type))
        for name in sorted(previous.fields.keys() | entry.fields.keys()):
            was, now = previous.fields.get(name), entry.fields.get(name)
            if was != now:  # bibliographic data: never a clinical value
                action: Action = ("added" if was is None else "removed" if now is None
                                  else "changed")
                changes.append(Change(file, ("References", key), name, action, was, now,
                                      prose=name in PROSE_FIELDS))
    changes += [Change(file, ("References",), key, "removed", reference_summary(entry), None)
                for key, entry in before.items() if key not in after]
    return changes


def word_diff(old: str, new: str, context: int = 6) -> list[tuple[str, str]]:
    """(kind, words) runs where kind is '=', '-' or '+'; long unchanged runs are cut to
    `context` words either side of a change, with '…' standing for what was left out."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * context + 1 or ((first or last) and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            runs.append(("=", " ".join(words)))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return runs


def clinical_first(changes: Sequence[Change]) -> list[Change]:
    return [c for c in changes if c.clinical] + [c for c in changes if not c.clinical]
