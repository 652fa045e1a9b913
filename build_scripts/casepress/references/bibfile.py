"""Loading references.bib into plain data, reporting every problem as a Diagnostic.

Parsing keeps field values raw (LaTeX as written): decoding 10,000 entries up front is
slow, and a site usually cites a few dozen of them, so `csljson` decodes lazily.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from casepress.diagnostics import Diagnostic, encoding_error, error, warning

if TYPE_CHECKING:  # bibtexparser is imported when a file is parsed, not with this module
    from bibtexparser.model import Entry, ParsingFailedBlock

# A DOI is "10.<registrant>/<suffix>"; the resolver and "doi:" forms are accepted too.
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_SAFE_KEY = re.compile(r"^\w[\w:.+/-]*$")
# What a value's structure turns on: braces, quotes (one preceded by a backslash is escaped,
# as bibtexparser's splitter has it), and `name =`, a field read into the value above it. The
# name is matched from the start of a word only, so that a long value is read in one pass.
_VALUE_MARKS = re.compile(r'(?<!\\)[{}"]|(?<![\w:.+-])(?P<name>[A-Za-z][\w:.+-]*)[ \t]*=')
_MAX_SWALLOWED = 10  # missing commas reported in one value
_BLOCK_KEY = re.compile(r"@\w+\s*[{(]\s*([^,\s{}()]+)")
# Fields a style may ask for, and which other field also provides them (biblatex names).
_FIELD_ALIASES = {"year": ("year", "date"), "journal": ("journal", "journaltitle"),
                  "author": ("author", "editor")}
_FIELD_NAMES = {"author": "author or editor"}


@dataclass(frozen=True)
class BibEntry:
    """One entry with raw field values (outer braces removed, LaTeX kept)."""

    key: str
    entry_type: str
    fields: dict[str, str]
    line: int
    # 1-based line of each field, so field problems point at the field, not the entry.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
    # Fields read into the value of the field above them, a comma being missing between:
    # reported as the syntax problem they are, not as fields the entry lacks.
    swallowed: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Bibliography:
    entries: dict[str, BibEntry]
    file: str
    digest: str = ""  # of the file's bytes (`content_digest`)


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def normalize_doi(value: str) -> str | None:
    """The bare DOI (`10.1007/...`) of a DOI or doi.org URL, or None if it is not one."""
    doi = _DOI_PREFIX.sub("", value.strip())
    return doi if _DOI.match(doi) else None


def load_bibliography(path: Path, file_label: str) -> tuple[Bibliography, list[Diagnostic]]:
    """Parse a .bib file; a missing or broken file gives an empty/partial Bibliography."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Bibliography({}, file_label), [error(
            file_label, None, "bib-missing", f"bibliography file {file_label} does not exist",
            "create it, or point the `bibliography` option at your .bib file")]
    except OSError as exc:
        return Bibliography({}, file_label), [error(
            file_label, None, "bib-missing", f"bibliography file cannot be read: {exc}",
            "check the path and its permissions")]
    return parse_bibliography(data, file_label)


