"""Every rule `casepress check` reports is reachable from a fixture, at an exact file:line.

`tests/sites/every-rule/` holds one problem of each kind found while loading; since the site
is only assembled when loading found no error, `tests/sites/every-rule-site/` holds those
found while assembling it, and problems that rule each other out (a missing bibliography, a
broken template) are made in a copy of the project. A test fails when a rule in the code has
no fixture here, or is missing from the catalogue editors read (`casepress.rules`).
"""

from __future__ import annotations

import ast
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from casepress.rules import RULES
from conftest import REPO, SITES, build, copy_project, run_casepress

pytestmark = pytest.mark.slow  # real builds in subprocesses

Finding = tuple[str, str, str]  # (file[:line[:col]], severity, rule)

EVERY_RULE: list[Finding] = [
    ("content/cases/Bad_Name.yaml", "error", "file-name"),
    ("content/cases/alias.yaml:3:14", "error", "yaml-alias"),
    ("content/cases/bad-value.yaml:9:3", "error", "schema-value"),
    ("content/cases/citation-unknown.yaml:6:7", "error", "citation-unknown-key"),
    ("content/cases/complex-key.yaml:2:3", "error", "yaml-key"),
    ("content/cases/duplicate-key.yaml:3:1", "error", "yaml-duplicate-key"),
    ("content/cases/empty.yaml:1", "error", "empty-file"),
    ("content/cases/event-duplicate-id.yaml", "error", "event-duplicate-id"),
    ("content/cases/evidence-unknown.yaml:24", "error", "evidence-unknown"),
    ("content/cases/figure-duplicate-id.yaml:32", "error", "figure-duplicate-id"),
    ("content/cases/figure-consent.yaml:32", "error", "figure-consent"),
    ("content/cases/figure-provenance.yaml:24", "error", "figure-provenance"),
    ("content/cases/figure-stack.yaml:32", "error", "figure-stack-incomplete"),
    ("content/cases/figure-unknown.yaml:6:7", "error", "figure-unknown"),
    ("content/cases/figure-unreferenced.yaml:24", "warning", "figure-unreferenced"),
    ("content/cases/list-merged.yaml:25:4", "warning", "yaml-list-merged"),
    ("content/cases/missing-field.yaml:2:1", "error", "schema-missing-field"),
    ("content/cases/no-schema-line.yaml:1", "warning", "schema-line"),
    ("content/cases/not-utf8.yaml:2", "error", "not-utf8"),
    ("content/cases/phi.yaml:8:3", "error", "phi-age"),
    ("content/cases/phi.yaml:26:5", "error", "phi-name"),
    ("content/cases/phi.yaml:27:5", "error", "phi-date"),
    ("content/cases/phi.yaml:28:5", "error", "phi-phone"),
    ("content/cases/phi.yaml:31:5", "error", "phi-email"),
    ("content/cases/phi.yaml:33:5", "error", "phi-id"),
    ("content/cases/phi.yaml:35:5", "error", "phi-url"),
    ("content/cases/phi.yaml:37:5", "error", "phi-place"),
    ("content/cases/phi.yaml:41", "error", "suppress-no-reason"),
    ("content/cases/phi.yaml:44", "error", "suppress-invalid"),
    ("content/cases/phi.yaml:47", "warning", "suppress-unused"),
    ("content/cases/quote-too-long.yaml:25", "error", "quote-too-long"),
    ("content/cases/syntax.yaml:3:8", "error", "yaml-syntax"),
    ("content/cases/technique-unknown.yaml:23", "error", "technique-unknown"),
    ("content/cases/time-before-anchor.yaml:25", "error", "time-before-anchor"),
    ("content/cases/time-bounds.yaml:25", "error", "time-bounds"),
    ("content/cases/time-bounds.yaml:28", "error", "time-bounds"),
    ("content/cases/time-out-of-order.yaml:28", "error", "time-out-of-order"),
    ("content/cases/time-unknown-anchor.yaml:25", "error", "time-unknown-anchor"),
    ("content/cases/tag.yaml:2:8", "error", "yaml-tag"),
    ("content/cases/todo-left.yaml:23", "warning", "todo-left"),
    ("content/cases/too-deep.yaml:2:48", "error", "yaml-too-deep"),
    ("content/cases/unknown-field.yaml:10:3", "error", "schema-unknown-field"),
    ("content/cases/wrong-type.yaml:8:3", "error", "schema-type"),
    ("content/evidence/evidence-count.yaml:14:5", "error", "evidence-count"),
    ("content/evidence/evidence-percent.yaml:14:5", "warning", "evidence-percent"),
    ("docs/assets/figures/any-case/drawn-a.svg", "error", "figure-file-type"),
    ("docs/assets/figures/any-case/empty-a.png", "warning", "figure-file-damaged"),
    ("docs/cases/conflict.md", "error", "docs-conflict"),
    ("docs/index.md:5", "warning", "own-reference-list"),
    ("mkdocs.yml", "error", "style"),
    ("mkdocs.yml:7", "warning", "search-plugin"),
    ("zensical.toml", "warning", "engine-without-casepress"),
    ("references.bib:11", "error", "bib-encoding"),
    ("references.bib:20", "error", "bib-bad-url"),
    ("references.bib:27", "error", "bib-bad-doi"),
    ("references.bib:33", "error", "bib-duplicate-field"),
    ("references.bib:37", "error", "bib-duplicate-key"),
    ("references.bib:43", "error", "bib-bad-key"),
    ("references.bib:53", "error", "bib-bad-pmid"),
    ("references.bib:56", "error", "bib-syntax"),
]

