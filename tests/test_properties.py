"""Property-based tests: arbitrary text and bytes never crash the citation parser or the
content loader (only Diagnostics come back), and text the content model accepts never
renders to markup that could run code."""

from __future__ import annotations

import copy
import re
import string
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from casepress.checks.html_safety import unsafe_markup
from casepress.citations import syntax as citations
from casepress.citations.numbering import CitationStyle, Page, number_citations, render_citations
from casepress.citations.syntax import find_citations, unescape_at_signs
from casepress.content.loader import Document, load_document
from casepress.content.yaml_source import parse_yaml
from casepress.diagnostics import Diagnostic
from casepress.models.common import Text
from casepress.references.formatting import escape_markdown
from casepress.site.build import REQUIRED_EXTENSIONS
from casepress.site.templates import inline_markdown
from conftest import REPO

pytestmark = pytest.mark.slow  # long property runs

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PROPERTY = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Pieces of Markdown that citations, code, links and HTML are made of, so that generated text
# hits the parser's edge cases far more often than uniform random text would.
MARKUP_PIECES = [
    "@", "[", "]", "(", ")", "{", "}", ";", ",", "-", ":", "<", ">", "`", "```", "~~~", "\\",
    "!", "*", "_", "#", "&", "=", '"', "'", " ", "\n", "\t", "p. 3", "see ", "@key",
    "[@a]", "[@a; @b]", "[see @c, p. 4; -@d]", "@fig-mri", "@fig-mri-b", "@{odd key}",
    "a@b.org", "https://x.org/@k", "](", "[x]: ", "<!--", "-->", "<b>", "javascript:",
    "data:", "&#106;", "{: ", "onclick=", "\u00e9", "\u202e", "\x00",
]
markup_text = st.one_of(
    st.text(),
    st.lists(st.sampled_from(MARKUP_PIECES) | st.text(string.ascii_letters, max_size=3),
             max_size=40).map("".join),
)


@PROPERTY
@given(markup_text)
def test_find_citations_never_crashes_and_spans_are_sound(text: str) -> None:
    found = find_citations(text)
    previous_end = 0
    for citation in found:
        assert previous_end <= citation.start < citation.end <= len(text)
        assert "@" in text[citation.start:citation.end]
        assert citation.keys and all(citation.keys)
        previous_end = citation.end


@PROPERTY
@given(markup_text)
def test_protected_spans_shortcuts_skip_only_texts_without_matches(text: str) -> None:
    """protected_spans skips its scans when the marks they need are absent: that must never
    skip a match (MARKUP_PIECES holds every mark, so the scans run on most examples)."""
    if not any(mark in text for mark in citations._PROTECTED_MARKS):
        assert list(citations._PROTECTED_INLINE.finditer(text)) == []
    if "```" not in text and "~~~" not in text:
        assert citations._FENCE_OPEN.search(text) is None


# What escape_markdown must do, one character at a time (it replaces character by character
# in a chosen order, which is faster but easy to get wrong: an entity escaped twice).
_ENTITY = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#|~^=:$+"} | {
    "&": "&amp;", '"': "&quot;", "'": "&#39;"}


@PROPERTY
@given(markup_text)
def test_escape_markdown_escapes_each_character_once(text: str) -> None:
    expected = "".join(_ENTITY.get(c, c) for c in text)
    if expected.startswith("-"):
        expected = "\\" + expected
    expected = re.sub(r"^(\d+)([.)])", r"\1\\\2", expected)
    assert escape_markdown(text) == expected


def _style() -> CitationStyle:
    return CitationStyle(tooltip=lambda key: f"<{key}> [x](javascript:y) \"{{t}}\"",
                         narrative_name=lambda key: f"*{key}*")


@PROPERTY
@given(markup_text, st.sampled_from(["index.md", "cases/x.md", "a/b/c.md"]))
def test_render_citations_never_crashes(text: str, path: str) -> None:
    page = Page(path, "Title", text, "docs/" + path)
    numbering = number_citations([page], known=lambda key: len(key) % 2 == 1)
    rendered = render_citations(page, numbering, _style())
    if not any(c.keys for c in find_citations(text) if not c.keys[0].startswith("fig-")):
        assert rendered == unescape_at_signs(text)


# ---------------------------------------------------------------- the content loader


def _yaml_documents() -> st.SearchStrategy[bytes]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        markup_text)
    tree = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
    return tree.map(lambda data: yaml.dump(data, Dumper=DUMPER, allow_unicode=True).encode())


any_bytes = st.one_of(st.binary(max_size=2000), markup_text.map(str.encode), _yaml_documents())


@PROPERTY
@given(any_bytes)
def test_parse_yaml_returns_data_or_diagnostics(raw: bytes) -> None:
    document, problems = parse_yaml("content/cases/x.yaml", raw)
    # No document: at least one error says why. A document: at most warnings about its layout.
    errors = [p for p in problems if p.severity == "error"]
    assert (document is None) == bool(errors)
    assert all(isinstance(p, Diagnostic) and p.file == "content/cases/x.yaml" for p in problems)


