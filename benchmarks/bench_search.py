"""Issue 17: the site search at library scale, as a reader meets it, against Material's own.

For each N (generated libraries, `gen_library.py`) it builds, in one run:

* casepress as projects use it (its own search): build time, CPU, peak memory, site size,
  the search files' total size;
* the same library with Material's search plugin added (its `search_index.json` over the same
  pages): the baseline.

Then, in Chromium through Playwright, for each query: a fresh page opened, the search box
focused, the query typed; the time from the last keystroke to the first result on screen,
and the bytes of search data the page loaded. casepress hosted (HTTP) and from `file://`;
Material hosted (its search cannot run from disk without a worker shim fetched from a CDN).
Material is given up to `--patience` seconds.

    python benchmarks/bench_search.py                  # N = 1,000 and 10,000
    python benchmarks/bench_search.py --sizes 200 --queries 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from benchlib import REPO, compile_casepress, mkdocs_build, print_table, tree_size
from gen_library import generate_library
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(REPO / "tests"))
from browser.harness import serve as served  # the test suite's own local server

# "Muller": typed as on an English keyboard, for the authors written M{\"u}ller (Müller)
QUERIES = ["PMMA", "n-BCA", "hepatocellular", "sacrum thyroid", "vertebroplasty", "Muller"]


# Types the query as a reader does (input and keyup events), then waits, frame by frame, for
# the first result; the time is taken in the page, from the last keystroke.
_TYPE_AND_WAIT = """async ([box, result, none, query, patience]) => {
    const input = document.querySelector(box);
    input.value = query;
    const start = performance.now();
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'End'}));
    const answered = () => document.querySelector(result)
        || /^No (results|matching)/.test(document.querySelector(none)?.textContent || '');
    while (!answered()) {
        if (performance.now() - start > patience * 1000) return null;
        await new Promise(requestAnimationFrame);
    }
    return performance.now() - start;
}"""


def first_result(page: Page, kind: str, query: str, patience: float) -> float | None:
    if kind == "material":
        box, result, none = "input.md-search__input", ".md-search-result__item", \
            ".md-search-result__meta"
    else:
        box, result, none = "#cp-search-input", ".cp-search__result", ".cp-search__status"
    page.locator(box).focus()
    page.wait_for_timeout(300)  # the reader takes a moment to start typing
    seconds: float | None = page.evaluate(_TYPE_AND_WAIT,
                                          [box, result, none, query, patience])
    return seconds


def measure(browser_path: str, url: str, kind: str, queries: list[str], patience: float
            ) -> tuple[list[float | None], list[int], list[str]]:
    """Per query: ms to the answer (the first result, or "no results"; None: neither within
    `patience`), bytes loaded, and the address of the first result ("" for none)."""
    times: list[float | None] = []
    loaded: list[int] = []
    firsts: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path,
                                             args=["--no-sandbox", "--disable-gpu"])
        for query in queries:
            if times and times[-1] is None:  # one query gave up waiting: so would the next
                times.append(None)
                loaded.append(0)
                firsts.append("")
                continue
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []

            def count(response: object, sizes: list[int] = sizes) -> None:
                url = response.url  # type: ignore[attr-defined]
                if "/search/" in url:
                    body = response.body()  # type: ignore[attr-defined]
                    sizes.append(len(body))

            page.on("response", count)
            page.goto(url)
            page.wait_for_load_state("load")
            times.append(first_result(page, kind, query, patience))
            page.wait_for_timeout(200)
            loaded.append(sum(sizes))
            first = page.locator(".cp-search__result" if kind == "casepress"
                                 else ".md-search-result__item a").first
            firsts.append(str(first.get_attribute("data-href" if kind == "casepress"
                                                  else "href")) if first.count() else "")
            context.close()
        browser.close()
    return times, loaded, firsts


def _ms(values: list[float | None], patience: float) -> str:
    if any(v is None for v in values):
        done = [v for v in values if v is not None]
        return f"> {patience:.0f} s ({len(done)}/{len(values)} answered)"
    numbers = [v for v in values if v is not None]
    return f"{statistics.median(numbers):.0f} ms (max {max(numbers):.0f})"


def _kb(values: list[int]) -> str:
    return f"{statistics.median(values) / 1000:,.0f} KB (max {max(values) / 1000:,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--queries", type=int, default=len(QUERIES))
    parser.add_argument("--patience", type=float, default=120.0)
    parser.add_argument("--browser", default="/usr/bin/chromium")
    parser.add_argument("--no-baseline", action="store_true",
                        help="casepress only: no build with Material's search, no timing of it")
    args = parser.parse_args()
    compile_casepress()
    builds, searches = [], []
    for n in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-search-") as temporary:
            root = Path(temporary)
            library = generate_library(root / "library", cases=n)
            # and one case sought by what only it says, with two words every case has
            known = n * 2 // 3
            queries = [*QUERIES[: args.queries], f"Author{known - 1} synthetic case"]
            config = library / "mkdocs.yml"
            # .html pages, so the same build serves over HTTP and opens from disk
            text = config.read_text(encoding="utf-8") + "use_directory_urls: false\n"
            config.write_text(text, encoding="utf-8")
            site = root / "site"
            ours = mkdocs_build(config, site)
            baseline_config = library / "mkdocs-material-search.yml"
            baseline_config.write_text(text.replace("plugins:\n", "plugins:\n  - search\n", 1),
                                       encoding="utf-8")
            material_site = root / "site-material"
            material = None if args.no_baseline else mkdocs_build(baseline_config, material_site)
            ours_data = tree_size(site / "search")
            material_data = 0 if material is None else (
                material_site / "search" / "search_index.json").stat().st_size
            builds.append([f"{n:,}", f"{ours.seconds:.0f} s", f"{ours.cpu:.0f} s",
                           f"{ours.peak_mb:,.0f} MB", f"{tree_size(site) / 1e6:,.0f} MB",
                           f"{ours_data / 1e6:,.1f} MB",
                           "" if material is None else f"{material.peak_mb:,.0f} MB",
                           f"{material_data / 1e6:,.1f} MB"])
            with served(site) as base:
                hosted = measure(args.browser, base + "index.html", "casepress", queries,
                                 args.patience)
            from_disk = measure(args.browser, (site / "index.html").as_uri(), "casepress",
                                queries, args.patience)
            baseline: tuple[list[float | None], list[int], list[str]] = ([], [], [])
            if material is not None:
                with served(material_site) as base:
                    baseline = measure(args.browser, base + "index.html", "material", queries,
                                       args.patience)
            wanted = f"cases/case-{known:05d}.html#source"
            searches.append([f"{n:,}", _ms(hosted[0], args.patience), _kb(hosted[1]),
                             _ms(from_disk[0], args.patience),
                             "yes" if hosted[2][-1].endswith(wanted) else hosted[2][-1],
                             _ms(baseline[0], args.patience) if baseline[0] else "",
                             _kb(baseline[1]) if baseline[1] else ""])
            print(f"N = {n:,}: {builds[-1]} {searches[-1]}", flush=True)  # before the next N
            for name, answers in (("casepress hosted", hosted), ("casepress file", from_disk),
                                  ("material", baseline)):
                print(f"  {name}: " + "; ".join(
                    f"{q!r} {t if t is None else round(t)} ms {b // 1000} KB "
                    f"{'found' if f else 'none'}"
                    for q, t, b, f in zip(queries, *answers, strict=False)), flush=True)
    print(f"Queries: {', '.join(QUERIES[: args.queries])}, and Author<k> synthetic case\n")
    print_table(["cases", "build (wall)", "build (CPU)", "peak memory", "site", "search files",
                 "with Material search: peak memory", "Material index"], builds)
    print()
    print_table(["cases", "casepress, hosted: first result", "loaded for it",
                 "casepress, file://: first result", "case k found first",
                 "Material, hosted: first result", "loaded for it"], searches)


if __name__ == "__main__":
    main()
