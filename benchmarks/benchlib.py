"""Shared helpers for the benchmarks: timed child processes, medians, the Markdown floor.

Every build runs in its own child process (as `mkdocs build` would). We record its wall time
and its CPU time (user + system, from `os.wait4`): on a shared two-core machine the wall time
of one run swings with whatever else is running, the CPU time far less, so ratios are taken
from CPU time. Peak memory is the child's maximum resident set size. Each measurement is
repeated and the median reported.
"""

from __future__ import annotations

import compileall
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.DOTALL)


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock
    cpu: float  # user + system
    peak_mb: float


def _child_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # no end-of-life banner from Material


def run_child(argv: list[str | Path], cwd: Path | None = None) -> Run:
    """Run a command to completion; its wall time and peak memory. Fails loudly on error."""
    start = time.perf_counter()
    child = subprocess.Popen([str(a) for a in argv], cwd=cwd, env=_child_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read()  # read before waiting, or a chatty child could block
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed:\n{output.decode()[-4000:]}")
    # ru_maxrss is in KiB on Linux
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median_run(repeats: int, once: Callable[[], Run]) -> Run:
    runs = [once() for _ in range(repeats)]
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak_mb for r in runs))


def rounds_of(repeats: int, *variants: Callable[[], Run]) -> list[list[Run]]:
    """Each variant run once per round, in turn, for `repeats` rounds."""
    return [[once() for once in variants] for _ in range(repeats)]


def medians(rounds: list[list[Run]]) -> list[Run]:
    """Median run of each variant over the rounds."""
    return [Run(statistics.median(r[i].seconds for r in rounds),
                statistics.median(r[i].cpu for r in rounds),
                max(r[i].peak_mb for r in rounds)) for i in range(len(rounds[0]))]


def interleaved(repeats: int, *variants: Callable[[], Run]) -> list[Run]:
    """Median run of each variant, run in rounds of one each."""
    return medians(rounds_of(repeats, *variants))


def instructions_of(*argvs: list[str | Path]) -> list[int] | None:
    """Instructions each command executes (valgrind's cachegrind, `I refs`), the commands run
    side by side; None without valgrind. Unlike time, the count does not move with whatever
    else the machine does: one run of each is a cross-check of the CPU-time ratio that no
    slow spell can bend (it leaves out memory stalls and system calls, which time includes)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    children = [subprocess.Popen([valgrind, "--tool=cachegrind", "--cache-sim=no",
                                  "--cachegrind-out-file=/dev/null", *map(str, argv)],
                                 env=_child_env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True) for argv in argvs]
    counts = []
    for argv, child in zip(argvs, children, strict=True):
        _out, err = child.communicate()
        count = instruction_count(err)
        if child.returncode != 0 or count is None:
            raise SystemExit(f"{' '.join(map(str, argv))} failed under valgrind:\n{err[-4000:]}")
        counts.append(count)
    return counts


def instruction_count(cachegrind_report: str) -> int | None:
    """The `I refs` total of cachegrind's summary (`==123== I   refs:      10,435,006,047`)."""
    found = re.search(r"I\s+refs:\s+([\d,]+)", cachegrind_report)
    return int(found.group(1).replace(",", "")) if found else None


def compile_casepress() -> None:
    """Byte-compile casepress, as installing a package does. An editable install in a process
    with PYTHONDONTWRITEBYTECODE set (this machine's default) would otherwise compile every
    module from source in every build, a cost no installed copy of casepress has."""
    compileall.compile_dir(REPO / "build_scripts" / "casepress", quiet=1)


def build_argv(config: Path, site: Path, python: Path = BIN / "python") -> list[str | Path]:
    return [python, "-m", "mkdocs", "build", "-q", "-f", config, "-d", site]


def mkdocs_build(config: Path, site: Path, python: Path = BIN / "python") -> Run:
    shutil.rmtree(site, ignore_errors=True)
    return run_child(build_argv(config, site, python))


def export_markdown(config: Path, out: Path) -> None:
    """The finished Markdown tree of a casepress project (citations resolved)."""
    run_child([BIN / "casepress", "-f", config, "export-md", out])


def plain_mkdocs_yml(docs: Path, nav: str = "", extensions: tuple[str, ...] = ()) -> str:
    """MkDocs + Material without casepress, with the Markdown extensions our pages need."""
    exts = "".join(f"  - {e}\n" for e in (*EXTENSIONS, *extensions))
    return (f"site_name: Plain Material\nsite_url: https://example.org/bench/\ndocs_dir: {docs}\n"
            "theme:\n  name: material\n  font: false\n  language: en\n"
            f"plugins:\n  - search\nmarkdown_extensions:\n{exts}{nav}")


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def markdown_floor(docs: Path, out: Path) -> int:
    """Read, convert (python-markdown, same extensions) and write every page: the least any
    Markdown site generator must do. Front matter is dropped, as MkDocs does."""
    shutil.rmtree(out, ignore_errors=True)
    converter = markdown.Markdown(extensions=EXTENSIONS)
    pages = 0
    for path in sorted(docs.rglob("*.md")):
        text = _FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
        html = converter.reset().convert(text)
        target = out / path.relative_to(docs).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        pages += 1
    return pages


def floor_run(docs: Path, out: Path) -> Run:
    return run_child([BIN / "python", Path(__file__), "floor", docs, out])


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A Markdown table (pasted as is into benchmarks/README.md)."""
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "floor":
        pages = markdown_floor(Path(sys.argv[2]), Path(sys.argv[3]))
        print(json.dumps({"pages": pages}))
    else:
        raise SystemExit("usage: benchlib.py floor DOCS OUT")


if __name__ == "__main__":
    main()
