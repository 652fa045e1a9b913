"""The GitHub workflows run what the project promises: checks on pull requests, Pages on main."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import REPO

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
    assert uploads == ["site/", "dist/site-offline.zip"]
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