SITE_STAGE: list[Finding] = [
    ("references.bib:11", "warning", "bib-style-failed"),
    ("references.bib:18", "warning", "bib-no-year"),
    ("references.bib:24", "warning", "bib-uncited"),
    ("references.bib:31", "error", "bib-missing-field"),
]

_TEXT = re.compile(r"^(?P<where>\S+?): (?P<severity>error|warning): (?P<body>.*) "
                   r"\((?P<rule>[\w-]+)\)$")
_GITHUB = re.compile(r"^::(?P<severity>error|warning) (?P<props>[^:]*)::(?P<body>.*)$")


def parse_text(output: str) -> list[Finding]:
    return [(m["where"], m["severity"], m["rule"])
            for line in output.splitlines() if (m := _TEXT.match(line))]


def parse_github(output: str) -> list[Finding]:
    found = []
    for line in output.splitlines():
        if match := _GITHUB.match(line):
            props = dict(p.split("=", 1) for p in match["props"].split(","))
            where = ":".join(props[k] for k in ("file", "line", "col") if k in props)
            found.append((where, match["severity"], props["title"]))
    return found


def parse_json(output: str) -> list[Finding]:
    def where(d: dict[str, object]) -> str:
        return ":".join(str(d[k]) for k in ("file", "line", "col") if d[k] is not None)

    return [(where(d), d["severity"], d["rule"]) for d in json.loads(output)]


FORMATS: dict[str, Callable[[str], list[Finding]]] = {
    "text": parse_text, "github": parse_github, "json": parse_json}


def check(config: Path, fmt: str = "text", *extra: str) -> tuple[int, str]:
    result = run_casepress("-f", config, "check", "--format", fmt, *extra)
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_rule_fixture_yields_exactly_its_findings(fmt: str) -> None:
    returncode, output = check(SITES / "every-rule" / "mkdocs.yml", fmt)
    assert returncode == 1
    assert FORMATS[fmt](output) == sorted(EVERY_RULE, key=_order), output


@pytest.mark.parametrize("fmt", FORMATS)
def test_site_stage_fixture_yields_exactly_its_findings(fmt: str) -> None:
    returncode, output = check(SITES / "every-rule-site" / "mkdocs.yml", fmt)
    assert returncode == 1
    assert FORMATS[fmt](output) == SITE_STAGE, output


