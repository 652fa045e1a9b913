"""Generate a synthetic casepress library (or a Markdown citation corpus) for benchmarks.

Everything is drawn from one seeded `random.Random`, so the same arguments always give
byte-identical files. The library is valid against the content models: cases shaped like
content/cases/sacroplasty-hcc-nbca-pmma.yaml (interventions and outcomes on a timeline,
figures with panels referred to from the text, K citations each), techniques, evidence tables
and a references.bib whose names carry LaTeX escapes, as real exports do.

    python benchmarks/gen_library.py OUT --cases 100 --citations 12 --entries 500
    python benchmarks/gen_library.py OUT --markdown-pages 100 --citations 10 --entries 2000
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"

# Family names as a BibTeX export writes them: LaTeX accents, braces, raw UTF-8, particles.
FAMILIES = (
    "M{\\\"u}ller", "Gonz{\\'a}lez", "{\\v{S}}koda", "{\\O}stergaard", "Øvrebø", "Smith",
    "Nakamura", "Kaemmerlen", "Weill", "Cotten", "Cortet", "O'Brien", "Dvo{\\v{r}}{\\'a}k",
    "Fran{\\c{c}}ois", "L{\\'o}pez", "Sch{\\\"o}n", "Garc{\\'\\i}a", "Ng", "Kowalczyk",
    "{\\L}ukasz", "Br{\\aa}ten", "Jensen", "Yamamoto", "Hierholzer", "Gangi", "Marcy",
    "Deramond", "Liaw", "Pommersheim", "Uemura", "Matsusako", "Zh{\\=a}ng", "Andr{\\'e}",
    "Ben-David", "Al-Rashid", "St{\\\"a}hli", "{\\'E}tienne", "Ibáñez", "Søndergaard", "Chen",
)
PARTICLES = ("", "", "", "", "van der ", "de ", "von ")
INITIALS = "ABCDEFGHJKLMNOPRSTW"
JOURNALS = ("Radiology", "AJNR Am J Neuroradiol", "J Vasc Interv Radiol", "Eur Radiol",
            "Cardiovasc Intervent Radiol", "Skeletal Radiol", "Spine", "J Radiol",
            "Radiographics", "Rev Rhum Engl Ed", "Cancer", "J Bone Joint Surg Am")
TITLE_WORDS = ("percutaneous", "cement", "injection", "osteoplasty", "vertebroplasty",
               "metastases", "sacral", "acetabular", "pain", "relief", "outcomes", "leakage",
               "embolization", "radiotherapy", "hypervascular", "PMMA", "n-BCA", "myeloma",
               "osteolytic", "fractures", "insufficiency", "palliative", "CT-guided", "imaging")
SITES = ("sacrum", "acetabulum", "L1 vertebral body", "iliac wing", "T12 vertebral body",
         "pubic ramus", "L4 vertebral body", "femoral neck")
CONDITIONS = ("hepatocellular carcinoma", "renal cell carcinoma", "breast carcinoma",
              "multiple myeloma", "lung adenocarcinoma", "thyroid carcinoma", "prostate carcinoma")
MODALITIES = (("MR imaging", "T1-weighted", "axial"), ("MR imaging", "STIR", "sagittal"),
              ("CT", None, "axial"), ("CT", None, "coronal"), ("Radiography", None, "frontal"))
FILLER = ("The lesion was lytic and expanded the cortex.", "Pain limited walking to a few steps.",
          "Opioid doses had been increased twice without lasting benefit.",
          "The team discussed the options with the patient and family.",
          "Needle placement was checked on sequential images before any injection.",
          "Cement distribution was symmetric on the control images.",
          "Mobility improved enough for discharge home.",
          "No neurological deficit developed during follow-up.",
          "The bone around the tumour appeared thinned but intact.",
          "Follow-up imaging was timed to coincide with routine oncology visits.")
DESIGNS = ("case series", "case report", "retrospective cohort", "prospective cohort",
           "randomised trial", "systematic review")


@dataclass(frozen=True)
class BibSpec:
    keys: list[str]
    text: str


def _author(rng: random.Random) -> str:
    family = rng.choice(PARTICLES) + rng.choice(FAMILIES)
    given = ". ".join(rng.sample(INITIALS, rng.randint(1, 2))) + "."
    return f"{family}, {given}"


def _ascii_key(family: str) -> str:
    plain = re.sub(r"\\[A-Za-z]+|\\.", "", family)  # drop LaTeX commands, keep letters
    return "".join(c for c in plain.lower() if c.isascii() and c.isalpha())[:12] or "anon"


def generate_bib(m: int, seed: int) -> BibSpec:
    """An M-entry .bib with unique keys; about a third of the entries end in `and others`."""
    rng = random.Random(f"bib-{seed}")
    keys: list[str] = []
    used: set[str] = set()
    blocks = ["% Synthetic references for benchmarks (gen_library.py); not real publications.\n"]
    for i in range(m):
        authors = [_author(rng) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.35:
            authors.append("others")
        year = rng.randint(1985, 2024)
        stem = _ascii_key(authors[0].split(",")[0].split()[-1])
        key = f"{stem}{year}"
        suffix = 0
        while key in used:
            suffix += 1
            key = f"{stem}{year}{chr(ord('a') + suffix % 26)}{suffix // 26 or ''}"
        used.add(key)
        keys.append(key)
        words = rng.sample(TITLE_WORDS, rng.randint(4, 8))
        title = " ".join(words).capitalize()
        if rng.random() < 0.3:
            title += ": {CT} \\& {MR} follow-up"
        first = rng.randint(1, 900)
        fields = [
            f"  author  = {{{' and '.join(authors)}}}",
            f"  title   = {{{title}}}",
            f"  journal = {{{rng.choice(JOURNALS)}}}",
            f"  year    = {{{year}}}",
            f"  volume  = {{{rng.randint(1, 300)}}}",
            f"  pages   = {{{first}--{first + rng.randint(2, 12)}}}",
        ]
        if rng.random() < 0.6:
            fields.append(f"  pmid    = {{{10_000_000 + i}}}")
        if rng.random() < 0.5:
            fields.append(f"  doi     = {{10.{1000 + i % 9000}/bench.{i}}}")
        blocks.append(f"@article{{{key},\n" + ",\n".join(fields) + ",\n}\n")
    return BibSpec(keys, "\n".join(blocks))


class _Citer:
    """Draws citation keys with a skew (a few references are cited everywhere, as in real
    libraries) and writes them as Pandoc citation groups."""

    def __init__(self, rng: random.Random, keys: list[str]) -> None:
        self.rng, self.keys = rng, keys

    def draw(self, k: int) -> list[str]:
        n = len(self.keys)
        picked: list[str] = []
        while len(picked) < min(k, n):
            index = min(int(self.rng.paretovariate(0.6)) - 1, n - 1) if self.rng.random() < 0.5 \
                else self.rng.randrange(n)
            key = self.keys[index]
            if key not in picked:
                picked.append(key)
        return picked

    def groups(self, keys: list[str], slots: int) -> list[str]:
        """Split `keys` into `slots` citation strings (some empty when keys are few)."""
        out = [""] * slots
        for i, key in enumerate(keys):
            slot = i % slots
            out[slot] = f"{out[slot][:-1]}; @{key}]" if out[slot] else f"[@{key}]"
        return out


def _sentence(rng: random.Random, citation: str = "") -> str:
    text = " ".join(rng.sample(FILLER, 2))
    return f"{text[:-1]} {citation}." if citation else text


def _figures(rng: random.Random, count: int) -> list[dict[str, Any]]:
    figures = []
    for f in range(count):
        modality, sequence, plane = rng.choice(MODALITIES)
        panels = []
        for p in range(rng.randint(1, 3)):
            panel: dict[str, Any] = {"letter": chr(ord("A") + p), "modality": modality}
            if sequence:
                panel["sequence"] = sequence
            panel["plane"] = plane
            panel["description"] = f"{rng.choice(FILLER)} View {p + 1} of the target."
            panel["alt"] = (f"{modality} image of the {rng.choice(SITES)} showing the treated "
                            f"lesion, view {p + 1}.")
            if rng.random() < 0.5:
                panel["arrows"] = [{"marker": "arrows", "points_to": "The cement deposit"}]
            panels.append(panel)
        figures.append({"id": f"{modality.split()[0].lower()}-{f + 1}",
                        "title": f"{modality} of the treated site ({f + 1})",
                        "caption": f"{rng.choice(FILLER)} Figure {f + 1} of the case.",
                        "panels": panels})
    return figures


def case_data(rng: random.Random, index: int, citer: _Citer, k: int, techniques: list[str],
              evidence: list[str]) -> dict[str, Any]:
    """One valid case with `k` distinct citation keys spread over its text."""
    condition = rng.choice(CONDITIONS)
    site = rng.choice(SITES)
    figures = _figures(rng, rng.randint(2, 3))
    fig_refs = [f"@fig-{f['id']}" for f in figures]
    keys = citer.draw(k)
    cites = citer.groups(keys, 8)
    n_int = rng.randint(1, 3)
    interventions = []
    for i in range(n_int):
        when: dict[str, Any] = {"day": 0} if i == 0 else {
            "after": f"procedure-{i}", "days": rng.randint(1, 60),
            "as_stated": "some weeks after the previous session"}
        agents = [{"name": "Bone cement", "volume_ml": rng.randint(2, 9),
                   "mixture": [{"material": "PMMA", "percent": 70},
                               {"material": "barium powder", "percent": 30}],
                   "purpose": "Stabilise the lesion and relieve pain."}]
        if rng.random() < 0.4:
            agents.insert(0, {"name": "n-BCA/lipiodol mixture", "volume_ml": 2,
                              "mixture": [{"material": "n-BCA", "percent": 50},
                                          {"material": "lipiodol", "percent": 50}],
                              "purpose": "Haemostasis before cementation."})
        interventions.append({
            "id": f"procedure-{i + 1}", "title": f"Cement injection {i + 1}, {site}",
            "when": when, "target": f"Metastasis in the {site}", "site": site,
            "setting": "CT suite",
            "guidance": "CT", "needle_gauge": rng.choice((11, 13, 15)), "agents": agents,
            "events": [rng.choice(FILLER), rng.choice(FILLER)],
            "result": f"Cement filled the lesion ({fig_refs[-1]})." if i == n_int - 1
            else "The session went as planned.",
            "figures": [figures[-1]["id"]] if i == n_int - 1 else [],
        })
    outcomes = []
    day = 0
    for o in range(rng.randint(2, 4)):
        day += rng.randint(2, 40)
        outcome: dict[str, Any] = {
            "id": f"follow-up-{o + 1}",
            "when": {"after": f"procedure-{n_int}", "days": day,
                     "as_stated": f"{day} days after the last procedure"},
            "summary": _sentence(rng) + (f" Imaging is shown in {fig_refs[1]}." if o == 0 else ""),
            "pain": rng.choice(("Much reduced.", "Gone.", "Slightly reduced.")),
        }
        outcomes.append(outcome)
    if rng.random() < 0.2:
        outcomes[-1]["death"] = {"causes": ["Progression of the primary tumour"],
                                 "related_to_procedure": False}
    discussion = [{"topic": f"Point {d + 1} on {condition}",
                   "text": _sentence(rng, cites[3 + d]) + " " + _sentence(rng)}
                  for d in range(4)]
    discussion[0]["text"] += f" The serial images ({fig_refs[0]}) support this."
    discussion[1]["text"] += f" @{keys[0]} described a similar course."
    data: dict[str, Any] = {
        "title": f"Cement injection for a painful {site} metastasis of {condition} ({index + 1})",
        "short_title": f"Case {index + 1}: {site}, {condition}",
        "keywords": [site, condition, "cementoplasty"],
        "source": {"authors": [f"Author{index} A", "Second B"], "title": f"Synthetic case {index}",
                   "journal": rng.choice(JOURNALS), "year": rng.randint(1995, 2024),
                   "volume": str(rng.randint(1, 60)), "first_page": str(rng.randint(1, 900))},
        "summary": {"what_it_adds": _sentence(rng, cites[0]),
                    "lessons": [_sentence(rng, cites[1]), _sentence(rng, cites[2]),
                                _sentence(rng)]},
        "introduction": _sentence(rng, cites[7]) + " " + _sentence(rng),
        "patient": {"age_years": rng.randint(35, 89), "sex": rng.choice(("male", "female")),
                    "primary_condition": condition.capitalize(), "condition_code": "C80.1"},
        "presentation": {"chief_complaint": "Severe pain at the site of the metastasis.",
                         "history": [f"Known {condition}.",
                                     f"A lytic lesion was seen in the {site} ({fig_refs[0]})."],
                         "prior_treatments": [{"name": "Radiation therapy",
                                               "outcome": "Did not control the pain."}]},
        "diagnostic_assessment": {"diagnosis": f"Painful osteolytic metastasis of {condition}.",
                                  "imaging": [{"modality": "CT", "site": site.capitalize(),
                                               "finding": f"Lytic lesion ({fig_refs[0]})."}]},
        "interventions": interventions,
        "outcomes": outcomes,
        "discussion": discussion,
        "conclusion": _sentence(rng),
        "figures": figures,
        "technique": techniques[index % len(techniques)],
        "evidence": sorted({evidence[index % len(evidence)],
                            evidence[(index * 7 + 3) % len(evidence)]}),
    }
    if len(figures) > 2:
        outcomes[-1]["summary"] += f" Late images are in {fig_refs[2]}."
    return data


def technique_data(rng: random.Random, index: int, citer: _Citer) -> dict[str, Any]:
    cites = citer.groups(citer.draw(6), 3)
    return {
        "title": f"Percutaneous technique {index + 1}",
        "aliases": [f"technique {index + 1}", "cementoplasty"],
        "summary": _sentence(rng, cites[0]),
        "indications": [_sentence(rng, cites[1]), _sentence(rng)],
        "contraindications": ["Uncorrected bleeding tendency."],
        "equipment": ["CT scanner", "11- or 13-gauge bone biopsy needle"],
        "steps": [{"title": f"Step {s + 1}", "detail": _sentence(rng)} for s in range(5)],
        "materials": [{"name": "Bone cement", "components": [
            {"material": "PMMA", "percent": 70}, {"material": "barium powder", "percent": 30}],
            "volume_used_ml": 5, "purpose": "Fill and stabilise the lesion."}],
        "pitfalls": [{"problem": "Cement leakage.", "prevention": _sentence(rng, cites[2])}],
        "complications": [{"problem": "Transient numbness.", "prevention": "Central placement."}],
        "mechanism": [_sentence(rng)],
    }


def evidence_data(rng: random.Random, index: int, citer: _Citer, rows: int) -> dict[str, Any]:
    table_rows = []
    for key in citer.draw(rows):
        n = rng.randint(5, 200)
        events = rng.randint(0, n)
        table_rows.append({"reference": key, "design": rng.choice(DESIGNS), "unit": "patients",
                           "setting": rng.choice(SITES), "condition": rng.choice(CONDITIONS),
                           "intervention": "percutaneous cement injection", "n": n,
                           "outcome": "pain relief", "events": events,
                           "reported_percent": round(100 * events / n, 1)})
    return {"title": f"Evidence table {index + 1}: pain relief after cement injection",
            "question": "How often does cement injection relieve pain from bone metastases?",
            "outcome": "pain relief", "rows": table_rows}


def _dump(path: Path, schema: str, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n{text}",
                    encoding="utf-8")


def mkdocs_yml(site_name: str, casepress: bool = True, nav: str | None = None,
               extra_plugins: str = "", extensions: tuple[str, ...] = (),
               material_search: bool | None = None) -> str:
    """mkdocs.yml for a generated folder; the casepress plugin uses the repository's templates
    and Material overrides, so benchmarks measure the real ones. Material's search plugin is
    on without casepress and off with it (casepress brings its own), unless
    `material_search` says otherwise."""
    search = "  - search\n" if (not casepress if material_search is None
                                else material_search) else ""
    plugin = (f"  - casepress:\n      content_dir: content\n      templates_dir: {TEMPLATES}\n"
              "      bibliography: references.bib\n") if casepress else ""
    theme_dir = f"  custom_dir: {TEMPLATES / 'overrides'}\n" if casepress else ""
    exts = "".join(f"  - {e}\n" for e in ("admonition", "attr_list", "md_in_html", "tables",
                                          "toc", *extensions))
    return (f"site_name: {site_name}\nsite_url: https://example.org/bench/\n"
            f"theme:\n  name: material\n{theme_dir}  font: false\n  language: en\n"
            f"plugins:\n{search}{plugin}{extra_plugins}"
            f"markdown_extensions:\n{exts}" + (nav or ""))


LIBRARY_NAV = ("nav:\n  - Home: index.md\n  - Cases: cases/index.md\n"
               "  - Techniques: techniques/index.md\n  - Evidence: evidence/index.md\n"
               "  - Bibliography: bibliography.md\n")


def generate_library(out: Path, cases: int, citations: int = 12, entries: int = 500,
                     techniques: int = 5, evidence: int = 5, rows: int = 8,
                     seed: int = 1) -> Path:
    """Write a whole project (content/, references.bib, docs/index.md, mkdocs.yml) to `out`."""
    rng = random.Random(seed)
    bib = generate_bib(max(entries, citations, rows), seed)
    citer = _Citer(rng, bib.keys)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "references.bib").write_text(bib.text, encoding="utf-8")
    tech_slugs = [f"technique-{t + 1}" for t in range(techniques)]
    ev_slugs = [f"evidence-{e + 1}" for e in range(evidence)]
    for t, slug in enumerate(tech_slugs):
        _dump(out / "content" / "techniques" / f"{slug}.yaml", "technique",
              technique_data(rng, t, citer))
    for e, slug in enumerate(ev_slugs):
        _dump(out / "content" / "evidence" / f"{slug}.yaml", "evidence",
              evidence_data(rng, e, citer, rows))
    for c in range(cases):
        _dump(out / "content" / "cases" / f"case-{c + 1:05d}.yaml", "case",
              case_data(rng, c, citer, citations, tech_slugs, ev_slugs))
    (out / "docs" / "index.md").write_text(
        "# Synthetic case library\n\nGenerated for benchmarks; cement injection has been "
        f"studied widely [@{bib.keys[0]}; @{bib.keys[1]}].\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(mkdocs_yml("Benchmark library", nav=LIBRARY_NAV),
                                    encoding="utf-8")
    return out


def markdown_page(rng: random.Random, index: int, citer: _Citer, k: int) -> str:
    """A hand-written-style page: headings, paragraphs, `k` distinct keys in citation groups."""
    groups = citer.groups(citer.draw(k), max(1, k // 2))
    parts = [f"# Note {index + 1}\n"]
    for g, group in enumerate(groups):
        if g % 3 == 0:
            parts.append(f"\n## Section {g // 3 + 1}\n")
        parts.append(f"\n{_sentence(rng, group)} {_sentence(rng)}\n")
    return "".join(parts)


def generate_markdown_corpus(out: Path, pages: int, citations: int, entries: int,
                             seed: int = 1) -> list[str]:
    """N Markdown pages (docs/notes/) with K citations each and an M-entry references.bib;
    returns the page paths relative to docs/. No mkdocs.yml: each benchmark writes its own."""
    rng = random.Random(f"corpus-{seed}")
    bib = generate_bib(max(entries, citations), seed)
    citer = _Citer(rng, bib.keys)
    notes = out / "docs" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    (out / "references.bib").write_text(bib.text, encoding="utf-8")
    (out / "docs" / "index.md").write_text("# Citation benchmark\n\nSynthetic notes.\n",
                                          encoding="utf-8")
    paths = []
    for p in range(pages):
        path = notes / f"note-{p + 1:05d}.md"
        path.write_text(markdown_page(rng, p, citer, citations), encoding="utf-8")
        paths.append(path.relative_to(out / "docs").as_posix())
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write into (created)")
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--markdown-pages", type=int, default=0,
                        help="write a Markdown citation corpus of this many pages instead")
    parser.add_argument("--citations", type=int, default=12, help="citation keys per page")
    parser.add_argument("--entries", type=int, default=500, help="entries in references.bib")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.markdown_pages:
        generate_markdown_corpus(args.out, args.markdown_pages, args.citations, args.entries,
                                 args.seed)
    else:
        generate_library(args.out, args.cases, args.citations, args.entries, seed=args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
