"""CARE completeness: present, partial or missing for each of the 13 items, in the command
line report and on the editors' page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from casepress.checks.care import Status, care_report
from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.models import Case
from casepress.project import load_project
from conftest import REPO, Built, run_casepress, section, text_of

pytestmark = pytest.mark.slow  # real builds in subprocesses

SEED_SLUG = "sacroplasty-hcc-nbca-pmma"
SEED_MISSING = {2: "Keywords", 6: "Clinical findings", 12: "Patient perspective",
                13: "Informed consent"}


def seed_case() -> Case:
    options, _config = options_from_mkdocs_yml(REPO / "mkdocs.yml")
    project, _problems = load_project(options)
    return project.content.cases[SEED_SLUG].model


def test_seed_case_misses_exactly_what_the_article_does_not_report() -> None:
    report = care_report(seed_case())
    assert [i.number for i in report] == list(range(1, 14))
    missing = {i.number: i.name for i in report if i.status is Status.MISSING}
    assert missing == SEED_MISSING
    assert all(i.status is Status.PRESENT for i in report if i.number not in SEED_MISSING)


def _variant(**changes: Any) -> Case:
    data = seed_case().model_dump()
    for dotted, value in changes.items():
        target = data
        *parents, last = dotted.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return Case.model_validate(data)


@pytest.mark.parametrize(("changes", "item", "status"), [
    ({"keywords": ["sacroplasty"]}, 2, Status.PARTIAL),
    ({"keywords": ["sacroplasty", "n-BCA"]}, 2, Status.PRESENT),
    ({"introduction": None}, 4, Status.MISSING),
    ({"introduction": "Why this case matters."}, 4, Status.PARTIAL),
    ({"presentation__history": [], "presentation__prior_treatments": []}, 5, Status.PARTIAL),
    ({"presentation__physical_examination": "Tender over the left sacrum."}, 6, Status.PRESENT),
    ({"outcomes": []}, 7, Status.PARTIAL),
    ({"diagnostic_assessment__imaging": []}, 8, Status.PARTIAL),
    ({"outcomes": []}, 10, Status.MISSING),
    ({"discussion": []}, 11, Status.MISSING),
    ({"discussion": [{"topic": "A point", "text": "Without any reference."}]}, 11,
     Status.PARTIAL),
    ({"patient_perspective": "Glad to walk again."}, 12, Status.PRESENT),
    ({"informed_consent": "Written consent for publication was obtained."}, 13,
     Status.PRESENT),
])
def test_item_status_follows_the_fields(changes: dict[str, Any], item: int,
                                        status: Status) -> None:
    report = care_report(_variant(**changes))
    assert report[item - 1].status is status, report[item - 1]


def test_an_intervention_without_agents_or_steps_is_partial() -> None:
    case = seed_case()
    data = case.model_dump()
    data["interventions"][2]["agents"] = []
    data["interventions"][2]["events"] = []
    item = care_report(Case.model_validate(data))[8]
    assert item.status is Status.PARTIAL
    assert "right-sacroplasty" in item.note


def test_check_care_prints_the_report() -> None:
    result = run_casepress("check", "--care")
    assert result.returncode == 0, result.stdout
    assert f"CARE checklist for content/cases/{SEED_SLUG}.yaml: 9 present, 0 partial, " \
           "4 missing" in result.stdout
    lines = {line.split()[0]: line for line in result.stdout.splitlines()
             if line.strip()[:2].strip().isdigit()}
    for number, name in SEED_MISSING.items():
        assert name in lines[str(number)] and "missing" in lines[str(number)]


def test_check_care_json() -> None:
    result = run_casepress("check", "--care", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["diagnostics"] == []
    (case,) = data["care"]
    assert case["file"] == f"content/cases/{SEED_SLUG}.yaml"
    assert {i["number"] for i in case["items"] if i["status"] == "missing"} == set(SEED_MISSING)


def test_editors_page_shows_the_report(seed_site: Built) -> None:
    page = seed_site.page("editors/care/")
    text = section(page, "sacroplasty-with-n-bca-and-pmma-for-bleeding-sacral-metastases-of-"
                         "hepatocellular-carcinoma")
    assert "9 present, 0 partial, 4 missing" in text
    for name in SEED_MISSING.values():
        assert f"{name} ✗ missing" in text
    assert "Timeline ✓ present" in text
    assert f'href="../../cases/{SEED_SLUG}/"' in page


def test_editors_pages_are_linked_from_contributing_but_not_in_nav(seed_site: Built) -> None:
    contributing = seed_site.page("contributing/")
    assert 'href="../editors/care/"' in contributing
    assert 'href="../editors/rules/"' in contributing
    home = seed_site.page("")
    nav = home[home.index("md-nav--primary"):home.index('class="md-content"')]
    assert "editors/" not in nav
    pages = [p.read_text(encoding="utf-8") for p in (seed_site.site / "search" / "p").iterdir()]
    assert any('"u":"cases/' in page for page in pages)
    assert not any('"u":"editors/' in page for page in pages)  # out of reader search
    assert "CARE completeness" in text_of(seed_site.page("editors/care/"))
