"""Hostile input: malformed and malicious files from tests/hostile/, each built for real.

Every case in tests/hostile/<case>/ is laid over a fresh copy of the repository's project
(see tests/hostile/README.md) and built with `casepress build`. Whatever the input:

* the build never shows a traceback;
* it either fails with the expected `file:line` messages (and writes no site at all), or it
  succeeds and the site holds no script but the theme's and casepress's own, no `on*`
  attribute and no `javascript:`/`data:`/`vbscript:` URL;
* nothing is written anywhere but the output folder: the build runs in the project, with its
  temporary folder and home inside the test's folder, and that whole tree is compared before
  and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import typing
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from casepress.models import Case, EvidenceTable, Technique
from conftest import REPO, Built, copy_project, run_casepress, text_of

pytestmark = pytest.mark.slow  # real builds in subprocesses

HOSTILE = REPO / "tests" / "hostile"
MARK = "alert("  # every line of a hostile file that carries a payload holds this
SECRET = b"CASEPRESS-SECRET-"  # in files beside the project; must never reach a site
_REPEAT = re.compile(rb"\{\{repeat (\d+) (.+?)\}\}")
_ERROR_AT = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+)(?::\d+)?: error: ", re.MULTILINE)


@dataclass(frozen=True)
class Fails:
    """The build stops; each message appears in its output."""

    messages: tuple[str, ...] = ()
    # Project files in which every line holding MARK must be reported as an error.
    marked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Renders:
    """The build succeeds; each page (by URL) shows each text, as text."""

    shows: dict[str, tuple[str, ...]] = field(default_factory=dict)


SEED_CASE = "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
_SEED_BIB_LINES = len((REPO / "references.bib").read_text(encoding="utf-8").splitlines())


def _bib_line(line: int) -> int:
    """Line `line` of an appended .bib fragment, as reported in the whole references.bib."""
    return _SEED_BIB_LINES + line
EXPECTED: dict[str, Fails | Renders] = {
    # --- YAML structure ---
    "yaml-duplicate-key": Fails(("content/cases/duplicate-key.yaml:4:1: error: key 'title' "
                                 "appears twice; keep one of them (yaml-duplicate-key)",)),
    "yaml-non-utf8": Fails(("content/cases/latin1.yaml:3: error: byte 0xe9 is not UTF-8; save "
                            "the file as UTF-8 (not-utf8)",)),
    "yaml-empty": Fails(("content/cases/empty.yaml:1: error: the file is empty",)),
    "yaml-whitespace-only": Fails(("content/techniques/blank.yaml:1: error: the file is empty",)),
    "yaml-comments-only": Fails(("content/evidence/comments.yaml:1: error: the file holds no "
                                 "YAML value",)),
    "yaml-deep-nesting": Fails(("content/cases/deep.yaml:2:", "nesting deeper than 40 levels",
                                "(yaml-too-deep)")),
    "yaml-very-deep-nesting": Fails(("content/cases/very-deep.yaml: error: nesting is too deep "
                                     "to read",)),
    "yaml-billion-laughs": Fails(("content/cases/laughs.yaml:3:8: error: YAML aliases (*name) "
                                  "are not allowed",)),
    "yaml-merge-key": Fails(("content/cases/merge.yaml:4:3: error: YAML merge keys (<<) are not "
                             "allowed",)),
    "yaml-python-tag": Fails(("content/cases/python-tag.yaml:2:8: error: the YAML tag "
                              "!!python/object/apply:os.system is not allowed",)),
    "yaml-not-a-mapping": Fails(("content/cases/list.yaml:1: error: the file must be a block of "
                                 "`field: value` lines",)),
    "yaml-folder-named-yaml": Fails(("content/cases/not-a-file.yaml: error: 'not-a-file.yaml' "
                                     "is a folder, not a content file",)),
    "yaml-too-large": Fails(("content/cases/huge.yaml: error: file is 2100086 bytes; split it",)),
    "yaml-nul-byte": Fails(("content/cases/nul.yaml:2: error: character U+0000 is not allowed "
                            "in YAML",)),
    "yaml-multi-document": Fails(("content/cases/two-documents.yaml:3:1: error: YAML syntax: "
                                  "but found another document",)),
    "yaml-bad-file-name": Fails(("content/cases/Evil Name.yaml: error: 'Evil Name.yaml' is not "
                                 "a valid content file name",)),
    "yaml-path-traversal": Fails((
        "content/cases/traversal.yaml:3:1: error: technique: '../../../etc/passwd' is not a "
        "valid id",
        "content/cases/traversal.yaml:5:5: error: evidence[0]: '../../secrets' is not a valid id",
        "content/cases/traversal.yaml:7:5: error: interventions[0].id: '../../etc' is not a "
        "valid id",
        "content/cases/traversal.yaml:15:9: error: interventions[0].figures[0]: "
        "'../../etc/hostname' is not a valid id",
        "content/cases/traversal.yaml:17:5: error: figures[0].id: '../../etc' is not a valid id",
        "content/cases/traversal.yaml:21:9: error: figures[0].panels[0].letter: '../': String "
        "should match pattern '^[A-Z]$'")),
    # --- markup in content text ---
    "case-markup-in-every-field": Fails(marked=("content/cases/markup-everywhere.yaml",)),
    "technique-markup-in-every-field": Fails(
        marked=("content/techniques/markup-everywhere.yaml",)),
    "evidence-markup-in-every-field": Fails(marked=("content/evidence/markup-everywhere.yaml",)),
    "case-unsafe-links": Fails((
        "content/cases/unsafe-links.yaml:5:3: error: summary.what_it_adds: link target "
        "'javascript:alert(1' is not allowed; use an https:// address",
        "content/cases/unsafe-links.yaml:8:7: error: summary.lessons[1]: link target "
        "'java&#115;cript:alert(3' is not allowed",
        "content/cases/unsafe-links.yaml:13:7: error: summary.lessons[6]: link target "
        "'vbscript:alert(8' is not allowed",
        "content/cases/unsafe-links.yaml:14:7: error: summary.lessons[7]: link target "
        "'javascript:alert(9)' is not allowed",
        "content/cases/unsafe-links.yaml:17:7: error: summary.lessons[10]: '{: onclick=...' "
        "would set HTML attributes"), marked=("content/cases/unsafe-links.yaml",)),
    "case-source-url-javascript": Fails((
        "content/cases/source-url.yaml:28:3: error: source.url: 'javascript:alert(1)//https://"
        "example.org': String should match pattern",)),
    "case-source-url-breakout": Fails((
        "content/cases/source-url.yaml:28:3: error: source.url: 'https://example.org/>\"<svg/"
        "onload=alert(1)>' is not a web address",)),
    # Fields valid alone that would join into one link if they were not escaped one by one.
    "case-split-field-breakout": Renders({"cases/split-fields/": (
        "Invented Journal 2001;[x](javascript:alert(1)).",
        "Case from [Invented](javascript,")}),
    # Invisible characters that make a page read otherwise than the file a reviewer saw.
    "case-invisible-characters": Fails((
        "content/cases/invisible.yaml:2:1: error: title: holds an invisible character, U+202E "
        "RIGHT-TO-LEFT OVERRIDE", "content/cases/invisible.yaml:19:5: error: interventions[0]."
        "target: holds an invisible character, U+200B ZERO WIDTH SPACE",
        "keywords[0]: holds an invisible character, U+2066 LEFT-TO-RIGHT ISOLATE")),
    "case-name-over-two-lines": Fails((
        "content/cases/two-lines.yaml:24:5: error: keywords[0]: a name or label is one line",)),
    "case-enormous-title": Fails((  # the report shows the start of the value, not 1 MB of it
        "content/cases/enormous-title.yaml:2:1: error: title: '" + "A" * 79 + "... (1,000,002 "
        "characters): String should have at most 200 characters",)),
    "case-enormous-text": Renders({"cases/enormous-text/": ("Ten words Ten words",)}),
    "case-harmless-lookalikes": Renders({"cases/lookalikes/": (
        'Shown as text: <script>alert("entity")</script> and <b>bold</b>.',
        "8 < 9 to 3 > 2, and AT&T paid {0.5 mL}",
        "A plain mention of javascript:alert(1) is only text."),
        "techniques/lookalikes/": ("A link with quotes in it", "with a quote in its title",
                                   '"Quoted" & ampersand title')}),
    # --- hand-written pages ---
    "docs-non-utf8": Fails(("docs/about.md:5: error: byte 0xe9 is not UTF-8; save the file as "
                            "UTF-8 (not-utf8)",)),
    "docs-empty": Renders({"about/": ()}),
    "docs-raw-script": Fails((
        "error: page about.md: <script> element", "error: page about.md: onerror attribute on "
        "<img>", "error: page about.md: javascript: URL in the href of <a>",
        "error: page about.md: <iframe> element",
        "error: page about.md: xlink:href attribute on <a>",
        "error: page about.md: <animate> element",
        "error: page about.md: onmouseover attribute on <p>",
        "error: page about.md: <form> element"), marked=("docs/about.md",)),
    # Where Python's html.parser and browsers read HTML differently (each passed the old
    # scan and ran in Chromium); the allow-list parses as browsers do.
    "docs-parser-differentials": Fails((
        "error: page about.md: onerror attribute on <img>", "error: page about.md: <textarea> "
        "element", "error: page about.md: <noscript> element", "error: page about.md: <xmp> "
        "element", "error: page about.md: <noembed> element", "error: page about.md: "
        "<noframes> element", "error: page about.md: <style> element"),
        marked=("docs/about.md",)),
    # An SVG dropped as a figure would be published and opened full size on the site's origin.
    "figure-svg-with-script": Fails((
        "docs/assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-a.svg: error: mri-course-a.svg "
        "is an SVG image, which can hold script",)),
    # --- files that link out of the project ---
    "docs-symlink-outside": Fails(("docs/leak.md: error: this links to a place outside the "
                                   "project",)),
    "docs-figure-symlink-outside": Fails((
        "docs/assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-a.png: error: this links to a "
        "place outside the project",)),
    "docs-folder-symlink-outside": Fails(("docs/machine: error: this links to a place outside "
                                          "the project",)),
    "content-symlink-outside": Fails(("content/cases/leak.yaml: error: this file links to a "
                                      "place outside the project",)),
    "content-folder-symlink-outside": Fails(("content/evidence/leak.yaml: error: this file "
                                             "links to a place outside the project",)),
    "bib-symlink-outside": Fails(("references.bib: error: this links to a place outside the "
                                  "project",)),
    # --- BibTeX ---
    "bib-unbalanced-braces": Fails((f"references.bib:{_bib_line(2)}: error: entry "
                                    "'unclosed2001' could not be parsed",)),
    "bib-duplicate-key": Fails((f"references.bib:{_bib_line(2)}: error: entry key 'kaizu1998' "
                                "is already used by the entry on line",)),
    "bib-duplicate-field": Fails((f"references.bib:{_bib_line(5)}: error: entry 'twotitles2001' "
                                  f"has the field 'title' twice (first on line {_bib_line(4)})",)),
    "bib-non-utf8": Fails((f"references.bib:{_bib_line(3)}: error: byte 0xfc is not UTF-8",)),
    "bib-empty": Fails((f"{SEED_CASE}:", "error: citation key '@kaizu1998' is not in "
                        "references.bib")),
    "bib-unsafe-urls": Fails((
        f"references.bib:{_bib_line(7)}: error: entry 'jsurl2001' has url "
        "'javascript:alert(1)', which is not an http(s) URL",
        f"references.bib:{_bib_line(15)}: error: entry 'dataurl2001' has url "
        "'data:text/html;base64,",
        f"references.bib:{_bib_line(23)}: error: entry 'jsdoi2001' has doi "
        "'javascript:alert(3)', which is not a DOI")),
    "bib-pmid-breakout": Fails((f"references.bib:{_bib_line(7)}: error: entry 'pmid2001' has pmid "
                                "'1)<script>alert(1)</script>', which is not a PubMed id",)),
    "bib-key-breakout": Fails((f"references.bib:{_bib_line(2)}: error: entry key "
                               "'key<script>alert(1)</script>2001' has characters a web page "
                               "address cannot hold",)),
    "bib-markup-in-fields": Renders({
        "bibliography/": ('<script>alert("bib-title")</script> [a link](javascript:alert("md"))'
                          ' : onclick="alert(\'attr\')" `code` *emphasis* :smile: ==mark==',
                          '<iframe src="javascript:alert(\'journal\')"></iframe>',
                          '&lt;script&gt;alert("entity")&lt;/script&gt;'),
        "about/": ('<img src=x onerror=alert("author")> et al',),
        "evidence/hostile-study/": ('<img src=x onerror=alert("author")> et al',)}),
    "bib-doi-breakout": Renders({"about/": ("Invented (",)}),
    "bib-latex-commands": Renders({"bibliography/": ("click",)}),
    "bib-enormous-field": Renders({"bibliography/": ("AAAAAAAAAAAAAAAAAAAA",)}),
}


def test_every_case_in_the_corpus_has_an_expectation() -> None:
    cases = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())
    assert cases == sorted(EXPECTED)


# ---------------------------------------------------------------- building a case


def _expand(data: bytes, outside: Path) -> bytes:
    """`{{repeat N TEXT}}` -> TEXT repeated N times (keeps enormous inputs reviewable);
    `{outside}` -> the folder beside the project that the case's outside/ files go to."""
    data = data.replace(b"{outside}", str(outside).encode())
    return _REPEAT.sub(lambda m: m.group(2) * int(m.group(1)), data)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def make_project(case: str, tmp_path: Path) -> Path:
    """A copy of the repository's project with the case's files laid over it."""
    project = copy_project(tmp_path)
    folder = HOSTILE / case
    outside = tmp_path / "outside"
    for source in sorted(folder.rglob("*")):
        relative = source.relative_to(folder)
        if not source.is_file() or relative.as_posix() == "symlinks.txt":
            continue
        if relative.parts[0] == "outside":
            target = outside / Path(*relative.parts[1:])
        elif relative.suffix == ".append":
            target = project / relative.with_suffix("")
            target.write_bytes(target.read_bytes() + _expand(source.read_bytes(), outside))
            continue
        else:
            target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_expand(source.read_bytes(), outside))
    links = folder / "symlinks.txt"
    if links.is_file():  # created here: a committed symlink would point out of the repository
        for line in links.read_text(encoding="utf-8").splitlines():
            name, _arrow, pointee = line.partition(" -> ")
            link = project / name
            _remove(link)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(pointee.replace("{outside}", str(outside)))
    return project


