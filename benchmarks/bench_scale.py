"""Issue 7: how the casepress build scales with the number of cases.

For each N it times, in one run and on the same machine:

* casepress: `mkdocs build` of a generated N-case library with the casepress plugin;
* plain Material: MkDocs + Material (no casepress) building the same finished pages
  (`casepress export-md` output) with its default navigation (no `nav:`);
* the Markdown floor: python-markdown alone reading, converting and writing those pages;
* a warm rebuild, as under `mkdocs serve`: one process builds, one case file is edited, and
  the site is built again (whole MkDocs build, and the casepress pipeline alone).

Each figure is the median of `--repeats` runs. Prints Markdown tables.

    python benchmarks/bench_scale.py                   # N = 10, 100, 1000
    python benchmarks/bench_scale.py --sizes 10,100 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchlib import (
    BIN,
    compile_casepress,
    export_markdown,
    floor_run,
    interleaved,
    mkdocs_build,
    plain_mkdocs_yml,
    print_table,
    ratio,
    run_child,
    tree_size,
)
from gen_library import generate_library


def _edit(case: Path, n: int) -> None:
    """Change a case's title (shown on its page and in the cases listing)."""
    lines = case.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[at] = f"title: Edited title number {n} of this case\n"
    case.write_text("".join(lines), encoding="utf-8")


def rebuild(config: Path, case: Path, site: Path, repeats: int) -> dict[str, float]:
    """In this process: a cold build, then `repeats` edit-and-rebuild rounds (as `mkdocs
    serve` does: a fresh config each time, the same plugin object and so its BuildCache)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
    from casepress.pipeline import BuildCache, run_pipeline

    logging.getLogger("mkdocs").setLevel(logging.ERROR)

    def full_build() -> float:
        start = time.process_time()
        cfg = load_config(str(config))
        cfg.site_dir = str(site)
        cfg.plugins.on_startup(command="serve", dirty=False)  # the plugin keeps its caches
        build(cfg)
        return time.process_time() - start

    cold = full_build()
    warm = []
    for n in range(repeats):
        _edit(case, n)
        warm.append(full_build())
    options, mkdocs = options_from_mkdocs_yml(config)
    cache = BuildCache()
    pipeline = []
    for n in range(repeats):
        _edit(case, repeats + n)
        start = time.process_time()
        result = run_pipeline(options, mkdocs.get("nav"), cache)
        pipeline.append(time.process_time() - start)
        assert result.ok
    return {"cold": cold, "warm": statistics.median(warm),
            "pipeline": statistics.median(pipeline)}


def measure(n: int, work: Path, repeats: int) -> dict[str, float | int]:
    library = generate_library(work / f"lib-{n}", cases=n, citations=12, entries=500)
    config = library / "mkdocs.yml"
    casepress_site = work / f"site-casepress-{n}"
    exported = work / f"exported-{n}"
    export_markdown(config, exported)
    plain_config = work / f"plain-{n}.yml"
    plain_config.write_text(plain_mkdocs_yml(exported), encoding="utf-8")
    plain_site = work / f"site-plain-{n}"
    casepress, plain, floor = interleaved(
        repeats, lambda: mkdocs_build(config, casepress_site),
        lambda: mkdocs_build(plain_config, plain_site),
        lambda: floor_run(exported, work / f"floor-{n}"))

    case = library / "content" / "cases" / "case-00001.yaml"
    run_child([BIN / "python", Path(__file__), "--rebuild", config, case,
               work / f"site-rebuild-{n}", str(repeats)])
    warm = json.loads((work / f"site-rebuild-{n}.json").read_text(encoding="utf-8"))
    pages = len(list(exported.rglob("*.md")))
    return {"n": n, "pages": pages, "casepress": casepress.cpu, "plain": plain.cpu,
            "floor": floor.cpu, "casepress_wall": casepress.seconds, "plain_wall": plain.seconds,
            "floor_wall": floor.seconds, "casepress_mb": casepress.peak_mb,
            "plain_mb": plain.peak_mb, "floor_mb": floor.peak_mb,
            "casepress_size": tree_size(casepress_site),
            "plain_size": tree_size(plain_site), **{f"rebuild_{k}": v for k, v in warm.items()}}


def report(results: list[dict[str, float | int]], repeats: int) -> None:
    print(f"\nMedian of {repeats} run(s) each. Times are CPU seconds (user + system) of the "
          "build process, wall seconds in brackets; memory is its peak RSS.\n")
    print_table(
        ["N cases", "pages", "casepress", "plain Material", "Markdown floor",
         "casepress / Material", "casepress / floor"],
        [[str(r["n"]), str(r["pages"]), f"{r['casepress']:.2f} ({r['casepress_wall']:.2f})",
          f"{r['plain']:.2f} ({r['plain_wall']:.2f})", f"{r['floor']:.2f} ({r['floor_wall']:.2f})",
          ratio(r["casepress"], r["plain"]), ratio(r["casepress"], r["floor"])]
         for r in results])
    print()
    print_table(
        ["N cases", "casepress MB", "Material MB", "floor MB", "casepress site",
         "per case", "Material site", "per page"],
        [[str(r["n"]), f"{r['casepress_mb']:.0f}", f"{r['plain_mb']:.0f}", f"{r['floor_mb']:.0f}",
          f"{r['casepress_size'] / 1e6:.1f} MB", f"{r['casepress_size'] / 1e3 / r['n']:.0f} KB",
          f"{r['plain_size'] / 1e6:.1f} MB", f"{r['plain_size'] / 1e3 / r['pages']:.0f} KB"]
         for r in results])
    print()
    print_table(
        ["N cases", "cold build (one process)", "rebuild after editing one case",
         "of which casepress pipeline"],
        [[str(r["n"]), f"{r['rebuild_cold']:.2f}", f"{r['rebuild_warm']:.2f}",
          f"{r['rebuild_pipeline']:.2f}"] for r in results])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated case counts")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--work", type=Path, default=None, help="folder for generated files")
    parser.add_argument("--rebuild", nargs=4, metavar=("CONFIG", "CASE", "SITE", "REPEATS"),
                        help=argparse.SUPPRESS)  # the child process of the rebuild measurement
    args = parser.parse_args()
    if args.rebuild:
        config, case, site, repeats = args.rebuild
        times = rebuild(Path(config), Path(case), Path(site), int(repeats))
        Path(f"{site}.json").write_text(json.dumps(times), encoding="utf-8")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    compile_casepress()
    with tempfile.TemporaryDirectory(prefix="casepress-bench-") as tmp:
        work = args.work or Path(tmp)
        results = []
        for n in sizes:
            results.append(measure(n, work, args.repeats))
            print(f"N={n}: done", file=sys.stderr, flush=True)
        report(results, args.repeats)


if __name__ == "__main__":
    main()
