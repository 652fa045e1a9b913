"""The unsafe-markup check's fast path: a page it passes without parsing is one the full
parser finds nothing in, and `unsafe_markup` always returns exactly what the parser finds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casepress.checks import html_safety as htmlsafety
from casepress.checks.html_safety import _full_scan, _is_clean, _may_be_unsafe, unsafe_markup

PROPERTY = settings(max_examples=1500, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("same_parser", [True, False], ids=["analysed-parser", "other-parser"])
def test_the_fast_path_is_used_only_with_the_parser_it_was_argued_for(
        monkeypatch: pytest.MonkeyPatch, same_parser: bool) -> None:
    """Under another html.parser (a newer Python), every page is parsed in full: slower, never
    wrong. `make bench` prints which case the running Python is in."""
    fingerprint = htmlsafety._ANALYSED_PARSER if same_parser else "another parser"
    monkeypatch.setattr(htmlsafety, "_parser_fingerprint", lambda: fingerprint)
    htmlsafety._fast_path_applies.cache_clear()
    try:
        clean = '<p>Text <a href="#ref-a" title="x">1</a></p>'
        assert _is_clean(clean)
        assert _may_be_unsafe(clean) is not same_parser
        assert unsafe_markup(clean) == []
        hidden = '<!-- <img onerror="x"> --><p>x</p>'
        assert _may_be_unsafe(hidden) and unsafe_markup(hidden) == _full_scan(hidden)
    finally:
        htmlsafety._fast_path_applies.cache_clear()


def test_only_two_non_ascii_characters_lower_case_to_ascii() -> None:
    # The fast path's argument for style values rests on this.
    found = {chr(c) for c in range(0x80, sys.maxunicode + 1)
             if any(x.isascii() for x in chr(c).lower())}
    assert found == {"\u0130", "\u212a"}
    assert "\u0130".lower() == "i\u0307" and "\u212a".lower() == "k"


CLEAN = [
    pytest.param('<h1 id="t">Title</h1>\n<p>Text on <em>this</em> &amp; that: a &lt; b.</p>',
                 id="text"),
    pytest.param('<a class="cp-cite" href="../bibliography/#ref-a" title="On X&#58; CT &amp; '
                 'MR, impact on pain">1</a>', id="citation-link"),
    pytest.param('<a href="https://doi.org/10.1002/(x)64:8&lt;1753::AID">doi</a>',
                 id="absolute-url-with-colons-and-entities"),
    pytest.param('<a href="mailto:a@b.org">a</a><a href="HTTP://X.ORG">b</a>', id="schemes"),
    pytest.param('<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'
                 '<a href="../x/?a=b:c&amp;d=e">x</a>', id="footnote-and-query"),
    pytest.param('<img src="../img/a.png" alt="a > b" srcset="a.png 1x, b.png 2x"/>',
                 id="img-srcset"),
    pytest.param('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>T</title>'
                 '<use xlink:href="#a"/><line x1="0" y1="1" stroke="currentColor"/></svg>',
                 id="inline-svg"),
    pytest.param('<th style="text-align: left;">x</th><div data-search-exclude hidden>y</div>',
                 id="style-and-valueless"),
    pytest.param('<p title="<script>alert(1)</script> onclick=x">ok</p><br />', id="lt-in-value"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("html", CLEAN)
def test_clean_generated_markup_takes_the_fast_path(html: str) -> None:
    assert _is_clean(html)
    assert unsafe_markup(html) == _full_scan(html) == []


UNSAFE = [
    pytest.param('<a title=">" onclick="x()">a</a>', id="quoted-gt-before-onclick"),
    pytest.param('<img/onerror=x>', id="slash-before-attribute"),
    pytest.param('<img src="x" ONERROR="x">', id="uppercase-event"),
    pytest.param('<img src=x onerror=x>', id="unquoted"),
    pytest.param("<img src='x' onerror='x'>", id="single-quoted"),
    pytest.param('<a href="&#106;avascript:alert(1)">a</a>', id="entity-in-scheme"),
    pytest.param('<a href="javascript&colon;alert(1)">a</a>', id="named-entity-colon"),
    pytest.param('<a href="&amp;#106;avascript:x">a</a>', id="double-encoded-scheme"),
    pytest.param('<a href=" java\tscript:x">a</a>', id="whitespace-in-scheme"),
    pytest.param('<a HREF="JAVASCRIPT:x">a</a>', id="uppercase-scheme"),
    pytest.param('<a href="data:text/html,x">a</a>', id="data-url"),
    pytest.param('<img srcset="a.png 1x, javascript:x 2x">', id="srcset-second-item"),
    pytest.param('<svg><a xlink:href="javascript:x">a</a></svg>', id="xlink-href"),
    pytest.param('<svg><a xlin\u212a:href="javascript:x">a</a></svg>', id="kelvin-sign-name"),
    pytest.param('<svg><set attributeName="href" to="javascript:x"/></svg>', id="svg-set-to"),
    pytest.param('<p style="background:url(javascript:x)">a</p>', id="style-javascript"),
    pytest.param('<p style="width: expression(alert(1))">a</p>', id="style-expression"),
    pytest.param('<p style="x: &#106;avascript:y">a</p>', id="style-entity"),
    pytest.param('<SCRIPT>alert(1)</SCRIPT>', id="uppercase-script"),
    pytest.param('<script/src="x"></script>', id="script-slash"),
    pytest.param('<form action="https://x.org"><input></form>', id="form"),
    pytest.param('<style>p{}</style><a title="</style><img src=x onerror=y>">', id="style-cdata"),
    pytest.param('<p>x</p><img src=x onerror=y', id="cut-off-at-the-end"),
    pytest.param('<img src=x onerror=y>\n<!-- <img src=x onerror=z> -->', id="comment"),
    pytest.param('<a\vonclick=x>a</a>', id="vertical-tab"),
    pytest.param('<a\u00a0onclick=x>a</a>', id="no-break-space"),
    pytest.param('<a x="1"onclick="y">a</a>', id="no-space-after-value"),
    pytest.param('<a href ="javascript:x">a</a>', id="space-before-equals"),
    pytest.param('<a href=="javascript:x">a</a>', id="double-equals"),
]


@pytest.mark.parametrize("html", UNSAFE)
def test_tricky_markup_is_parsed_and_reported_as_the_parser_sees_it(html: str) -> None:
    assert not _is_clean(html)
    assert unsafe_markup(html) == _full_scan(html)


def test_what_the_parser_reports_is_reported_with_its_line() -> None:
    page = '<p>a</p>\n<p title="x">b</p>\n<a href="&#106;avascript:x" onclick="y">c</a>\n'
    found = unsafe_markup(page)
    assert [(u.line, u.what) for u in found] == [
        (3, "javascript: URL in the href of <a>"), (3, "onclick attribute on <a>")]


# Pieces that hit the fast path's edges: generated documents are mostly well formed, with
# hostile names, values, separators and quotes mixed in.
_NAMES = ["a", "A", "p", "img", "svg", "script", "SCRIPT", "scripts", "style", "form",
          "formula", "meta", "metadata", "iframe", "frameset", "embed", "title", "x-y"]
_ATTRIBUTES = ["class", "title", "id", "hidden", "on", "onclick", "ONCLICK", "oNerror", "one",
               "href", "HREF", "src", "srcset", "style", "STYLE", "xlink:href", "xlin\u212a:href",
               "data", "data-x", "to", "from", "values", "action", "formaction", "ping",
               "=x", '"on', "a:b", ":href"]
_VALUE_PIECES = ["javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;", "&#x6A;avascript:",
                 "&colon;", "&#58;", "&amp;", "&amp;#58;", "https:", "http://x.org", "mailto:",
                 "data:", "x", "/", ">", "<", '"', "'", "=", " ", ",", "expression(", "(", ":",
                 "&", "</style>", "<img src=x onerror=y>", "-->", "<!--", "on", "\u0130", "j",
                 "#", "#fn:1", "/", "?", "0", ".", "\u212a"]
_SEPARATORS = [" ", " ", "\n", "\t", "\f", "\r", "\v", "\u00a0", "/", "", "  "]
_QUOTES = ['"', '"', '"', "'", ""]
_TEXT = ["plain text", " on ", "&amp;", "a < b", "<!--", "-->", "<!-- x -->", "</a>", "</p>",
         "</style>", "</ style>", "<![CDATA[", "<?x?>", "<", ">", "\n", "</SCRIPT >", "&#58;"]

_value = st.lists(st.sampled_from(_VALUE_PIECES), max_size=4).map("".join)
_plain_value = st.lists(st.sampled_from([v for v in _VALUE_PIECES if '"' not in v]),
                        max_size=4).map("".join)


def _start_tags(names: list[str], attributes: list[str], separators: list[str],
                quotes: list[str], value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attribute = st.tuples(st.sampled_from(separators), st.sampled_from(attributes),
                          st.none() | st.tuples(st.sampled_from(quotes), value)).map(
        lambda a: a[0] + a[1] + ("" if a[2] is None else f"={a[2][0]}{a[2][1]}{a[2][0]}"))
    return st.tuples(st.sampled_from(names), st.lists(attribute, max_size=4),
                     st.sampled_from(["", " ", "/", " /", "\n"]),
                     st.sampled_from([">", ">", ">", ""])).map(
        lambda t: f"<{t[0]}{''.join(t[1])}{t[2]}{t[3]}")


# Well-formed tags (ASCII whitespace, double quotes, harmless names) mostly pass the fast
# path's grammar, with hostile values inside; the rest probe what lies just outside it.
_well_formed = _start_tags(
    ["a", "p", "img", "svg", "use", "x-y", "metadata", "formula", "scripts"],
    ["class", "title", "hidden", "one", "a:b", "data-x", "href", "src", "srcset", "style",
     "xlink:href", "to"],
    [" ", "\n", "\t", "\f", "\r", "  "], ['"'], _plain_value)
_token = st.one_of(_well_formed, _start_tags(_NAMES, _ATTRIBUTES, _SEPARATORS, _QUOTES, _value),
                   st.sampled_from(_TEXT), st.text(max_size=5))
html_ish = st.one_of(
    st.lists(_well_formed | st.sampled_from(["text", " on ", "&amp;", "</a>", "\n"]),
             max_size=8).map("".join),
    st.lists(_token, max_size=12).map("".join),
    st.lists(st.sampled_from(_VALUE_PIECES + _SEPARATORS + _TEXT + _NAMES + _ATTRIBUTES),
             max_size=30).map("".join),
)


@PROPERTY
@given(html_ish)
def test_the_fast_path_passes_only_pages_the_parser_finds_clean(html: str) -> None:
    found = _full_scan(html)
    if found:
        assert not _is_clean(html)
    assert unsafe_markup(html) == found


_PAGE = ('<h2 id="s">On X</h2>\n<p>Text (<a class="cp-cite" href="../b/#ref-a" title="A &amp; B'
         '&#58; on pain">1</a>) <a href="https://x.org/a:b?c=1&amp;d">x</a>.</p>\n<svg '
         'viewBox="0 0 9 9"><use xlink:href="#u"/></svg><img src="a.png" alt="a > b"/>'
         '<th style="text-align: left;">t</th><div hidden>z</div>')
_PAYLOADS = [" onclick=x", '"onclick=x ', "'", '"', "<img src=x onerror=y>", " on", ":",
             ' href="javascript:x"', "&#106;avascript:", "javascript:", "&", "<", ">", "/",
             "\v", "<!--", "<style>", "</style>", "<script>", "=", "expression("]


@pytest.mark.parametrize("payload", _PAYLOADS)
def test_a_payload_anywhere_in_a_clean_page_is_judged_as_the_parser_judges_it(
        payload: str) -> None:
    assert _is_clean(_PAGE)
    for i in range(len(_PAGE) + 1):
        html = _PAGE[:i] + payload + _PAGE[i:]
        assert unsafe_markup(html) == _full_scan(html), html


@pytest.mark.parametrize("part", ["parse_endtag", "set_cdata_mode"])
def test_the_fingerprint_changes_with_the_parser_code(monkeypatch: pytest.MonkeyPatch,
                                                       part: str) -> None:
    """It hashes what the parser's methods do (bytecode, names, constants), so any change
    to one of them turns the fast path off."""
    before = htmlsafety._parser_fingerprint()
    assert before is not None
    original = getattr(htmlsafety.HTMLParser, part)

    def changed(self: htmlsafety.HTMLParser, *args: object) -> object:
        return original(self, *args)

    monkeypatch.setattr(htmlsafety.HTMLParser, part, changed)
    assert htmlsafety._parser_fingerprint() != before


def test_the_fingerprint_ignores_where_the_code_sits() -> None:
    """Line numbers are not part of it: the same code compiled at another line hashes alike."""
    source = "def f(x):\n    return x + 1\n"
    here = compile(source, "a.py", "exec").co_consts[0]
    elsewhere = compile("\n" * 40 + source, "b.py", "exec").co_consts[0]
    other = compile(source.replace("1", "2"), "a.py", "exec").co_consts[0]
    assert htmlsafety._code_parts(here) == htmlsafety._code_parts(elsewhere)
    assert htmlsafety._code_parts(here) != htmlsafety._code_parts(other)


@pytest.mark.slow
def test_the_fingerprint_is_the_same_in_every_process() -> None:
    """Strings hash differently in each process (PYTHONHASHSEED), and a set constant's order
    with them: were that order part of the fingerprint, the fast path would come and go."""
    probe = ("import hashlib\nfrom casepress.checks import html_safety as htmlsafety\n"
             "code = compile('def f(t):\\n    return t in {\"td\", \"th\", \"tr\", \"li\"}\\n',"
             " 'f.py', 'exec').co_consts[0]\n"
             "parts = ''.join(htmlsafety._code_parts(code)).encode()\n"
             "print(htmlsafety._parser_fingerprint(), hashlib.sha1(parts).hexdigest())")
    seen = {subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3", "4")}
    assert len(seen) == 1, seen


def test_the_fast_path_is_on_under_the_python_it_was_argued_for() -> None:
    """_ANALYSED_PARSER is the fingerprint of Python 3.11.7's html.parser (this project's
    interpreter); another Python may or may not share that code."""
    version = sys.version_info[:3]
    assert version != (3, 11, 7) or htmlsafety._fast_path_applies()