def snapshot(folder: Path) -> dict[str, str]:
    """Every file, folder and symlink under `folder` (symlinks not followed)."""
    found: dict[str, str] = {}
    for parent, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(parent) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"symlink to {os.readlink(path)}"
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# ---------------------------------------------------------------- what may reach a page

_THEME_SCRIPT = re.compile(r"(?:^|/)assets/(?:javascripts/bundle\.[0-9a-f]+\.min\.js"
                           r"|casepress/[\w.-]+\.js)$")
_RELATIVE_URL = re.compile(r'new URL\("[./]*"')
_URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "srcset", "poster",
                   "data", "to", "from", "values"}
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
_BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript):")


class _ScriptFinder(HTMLParser):
    """Collects everything in a page that could run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = self._data_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            src = values.get("src")
            if src is not None and not _THEME_SCRIPT.search(src):
                self.problems.append(f"<script src={src!r}>")
            self._data_script = values.get("type") in _DATA_SCRIPT_TYPES
            self._in_script = src is None
        if tag in {"iframe", "object", "embed", "frame", "base"}:
            self.problems.append(f"<{tag}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in _URL_ATTRIBUTES and _BAD_SCHEME.match(cleaned):
                self.problems.append(f"{name}={value[:40]!r} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and self._data_script:
            try:  # data, never run; had text broken out of it, it would not parse
                json.loads(data)
            except ValueError:
                self.problems.append(f"<script> data that is not JSON: {data[:60]!r}")
        elif self._in_script:
            self.inline_scripts.append(_RELATIVE_URL.sub('new URL("."', data))


def _scan(page: str) -> _ScriptFinder:
    finder = _ScriptFinder()
    finder.feed(page)
    finder.close()
    return finder


@pytest.fixture(scope="module")
def theme_inline_scripts(seed_site: Built) -> set[str]:
    """Material's own inline snippets, as the seed build has them."""
    return {s for page in seed_site.site.rglob("*.html")
            for s in _scan(page.read_text(encoding="utf-8")).inline_scripts}


