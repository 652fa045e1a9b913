"""Atomic output: a build that fails or is stopped leaves the previous site/ exactly as it was.

Builds are interrupted for real: `casepress build` runs as a subprocess on a project of a few
dozen cases and is sent SIGINT, SIGTERM or SIGKILL while MkDocs is writing pages into its
staging folder. A MkDocs hook holds the build still in the middle of writing its pages (see
`PAUSE_HOOK`), so the signal always lands mid-write, however busy the machine is: polling for
written pages instead let a loaded machine finish the build before the signal was sent.
Failures after pages were written (a theme template that raises on a late page, a
strict-mode warning) are covered too, and so is the clean-up of what a killed build left.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from casepress.commands.atomic_output import (
    StoppedAfterReplacing,
    clean_leftovers,
    replaced_atomically,
)
from conftest import BIN, REPO, build, copy_project, earlier_output

pytestmark = pytest.mark.slow  # real builds in subprocesses

SEED_CASE = REPO / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"
CASES = 40
PAUSED_AT = "cases/copy-020.md"  # half the case pages are written before it
PAUSE_HOOK = f"""
import os, time
from pathlib import Path


def on_post_page(output, page, config, **kwargs):
    reached = os.environ.get("CASEPRESS_TEST_PAUSED")
    if reached and page.file.src_uri == "{PAUSED_AT}":
        Path(reached).write_text("paused", encoding="utf-8")
        time.sleep(300)  # until the test's signal arrives
    return output
