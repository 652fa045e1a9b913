"""The GitHub workflows run what the project promises: checks on pull requests, Pages on main."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from conftest import BIN, REPO, commit_all, edit, git, git_project

WORKFLOWS = REPO / ".github" / "workflows"


def _load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def _steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return steps


def _index(steps: list[dict[str, Any]], text: str) -> int:
    return next(i for i, s in enumerate(steps) if text in s.get("run", s.get("uses", "")))


def test_pull_requests_check_build_test_and_upload_site_and_bundle() -> None:
    workflow = _load("pull-request.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    steps = _steps(workflow, "check")
    order = [_index(steps, text) for text in (
        "casepress check --format github", "casepress build --strict",
        "casepress bundle --strict", "make test")]
    assert order == sorted(order)
    uploads = [s["with"]["path"] for s in steps if "upload-artifact" in s.get("uses", "")]
    assert uploads == ["site/", "dist/change-report.md", "dist/site-offline.zip"]
    assert "chromium" in steps[_index(steps, "apt-get")]["run"]


def test_main_is_built_and_deployed_to_pages() -> None:
    workflow = _load("publish.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = _steps(workflow, "build")
    assert _index(build, "casepress build --strict") < _index(build, "upload-pages-artifact")
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert "actions/deploy-pages" in _steps(workflow, "deploy")[0]["uses"]


def test_workflows_name_no_package_registry() -> None:
    for path in Path(WORKFLOWS).glob("*.yml"):
        text = path.read_text(encoding="utf-8").lower()
        assert "pypi" not in text and "npmjs" not in text, path


def test_both_workflows_check_out_the_whole_history() -> None:
    """Page histories and the change report need it; a one-commit checkout has neither."""
    for name, job in (("pull-request.yml", "check"), ("publish.yml", "build")):
        checkout = next(s for s in _steps(_load(name), job)
                        if "actions/checkout" in s.get("uses", ""))
        assert checkout["with"]["fetch-depth"] == 0, name
    steps = _steps(_load("pull-request.yml"), "check")
    # In the Debian container the checkout is another user's: git must trust it first.
    assert _index(steps, "safe.directory") < _index(steps, "casepress check")


def test_the_change_report_step_writes_the_job_summary(tmp_path: Path) -> None:
    """The step's own script, run as the runner would on a pull request's checkout."""
    steps = _steps(_load("pull-request.yml"), "check")
    step = steps[_index(steps, "casepress diff")]
    assert _index(steps, "casepress check") < _index(steps, "casepress diff") < _index(
        steps, "casepress build --strict")
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    origin = git_project(tmp_path)
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(origin), str(checkout))
    git(checkout, "checkout", "-q", "-b", "pull-request")
    edit(checkout / "content/cases/sacroplasty-hcc-nbca-pmma.yaml", "volume_ml: 7",
         "volume_ml: 6")
    commit_all(checkout, "Cement volume", date="2026-02-01T10:00:00+00:00")
    (checkout / ".venv").symlink_to(BIN.parent)  # the environment running these tests
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps' summary\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BASE_REF": "main",
           "GITHUB_STEP_SUMMARY": str(summary), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=checkout, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = (checkout / "dist/change-report.md").read_text(encoding="utf-8")
    assert "### Clinical values changed (1)" in report
    assert "Bone cement › volume: 7 mL → **6 mL**" in report
    assert summary.read_text(encoding="utf-8") == "earlier steps' summary\n" + report


def test_the_pull_request_template_sends_reviewers_to_the_change_report() -> None:
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    reviewer = template.split("## For the reviewer")[1]
    assert "change report" in reviewer and "casepress diff" in reviewer
    assert "- [ ] Confirmed **each clinical value change** in the report against its source" \
        in reviewer