_DATA_FILE = re.compile(r'casepress(?:Search\.add\("[mtp]","(?:[^"\\]|\\.)*"'
                        r'|Finder\.add\("[\w./-]+"),(?P<data>.*)\);\n', re.S)


def data_file_problem(text: str) -> str | None:
    """Why a search or case finder file could do more than hand over data, or None."""
    match = _DATA_FILE.fullmatch(text)
    if match is None:
        return "not a single casepressSearch.add or casepressFinder.add call"
    try:
        json.loads(match["data"])
    except ValueError:
        return "its data is not JSON"
    return None


def script_problems(site: Path, allowed_inline: set[str]) -> list[str]:
    problems = []
    for page in sorted(site.rglob("*.html")):
        finder = _scan(page.read_text(encoding="utf-8"))
        unknown = [f"inline <script> {s[:60]!r}" for s in finder.inline_scripts
                   if s not in allowed_inline]
        problems += [f"{page.relative_to(site)}: {p}" for p in finder.problems + unknown]
    # The search's and the case finder's files are scripts: each must be one call handing
    # over JSON, nothing else (both show it with textContent, so markup in it stays text).
    for folder in (site / "search", site / "cases" / "finder"):
        for path in sorted(folder.rglob("*.js")) if folder.is_dir() else []:
            if problem := data_file_problem(path.read_text(encoding="utf-8")):
                problems.append(f"{path.relative_to(site)}: {problem}")
    return problems