"""


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder`."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def previous_site(parent: Path) -> tuple[Path, dict[str, str]]:
    """An earlier casepress output (its marker file says so)."""
    site = earlier_output(parent / "site")
    (site / "cases").mkdir()
    (site / "index.html").write_text("<p>the previous build</p>", encoding="utf-8")
    (site / "cases" / "index.html").write_text("<p>previous cases</p>", encoding="utf-8")
    return site, tree(site)


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("big"))
    for number in range(CASES):
        shutil.copy(SEED_CASE, project / "content" / "cases" / f"copy-{number:03}.yaml")
    (project / "pause_hook.py").write_text(PAUSE_HOOK, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - pause_hook.py\n")
    return project


def _default_signals() -> None:
    # A shell without job control starts background commands with SIGINT ignored, and a
    # child inherits that; Python then installs no KeyboardInterrupt handler and Ctrl-C would
    # not reach the build. The build gets the disposition a terminal gives it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(project: Path, command: list[str], paused: Path,
           **env: str) -> subprocess.Popen[bytes]:
    """`casepress -f <project> <command>`, to be held by the pause hook (see `_wait_paused`)."""
    return subprocess.Popen(
        [str(BIN / "casepress"), "-f", str(project / "mkdocs.yml"), *command],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CASEPRESS_TEST_PAUSED": str(paused),
             **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_default_signals)


def _wait_paused(process: subprocess.Popen[bytes], paused: Path) -> None:
    """Return once the build is held in the middle of writing its pages."""
    deadline = time.monotonic() + 300
    while not paused.exists():
        assert process.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline, f"{PAUSED_AT} was not reached within 300 s"
        time.sleep(0.01)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_build_stopped_mid_write_leaves_the_old_site(big_project: Path, tmp_path: Path,
                                                      stop: signal.Signals) -> None:
    site, before = previous_site(tmp_path)
    paused = tmp_path / "paused"
    process = _start(big_project, ["build", "-d", str(site)], paused)
    _wait_paused(process, paused)
    assert any(tmp_path.glob(".site.new-*/cases/copy-*/index.html"))  # pages were written
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=120)

    assert tree(site) == before
    if stop == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
        assert len(leftovers(tmp_path)) == 1  # nothing can clean up after SIGKILL...
        # ...so the next build does, whether it fails or succeeds.
        (big_project / "content" / "cases" / "broken.yaml").write_text("title: [",
                                                                        encoding="utf-8")
        try:
            failed = build(big_project / "mkdocs.yml", site)
        finally:
            (big_project / "content" / "cases" / "broken.yaml").unlink()
        assert failed.returncode == 1 and "broken.yaml" in failed.output
        assert tree(site) == before
    else:
        assert process.returncode != 0
        assert b"Traceback" not in stderr
    assert leftovers(tmp_path) == []


def test_next_build_replaces_the_site_after_a_killed_one(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    site, before = previous_site(tmp_path)
    stale = tmp_path / ".site.new-999999999-abc"  # no such process
    (stale / "cases").mkdir(parents=True)
    (stale / "cases" / "index.html").write_text("half written", encoding="utf-8")
    built = build(project / "mkdocs.yml", site, "--strict")
    assert built.returncode == 0, built.output
    assert leftovers(tmp_path) == []
    assert tree(site) != before and (site / "bibliography" / "index.html").is_file()


def test_a_build_still_running_keeps_its_staging_folder(tmp_path: Path) -> None:
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        running = tmp_path / f".site.new-{sleeper.pid}-xyz"
        running.mkdir()
        assert clean_leftovers(tmp_path / "site") == []
        assert running.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert clean_leftovers(tmp_path / "site") == [running]


def test_a_kill_between_the_two_renames_brings_the_old_site_back(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    old = tmp_path / f".site.old-{dead.pid}"
    old.mkdir()
    (old / "index.html").write_text("last good build", encoding="utf-8")
    new = tmp_path / f".site.new-{dead.pid}-abc"
    new.mkdir()
    with replaced_atomically(tmp_path / "site") as staging:
        assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == \
            "last good build"
        assert not new.exists()
        (staging / "index.html").write_text("new build", encoding="utf-8")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new build"
    assert leftovers(tmp_path) == []


THEME_RAISES_LATE = """{% extends "base.html" %}
{% block content %}
{% if page and page.url.startswith("techniques/") %}{{ page.no_such_field.oops }}{% endif %}
{{ super() }}
{% endblock %}
"""


def test_theme_template_failing_on_a_late_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "templates" / "overrides" / "main.html").write_text(THEME_RAISES_LATE,
                                                                  encoding="utf-8")
    site, before = previous_site(tmp_path)
    built = build(project / "mkdocs.yml", site)
    assert built.returncode == 1
    assert "templates/overrides/main.html:3: error:" in built.output
    assert "no attribute 'no_such_field'" in built.output
    assert "Traceback" not in built.output
    assert tree(site) == before and leftovers(tmp_path) == []


def test_strict_warning_found_after_every_page_was_written(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with (project / "docs" / "about.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [a page that does not exist](no-such-page.md).\n")
    site, before = previous_site(tmp_path)
    built = build(project / "mkdocs.yml", site, "--strict")
    assert built.returncode == 1
    assert "no-such-page.md" in built.output
    assert tree(site) == before and leftovers(tmp_path) == []


# ---------------------------------------------------------------- dist/ (casepress bundle)


def _zip_of(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


PREVIOUS_BUNDLE = _zip_of("site-offline/index.html", "the previous bundle")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_bundle_stopped_mid_build_leaves_dist_alone(big_project: Path, tmp_path: Path,
                                                    stop: signal.Signals) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "site-offline.zip").write_bytes(PREVIOUS_BUNDLE)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    paused = tmp_path / "paused"
    process = _start(big_project, ["bundle", "-o", str(dist / "site-offline.zip")], paused,
                     TMPDIR=str(temporary))
    _wait_paused(process, paused)
    assert any(temporary.glob(".casepress-bundle-*/site-offline/cases/copy-*.html"))
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=120)

    assert tree(dist) == {"site-offline.zip": hashlib.sha256(PREVIOUS_BUNDLE).hexdigest()}
    if stop == signal.SIGTERM:
        assert b"Traceback" not in stderr
    else:  # nothing can clean up after SIGKILL: the next bundle removes what it left,
        # its own folder and the one its build kept the finished pages in
        assert sorted(re.sub(r"\d+-\w+$", "", p.name) for p in temporary.iterdir()) == [
            ".casepress-bundle-", ".casepress-pages-"]
        again = subprocess.run(
            [str(BIN / "casepress"), "-f", str(big_project / "mkdocs.yml"), "bundle", "-o",
             str(dist / "site-offline.zip")], capture_output=True, text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary)})
        assert again.returncode == 0, again.stderr
    assert list(temporary.iterdir()) == []  # its build folder was removed


def test_bundle_removes_what_a_killed_zip_write_left(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    dist = tmp_path / "dist"
    dist.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    half = dist / f".site-offline.zip.new-{dead.pid}-abc"
    half.write_bytes(b"half a zip")
    result = subprocess.run(
        [str(BIN / "casepress"), "-f", str(project / "mkdocs.yml"), "bundle", "-o",
         str(dist / "site-offline.zip")],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in dist.iterdir()) == ["site-offline.zip"]


def test_failed_bundle_leaves_dist_alone(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "content" / "cases" / "broken.yaml").write_text("title: [", encoding="utf-8")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "site-offline.zip").write_bytes(PREVIOUS_BUNDLE)
    result = subprocess.run(
        [str(BIN / "casepress"), "-f", str(project / "mkdocs.yml"), "bundle", "-o",
         str(dist / "site-offline.zip")],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 1
    assert "content/cases/broken.yaml:1" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree(dist) == {"site-offline.zip": hashlib.sha256(PREVIOUS_BUNDLE).hexdigest()}


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt in this process, as it does at a terminal (a shell
    that starts pytest in the background has it ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
@pytest.mark.parametrize("other_thread", [False, True], ids=["one-thread", "two-threads"])
def test_ctrl_c_during_the_swap_is_reported_after_it(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     other_thread: bool) -> None:
    """A Ctrl-C that lands between the two renames waits for them, then stops the command,
    saying that the new output is in place rather than that the old one was kept; also when
    another thread, which may be the one the kernel hands the signal to, is running."""
    waiting = threading.Event()
    if other_thread:
        threading.Thread(target=waiting.wait, daemon=True).start()
    site, _before = previous_site(tmp_path)
    rename = Path.rename

    def rename_then_interrupt(self: Path, target: Path) -> Path:
        os.kill(os.getpid(), signal.SIGINT)  # held back until both renames are done
        return rename(self, target)

    with pytest.raises(StoppedAfterReplacing), replaced_atomically(site) as staging:
        (staging / "index.html").write_text("the new build", encoding="utf-8")
        monkeypatch.setattr(Path, "rename", rename_then_interrupt)
    assert (site / "index.html").read_text(encoding="utf-8") == "the new build"
    assert leftovers(tmp_path) == []
    waiting.set()


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_before_the_swap_keeps_the_old_output(tmp_path: Path) -> None:
    site, before = previous_site(tmp_path)
    with pytest.raises(KeyboardInterrupt) as stopped, replaced_atomically(site) as staging:
        (staging / "index.html").write_text("half of a new build", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the interrupt lands here
    assert not isinstance(stopped.value, StoppedAfterReplacing)
    assert tree(site) == before and leftovers(tmp_path) == []
