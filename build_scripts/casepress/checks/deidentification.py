"""De-identification lint: text in case files that looks like protected health information.

The patterns cover the HIPAA Safe Harbor identifiers that can turn up in free text: names,
dates of care, ages over 89, telephone and fax numbers, e-mail and web addresses, record and
other identifying numbers, and places smaller than a state. They are deliberately simple and
err on the side of asking: a reviewer decides, and a reviewed false positive is silenced in
the content file itself, with its reason, on the line of the field or the line above it:

    # casepress: allow phi-date -- reason: when a cited trial ran, not a date of care

A suppression covers one field (or the list item or block starting on the line it speaks
for), never a whole file or rule; one without a reason is an error. The `source` block (the
published article: authors, title, journal, url) and slugs or keys are not checked. YAML
comments are checked too: the repository is public, and a comment stays in its history.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from casepress.cache import CacheStats, SlotCache
from casepress.checks.personal_names import NameFinder, site_vocabulary
from casepress.citations.syntax import find_citations
from casepress.content.loader import Content, Document
from casepress.content.yaml_source import Path as DataPath
from casepress.content.yaml_source import text_fields
from casepress.diagnostics import Diagnostic, error, warning
from casepress.rules import RULES, SUPPRESSIBLE_PREFIX

if TYPE_CHECKING:
    from casepress.models import Case

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)")
_OLD = r"(?:9\d|1[01]\d)"  # 90 to 119
_CAP = r"[A-Z][a-z'’-]+"
_FACILITY = r"(?i:hospital|clinic|centre|center|infirmary|hospice|nursing home|care home)"
_STREET = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Way|Court|Ct"
           r"|Place|Terrace|Close|Crescent|Square|Highway|Hwy)")
_ID_NOUN = (r"(?:medical record|record|chart|account|acct|licen[cs]e|certificate|serial|device"
            r"|lot|policy|member|plan|patient|hospital|registration|plate|social security)")
_ID_VALUE = r"\s*[:#]?\s*(?:is\s+|was\s+)?[A-Za-z0-9/-]*\d[A-Za-z0-9/-]*"


@dataclass(frozen=True)
class Identifier:
    rule: str
    kind: str  # named in every finding, e.g. "a calendar date"
    patterns: tuple[re.Pattern[str], ...]


def _any(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


IDENTIFIERS = (
    Identifier("phi-name", "a personal name", _any(
        rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Mme|Mlle)\.?\s+(?:{_CAP}|[A-Z]\.)",
        rf"\b(?:[Pp]atient|[Pp]t\.?)\s+(?:named\s+|called\s+)?(?:{_CAP}\s+{_CAP}|[A-Z]\.\s?[A-Z]\.)",
        rf"\b(?:named|name is|name was)\s+{_CAP}",
        rf"\b(?:wife|husband|son|daughter|mother|father|brother|sister|partner|niece|nephew)"
        rf",?\s+{_CAP}\b",
    )),
    Identifier("phi-date", "a calendar date", _any(
        r"\b(?:1[89]|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b",
        r"\b\d{1,2}(?P<sep>[/.-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})\b",
        rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?![a-z])",
        rf"\b{_MONTH},?\s+(?:of\s+)?(?:1[89]|20)\d\d\b",
        rf"\b(?:[Ii]n|[Oo]n|[Ss]ince|[Dd]uring|[Uu]ntil|[Bb]y|[Ee]arly|[Ll]ate|[Mm]id-?)\s+"
        rf"{_MONTH}(?![a-z])",
        r"\b(?:DOB|D\.O\.B\.|[Dd]ate of birth|[Bb]irth ?date)\b",
    )),
    Identifier("phi-age", "an age over 89", _any(
        rf"\b{_OLD}[\s-]*(?:years?|yrs?)[\s-]*(?:old|of age)\b",
        rf"\b{_OLD}[\s-]*(?:y/o|yo|y\.o\.)",
        rf"\b[Aa]ged?\s*:?\s*{_OLD}\b(?!\s*(?:\+|or older|or over|and over))",
        r"\b(?:[Nn]onagenarian|[Cc]entenarian)",
        r"\bin (?:his|her|their) (?:90s|nineties|100s)\b",
    )),
    Identifier("phi-phone", "a telephone or fax number", _any(
        r"(?<![\w.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)\s?|\d{2,5}[\s.-])\d{3,4}[\s.-]\d{3,5}"
        r"(?![\w,]|\.\d)",
        r"\b(?i:tel|telephone|phone|fax|mobile|cell|pager)\b\.?\s*(?:no\.?|number|#)?\s*:?\s*"
        r"\+?[\d(][\d\s().-]{5,}\d",
    )),
    Identifier("phi-email", "an e-mail address", _any(
        r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}",
    )),
    Identifier("phi-url", "a web or IP address", _any(
        r"\b(?:https?|ftp)://\S*[^\s.,;:)\]]",
        r"\bwww\.[\w-]+\.\S*[^\s.,;:)\]]",
        r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
    )),
    Identifier("phi-id", "a record, account, licence, device or serial number", _any(
        rf"\b(?i:{_ID_NOUN})\s+(?i:number|no\.?|#|id|identifier){_ID_VALUE}",
        rf"\b(?:MRN|SSN|UDI|VIN|S/N|ID)\b{_ID_VALUE}",
        r"\b\d{3}-\d{2}-\d{4}\b",
    )),
    Identifier("phi-place", "a place smaller than a state", _any(
        rf"\b\d{{1,5}}\s+(?:{_CAP}\s+){{1,3}}{_STREET}\b",
        rf"\b{_FACILITY}\s+(?:in|at|of)\s+{_CAP}",
        rf"\b(?:lives|lived|living|resides|resided|residing|resident of|native of|home in"
        rf"|moved to|born in)\s+(?:in\s+)?{_CAP}",
        r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b",
        r"\b\d{5}-\d{4}\b",
        r"\b(?i:zip(?: code)?|postcode|postal code)\b\s*:?\s*[A-Z0-9]",
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b",
        rf"\b{_CAP}\s+(?:County|Parish|Borough)\b",
    )),
)
PHI_RULES = {identifier.rule for identifier in IDENTIFIERS}
# Safe Harbor lets ages over 89 stand as one category: `age_years: 90` means "90 or older".
AGE_CATEGORY = 90

# Never checked: the published article's own metadata, slugs or keys, and the day an image
# was imported (`casepress add-image` writes it; the model allows it nowhere else).
_SKIP_TOP = {"source", "related_references", "evidence", "technique"}
_SKIP_KEYS = {"id", "after", "figures", "letter", "imported"}
_DIRECTIVE = re.compile(r"^casepress\s*:\s*(?P<rest>.*)$")
_ALLOW = re.compile(r"^allow\s+(?P<rules>[\w-]+(?:\s*,\s*[\w-]+)*)\s*"
                    r"(?:(?:--|—)\s*reason\s*:\s*(?P<reason>.*))?$")


@dataclass(frozen=True)
class Finding:
    rule: str
    text: str


# A document's texts are scanned joined together: each pattern runs over one string, not
# over each of its hundreds of short fields. No pattern matches across this separator.
_SEPARATOR = "\n\x00\n"


@functools.cache  # compiled on first use: a site without case content never needs it
def _gate() -> re.Pattern[str]:
    """Every pattern in one: where it finds nothing (most documents), no pattern would, and
    one pass replaces forty. The word boundary most patterns start with is tested once."""
    patterns = [p.pattern for identifier in IDENTIFIERS for p in identifier.patterns]
    bounded = [p.removeprefix(r"\b") for p in patterns if p.startswith(r"\b")]
    others = [p for p in patterns if not p.startswith(r"\b")]
    return re.compile("|".join([rf"\b(?:{'|'.join(bounded)})", *others]))



def _masked(text: str) -> str:
    """`text` with its citations blanked: keys such as @smith2004-05 are not dates."""
    if "@" not in text:
        return text
    for citation in find_citations(text):
        text = text[:citation.start] + " " * (citation.end - citation.start) + text[citation.end:]
    return text


def scan(texts: tuple[str, ...], names: NameFinder | None = None
         ) -> tuple[tuple[Finding, ...], ...]:
    """The identifiers found in each of `texts`, in the same order; `names` also finds
    personal names that no cue word introduces."""
    joined = _SEPARATOR.join(_masked(text) for text in texts)
    name_spans = [(n.start, n.end) for n in names.find(joined)] if names else []
    if not name_spans and not _gate().search(joined):
        return tuple(() for _ in texts)
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(_SEPARATOR)
    found: list[list[Finding]] = [[] for _ in texts]
    for identifier in IDENTIFIERS:
        spans = sorted([m.span() for p in identifier.patterns for m in p.finditer(joined)]
                       + (name_spans if identifier.rule == "phi-name" else []))
        merged: list[list[int]] = []
        for start, end in spans:  # overlapping matches ("on May 24, 2004") are one finding
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged:
            index = bisect.bisect_right(starts, start) - 1
            found[index].append(Finding(identifier.rule, joined[start:end].strip()))
    return tuple(map(tuple, found))


def find_identifiers(text: str, names: NameFinder | None = None) -> list[Finding]:
    """Every stretch of `text` that looks like an identifier; citations are not looked at."""
    return list(scan((text,), names)[0])


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _kind(rule: str) -> str:
    return next(i.kind for i in IDENTIFIERS if i.rule == rule)


def _checked(path: tuple[str | int, ...]) -> bool:
    if path and path[0] in _SKIP_TOP:
        return False
    keys = [p for p in path if isinstance(p, str)]
    return not keys or keys[-1] not in _SKIP_KEYS


@dataclass(frozen=True)
class _Suppression:
    line: int  # where the comment is
    applies_to: int  # the line whose findings it silences
    rules: frozenset[str]


def _suppressions(doc: Document[Any]) -> tuple[list[_Suppression], list[Diagnostic]]:
    """`# casepress: allow ...` comments; malformed ones are errors themselves."""
    found, problems = [], []
    for line, comment in sorted(doc.source.comments.items()):
        directive = _DIRECTIVE.match(comment)
        if not directive:
            continue
        allow = _ALLOW.match(directive["rest"].strip())
        if not allow:
            problems.append(error(doc.file, line, "suppress-invalid",
                                  f"'# {comment[:80]}' is not a casepress directive",
                                  "write `# casepress: allow phi-<kind> -- reason: <why>`"))
            continue
        rules = {r.strip() for r in allow["rules"].split(",")}
        bad = sorted(r for r in rules if not (r in RULES and r.startswith(SUPPRESSIBLE_PREFIX)))
        if bad:
            problems.append(error(doc.file, line, "suppress-invalid",
                                  f"'{', '.join(bad)}' cannot be silenced here",
                                  "only de-identification rules can be allowed: "
                                  + ", ".join(sorted(PHI_RULES))))
            continue
        if not (allow["reason"] or "").strip():
            problems.append(error(doc.file, line, "suppress-no-reason",
                                  f"allowing {', '.join(sorted(rules))} needs a reason",
                                  "add `-- reason: <why this is not an identifier>` so a "
                                  "reviewer can judge it"))
            continue
        # A line where some key or value starts holds content; any other commented line is
        # a full-line comment, which speaks for the next line that holds content.
        content_lines = _content_lines(doc)
        target = line if line in content_lines else next(
            (n for n in content_lines if n > line), line + 1)
        found.append(_Suppression(line, target, frozenset(rules)))
    return found, problems


def _content_lines(doc: Document[Case]) -> list[int]:
    return sorted({line for line, _col in doc.source.positions.values()})


def _findings(doc: Document[Case], names: NameFinder | None
              ) -> Iterator[tuple[DataPath | None, int, int, Finding]]:
    fields = [(path, text) for path, text in text_fields(doc.source.data) if _checked(path)]
    comments = [(line, comment) for line, comment in doc.source.comments.items()
                if not (_DIRECTIVE.match(comment) or comment.startswith("yaml-language-server:"))]
    results = scan((*(text for _path, text in fields), *(c for _line, c in comments)), names)
    for (path, _text), findings in zip(fields, results, strict=False):
        for finding in findings:
            line, col = doc.source.position(path)
            yield path, line, col, finding
    age = doc.model.patient.age_years
    if age > AGE_CATEGORY:
        age_path = ("patient", "age_years")
        line, col = doc.source.position(age_path)
        yield age_path, line, col, Finding("phi-age", f"age_years: {age}")  # write 90 instead
    for (line, _comment), findings in zip(comments, results[len(fields):], strict=True):
        for finding in findings:
            yield None, line, 1, finding


def check_case_phi(doc: Document[Case], names: NameFinder | None = None) -> list[Diagnostic]:
    """Identifier-like text in one case file, minus what a reviewed comment allows.

    A suppression speaks for the line it is on (or the next line with content) and for the
    block that starts there: above `- topic: ...` it covers that discussion point's text.
    """
    suppressions, problems = _suppressions(doc)
    blocks: dict[int, list[DataPath]] = {}
    for block, (line, _col) in doc.source.positions.items() if suppressions else ():
        if block:  # never the whole file
            blocks.setdefault(line, []).append(block)

    def covers(suppression: _Suppression, path: DataPath | None, line: int) -> bool:
        return line == suppression.applies_to or (path is not None and any(
            path[:len(b)] == b for b in blocks.get(suppression.applies_to, [])))

    used: set[int] = set()
    for path, line, col, finding in _findings(doc, names):
        allowed = [s for s in suppressions
                   if finding.rule in s.rules and covers(s, path, line)]
        if allowed:
            used.update(s.line for s in allowed)
            continue
        problems.append(error(
            doc.file, line, finding.rule,
            f"'{finding.text[:60]}' looks like {_kind(finding.rule)}, an identifier under "
            "HIPAA Safe Harbor",
            f"{_lower_first(RULES[finding.rule].fix.rstrip('.'))}; if a reviewer agrees it "
            f"identifies no one, put `# casepress: allow {finding.rule} -- reason: <why>` "
            "above the field",
            col=col))
    for suppression in suppressions:
        if suppression.line not in used:
            problems.append(warning(doc.file, suppression.line, "suppress-unused",
                                    f"allowing {', '.join(sorted(suppression.rules))} "
                                    "silences nothing here",
                                    "remove the comment, or put it on or just above the "
                                    "field it is for"))
    return problems


@dataclass
class PhiCache:
    """What the lint may take over from an earlier build in the same process (`mkdocs serve`):
    each content file's lower-case words, and each case file's problems with the vocabulary
    words its names were judged by, kept while the file's bytes and those judgements stand.
    Part of the `pipeline.BuildCache` that the caller owns."""

    words: SlotCache[frozenset[str]] = field(default_factory=SlotCache)
    cases: dict[str, tuple[str, frozenset[str], frozenset[str], list[Diagnostic]]] = field(
        default_factory=dict)
    stats: CacheStats = field(default_factory=CacheStats)


def check_phi(content: Content, cache: PhiCache | None = None) -> list[Diagnostic]:
    """The de-identification lint over every case file. Names without a cue word are judged
    against the words the whole library writes in lower case (its medical vocabulary)."""
    cache = cache or PhiCache()
    vocabulary = frozenset().union(*(
        cache.words.get(doc.file, doc.digest, partial(_lower_case_words, doc))
        for doc in content.documents()))
    names = NameFinder(vocabulary)
    found = []
    for doc in content.cases.values():
        kept = cache.cases.get(doc.file)
        if kept is not None and kept[0] == doc.digest and kept[2] == kept[1] & vocabulary:
            cache.stats.hits += 1
            found += kept[3]
            continue
        names.asked = set()
        problems = check_case_phi(doc, names)
        asked = frozenset(names.asked)
        cache.cases[doc.file] = (doc.digest, asked, asked & vocabulary, problems)
        cache.stats.miss(doc.file)
        found += problems
    for gone in cache.cases.keys() - {doc.file for doc in content.cases.values()}:
        del cache.cases[gone]
    return found


def _lower_case_words(doc: Document[Any]) -> frozenset[str]:
    return site_vocabulary(text for _path, text in text_fields(doc.source.data))