# ---------------------------------------------------------------- the test


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_input(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       theme_inline_scripts: set[str]) -> None:
    expected = EXPECTED[case]
    project = make_project(case, tmp_path)
    # The build runs in the project, with its temporary folder and home inside tmp_path too,
    # so that whatever it writes anywhere but the output folder shows in the snapshots.
    for name, variable in (("tmp", "TMPDIR"), ("home", "HOME"), ("home/.cache", "XDG_CACHE_HOME")):
        (tmp_path / name).mkdir(parents=True)
        monkeypatch.setenv(variable, str(tmp_path / name))
    out = tmp_path / "out"
    before = snapshot(tmp_path)

    result = run_casepress("-f", project / "mkdocs.yml", "build", "-d", out / "site", cwd=project)
    built = Built(result.returncode, result.stdout + result.stderr, out / "site")

    assert "Traceback" not in built.output, built.output[-3000:]
    after = snapshot(tmp_path)
    changed = sorted(k for k in after.keys() | before.keys()
                     if k.split("/")[0] != "out" and after.get(k) != before.get(k))
    # The reference cache (references/store.py) is the one place a build may write besides
    # its output folder, and only JSON data there.
    cache = "project/.cache/plugin/casepress/"
    written_elsewhere = [k for k in changed
                         if not (k.startswith(cache) and k.endswith(".json"))
                         and not cache.startswith(k + "/")]
    assert written_elsewhere == []
    if isinstance(expected, Fails):
        assert built.returncode == 1, built.output[-3000:]
        assert not out.exists() or os.listdir(out) == [], "a failed build wrote output"
        for message in expected.messages:
            assert message in built.output, f"{message!r} not in:\n{built.output[-3000:]}"
        reported = {(m["file"], int(m["line"])) for m in _ERROR_AT.finditer(built.output)}
        for relative in expected.marked:
            lines = (project / relative).read_text(encoding="utf-8").splitlines()
            missed = [n for n, text in enumerate(lines, 1)
                      if MARK in text and (relative, n) not in reported]
            assert missed == [], f"{relative}: lines {missed} not reported:\n{built.output}"
    else:
        assert built.returncode == 0, built.output[-3000:]
        assert sorted(os.listdir(out)) == ["site"]
        assert script_problems(out / "site", theme_inline_scripts) == []
        for url, texts in expected.shows.items():
            shown = text_of(built.page(url))
            for text in texts:
                assert text in shown, f"{text[:80]!r} not shown on {url}"
        leaked = [p for p in (out / "site").rglob("*") if p.is_file() and SECRET in p.read_bytes()]
        assert leaked == [], "a file from outside the project reached the site"