def parse_bibliography(data: bytes, file_label: str) -> tuple[Bibliography, list[Diagnostic]]:
    from bibtexparser.entrypoint import parse_string
    from bibtexparser.model import DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

    problems: list[Diagnostic] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(encoding_error(
            file_label, data, exc, "bib-encoding",
            "save the file as UTF-8 (or write the character as a LaTeX escape such as {\\\"u})"))
        # Keep going with replacement characters so the rest of the file is still checked.
        text = data.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")

    with _quiet("bibtexparser"):  # its log lines would duplicate our diagnostics
        library = parse_string(text)

    entries: dict[str, BibEntry] = {}
    for block in library.blocks:
        if isinstance(block, Entry):
            entries[block.key] = _to_entry(block, file_label, problems)
        elif isinstance(block, DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            assert isinstance(entry, Entry)
            entries.setdefault(entry.key, _to_entry(entry, file_label, problems))
        elif isinstance(block, ParsingFailedBlock):
            problems.append(_failed_block(block, file_label))
    return Bibliography(entries, file_label, content_digest(data)), problems


def field_name_parts(raw_key: str) -> tuple[list[str], str]:
    """bibtexparser glues `%` comment lines above a field onto its name; split them off.

    Returns the comment lines and the real field name."""
    lines = raw_key.split("\n")
    return [line.strip() for line in lines[:-1] if line.strip()], lines[-1].strip()


def _to_entry(block: Entry, file_label: str, problems: list[Diagnostic]) -> BibEntry:
    line = _line(block.start_line)
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    for fld in block.fields:
        name = field_name_parts(fld.key)[1].lower()
        fline = _line(fld.start_line) or line
        if name in fields:
            problems.append(error(
                file_label, fline, "bib-duplicate-field",
                f"entry '{block.key}' has the field '{name}' twice (first on line {lines[name]})",
                "keep one of them"))
            continue
        fields[name] = str(fld.value).strip()
        lines[name] = fline or 0
    swallowed = []
    # Values bibtexparser left as written: those not enclosed in one {...} or "..." pair, and
    # all of an entry it set aside for a duplicate field (which gets no metadata).
    enclosing = block.parser_metadata.get("removed_enclosing", {})
    for fld in block.fields:
        name = field_name_parts(fld.key)[1].lower()
        if enclosing.get(fld.key, "no-enclosing") != "no-enclosing":
            continue
        before, value, first = name, str(fld.value), _line(fld.start_line) or line or 0
        for end, start, swallowed_name in _fields_inside(value):
            at, its = first + value.count("\n", 0, end), first + value.count("\n", 0, start)
            swallowed.append(swallowed_name.lower())
            problems.append(error(
                file_label, at, "bib-syntax",
                f"entry '{block.key}': a comma is missing after the field '{before}' on line "
                f"{at}, so '{swallowed_name}' on line {its} was read as part of it",
                f"add a comma at the end of line {at}" if its > at
                else f"add a comma before '{swallowed_name}'"))
            before = swallowed_name
    entry = BibEntry(block.key, block.entry_type.lower(), fields, line or 0, lines,
                     tuple(swallowed))
    problems.extend(_check_identifiers(entry, file_label))
    return entry


def _fields_inside(raw: str) -> Iterator[tuple[int, int, str]]:
    """Fields that a missing comma made part of the value `raw` (as written, enclosing and
    all): (where the value before each ends, where its name starts, the name).

    An `=` outside every brace and quote cannot belong to a value, so it is the `=` of a
    field whose comma is missing; an `=` in an abstract's braces (`n = 20`) is text."""
    depth, quoted, found = 0, False, 0
    for mark in _VALUE_MARKS.finditer(raw):
        char = mark.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"':
            quoted = quoted != (depth == 0)
        elif depth == 0 and not quoted:
            end = mark.start()
            while end > 0 and raw[end - 1].isspace():
                end -= 1
            yield end, mark.start(), mark.group("name")[:40]  # a name, not a flood
            found += 1
            if found == _MAX_SWALLOWED:  # more is one mess, or a hostile file: say it once
                return


def _check_identifiers(entry: BibEntry, file_label: str) -> Iterator[Diagnostic]:
    import unicodedata  # here: the only use in this module, kept inside the function it serves

    def invisible(value: str) -> str | None:
        """The first invisible formatting character (Unicode Cf, the zero-width joiner
        excepted, as in content files): a right-to-left override in a title or key makes the
        bibliography read otherwise than the file a reviewer approved."""
        for character in value:
            if unicodedata.category(character) == "Cf" and character != "\u200d":
                name = unicodedata.name(character, "FORMAT CHARACTER")
                return f"U+{ord(character):04X} {name}"
        return None

    if hidden := invisible(entry.key):
        # The key is shown escaped: printed as is, the character would reorder this message.
        yield error(
            file_label, entry.line, "bib-bad-key",
            f"entry key {entry.key[:80]!r} holds an invisible character, {hidden}",
            "delete it, here and in the citations meant for this entry")
    elif not _SAFE_KEY.match(entry.key):
        # Keys become page anchors (`#ref-<key>`) and HTML ids; quotes or angle brackets
        # there would break out of the attribute.
        yield error(
            file_label, entry.line, "bib-bad-key",
            f"entry key '{entry.key[:80]}' has characters a web page address cannot hold",
            "use letters, digits and _ : . + - / only, e.g. smith2001 (and cite it so)")
    pmid = entry.fields.get("pmid")
    if pmid is not None and not pmid.strip().isdigit():
        yield error(
            file_label, entry.field_lines.get("pmid"), "bib-bad-pmid",
            f"entry '{entry.key}' has pmid '{pmid[:80]}', which is not a PubMed id",
            "a PMID is digits only, e.g. pmid = {15760854}")
    url = entry.fields.get("url")
    if url is not None:
        parts = urlsplit(url.strip())
        # Only web links: a `javascript:` or `data:` URL would run or embed code in the page.
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            yield error(
                file_label, entry.field_lines.get("url"), "bib-bad-url",
                f"entry '{entry.key}' has url '{url[:80]}', which is not an http(s) URL",
                "use a full https:// address, or remove the url field")
    doi = entry.fields.get("doi")
    if doi is not None and normalize_doi(doi) is None:
        yield error(
            file_label, entry.field_lines.get("doi"), "bib-bad-doi",
            f"entry '{entry.key}' has doi '{doi[:80]}', which is not a DOI",
            "write it as 10.NNNN/suffix (or https://doi.org/10.NNNN/suffix)")
    # Every field, not the title alone: a style may print any of them (journal, note, url).
    for name, value in entry.fields.items():
        if hidden := invisible(value):
            yield error(
                file_label, entry.field_lines.get(name) or entry.line or None,
                "bib-invisible-character",
                f"entry {entry.key[:80]!r}: the field '{name}' holds an invisible character, "
                f"{hidden}, which can make the reference read otherwise than this file",
                "delete it: most editors do not show it, so retype the words around it")


def _failed_block(block: ParsingFailedBlock, file_label: str) -> Diagnostic:
    from bibtexparser.model import DuplicateBlockKeyBlock

    line = _line(block.start_line)
    if isinstance(block, DuplicateBlockKeyBlock):
        first = _line(block.previous_block.start_line)
        return error(
            file_label, line, "bib-duplicate-key",
            f"entry key '{block.key}' is already used by the entry on line {first}",
            "rename one of the two entries (and the citations meant for it), or delete one")
    match = _BLOCK_KEY.match(block.raw or "")
    what = f"entry '{match.group(1)}'" if match else "this block"
    reason = getattr(block.error, "abort_reason", None) or str(block.error)
    if match and "comma after entry key" in reason:  # `@article{smith2001` then a field
        return error(file_label, line, "bib-syntax",
                     f"{what}: a comma is missing after its key, so its fields cannot be read",
                     f"add a comma right after `{match.group(1)}`")
    return error(
        file_label, line, "bib-syntax",
        f"{what} could not be parsed: {' '.join(reason.split())}",
        "check for an unclosed brace or quote, or a missing comma between fields")


def _line(start_line: int | None) -> int | None:
    # bibtexparser counts lines from 0; diagnostics count from 1.
    return None if start_line is None else start_line + 1


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    # Child loggers (bibtexparser.splitter, ...) log on their own; silence them too.
    names = [logger_name, *(n for n in logging.root.manager.loggerDict
                            if n.startswith(logger_name + "."))]
    loggers = [logging.getLogger(n) for n in names]
    previous = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, previous, strict=True):
            logger.disabled = disabled


