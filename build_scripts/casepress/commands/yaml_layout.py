"""The canonical layout of content YAML files, changing whitespace only.

Indentation becomes two spaces per level (a list under a key is indented below it, `- ` has
one space after the dash, block text sits two spaces in from its key); trailing spaces go
(except in literal `|` text, where two of them are a Markdown line break), runs of blank
lines become one, and the file ends with one newline. Keys are never reordered and comments
never dropped: the file is rewritten line by line, not dumped from data. Before anything is
written, the result must hold the same non-whitespace characters in the same order and the
same data as the original (spaces at the end of a line of folded `>` text, which fold into
the text and which Markdown does not show, are the one difference allowed); if not, the
file is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from casepress.commands.bib_layout import FormatError

INDENT = 2
_INDICATOR = re.compile(r"^[|>][-+0-9]*")


class _Layout:
    """New indentation, line by line, worked out from the node tree of the original."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.shift: dict[int, int] = {}  # line -> change of its indentation
        self.follows: dict[int, int] = {}  # continuation line -> line whose shift it takes
        self.block_text: dict[int, tuple[int, int]] = {}  # line -> (shift, old text indent)
        self.dashes: dict[int, int] = {}  # line -> column of a dash followed by extra spaces
        self.folded: set[int] = set()  # lines of folded (>) text, whose trailing spaces go

    def _starts_line(self, line: int, col: int) -> bool:
        return not self.lines[line][:col].strip()

    def collection(self, node: yaml.Node, col: int) -> None:
        """A block mapping or sequence whose entries move to column `col`."""
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                line, old = key.start_mark.line, key.start_mark.column
                if self._starts_line(line, old):
                    self.shift.setdefault(line, col - old)
                self.value(value, line, col)
        elif isinstance(node, yaml.SequenceNode):
            dash_col = node.start_mark.column
            for item in node.value:
                line = item.start_mark.line
                while line > 0 and self.lines[line][dash_col:dash_col + 1] != "-":
                    line -= 1
                if self._starts_line(line, dash_col):
                    self.shift.setdefault(line, col - dash_col)
                    if line == item.start_mark.line and item.start_mark.column > dash_col + 2:
                        self.dashes[line] = dash_col
                self.value(item, line, col)

    def value(self, node: yaml.Node, owner: int, col: int) -> None:
        """The value of a key (or a list item) on line `owner`, the key at new column `col`."""
        first, last = node.start_mark.line, node.end_mark.line
        if node.end_mark.column == 0:
            last -= 1
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
            # Below its key, or on its dash's line ("- key: value"): two columns in.
            self.collection(node, col + INDENT)
            return
        if first != owner:
            self.shift.setdefault(first, col + INDENT - node.start_mark.column)
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            self._block_text(node, first, last, col)
            return
        for line in range(first + 1, last + 1):
            self.follows[line] = first

    def _block_text(self, node: yaml.ScalarNode, first: int, last: int, col: int) -> None:
        header = _INDICATOR.match(self.lines[first][node.start_mark.column:])
        keep = header is not None and "+" in header.group(0)
        content = [n for n in range(first + 1, last + 1) if self.lines[n].strip()]
        if not content:
            return
        if not keep:  # blank lines after the text do not belong to it
            last = content[-1]
        old = min(len(self.lines[n]) - len(self.lines[n].lstrip(" ")) for n in content)
        explicit = header is not None and any(c.isdigit() for c in header.group(0))
        for line in range(first + 1, last + 1):
            if explicit:  # an explicit indentation indicator: move with the header line
                self.follows[line] = first
            else:
                self.block_text[line] = (col + INDENT - old, old)
            if node.style == ">":  # folded text: trailing spaces fold into one, and go
                self.folded.add(line)

    def _comment_indent(self, number: int, new_indent: Callable[[int], int]) -> int:
        """A comment moves with the block it sits in: the nearest line above it at the same
        indentation, unless a shallower line comes first; otherwise with the line below."""
        indent = len(self.lines[number]) - len(self.lines[number].lstrip(" "))
        for line in sorted((n for n in self.shift if n < number), reverse=True):
            above = len(self.lines[line]) - len(self.lines[line].lstrip(" "))
            if above == indent:
                return new_indent(line)
            if above < indent:
                break
        below = [n for n in sorted(self.shift) if n > number]
        return new_indent(below[0]) if below else 0

    def render(self) -> str:
        def shift_of(line: int) -> int:
            while line in self.follows:
                line = self.follows[line]
            return self.shift.get(line, 0)

        def new_indent(line: int) -> int:
            text = self.lines[line]
            return max(0, len(text) - len(text.lstrip(" ")) + shift_of(line))

        out: list[str] = []
        for number, line in enumerate(self.lines):
            if number in self.block_text:
                delta, old = self.block_text[number]
                if number in self.folded:
                    line = line.rstrip(" \t")
                if not line.strip() and len(line) <= old:
                    out.append("")
                else:
                    out.append(" " * delta + line if delta >= 0 else line[-delta:])
                continue
            text = line.rstrip()
            if not text:
                if out and out[-1] == "" and number - 1 not in self.block_text:
                    continue
                out.append("")
                continue
            if text.lstrip().startswith("#") and number not in self.follows:
                new = " " * self._comment_indent(number, new_indent)
            else:
                new = " " * new_indent(number)
            if number in self.dashes:
                rest = text[self.dashes[number] + 1:].lstrip(" ")
                out.append(f"{new}- {rest}")
            else:
                out.append(new + text.lstrip(" "))
        while out and not out[0]:
            out.pop(0)
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n" if out else ""


def _load(text: str) -> object:
    return yaml.load(text, Loader=yaml.SafeLoader)


def format_yaml(text: str) -> str:
    """The canonical layout of one YAML file; raises FormatError rather than change data."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FormatError(f"the YAML cannot be read ({exc.problem or exc.context}), so the file "
                          "is left as it is", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise FormatError(f"the YAML cannot be read ({exc})") from None
    layout = _Layout(text.split("\n"))
    if isinstance(root, yaml.MappingNode | yaml.SequenceNode) and not root.flow_style:
        layout.collection(root, 0)
    formatted = layout.render()
    if not _same(text, formatted):
        raise FormatError("this file's layout cannot be normalised without changing its "
                          "content, so it is left as it is; indent it by hand")
    return formatted


def _spaces_folded(data: object) -> object:
    """Data with runs of spaces in text made single: what Markdown shows of folded text."""
    if isinstance(data, dict):
        return {k: _spaces_folded(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_spaces_folded(v) for v in data]
    if isinstance(data, str):
        return re.sub(r"[ \t]+(\n|$)", r"\1", re.sub(r"[ \t]+", " ", data))
    return data


def _same(original: str, formatted: str) -> bool:
    """The same characters other than whitespace, in the same order, and the same data
    (where trailing spaces on lines of folded text may go)."""
    if re.sub(r"\s+", "", formatted) != re.sub(r"\s+", "", original):
        return False
    try:
        return _spaces_folded(_load(formatted)) == _spaces_folded(_load(original))
    except yaml.YAMLError:
        return False