def test_the_output_check_finds_each_kind_of_script(tmp_path: Path,
                                                   theme_inline_scripts: set[str]) -> None:
    (tmp_path / "search" / "p").mkdir(parents=True)
    (tmp_path / "search" / "p" / "0.js").write_text(
        'casepressSearch.add("p","0",{"u":"x/"});alert(1);\n', encoding="utf-8")
    (tmp_path / "search" / "p" / "1.js").write_text(
        'casepressSearch.add("p","1",{"u":"x/"}+alert(1));\n', encoding="utf-8")
    (tmp_path / "search" / "p" / "2.js").write_text(
        'casepressSearch.add("p","2",{"u":"<img onerror=a()>"});\n', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<script src="assets/javascripts/bundle.0123abcd.min.js"></script>'
        '<script src="https://cdn.example/x.js"></script><script>alert(1)</script>'
        '<script type="application/ld+json">{"a": 1}</script>'
        '<script type="application/ld+json">{"a": "</script><p>"}</script>'
        '<a href=" java\tscript:alert(1)">x</a><img src="DATA:text/html,x" onerror="y()">'
        '<iframe src="https://example.org"></iframe>', encoding="utf-8")
    assert script_problems(tmp_path, theme_inline_scripts) == [
        "index.html: <script src='https://cdn.example/x.js'>",
        "index.html: <script> data that is not JSON: '{\"a\": \"'",
        "index.html: href=' java\\tscript:alert(1)' on <a>",
        "index.html: src='DATA:text/html,x' on <img>",
        "index.html: onerror= on <img>",
        "index.html: <iframe>",
        "index.html: inline <script> 'alert(1)'",
        "search/p/0.js: its data is not JSON",
        "search/p/1.js: its data is not JSON",
    ]  # markup inside the data is only text: the search shows it with textContent