def check_entries(bib: Bibliography, keys: Iterable[str]) -> list[Diagnostic]:
    """Entries (of `keys`) lacking a field the style needs: an author or editor (CSL puts the
    editors where a book has no author) and a title are errors; a missing year is shown as
    "n.d." and warned about. Unknown keys are the caller's to report (see `closest_keys`), as
    only the caller knows where they were cited."""
    problems: list[Diagnostic] = []
    for key in dict.fromkeys(keys):
        entry = bib.entries.get(key)
        if entry is None:
            continue
        for name in ("author", "title", "year"):
            if name in entry.swallowed:
                continue  # reported as the missing comma it is
            if any(entry.fields.get(alias, "").strip()
                   for alias in _FIELD_ALIASES.get(name, (name,))):
                continue
            if name == "year":
                problems.append(warning(
                    bib.file, entry.line, "bib-no-year",
                    f"entry '{key}' has no year, so it is shown with \"n.d.\" (no date)",
                    "add `year = {...}` if the work has one"))
            else:
                problems.append(error(
                    bib.file, entry.line, "bib-missing-field",
                    f"entry '{key}' has no {_FIELD_NAMES.get(name, name)}, which the citation "
                    "style needs", f"add `{name} = {{...}}` to the entry"))
    return problems


def closest_keys(bib: Bibliography, key: str, n: int = 3) -> list[str]:
    """Keys that look like `key`, for "did you mean" hints (case differences count as close)."""
    by_lower: dict[str, str] = {}
    for known in bib.entries:
        by_lower.setdefault(known.lower(), known)
    matches = difflib.get_close_matches(key.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[m] for m in matches]
