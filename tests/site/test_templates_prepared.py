"""The page templates receive prepared values: what they show is worked out in
site/case_page.py, escaped field by field, and the reader-facing sentences stay in templates.
These tests render the seed case in-process, varied one field at a time."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from casepress.models.case import Case, Source
from casepress.project import Project, ProjectOptions, load_project
from casepress.references.formatting import escape_markdown
from casepress.site import templates
from casepress.site.case_page import _source_citation, render_case_page
from casepress.site.templates import TemplateProblem
from conftest import REPO, figure_numbers

SLUG = "sacroplasty-hcc-nbca-pmma"


@pytest.fixture(scope="module")
def seed() -> Project:
    project, _problems = load_project(ProjectOptions.at(REPO, cache_dir=None))
    return project


def _page(project: Project, **changes: Any) -> str:
    """The seed case page, as Markdown, with `changes` made to its model."""
    doc = project.content.cases[SLUG]
    varied = replace(project, content=replace(project.content, cases={
        **project.content.cases, SLUG: replace(doc, model=doc.model.model_copy(update=changes))}))
    env = templates.make_environment(REPO / "templates", REPO)
    page, _assets = render_case_page(varied, SLUG, partial(templates.render, env), set(),
                                     templates.wording(env))
    return page.markdown


def _case(project: Project) -> Case:
    return project.content.cases[SLUG].model


def test_source_citation_parts_are_escaped_one_field_at_a_time(seed: Project) -> None:
    hostile = Source(authors=["[x](java", "script:alert(1))"], title="T|`t`", journal="*J*",
                     year=2005, volume="-12", issue="3", first_page="45",
                     url="https://example.org/a_b")
    parts = _source_citation(hostile)
    assert parts.first_author == escape_markdown("[x](java") and parts.more_authors
    assert parts.authors == ", ".join(map(escape_markdown, hostile.authors))
    assert (parts.volume, parts.issue, parts.first_page) == (";\\-12", "(3)", ":45")
    page = _page(seed, source=hostile)
    # Side by side, the two authors cannot join into a link: every bracket is an entity.
    assert "](java" not in page and "&#91;x&#93;(java, script&#58;alert(1))." in page
    assert "*Case from &#91;x&#93;(java et al,\n&#42;J&#42; 2005;\\-12:45.\n" in page
    assert "*&#42;J&#42;* 2005;\\-12(3):45. <https://example.org/a_b>\n" in page

    alone = hostile.model_copy(update={"authors": ["Solo A"], "volume": None, "issue": None,
                                       "first_page": None, "url": None})
    page = _page(seed, source=alone)
    assert "*Case from Solo A,\n&#42;J&#42; 2005.\n" in page
    assert "*&#42;J&#42;* 2005.\n" in page
    assert "## Source" not in _page(seed, source=None)


@pytest.mark.parametrize(("reported", "shown"), [
    (["none"], "**Adverse events:** none, as the source states.\n"),
    ([], "**Adverse events:** not reported.\n"),
    (["Pain <b>x</b>", "Fever."], "**Adverse events:** Pain &lt;b&gt;x&lt;/b&gt; Fever.\n"),
])
def test_adverse_events(seed: Project, reported: list[str], shown: str) -> None:
    first, *others = _case(seed).interventions
    page = _page(seed, interventions=[first.model_copy(update={"adverse_events": reported}),
                                      *others])
    section = page[page.index(f"{{ #{first.id} }}"):page.index(f"{{ #{others[0].id} }}")]
    assert shown + "\n###" in section


@pytest.mark.parametrize(("related", "shown"), [
    (True, "; related to the procedure."),
    (False, "; not related to the procedure."),
    (None, "."),
])
def test_death_line(seed: Project, related: bool | None, shown: str) -> None:
    outcomes = _case(seed).outcomes
    k = next(i for i, o in enumerate(outcomes) if o.death)
    stated = outcomes[k].death
    assert stated is not None
    death = stated.model_copy(update={"causes": ["a*b", "c"], "related_to_procedure": related})
    changed = [*outcomes[:k], outcomes[k].model_copy(update={"death": death}),
               *outcomes[k + 1:]]
    assert f"- **Death:** a&#42;b and c{shown}\n" in _page(seed, outcomes=changed)


def test_an_agents_purpose_and_technique_stay_in_their_cell(seed: Project) -> None:
    first, *others = _case(seed).interventions
    agent = first.agents[0] if first.agents else others[0].agents[0]
    varied = agent.model_copy(update={"purpose": "Fill\nit", "technique": "slow | push",
                                      "volume_ml": None, "mixture": []})
    page = _page(seed, interventions=[first.model_copy(update={"agents": [varied]}), *others])
    assert f"| {agent.name} | not stated |  | Fill it slow &#124; push |\n" in page


def _reading_order(page: str, declared: list[str]) -> dict[str, int]:
    """Numbers as they should be: by first link in the page before its figures, then the
    figures it never links to, in declaration order."""
    body = page[:page.index("## Figures")]
    linked = dict.fromkeys(re.findall(r"\(#fig-([\w-]+?)(?:-[a-z])?\)", body))
    order = [*linked, *(f for f in declared if f not in linked)]
    return {figure: n for n, figure in enumerate(order, 1)}


def test_figures_are_numbered_by_first_mention_in_the_rendered_page(seed: Project) -> None:
    case = _case(seed)
    spare = case.figures[0].model_copy(update={"id": "spare"})  # never referred to
    # Declared in another order than the page mentions them, and the histology (otherwise
    # first shown near the end) now mentioned in the Background section, before the others.
    changes: dict[str, Any] = {
        "figures": [spare, *reversed(case.figures)],
        "introduction": f"{case.introduction} Necrosis was seen at autopsy (@fig-histology-b).",
    }
    page = _page(seed, **changes)
    numbers = figure_numbers(page)
    assert numbers == _reading_order(page, [f.id for f in changes["figures"]])
    assert numbers == {"histology": 1, "mri-course": 2, "ct-post-procedure": 3, "spare": 4}
    # The figures are shown in number order.
    shown = re.findall(r'<figure class="cp-figure" id="fig-([\w-]+)"', page)
    assert shown == ["histology", "mri-course", "ct-post-procedure", "spare"]


def test_wording_without_a_name_the_code_needs_is_a_located_problem(tmp_path: Path) -> None:
    shutil.copytree(REPO / "templates" / "pages", tmp_path / "templates" / "pages")
    wording = tmp_path / "templates" / "pages" / "wording.j2"
    text = wording.read_text(encoding="utf-8")
    wording.write_text(re.sub(r'{% set before_treatment = "[^"]*" %}', "", text),
                       encoding="utf-8")
    env = templates.make_environment(tmp_path / "templates", tmp_path)
    with pytest.raises(TemplateProblem) as problem:
        templates.wording(env)
    diagnostic = problem.value.diagnostic
    assert diagnostic.file == "templates/pages/wording.j2"
    assert diagnostic.rule == "template-undefined" and "before_treatment" in diagnostic.message