# ---------------------------------------------------------------- the corpus covers every field


def _leaf_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Dotted paths of every field that holds a value (not a sub-model) in `model`."""
    paths: set[tuple[str, ...]] = set()
    for name, info in model.model_fields.items():
        inner = [a for a in _flatten(info.annotation)
                 if isinstance(a, type) and issubclass(a, BaseModel)]
        if inner:
            paths |= _leaf_paths(inner[0], (*prefix, name))
        else:
            paths.add((*prefix, name))
    return paths


def _flatten(annotation: object) -> list[object]:
    args = typing.get_args(annotation)
    return [annotation] if not args else [x for a in args for x in _flatten(a)]


def _data_paths(data: object, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if isinstance(data, dict):
        return {p for k, v in data.items() for p in _data_paths(v, (*prefix, str(k)))}
    if isinstance(data, list):
        return {p for item in data for p in _data_paths(item, prefix)}
    return {prefix}


@pytest.mark.parametrize(("model", "file"), [
    (Case, "case-markup-in-every-field/content/cases/markup-everywhere.yaml"),
    (Technique, "technique-markup-in-every-field/content/techniques/markup-everywhere.yaml"),
    (EvidenceTable, "evidence-markup-in-every-field/content/evidence/markup-everywhere.yaml"),
], ids=["case", "technique", "evidence"])
def test_markup_corpus_fills_every_field_of_the_model(model: type[BaseModel], file: str) -> None:
    data = yaml.safe_load((HOSTILE / file).read_text(encoding="utf-8"))
    missing = sorted(".".join(p) for p in _leaf_paths(model) - _data_paths(data))
    assert missing == [], f"add these fields to tests/hostile/{file}"
