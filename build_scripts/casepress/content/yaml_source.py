"""YAML reading that remembers where every value came from.

PyYAML's `safe_load` forgets line numbers, accepts duplicate keys silently and expands
aliases into shared objects (an "exponential" alias document then costs exponential work
downstream). Content files are written by hand and never need aliases, so we compose the
node tree ourselves: every value gets its (line, column), duplicate keys and aliases are
errors, and nesting depth is bounded.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from casepress.diagnostics import Diagnostic, encoding_error, error, warning

Path = tuple[str | int, ...]
MAX_DEPTH = 40
MAX_BYTES = 2_000_000


@dataclass
class YamlDocument:
    """Plain data (dict/list/scalars) plus the 1-based (line, col) of every path in it."""

    file: str
    data: Any
    text: str
    comments: dict[int, str] = field(default_factory=dict)

    @cached_property
    def positions(self) -> dict[Path, tuple[int, int]]:
        """Found again from the text when first asked for, which is rarely: a file is
        pointed into only to report a problem (or a reviewed suppression) in it. Kept for
        every file, they were a third of a loaded library's memory (benchmarks/README.md)."""
        return (_parse_fast(self.file, self.text) or _compose(self.file, self.text)).positions

    def position(self, path: Path) -> tuple[int, int]:
        """Where `path` was written; for a missing key, where its nearest parent was."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def line_of(self, path: Path) -> int:
        return self.position(path)[0]


class _Reject(Exception):
    def __init__(self, line: int, col: int, rule: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.col, self.rule, self.message, self.hint = line, col, rule, message, hint


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# libyaml, when PyYAML was built with it (benchmarks/README.md has the figures); the pure-Python
# parser, which also reports positions, is the fallback.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
_TAG_PREFIX = "tag:yaml.org,2002:"
_BRACKETS = re.compile(r"[^\[\]{}]+")


def _flow_depth(text: str) -> int:
    """How deeply `[`/`{` nest (an upper bound: brackets inside quotes count too)."""
    depth = deepest = 0
    for char in _BRACKETS.sub("", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


class _Builder:
    def __init__(self, loader: Any, file: str, text: str) -> None:
        self.loader = loader
        self.file = file
        self.lines = _yaml_lines(text)
        self.positions: dict[Path, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.warnings: list[Diagnostic] = []
        self.data: Any = None

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if depth > MAX_DEPTH:
            line, col = _mark(node)
            raise _Reject(line, col, "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                          "flatten the structure; content files never need this depth")
        if id(node) in self.seen:
            line, col = _mark(node)
            raise _Reject(line, col, "yaml-alias", "YAML aliases (*name) are not allowed",
                          "write the value out in full where it is needed")
        self.seen.add(id(node))
        if not node.tag.startswith(_TAG_PREFIX) or node.tag.startswith(_TAG_PREFIX + "python/"):
            line, col = _mark(node)
            raise _Reject(line, col, "yaml-tag",
                          f"the YAML tag {node.tag.replace(_TAG_PREFIX, '!!')} is not allowed",
                          "remove it: content files hold plain text, numbers, lists and fields")
        self.positions[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _TAG_PREFIX + "merge":
                    line, col = _mark(key_node)
                    raise _Reject(line, col, "yaml-alias", "YAML merge keys (<<) are not allowed",
                                  "write the fields out in full")
                key = self.loader.construct_object(key_node)
                if isinstance(key, str):  # one string per key name across a library's files
                    key = sys.intern(key)
                if not isinstance(key, str | int):
                    line, col = _mark(key_node)
                    raise _Reject(line, col, "yaml-key", "a key must be plain text",
                                  "write the key as a word, e.g. `title:`")
                if key == "<<":
                    line, col = _mark(key_node)
                    raise _Reject(line, col, "yaml-alias", "YAML merge keys (<<) are not allowed",
                                  "write the fields out in full")
                if key in result:
                    line, col = _mark(key_node)
                    raise _Reject(line, col, "yaml-duplicate-key", f"key '{key}' appears twice",
                                  "keep one of them")
                result[key] = self.build(value_node, (*path, key), depth + 1)
                self.positions[(*path, key)] = _mark(key_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and not node.style:  # plain: '' in libyaml
            self._merged_items(node, path)
        return self.loader.construct_object(node)

    def _merged_items(self, node: yaml.ScalarNode, path: Path) -> None:
        """A plain value that runs over lines folds them into one line of words, so a `- `
        line indented further than the item (or field) above it silently joins that value
        instead of starting an item of its own. Judged on the parsed value, not on the text:
        a nested list inside a `|` block is text, and right."""
        first = node.start_mark.line
        for number in range(first + 1, min(node.end_mark.line + 1, len(self.lines))):
            line = self.lines[number]
            if not _ITEM.match(line):
                continue
            joined = (f"the list item on line {first + 1}" if path and isinstance(path[-1], int)
                      else f"the value of `{path[-1]}:` that starts on line {first + 1}" if path
                      else f"the value on line {first + 1}")
            self.warnings.append(warning(
                self.file, number + 1, "yaml-list-merged",
                f"this looks like several list items run together: YAML reads this `- ` line as "
                f"more words of {joined}, not as an item of its own",
                "give each `- ` of one list the same indentation, on lines of its own under "
                "the `key:`", col=len(line) - len(line.lstrip(" ")) + 1))


def _comments(text: str) -> dict[int, str]:
    """Full-line comments by line number (used for reviewed lint suppressions)."""
    found: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            found[number] = stripped[1:].strip()
        elif " #" in line:
            found[number] = line.split(" #", 1)[1].strip()
    return found


def _reject_aliases(text: str) -> None:
    """Aliases are refused where they are written, before anything is built from them."""
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.AliasToken):
            line, col = token.start_mark.line + 1, token.start_mark.column + 1
            raise _Reject(line, col, "yaml-alias", "YAML aliases (*name) are not allowed",
                          "write the value out in full where it is needed")


def _parse_fast(file: str, text: str) -> _Builder | None:
    """The builder that read the file through libyaml (its data, positions and warnings), or
    None whenever anything is amiss (or libyaml is missing), so that the pure-Python path
    below finds the problem and words it as always.
    Aliases need no separate scan here: the builder refuses any node it meets twice."""
    # libyaml composes nested nodes by C recursion: some 50,000 nested brackets (100 kB of
    # text) overflow the C stack and kill the process. Deep files take the Python path.
    if _FAST_LOADER is None or _flow_depth(text) > MAX_DEPTH:
        return None
    try:
        loader = _FAST_LOADER(text)
    except yaml.YAMLError:
        return None
    try:
        return _built(loader, file, text)
    except (_Reject, yaml.YAMLError, ValueError, RecursionError):
        return None
    finally:
        loader.dispose()


# The parser's words for the mistakes editors make most, and what they mean.
# `_in_plain_words` chooses among them by looking at the lines as well: the parser's words
# alone ("mapping values are not allowed here") fit several mistakes with different fixes.
_TAB = ("a tab is used to indent this line",
        "use spaces, not tabs, to indent (set your editor to insert spaces)")
_COLON_IN_VALUE = ("a value holds ': ', which YAML reads as a new field",
                   'put the value in quotes, e.g. `title: "Pain: severe"`')
_INDENTED = ("a line is indented differently from the lines around it",
             "line up the fields of one block, and the `- ` items of one list, at the same column")
_AFTER_QUOTE = ("the value starts with a quote or bracket, so YAML ends it where that closes and "
                "cannot read the text after it",
                'put the whole value in double quotes, e.g. `title: "[Draft] A case"`')
_UNCLOSED_BRACKET = ("a value starting with `[` or `{` is read as a list or a block of fields, "
                     "and this one is not closed where YAML expects",
                     'to write text that starts with a bracket, put the whole value in quotes, '
                     'e.g. `title: "[Draft] A case"`')
_PLAIN_WORDS = (  # (the parser's words, what they mean, what to do)
    ("could not find expected ':'", "a line in a block of fields has no `key:`",
     "add the missing colon, or indent the line under the field it continues"),
    ("found undefined alias", "a `*` starts a value, which YAML reads as a reference",
     "put the value in quotes"),
    ("expected alphabetic or numeric character",
     "a value starts with `*` or `&`, which YAML reads as a reference or a label",
     'put the value in quotes, e.g. `note: "*see below"`'),
    ("unknown escape character",
     "a backslash inside double quotes starts a code such as \\n",
     "put the value in single quotes instead, or write the backslash twice"),
    ("that cannot start any token", "a value starts with a character YAML keeps for itself "
     "(such as @ or `)", "put the value in quotes"),
)
# `key: value` with a value on the line (its key column is group `key`), and `key:value`.
_VALUE_LINE = re.compile(r"^(?P<key> *(?:- +)?)[^\s#:\-][^:]*:[ \t]+[^\s#|>]")
_NO_SPACE = re.compile(r"^ *(?:- +)?(?P<key>[\w-]+):[^\s:]")
# A `- ` line: inside a plain value that runs over lines, one such is an item gone astray.
_ITEM = re.compile(r"^ *-(?: |$)")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _yaml_lines(text: str) -> list[str]:
    """The lines as the parser numbers them (`str.splitlines` also breaks at form feeds and
    other characters YAML keeps in a line, which would shift every line number after them)."""
    return _LINE_BREAK.split(text)


def _line_above(lines: list[str], index: int) -> tuple[int, str]:
    """The nearest line above `index` that holds YAML (not blank, not a comment)."""
    for above in range(index - 1, -1, -1):
        if lines[above].strip() and not lines[above].lstrip().startswith("#"):
            return above, lines[above]
    return -1, ""


def _in_plain_words(problem: str, context: str, text: str, line: int | None,
                    col: int | None) -> tuple[str, str]:
    """(what it means, what to do) for a parser message, in words an editor uses."""
    lines = _yaml_lines(text)
    index = (line or 0) - 1
    here = lines[index] if 0 <= index < len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())] or "'\\t'" in problem:
        return _TAB
    if "mapping values are not allowed" in problem:
        number, above = _line_above(lines, index)
        if missing := _NO_SPACE.match(above):
            return (f"a colon needs a space after it: line {number + 1} reads "
                    f"`{missing['key']}:` glued to its value, so YAML runs on into this line",
                    f"write `{missing['key']}: ` with a space on line {number + 1}")
        value = _VALUE_LINE.match(above)
        if value and len(here) - len(here.lstrip(" ")) > len(value["key"]):
            return (f"this line is indented further than the field on line {number + 1}, so "
                    "YAML reads it as more words of that field's value, and then finds ': ' "
                    "in them",
                    f"line it up with the field on line {number + 1}; if it is text of that "
                    "field, put the whole value in quotes")
        return _COLON_IN_VALUE
    before = here[: (col or 1) - 1].rstrip()
    if "expected <block end>" in problem and "'<scalar>'" in problem and before[-1:] in "\"']}":
        return _AFTER_QUOTE if before else _INDENTED
    if "expected <block end>" in problem:
        return _INDENTED
    if "quoted scalar" in context and "end of stream" in problem:
        return ("a quote is opened and never closed",
                'close it at the end of the value (a " inside double quotes is written \\")')
    if "flow sequence" in context or "flow mapping" in context:
        return _UNCLOSED_BRACKET
    for words, plain, hint in _PLAIN_WORDS:
        if words in problem:
            return plain, hint
    return ("the file is not laid out as YAML expects",
            "check the indentation, and that every `key: value` pair has its colon")


def parse_yaml(file: str, raw: bytes) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one content file; returns the document or the reasons it cannot be read."""
    if len(raw) > MAX_BYTES:
        return None, [error(file, None, "file-too-large", f"file is {len(raw)} bytes",
                            f"split it; content files are limited to {MAX_BYTES} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [encoding_error(file, raw, exc)]
    if not text.strip():
        return None, [error(file, 1, "empty-file", "the file is empty",
                            "fill it in, or delete it; `casepress new-case` writes a skeleton")]
    if fast := _parse_fast(file, text):
        return YamlDocument(file, fast.data, text, _comments(text)), fast.warnings
    try:
        builder = _compose(file, text)
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        return None, [error(file, text.count("\n", 0, exc.position) + 1, "yaml-syntax",
                            f"character U+{exc.character:04X} is not allowed in YAML",
                            "delete it: it is invisible in most editors, so retype the line")]
    except _Empty:
        return None, [error(file, 1, "empty-file", "the file holds no YAML value",
                            "fill it in, or delete it")]
    except _Reject as exc:
        return None, [error(file, exc.line, exc.rule, exc.message, exc.hint, col=exc.col)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        opened = exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if opened is not None and "quoted scalar" in (exc.context or "") \
                and "end of stream" in what:
            mark = opened  # the end of the file says nothing; the opening quote is the fault
        line: int | None = mark.line + 1 if mark else None
        col: int | None = mark.column + 1 if mark else None
        if opened is not None and mark is not None and opened.line != mark.line:
            what += f" ({exc.context} opened at line {opened.line + 1})"
        plain, hint = _in_plain_words(what, exc.context or "", text, line, col)
        return None, [error(file, line, "yaml-syntax", f"YAML syntax: {what}; {plain}", hint,
                            col=col)]
    except RecursionError:
        return None, [error(file, None, "yaml-too-deep", "nesting is too deep to read",
                            f"content files need fewer than {MAX_DEPTH} levels")]
    except (yaml.YAMLError, ValueError) as exc:
        return None, [error(file, None, "yaml-syntax", f"YAML cannot be read: {exc}",
                            "check the file's structure")]
    return YamlDocument(file, builder.data, text, _comments(text)), builder.warnings


class _Empty(Exception):
    """The text holds no YAML value (only comments, say)."""


def _compose(file: str, text: str) -> _Builder:
    """The builder that read `text` with the pure-Python parser (slower than libyaml, and
    the one whose errors `parse_yaml` words); raises what it met."""
    loader = yaml.SafeLoader(text)
    try:
        # The alias scan reads every token first, which takes minutes on 100,000 nested
        # brackets; too-deep files are refused by the composer or the builder instead.
        if _flow_depth(text) <= MAX_DEPTH:
            _reject_aliases(text)
        if (builder := _built(loader, file, text)) is None:
            raise _Empty
        return builder
    finally:
        loader.dispose()


def _built(loader: Any, file: str, text: str) -> _Builder | None:
    """The builder that read the loader's one document; None when it holds no value."""
    node = loader.get_single_node()
    if node is None:
        return None
    builder = _Builder(loader, file, text)
    builder.data = builder.build(node, (), 0)
    return builder


def text_fields(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every string in a YAML document with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from text_fields(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from text_fields(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def field_path(loc: tuple[str | int, ...]) -> str:
    """('interventions', 0, 'agents') -> 'interventions[0].agents'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"
