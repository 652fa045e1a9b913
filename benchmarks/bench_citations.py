"""Issue 3: what resolving citations costs, against building the same pages without it.

A corpus of N Markdown pages with K citation keys each, against an M-entry references.bib
(benchmarks/gen_library.py), is built in one run by:

* (a) casepress: `mkdocs build` with the casepress plugin (citations numbered, linked both
  ways, bibliography page, BibTeX/RIS/CSL-JSON downloads), measured twice: with its reference
  cache filled by an earlier build (every build but the very first on a machine, or in CI
  with the cache kept), and with the cache deleted before each run;
* (b) plain MkDocs + Material, without casepress, building the same pages with the citations
  already resolved (the `casepress export-md` output of (a));
* (c) mkdocs-bibtex 4.4.0 on the original pages, from its own virtual environment
  (benchmarks/.venv-bibtex, `make bench-bibtex`), in its pybtex mode and, where a pandoc
  binary is installed, in its pandoc + CSL mode with our citation style.

All three use one navigation (home and bibliography; the notes are `not_in_nav`), so the
comparison is about citations, not about Material's navigation (see bench_scale.py for that).
Each figure is the median of `--repeats` runs, (a) and (b) run in turn in each round; ratios
use CPU time (see benchlib.py). casepress is byte-compiled first, as an installed copy is.
The (a)/(b) verdict line also gives the spread of the ratio within single rounds: on a shared
machine it shows how far one pair of runs can be trusted. Where valgrind is installed, one
build of (a) and one of (b) are also counted in instructions executed, a figure no slow spell
of the machine can move (benchlib.instructions_of).

Separately it measures the warm rebuild with a 10,000-entry .bib: the second `run_pipeline`
in one process, with the bibliography cache warm.

    python benchmarks/bench_citations.py                      # N = 100, 1000
    python benchmarks/bench_citations.py --sizes 20 --repeats 1 --entries 300
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from benchlib import (
    BIN,
    REPO,
    Run,
    build_argv,
    compile_casepress,
    export_markdown,
    instructions_of,
    median_run,
    medians,
    mkdocs_build,
    plain_mkdocs_yml,
    print_table,
    ratio,
    rounds_of,
    run_child,
)
from gen_library import TEMPLATES, generate_markdown_corpus

BIBTEX_VENV = Path(__file__).resolve().parent / ".venv-bibtex"
NAV = 'nav:\n  - Home: index.md\n  - Bibliography: bibliography.md\nnot_in_nav: "/notes/"\n'
STYLE = REPO / "build_scripts" / "casepress" / "styles" / "casepress.csl"
CACHE = Path(".cache/plugin/casepress")  # the plugin's default `cache_dir`


def casepress_yml() -> str:
    plugin = (f"  - casepress:\n      content_dir: content\n      templates_dir: {TEMPLATES}\n"
              "      bibliography: references.bib\n")
    return plain_mkdocs_yml(Path("docs"), NAV).replace(
        "  - search\n", "  - search\n" + plugin).replace(
        "  name: material\n", f"  name: material\n  custom_dir: {TEMPLATES / 'overrides'}\n")


def bibtex_yml(docs: Path, bib: Path, csl: Path | None) -> str:
    options = f"      bib_file: {bib}\n" + (f"      csl_file: {csl}\n" if csl else "")
    # mkdocs-bibtex has no bibliography page of its own: each page gets its references as
    # footnotes; an empty bibliography.md keeps the navigation the same as (a) and (b).
    return plain_mkdocs_yml(docs, NAV, ("footnotes",)).replace(
        "  - search\n", f"  - search\n  - bibtex:\n{options}")


def pandoc_available() -> bool:
    return shutil.which("pandoc") is not None


def measure(n: int, k: int, m: int, work: Path, repeats: int) -> dict[str, object]:
    corpus = work / f"corpus-{n}"
    shutil.rmtree(corpus, ignore_errors=True)
    generate_markdown_corpus(corpus, n, k, m)
    config = corpus / "mkdocs.yml"
    config.write_text(casepress_yml(), encoding="utf-8")
    cache = corpus / CACHE

    resolved = work / f"resolved-{n}"
    export_markdown(config, resolved)
    plain = work / f"plain-{n}.yml"
    plain.write_text(plain_mkdocs_yml(resolved, NAV), encoding="utf-8")

    def cold() -> Run:
        shutil.rmtree(cache, ignore_errors=True)
        return mkdocs_build(config, work / f"site-a-{n}")

    def filled() -> Run:  # the run before it (export-md or a cold build) filled the cache
        return mkdocs_build(config, work / f"site-a-{n}")

    # Interleaved, one of each per round: a slow spell of the machine (other processes,
    # disk write-back) then falls on every variant alike instead of on one of them.
    rounds = rounds_of(repeats, cold, filled, lambda: mkdocs_build(plain, work / f"site-b-{n}"))
    a_cold, a, b = medians(rounds)
    results: dict[str, object] = {"n": n, "a_cold": a_cold, "a": a, "b": b,
                                  "round_ratios": [r[1].cpu / r[2].cpu for r in rounds]}
    # the cache is filled: the last round's cold build refilled it, its filled build used it
    results["instructions"] = instructions_of(build_argv(config, work / f"site-a-{n}"),
                                              build_argv(plain, work / f"site-b-{n}"))
    python = BIBTEX_VENV / "bin" / "python"
    if python.exists():
        raw_docs = work / f"bibtex-docs-{n}"
        shutil.rmtree(raw_docs, ignore_errors=True)
        shutil.copytree(corpus / "docs", raw_docs)
        (raw_docs / "bibliography.md").write_text("# Bibliography\n", encoding="utf-8")
        modes: list[tuple[str, Path | None]] = [("c_pybtex", None)]
        if pandoc_available():
            modes.append(("c_pandoc", STYLE))
        for name, csl in modes:
            yml = work / f"{name}-{n}.yml"
            yml.write_text(bibtex_yml(raw_docs, corpus / "references.bib", csl), encoding="utf-8")
            results[name] = median_run(repeats, partial(
                mkdocs_build, yml, work / f"site-{name}-{n}", python))
    return results


def warm_bib(work: Path, entries: int, repeats: int) -> dict[str, float]:
    """In a fresh process: run_pipeline twice on a corpus citing into an `entries`-entry .bib."""
    corpus = work / f"corpus-warm-{entries}"
    shutil.rmtree(corpus, ignore_errors=True)
    generate_markdown_corpus(corpus, 100, 10, entries)
    (corpus / "mkdocs.yml").write_text(casepress_yml(), encoding="utf-8")
    out = work / "warm.json"
    run_child([BIN / "python", Path(__file__), "--warm-child", corpus / "mkdocs.yml", out,
               str(repeats)])
    times: dict[str, float] = json.loads(out.read_text(encoding="utf-8"))
    return times


def warm_child(config: Path, out: Path, repeats: int) -> None:
    from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
    from casepress.pipeline import BuildCache, run_pipeline
    from casepress.references import parse_bibliography

    options, mkdocs = options_from_mkdocs_yml(config)
    start = time.process_time()
    parse_bibliography(options.bibliography.read_bytes(), "references.bib")
    parse = time.process_time() - start
    cache = BuildCache()  # kept from run to run, as `mkdocs serve` keeps it
    start = time.process_time()
    assert run_pipeline(options, mkdocs.get("nav"), cache).ok
    cold = time.process_time() - start
    warm = []
    for _ in range(repeats):
        start = time.process_time()
        result = run_pipeline(options, mkdocs.get("nav"), cache)
        warm.append(time.process_time() - start)
        assert result.ok
    warm.sort()
    out.write_text(json.dumps({"parse": parse, "cold": cold, "warm": warm[len(warm) // 2]}),
                   encoding="utf-8")


def _cell(run: object) -> str:
    return f"{run.cpu:.2f} ({run.seconds:.2f})" if isinstance(run, Run) else "not run"


def _cpu(run: object) -> float:
    return run.cpu if isinstance(run, Run) else 0.0


def report(results: list[dict[str, object]], k: int, m: int, repeats: int) -> None:
    print(f"\nN pages x {k} citations against a {m}-entry .bib; median of {repeats} run(s). "
          "CPU seconds of the build process (wall seconds in brackets).\n")
    print_table(["N", "(a) casepress, cache filled", "(a) casepress, no cache",
                 "(b) plain Material, resolved", "(c) mkdocs-bibtex pybtex",
                 "(c) mkdocs-bibtex pandoc+CSL", "(a)/(b)", "(a no cache)/(b)", "(c pybtex)/(b)",
                 "(c pandoc)/(b)"],
                [[str(r["n"]), _cell(r["a"]), _cell(r["a_cold"]), _cell(r["b"]),
                  _cell(r.get("c_pybtex")), _cell(r.get("c_pandoc")),
                  ratio(_cpu(r["a"]), _cpu(r["b"])), ratio(_cpu(r["a_cold"]), _cpu(r["b"])),
                  ratio(_cpu(r.get("c_pybtex")), _cpu(r["b"])) if r.get("c_pybtex") else "n/a",
                  ratio(_cpu(r.get("c_pandoc")), _cpu(r["b"])) if r.get("c_pandoc") else "n/a"]
                 for r in results])
    print()
    print_table(["N", "(a) peak MB", "(a no cache) peak MB", "(b) peak MB",
                 "(c pybtex) peak MB", "(c pandoc) peak MB"],
                [[str(r["n"]), *(f"{run.peak_mb:.0f}" if isinstance(run, Run) else "n/a"
                                 for run in (r["a"], r["a_cold"], r["b"], r.get("c_pybtex"),
                                             r.get("c_pandoc")))]
                 for r in results])
    print("\n(a)/(b), cache filled, against the target of at most 1.10:")
    for r in results:
        ratios = r["round_ratios"]
        assert isinstance(ratios, list)
        figure = _cpu(r["a"]) / _cpu(r["b"])
        print(f"- N={r['n']}: {figure:.3f} ({'met' if figure <= 1.10 else 'NOT met'}); "
              f"one round's (a) over the same round's (b): {min(ratios):.3f} to "
              f"{max(ratios):.3f}")
    if all(r["instructions"] for r in results):
        print("\nCross-check, instructions executed (valgrind, one build of each, cache filled):")
        for r in results:
            counts = r["instructions"]
            assert isinstance(counts, list)
            count_a, count_b = counts
            print(f"- N={r['n']}: (a) {count_a / 1e9:.2f} G, (b) {count_b / 1e9:.2f} G, "
                  f"(a)/(b) {count_a / count_b:.3f}")
    else:
        print("\n(no instruction counts: valgrind is not installed)")
    if not BIBTEX_VENV.exists():
        print("\n(c) not run: create benchmarks/.venv-bibtex with `make bench-bibtex`.")
    elif not pandoc_available():
        print("\n(c) pandoc+CSL not run: no pandoc binary (Debian: apt-get install pandoc).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000", help="comma-separated page counts N")
    parser.add_argument("--citations", type=int, default=10, help="citation keys per page K")
    parser.add_argument("--entries", type=int, default=1000, help="entries in the .bib M")
    parser.add_argument("--warm-entries", type=int, default=10_000,
                        help="entries in the .bib of the warm-rebuild measurement")
    parser.add_argument("--repeats", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--work", type=Path, default=None, help="folder for generated files")
    parser.add_argument("--warm-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_child:
        config, out, repeats = args.warm_child
        warm_child(Path(config), Path(out), int(repeats))
        return
    compile_casepress()
    with tempfile.TemporaryDirectory(prefix="casepress-bench-") as tmp:
        work = args.work or Path(tmp)
        results = []
        for n in (int(s) for s in args.sizes.split(",")):
            results.append(measure(n, args.citations, args.entries, work, args.repeats))
            print(f"N={n}: done", file=sys.stderr, flush=True)
        report(results, args.citations, args.entries, args.repeats)
        warm = warm_bib(work, args.warm_entries, args.repeats)
        verdict = "met" if warm["warm"] < 1.0 else "NOT met"
        print(f"\n{args.warm_entries}-entry .bib, 100 pages x 10 citations, in one process: "
              f"parsing the .bib alone {warm['parse']:.2f} s; first run_pipeline "
              f"{warm['cold']:.2f} s; second (warm) run_pipeline {warm['warm']:.2f} s CPU "
              f"(target < 1 s: {verdict}).")


if __name__ == "__main__":
    main()