@pytest.fixture(scope="module")
def content_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for kind in ("cases", "techniques", "evidence"):
        (root / "content" / kind).mkdir(parents=True)
    return root


def _load(root: Path, kind: str, raw: bytes) -> tuple[object, list[Diagnostic]]:
    path = root / "content" / kind / "fuzzed.yaml"
    path.write_bytes(raw)
    return load_document(kind, path, root)


@PROPERTY
@given(st.sampled_from(["cases", "techniques", "evidence"]), any_bytes)
def test_load_document_never_raises(content_root: Path, kind: str, raw: bytes) -> None:
    document, problems = _load(content_root, kind, raw)
    assert isinstance(document, Document) or any(p.severity == "error" for p in problems)
    assert all(p.file == f"content/{kind}/fuzzed.yaml" for p in problems)


SEED = yaml.safe_load((REPO / "content/cases/sacroplasty-hcc-nbca-pmma.yaml").read_text("utf-8"))


def _leaf_paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaf_paths(v, (*prefix, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _leaf_paths(v, (*prefix, i))]
    return [prefix]


SEED_LEAVES = _leaf_paths(SEED)
replacement = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), markup_text,
                        st.lists(markup_text, max_size=3),
                        st.dictionaries(st.text(max_size=8), markup_text, max_size=3))


@settings(PROPERTY, max_examples=150)  # each example validates a whole case
@given(st.lists(st.tuples(st.sampled_from(SEED_LEAVES), replacement), min_size=1, max_size=4))
def test_a_damaged_seed_case_gives_diagnostics_not_exceptions(
        content_root: Path, changes: list[tuple[tuple[object, ...], object]]) -> None:
    data = copy.deepcopy(SEED)
    for path, value in changes:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    raw = yaml.dump(data, Dumper=DUMPER, allow_unicode=True).encode()
    document, problems = _load(content_root, "cases", raw)
    lines = raw.count(b"\n") + 1
    assert all(p.line is None or 1 <= p.line <= lines for p in problems)
    if document is None:
        assert problems


# ---------------------------------------------------------------- accepted text is inert

_MARKDOWN = markdown.Markdown(extensions=list(REQUIRED_EXTENSIONS))

# Link targets as an attacker would disguise them, in every place Markdown reads a target.
_scheme = st.sampled_from(["javascript", "JaVaScRiPt", "java&#115;cript", "&#x6A;avascript",
                           "java\tscript", "java&Tab;script", "vbscript", "data", "https", ""])
_target = st.builds(lambda before, scheme, rest: f"{before}{scheme}:{rest}",
                    st.sampled_from(["", " ", "\x01", "&#32;"]), _scheme,
                    st.sampled_from(["alert(1)", "//example.org/x", "text/html,x"]))
_attributes = st.sampled_from(['onclick="alert(1)"', "onmouseover=alert(1)", "#id", ".c",
                               'title="x"'])
hostile_markdown = st.lists(st.one_of(
    _target.map(lambda t: f"[a]({t})"),
    _target.map(lambda t: f"[a](<{t}>)"),
    _target.map(lambda t: f"![a]({t})"),
    _target.map(lambda t: f"[a][r]\n\n[r]: {t}"),
    _target.map(lambda t: f"[a][r]\n\n[r]:\n  <{t}>"),
    _attributes.map(lambda a: f"text {{: {a} }}"),
    _attributes.map(lambda a: f"[a](https://example.org){{{a}}}"),
    _attributes.map(lambda a: f"para\n{{: {a}}}"),
    markup_text,
), min_size=1, max_size=4).map(" ".join)


@pytest.mark.parametrize("text", [
    pytest.param("]( [a](javascript:alert(1))", id="target-after-an-unclosed-one"),
    pytest.param("[x](y [a](javascript:alert(1))", id="target-inside-another"),
    pytest.param("](<x> [a](vbscript:alert(1))", id="after-an-angle-target"),
])
def test_a_link_target_hidden_behind_another_is_refused(text: str) -> None:
    from pydantic import TypeAdapter

    with pytest.raises(ValidationError, match="is not allowed"):
        TypeAdapter(Text).validate_python(text)


@PROPERTY
@given(st.one_of(hostile_markdown, markup_text))
@example("]( [a](javascript:alert(1))")  # found by this test: one target swallowing the next
def test_text_the_model_accepts_never_renders_to_script(text: str) -> None:
    from pydantic import TypeAdapter

    try:
        accepted = TypeAdapter(Text).validate_python(text)
    except ValidationError:
        return
    _MARKDOWN.reset()
    html = _MARKDOWN.convert(inline_markdown(accepted))
    assert unsafe_markup(html) == [], html
