"""`casepress new-case|new-technique|new-evidence`: a skeleton that passes the check, that
lists what is left to fill in, and that builds a page once filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build, copy_project, run_casepress, section

pytestmark = pytest.mark.slow  # real builds in subprocesses

# What an editor would write in place of each placeholder, for a small invented case.
INVENTED = {
    "title": "Invented demo case of vertebroplasty for a painful myeloma deposit",
    "keywords[0]": "vertebroplasty",
    "keywords[1]": "myeloma",
    "summary.what_it_adds": "An invented case that shows the editing workflow end to end.",
    "summary.lessons[0]": "A filled skeleton builds a page with no code change.",
    "introduction": "Invented introduction for the demo case.",
    "patient.primary_condition": "Multiple myeloma",
    "presentation.chief_complaint": "Back pain on standing.",
    "presentation.history[0]": "Known myeloma for two years.",
    "presentation.physical_examination": "Tender over the second lumbar vertebra.",
    "presentation.prior_treatments[0].name": "Oral analgesics",
    "presentation.prior_treatments[0].outcome": "Did not control the pain.",
    "diagnostic_assessment.diagnosis": "Lytic myeloma deposit in the second lumbar vertebra.",
    "diagnostic_assessment.imaging[0].modality": "MR imaging",
    "diagnostic_assessment.imaging[0].site": "Second lumbar vertebra",
    "diagnostic_assessment.imaging[0].finding": "A lytic lesion without cord compression.",
    "interventions[0].title": "Demo vertebroplasty",
    "interventions[0].target": "Second lumbar vertebra",
    "interventions[0].setting": "Angiography suite",
    "interventions[0].guidance": "Fluoroscopy",
    "interventions[0].agents[0].name": "Demo bone cement",
    "interventions[0].agents[0].purpose": "Stabilise the vertebra.",
    "interventions[0].events[0]": "A 13-gauge needle reached the lesion through the pedicle.",
    "interventions[0].result": "Demo cement filled the lesion.",
    "interventions[0].adverse_events[0]": "Brief back pain during the injection.",
    "outcomes[0].summary": "Pain much reduced the next day.",
    "discussion[0].topic": "Demo point",
    "discussion[0].text": "An invented point for the demo.",
    "conclusion": "The demo case builds.",
    "patient_perspective": "The patient was glad to stand again.",
    "informed_consent": "Invented case: no patient.",
}


def fill(text: str) -> str:
    """Replace each placeholder by the order it appears in, dropping the TODO comments."""
    values = iter(INVENTED.values())
    text = re.sub(r'"TODO:[^"]*"', lambda _m: f'"{next(values)}"', text)
    text = text.replace("age_years: 0", "age_years: 64").replace("volume_ml: 1", "volume_ml: 4.5")
    return re.sub(r"[ ]*# TODO[^\n]*", "", text)


def test_new_case_then_check_passes(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    made = run_casepress("new-case", "demo", cwd=project)
    assert made.returncode == 0, made.stderr
    assert "wrote content/cases/demo.yaml" in made.stdout
    text = (project / "content/cases/demo.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/case.schema.json\n")

    # The strict build refuses a file with TODOs left, so the check does too, by default...
    check = run_casepress("check", cwd=project)
    assert check.returncode == 1, check.stdout
    assert build(project / "mkdocs.yml", tmp_path / "site", "--strict").returncode == 1
    # ...and with --no-strict it passes: nothing but TODOs is wrong with a fresh skeleton.
    check = run_casepress("check", "--no-strict", cwd=project)
    assert check.returncode == 0, check.stdout
    assert " error" not in check.stdout.replace("0 error(s)", "")
    # Every placeholder is listed, at its line, so the editor can work down the list.
    todo_lines = {n for n, line in enumerate(text.splitlines(), 1) if "TODO" in line
                  and not line.startswith("# Fill in")}
    warned = {int(m) for m in re.findall(r"^content/cases/demo\.yaml:(\d+): warning: .*"
                                         r"\(todo-left\)$", check.stdout, re.MULTILINE)}
    assert warned == todo_lines
    assert run_casepress("fmt", "--check", cwd=project).returncode == 0


def test_filled_skeleton_builds_a_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert run_casepress("new-case", "demo", cwd=project).returncode == 0
    case = project / "content/cases/demo.yaml"
    filled = fill(case.read_text(encoding="utf-8"))
    assert "TODO" not in filled.split("\n", 3)[3]
    case.write_text(filled, encoding="utf-8")

    check = run_casepress("check", cwd=project)
    assert check.returncode == 0, check.stdout
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    page = built.page("cases/demo/")
    assert "Invented demo case of vertebroplasty" in page
    assert "4.5 mL" in section(page, "procedure")
    assert "demo/" in built.page("cases/")


@pytest.mark.parametrize(("command", "folder"), [("new-technique", "techniques"),
                                                 ("new-evidence", "evidence")])
def test_other_skeletons_pass_the_check(tmp_path: Path, command: str, folder: str) -> None:
    project = copy_project(tmp_path)
    assert run_casepress(command, "demo", cwd=project).returncode == 0
    path = project / "content" / folder / "demo.yaml"
    schema = {"techniques": "technique", "evidence": "evidence"}[folder]
    assert path.read_text(encoding="utf-8").startswith(
        f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n")
    check = run_casepress("check", "--no-strict", cwd=project)
    assert check.returncode == 0, check.stdout
    assert f"content/{folder}/demo.yaml:" in check.stdout  # its TODO lines are listed
    assert run_casepress("fmt", "--check", cwd=project).returncode == 0


def test_new_case_refuses_to_overwrite(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    seed = project / "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
    before = seed.read_bytes()
    result = run_casepress("new-case", "sacroplasty-hcc-nbca-pmma", cwd=project)
    assert result.returncode == 1
    assert "content/cases/sacroplasty-hcc-nbca-pmma.yaml already exists" in result.stderr
    assert seed.read_bytes() == before


@pytest.mark.parametrize("slug", ["Demo", "demo case", "-demo", "demo_case", "../demo",
                                  "a" * 81, ""])
def test_new_case_refuses_a_bad_slug(tmp_path: Path, slug: str) -> None:
    project = copy_project(tmp_path)
    result = run_casepress("new-case", "--", slug, cwd=project)
    assert result.returncode == 1
    assert "is not a valid slug" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "content/cases").iterdir()) == [
        "sacroplasty-hcc-nbca-pmma.yaml"]


def test_adverse_events_say_not_reported_unless_the_source_says_none(tmp_path: Path) -> None:
    """A field left out is never shown as a negative finding."""
    project = copy_project(tmp_path)
    assert run_casepress("new-case", "demo", cwd=project).returncode == 0
    case = project / "content/cases/demo.yaml"
    skeleton = case.read_text(encoding="utf-8")
    assert "adverse_events:" in skeleton  # the editor is asked, not left to the default
    out = tmp_path / "out"
    assert run_casepress("export-md", out, cwd=project).returncode == 0
    seed = (out / "cases" / "sacroplasty-hcc-nbca-pmma.md").read_text(encoding="utf-8")
    assert seed.count("**Adverse events:** not reported.") == 1  # day 0: the source is silent
    assert seed.count("**Adverse events:** none, as the source states.") == 1  # "no complication"
    assert "**Adverse events:** Transient numbness" in seed
    assert "none reported" not in seed
