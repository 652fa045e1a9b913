"""Issue 17, point 3: edit-to-reload under `casepress serve`, against plain `mkdocs serve`.

A generated library is served by each command in turn, as an editor runs it (a real server
in a child process, its own file watcher). Each round edits one case file and takes the time
from the write to the moment the server tells the page to reload: MkDocs' live-reload
endpoint (`/livereload/<epoch>/<id>`, which the page's own script polls) answers once the
rebuilt site is visible. The served case page is then checked for the new value. Edits
alternate between a cement volume (shown on the case page only) and the case's title (also
on the Cases listing, the technique and evidence pages that list it, and the CARE report).

    python benchmarks/bench_serve.py --cases 1000 --rounds 6 --baseline-rounds 2
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchlib import BIN, print_table
from gen_library import generate_library

SLUG = "case-00011"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def _wait_until_served(url: str, seconds: float = 1800) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return _get(url)
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} was not served within {seconds} s")


def _edit(case: Path, number: int) -> str:
    """Round `number`'s edit; returns text the rebuilt case page must show."""
    lines = case.read_text(encoding="utf-8").splitlines(keepends=True)
    if number % 2 == 0:
        at = next(i for i, line in enumerate(lines) if "volume_ml:" in line)
        value = f"{10 + number}.5"
        lines[at] = lines[at].split(":")[0] + f": {value}\n"
        expected = f"{value} mL"
    else:
        at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
        expected = f"Edited title number {number}"
        lines[at] = f"title: {expected} of this case\n"
    case.write_text("".join(lines), encoding="utf-8")
    return expected


def measure(library: Path, command: list[str], rounds: int) -> list[float]:
    port = _free_port()
    case = library / "content" / "cases" / f"{SLUG}.yaml"
    original = case.read_text(encoding="utf-8")
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([*command, "-a", f"127.0.0.1:{port}"], cwd=library,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              start_new_session=True)
    times = []
    try:
        page = _wait_until_served(base + f"bench/cases/{SLUG}/")
        for number in range(rounds):
            match = re.search(r"livereload\((\d+), (\d+)\)", page)
            assert match, "no live-reload script in the served page"
            time.sleep(1.5)  # the watcher settles; an edit lands on an idle server
            expected = _edit(case, number)
            start = time.perf_counter()
            _get(base + f"livereload/{match[1]}/{match[2]}", timeout=1800)
            times.append(time.perf_counter() - start)
            page = _get(base + f"bench/cases/{SLUG}/")
            assert expected in page, f"round {number}: the served page lacks {expected!r}"
            print(f"  {command[0]} round {number}: {times[-1]:.2f} s", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        case.write_text(original, encoding="utf-8")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--baseline-rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as work:
        library = generate_library(Path(work) / "lib", cases=args.cases, citations=12,
                                   entries=500)
        ours = measure(library, [str(BIN / "casepress"), "serve"], args.rounds)
        plain = measure(library, [str(BIN / "mkdocs"), "serve"], args.baseline_rounds)
    rows = []
    for name, times in (("casepress serve", ours), ("mkdocs serve", plain)):
        volume, title = times[0::2], times[1::2]
        rows.append([name, f"{statistics.median(volume):.2f} s (max {max(volume):.2f})",
                     f"{statistics.median(title):.2f} s (max {max(title):.2f})"
                     if title else "-"])
    print(f"\nN = {args.cases} cases; edit to reload")
    print_table(["command", "a cement volume", "a case title"], rows)
    ratio = statistics.median(ours[0::2]) / statistics.median(plain[0::2])
    print(f"ratio (volume edit): {ratio:.3f}")


if __name__ == "__main__":
    sys.exit(main())
