"""The canonical layout of references.bib, so that a diff shows only real changes.

    @article{key,
      author  = {Surname, A. and Other, B.},
      title   = {As written},
      year    = {1999},
    }

Entry types and field names are lower-case; fields are indented by two spaces, their `=`
aligned within the entry, each line ending with a comma; entries and other blocks are
separated by one blank line. Everything else is kept exactly: entry and field order, keys,
every value as written (braces or quotes, LaTeX, `#` concatenation, macros), `@string`,
`@preamble`, `@comment` blocks and `%` comments. The result is parsed again and compared
with the original before anything is written; a file that does not parse is left alone.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import (
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)

from casepress.references.bibfile import field_name_parts


class FormatError(Exception):
    """The file cannot be formatted without risk; `line` is 1-based where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _blocks(text: str) -> list[Any]:
    # We report problems ourselves. Each module logs under its own name, and disabling a
    # parent logger does not silence its children.
    loggers = [logging.getLogger(n) for n in ("bibtexparser", "bibtexparser.splitter")]
    previous = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        # No middleware: values stay exactly as written, with their braces or quotes.
        library = parse_string(text, parse_stack=[])
    finally:
        for logger, was in zip(loggers, previous, strict=True):
            logger.disabled = was
    blocks = []
    for block in library.blocks:
        if isinstance(block, ParsingFailedBlock):
            inner = getattr(block, "ignore_error_block", None)
            if not isinstance(inner, Entry):  # duplicate keys or fields are still data
                line = block.start_line + 1 if block.start_line is not None else None
                raise FormatError("this block cannot be parsed, so the file is left as it is; "
                                  "`casepress check` says what is wrong", line)
            block = inner
        blocks.append(block)
    return blocks


def _entry(entry: Entry) -> str:
    fields = [(*field_name_parts(f.key), f.value) for f in entry.fields]
    width = max((len(name) for _c, name, _v in fields), default=0)
    lines = [f"@{entry.entry_type.lower()}{{{entry.key},"]
    for comments, name, value in fields:
        lines += [f"  {comment}" for comment in comments]
        lines.append(f"  {name.lower():<{width}} = {value},")
    return "\n".join([*lines, "}"])


def _text(comment: str) -> str:
    """Text between blocks (`%` comments): trailing spaces and extra blank lines go."""
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in comment.split("\n")))
    return text.strip("\n")


def _block(block: Any) -> str:
    if isinstance(block, Entry):
        return _entry(block)
    if isinstance(block, String):
        return f"@string{{{block.key} = {block.value}}}"
    if isinstance(block, Preamble):
        return f"@preamble{{{block.value.strip()}}}"
    if isinstance(block, ExplicitComment):
        return f"@comment{{{block.comment}}}"
    if isinstance(block, ImplicitComment):
        return _text(block.comment)
    raise FormatError(f"unexpected block {type(block).__name__}")  # pragma: no cover


def fingerprint(blocks: list[Any]) -> list[tuple[Any, ...]]:
    """What must survive formatting: every block, key, field and value, in order."""
    out: list[tuple[Any, ...]] = []
    for block in blocks:
        if isinstance(block, Entry):
            fields = [(tuple(c), n.lower(), v) for c, n, v in
                      ((*field_name_parts(f.key), f.value) for f in block.fields)]
            out.append(("entry", block.entry_type.lower(), block.key, fields))
        elif isinstance(block, String):
            out.append(("string", block.key, block.value))
        elif isinstance(block, Preamble):
            out.append(("preamble", block.value.strip()))
        elif isinstance(block, ExplicitComment | ImplicitComment) and block.comment.split():
            out.append(("comment", type(block).__name__, " ".join(block.comment.split())))
    return out


def format_bib(text: str) -> str:
    """The canonical form of a .bib file's text; raises FormatError rather than lose data."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = _blocks(text)
    chunks = [chunk for chunk in map(_block, blocks) if chunk]
    formatted = "\n\n".join(chunks) + "\n" if chunks else ""
    if fingerprint(_blocks(formatted)) != fingerprint(blocks):
        raise FormatError("formatting would change the file's content, so it is left as it "
                          "is; please report this file to the casepress maintainers")
    return formatted
