"""Name detection without cue words: recall on invented names, false alarms on clinical text.

    python benchmarks/bench_names.py [--cases 200]

Recall: of the names in tests/checks/names/corpus.yaml (`with_names`), the share that the
de-identification lint reports as phi-name (any finding overlapping the name counts; the
lint asks a reviewer, it does not redact). False alarms: phi-name findings in text that holds
no name, per 10,000 words, counted separately on the corpus's `without_names` sentences
(eponyms, Title Case headings, sentences opening with a word that is also a name), the seed
library and a generated one (benchmarks/gen_library.py). Words are whitespace-separated, in
the fields the lint reads. Targets (issue 21): recall >= 95%, at most 1 false alarm per
10,000 words of the seed and generated content. The figures are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "checks" / "names" / "corpus.yaml"
sys.path.insert(0, str(REPO / "build_scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

from casepress.checks.deidentification import _checked, check_phi, find_identifiers  # noqa: E402
from casepress.checks.personal_names import NameFinder, site_vocabulary  # noqa: E402
from casepress.content.yaml_source import text_fields  # noqa: E402
from casepress.project import ProjectOptions, load_project  # noqa: E402


@dataclass(frozen=True)
class Recall:
    found: int
    total: int
    missed: list[str]
    by_form: dict[str, tuple[int, int]]

    @property
    def share(self) -> float:
        return self.found / self.total


@dataclass(frozen=True)
class FalseAlarms:
    label: str
    alarms: list[str]
    words: int

    @property
    def per_10k_words(self) -> float:
        return 10_000 * len(self.alarms) / self.words


def corpus() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return data


def corpus_finder(data: dict[str, Any]) -> NameFinder:
    """The corpus read as one site: its vocabulary is the words it writes in lower case."""
    texts = [s["text"] for s in data["with_names"]] + data["without_names"]
    return NameFinder(site_vocabulary(texts))


def corpus_recall(data: dict[str, Any]) -> Recall:
    names = corpus_finder(data)
    found = total = 0
    missed: list[str] = []
    forms: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for sentence in data["with_names"]:
        text = sentence["text"]
        reported = [f.text for f in find_identifiers(text, names) if f.rule == "phi-name"]
        for name in sentence["names"]:
            total += 1
            forms[sentence["form"]] += 1
            if any(name in r or r in name for r in reported):
                found += 1
                hits[sentence["form"]] += 1
            else:
                missed.append(f"{name} ({sentence['form']})")
    return Recall(found, total, missed, {f: (hits[f], n) for f, n in forms.items()})


def corpus_false_alarms(data: dict[str, Any]) -> FalseAlarms:
    names = corpus_finder(data)
    alarms = [f.text for text in data["without_names"]
              for f in find_identifiers(text, names) if f.rule == "phi-name"]
    return FalseAlarms("invented clinical sentences", alarms,
                       sum(len(t.split()) for t in data["without_names"]))


def library_false_alarms(label: str, root: Path) -> FalseAlarms:
    """phi-name findings of `casepress check`'s lint over a library that holds no names."""
    project, problems = load_project(ProjectOptions.at(root, cache_dir=None))
    if any(p.severity == "error" for p in problems):
        raise SystemExit(f"{root} does not load: {problems[0]}")
    alarms = [d.message for d in check_phi(project.content) if d.rule == "phi-name"]
    words = sum(len(text.split()) for doc in project.content.cases.values()
                for path, text in text_fields(doc.source.data) if _checked(path))
    return FalseAlarms(label, alarms, words)


def generated_library(out: Path, cases: int) -> Path:
    from gen_library import generate_library

    generate_library(out, cases)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases in the generated library")
    args = parser.parse_args()
    data = corpus()
    recall = corpus_recall(data)
    print(f"recall: {recall.found}/{recall.total} = {100 * recall.share:.1f}%")
    for form, (hit, total) in sorted(recall.by_form.items()):
        print(f"  {form:12} {hit}/{total}")
    print("  missed: " + (", ".join(recall.missed) or "none"))
    with tempfile.TemporaryDirectory() as tmp:
        rows = [corpus_false_alarms(data), library_false_alarms("seed library", REPO),
                library_false_alarms(f"generated library ({args.cases} cases)",
                                     generated_library(Path(tmp) / "lib", args.cases))]
    for row in rows:
        print(f"false alarms, {row.label}: {len(row.alarms)} in {row.words} words "
              f"= {row.per_10k_words:.2f} per 10,000 words")
        for alarm in row.alarms:
            print(f"  {alarm}")


if __name__ == "__main__":
    main()