def _order(finding: Finding) -> tuple[str, int, int]:
    file, *numbers = finding[0].split(":")
    line, col = ([*map(int, numbers), 0, 0])[:2]
    return (file, line, col)


def test_every_text_finding_says_what_to_do() -> None:
    _returncode, output = check(SITES / "every-rule" / "mkdocs.yml")
    lines = [line for line in output.splitlines() if _TEXT.match(line)]
    assert len(lines) == len(EVERY_RULE)
    for line in lines:
        body = _TEXT.match(line)["body"]  # type: ignore[index]
        assert "; " in body, f"no hint: {line}"
    errors = sum(f[1] == "error" for f in EVERY_RULE)
    assert f"{errors} error(s), {len(EVERY_RULE) - errors} warning(s)." in output


def test_a_yaml_syntax_error_does_not_hide_other_files() -> None:
    _returncode, output = check(SITES / "every-rule" / "mkdocs.yml")
    findings = parse_text(output)
    assert ("content/cases/syntax.yaml:3:8", "error", "yaml-syntax") in findings
    assert len({f[0].split(":")[0] for f in findings}) > 20


def test_github_annotations_carry_message_and_hint() -> None:
    _returncode, output = check(SITES / "every-rule" / "mkdocs.yml", "github")
    line = next(x for x in output.splitlines() if "title=technique-unknown" in x)
    assert line == ("::error file=content/cases/technique-unknown.yaml,line=23,"
                    "title=technique-unknown::technique: 'no-such-technique' does not exist; "
                    "create content/techniques/no-such-technique.yaml or fix the slug; "
                    "known: none")


def test_warnings_fail_the_check_as_they_fail_the_strict_build(tmp_path: Path) -> None:
    """check and `build --strict` (CI, pre-commit, make site) refuse the same content."""
    project = copy_project(tmp_path)
    case = project / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("conclusion: >-", "# TODO: restate\nconclusion: >-", 1),
                    encoding="utf-8")
    for strictness in ([], ["--strict"]):
        returncode, output = check(project / "mkdocs.yml", "text", *strictness)
        assert returncode == 1
        assert "(todo-left)" in output
    assert build(project / "mkdocs.yml", tmp_path / "site", "--strict").returncode == 1
    assert check(project / "mkdocs.yml", "text", "--no-strict")[0] == 0


def _remove(path: Path) -> None:
    path.unlink()


def _set_content_dir(project: Path, folder: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "content_dir: content", f"content_dir: {folder}"), encoding="utf-8")


@pytest.mark.parametrize(("folder", "message"), [
    pytest.param("/", "content_dir '/' is outside the project", id="filesystem-root"),
    pytest.param("..", "is outside the project", id="parent"),
    pytest.param("contnet", "content_dir 'contnet' does not exist", id="typo"),
])
def test_a_content_dir_that_cannot_be_meant_is_refused(tmp_path: Path, folder: str,
                                                       message: str) -> None:
    """Refused before anything is walked, and never a site published with no case."""
    project = copy_project(tmp_path)
    _set_content_dir(project, folder)
    returncode, output = check(project / "mkdocs.yml")
    assert returncode == 1 and message in output and "(content-dir)" in output
    built = build(project / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 1 and not (tmp_path / "site").exists()


def _prepend(path: Path, text: str) -> None:
    """At the top, so the line found does not depend on the length of the project's file."""
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def _large_image(path: Path) -> None:
    """Noise does not compress: a 1,000 x 1,000 colour PNG of about 3 MB."""
    from PIL import Image

    path.parent.mkdir(parents=True)
    Image.frombytes("RGB", (1000, 1000), random.Random(7).randbytes(3_000_000)).save(path)


# Problems that rule each other out, each made in its own copy of the project:
# (what to do to the copy, the finding expected).
ISOLATED: dict[str, tuple[Callable[[Path], object], Finding]] = {
    "bib-missing": (lambda p: _remove(p / "references.bib"),
                    ("references.bib", "error", "bib-missing")),
    "file-too-large": (lambda p: (p / "content/cases/huge.yaml").write_text(
        "# x\n" * 600_000, encoding="utf-8"),
        ("content/cases/huge.yaml", "error", "file-too-large")),
    "file-outside-project": (lambda p: (p / "content/cases/linked.yaml").symlink_to(
        REPO / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"),
        ("content/cases/linked.yaml", "error", "file-outside-project")),
    "content-dir": (lambda p: _set_content_dir(p, "contnet"),
                    ("mkdocs.yml", "error", "content-dir")),
    "numbering": (lambda p: _set_content_dir(p, "content\n      numbering: pages"),
                  ("mkdocs.yml", "error", "numbering")),
    "bib-invisible-character": (lambda p: _prepend(
        p / "references.bib", "@article{hidden2001,\n  author = {Hidden, A.},\n"
        "  title  = {Safe in \u202eesac lla},\n  year   = {2001},\n}\n\n"),
        ("references.bib:3", "error", "bib-invisible-character")),
    "figure-file-large": (lambda p: _large_image(p / "docs/assets/figures/any/scan.png"),
                          ("docs/assets/figures/any/scan.png", "warning", "figure-file-large")),
    "template-syntax": (lambda p: (p / "templates/pages/cases.md.j2").write_text(
        "# Cases\n\n{% for c in cases %}\n{{ c.slug }\n", encoding="utf-8"),
        ("templates/pages/cases.md.j2:4", "error", "template-syntax")),
    "template-missing": (lambda p: _remove(p / "templates/pages/cases.md.j2"),
                         ("templates/pages/cases.md.j2", "error", "template-missing")),
    "template-undefined": (lambda p: (p / "templates/pages/cases.md.j2").write_text(
        "# Cases\n\n{% for c in cases %}{{ c.model.no_such_field }}{% endfor %}\n",
        encoding="utf-8"),
        ("templates/pages/cases.md.j2", "error", "template-undefined")),
}


@pytest.mark.parametrize("rule", ISOLATED)
def test_isolated_rule(tmp_path: Path, rule: str) -> None:
    project = copy_project(tmp_path)
    make, expected = ISOLATED[rule]
    make(project)
    returncode, output = check(project / "mkdocs.yml")
    assert returncode == 1
    findings = parse_text(output)
    # A missing bibliography also makes every citation unknown; the rule itself shows once.
    assert [f for f in findings if f[2] == rule] == [expected], output


def _drop_site_url(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text(encoding="utf-8")),
                      encoding="utf-8")


# Rules that `casepress build` reports (after the content checks): (change, finding).
BUILD: dict[str, tuple[Callable[[Path], object], Finding]] = {
    "site-url": (_drop_site_url, ("mkdocs.yml", "error", "site-url")),
    "unsafe-html": (lambda p: (p / "docs/unsafe.md").write_text(
        "# Unsafe\n\nText.\n\n<script>alert(1)</script>\n", encoding="utf-8"),
        ("docs/unsafe.md:5", "error", "unsafe-html")),
}


@pytest.mark.parametrize("rule", BUILD)
def test_build_rule(tmp_path: Path, rule: str) -> None:
    project = copy_project(tmp_path)
    make, expected = BUILD[rule]
    make(project)
    built = build(project / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 1
    assert expected in parse_text(built.output), built.output


def test_a_zensical_build_needs_site_url_too(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _drop_site_url(project)
    built = build(project / "mkdocs.yml", tmp_path / "site", "--engine", "zensical")
    assert built.returncode == 1
    assert ("mkdocs.yml", "error", "site-url") in parse_text(built.output), built.output
    assert not (tmp_path / "site").exists()


def test_linkcheck_rule(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "docs/broken.md").write_text(
        "# Broken\n\nSee [the missing part](index.md#no-such-anchor).\n", encoding="utf-8")
    assert build(project / "mkdocs.yml", tmp_path / "site").returncode == 0
    result = run_casepress("linkcheck", tmp_path / "site", cwd=project)
    assert result.returncode == 1
    assert [(f[0].split(":")[0], f[2]) for f in parse_text(result.stdout)] == [
        ("broken/index.html", "link-broken")]


# Rules reported by `casepress fmt`, reached by its own tests.
OTHER_COMMANDS = {"fmt-unformatted": "commands/test_fmt.py", "fmt-failed": "commands/test_fmt.py"}


def _rule_ids_in_code() -> set[str]:
    """Every rule id the package can report, read from its source.

    Rule ids are the third argument of `error(...)`/`warning(...)` (and of yaml_source's
    `_Reject`, the fourth of `encoding_error(...)`, "not-utf8" by default), the last item of
    loader's `_describe` results, or the first argument of a
    de-identification `Identifier`. A call that passes the rule any other way must be
    listed in `dynamic` below, so that a new way of naming rules cannot slip past this test.
    """
    found: set[str] = set()
    dynamic = {("diagnostics.py", "error"), ("diagnostics.py", "warning"),
               ("diagnostics.py", "encoding_error"),
               ("validation.py", "validation_diagnostics"), ("yaml_source.py", "parse_yaml"),
               ("deidentification.py", "check_case_phi")}
    unexplained = []
    package = REPO / "build_scripts" / "casepress"
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found |= {node.args[0].value for node in ast.walk(tree)  # type: ignore[attr-defined]
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id == "Identifier"}
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and function.name == "_describe" \
                        and isinstance(node.value, ast.Tuple):
                    last = node.value.elts[-1]
                    assert isinstance(last, ast.Constant), ast.unparse(node)
                    found.add(last.value)
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                name = node.func.id
                if name not in ("error", "warning", "_Reject", "encoding_error"):
                    continue
                args = {kw.arg: kw.value for kw in node.keywords}
                if name == "encoding_error":
                    rule = args.get("rule") or (node.args[3] if len(node.args) > 3
                                                else ast.Constant("not-utf8"))
                else:
                    rule = args.get("rule") or (node.args[2] if len(node.args) > 2 else None)
                if isinstance(rule, ast.Constant):
                    found.add(rule.value)
                elif (path.name, function.name) not in dynamic:
                    unexplained.append(f"{path.name}:{node.lineno} in {function.name}()")
    assert not unexplained, f"rule ids this test cannot read: {unexplained}"
    return found


def test_every_rule_in_the_code_is_in_the_catalogue() -> None:
    in_code = _rule_ids_in_code()
    assert in_code - set(RULES) == set(), "add these to casepress/rules.py"
    assert set(RULES) - in_code == set(), "casepress/rules.py lists rules the code never uses"


def test_every_check_rule_has_a_fixture() -> None:
    reached = {f[2] for f in [*EVERY_RULE, *SITE_STAGE]} | set(ISOLATED)
    check_rules = {r.id for r in RULES.values() if r.command == "check"}
    assert check_rules - reached == set(), "add a fixture for each of these rules"


def test_rules_of_other_commands_are_reached_by_a_test() -> None:
    reached = {*BUILD, "link-broken", *OTHER_COMMANDS}
    others = {r.id for r in RULES.values() if r.command != "check"}
    assert others - reached == set(), "add a test that triggers each of these rules"
    for rule, test_file in OTHER_COMMANDS.items():
        assert rule in (REPO / "tests" / test_file).read_text(encoding="utf-8")


def test_rules_page_lists_every_rule(tmp_path: Path) -> None:
    out = tmp_path / "markdown"
    result = run_casepress("export-md", out)
    assert result.returncode == 0, result.stderr
    page = (out / "editors" / "rules.md").read_text(encoding="utf-8")
    assert "&lt;" not in page and "&gt;" not in page  # would show as such inside `code`
    for rule in RULES.values():
        row = next((line for line in page.splitlines() if line.startswith(f"| `{rule.id}` |")),
                   None)
        assert row is not None, rule.id
        assert str(rule.severity) in row
