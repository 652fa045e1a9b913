"""Figures, the case timeline and the evidence analytics, as they appear in built sites."""

from __future__ import annotations

import csv
import io
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from casepress.commands.output_guard import MARKER
from conftest import REPO, SITES, Built, build, copy_project, earlier_output, run_casepress, text_of

pytestmark = pytest.mark.slow  # real builds in subprocesses

CASE_SLUG = "sacroplasty-hcc-nbca-pmma"
CASE = f"cases/{CASE_SLUG}/"
EVIDENCE_SLUG = "cement-injection-pain-relief"
EVIDENCE = f"evidence/{EVIDENCE_SLUG}/"
FIGURE_DIR = f"assets/figures/{CASE_SLUG}"
SVG = "{http://www.w3.org/2000/svg}"


def seed_yaml(kind: str, slug: str) -> dict[str, Any]:
    data = yaml.safe_load((REPO / "content" / kind / f"{slug}.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def declared_panels() -> list[str]:
    figures = seed_yaml("cases", CASE_SLUG)["figures"]
    assert isinstance(figures, list)
    return [f"{f['id']}-{p['letter'].lower()}" for f in figures for p in f["panels"]]


def inline_svg(page_html: str, css_class: str) -> ET.Element:
    """The inline SVG inside <div class="... css_class ...">, parsed as XML."""
    match = re.search(rf'<div class="cp-graphic {css_class}"[^>]*>\s*(<svg\b.*?</svg>)',
                      page_html, re.S)
    assert match, f"no inline SVG in div.{css_class}"
    return ET.fromstring(match.group(1))


def svg_texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def tooltip(group: ET.Element) -> str:
    title = group.find(f"{SVG}title")
    assert title is not None, "every row or event of a graphic has a tooltip"
    return "".join(title.itertext())


# --- figures ------------------------------------------------------------------------------


def test_figures_are_numbered_by_first_reference(seed_site: Built) -> None:
    page = seed_site.page(CASE)
    links = re.findall(r'<a href="#(fig-[\w-]+)">(Fig \d+[A-Z]?)</a>', page)
    # The presentation mentions the baseline MR first, then the post-procedure CT, then the
    # autopsy histology: that order, not the order in the YAML, numbers the figures.
    assert links[0] == ("fig-mri-course-a", "Fig 1A")
    ids = [f"fig-{f['id']}" for f in seed_yaml("cases", CASE_SLUG)["figures"]]
    figure_of = {a: next(i for i in ids if a == i or a.startswith(i + "-")) for a, _ in links}
    first_seen = list(dict.fromkeys(figure_of[a] for a, _ in links))
    assert first_seen == ["fig-mri-course", "fig-ct-post-procedure", "fig-histology"]
    captions = re.findall(r"<strong>(Fig \d)\. ([^<]+)</strong>", page)
    assert captions == [("Fig 1", "Serial axial T1-weighted MR of the sacrum."),
                        ("Fig 2", "CT after the right-sided sacroplasty."),
                        ("Fig 3", "Autopsy histology of the left sacral tumour.")]


def test_numbers_follow_the_text_not_the_yaml_order(tmp_path: Path, seed_site: Built) -> None:
    project = copy_project(tmp_path)
    case_file = project / "content" / "cases" / f"{CASE_SLUG}.yaml"
    text = case_file.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["figures"].reverse()  # histology declared first, MR last
    case_file.write_text(text.splitlines()[0] + "\n"  # keep the schema line
                         + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                         encoding="utf-8")
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    page = built.page(CASE)
    assert re.findall(r"<strong>(Fig \d)\. ([^<]+)</strong>", page)[0] == \
        ("Fig 1", "Serial axial T1-weighted MR of the sacrum.")
    assert re.findall(r'<a href="#(fig-[\w-]+)">(Fig \d+[A-Z]?)</a>', page) == \
        re.findall(r'<a href="#(fig-[\w-]+)">(Fig \d+[A-Z]?)</a>', seed_site.page(CASE))


def test_panel_references_link_to_panel_anchors(seed_site: Built) -> None:
    page = seed_site.page(CASE)
    assert '<a href="#fig-mri-course-b">Fig 1B</a>' in page
    assert '<a href="#fig-histology-b">Fig 3B</a>' in page
    assert '<a href="#fig-mri-course">Fig 1</a>' in page
    # A one-panel figure is captioned "Fig 2", so a reference to its panel A reads "Fig 2".
    assert '<a href="#fig-ct-post-procedure-a">Fig 2</a>' in page
    for panel in declared_panels():
        assert f'<figure class="cp-panel" id="fig-{panel}">' in page, panel
    for target in set(re.findall(r'href="#(fig-[\w-]+)"', page)):
        assert f'id="{target}"' in page, f"link to missing anchor #{target}"


def test_one_accessible_placeholder_per_panel(seed_site: Built) -> None:
    panels = declared_panels()
    generated = sorted(p.stem for p in (seed_site.site / FIGURE_DIR).iterdir())
    assert generated == sorted(panels)
    case = seed_yaml("cases", CASE_SLUG)
    alts = {f"{f['id']}-{p['letter'].lower()}": " ".join(p["alt"].split())
            for f in case["figures"] for p in f["panels"]}
    for panel in panels:
        root = ET.parse(seed_site.site / FIGURE_DIR / f"{panel}.svg").getroot()
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None
        assert title.text == alts[panel]
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "Image placeholder" in svg_texts(root)
    page = seed_site.page(CASE)
    assert f'href="../../{FIGURE_DIR}/mri-course-b.svg" title="Open Fig 1B full size"' in page


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, written by hand so the test needs no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def article(page_html: str) -> str:
    return page_html[page_html.index("<article"):page_html.index("</article>")]


def test_an_image_file_replaces_its_placeholder(tmp_path: Path, seed_site: Built) -> None:
    project = copy_project(tmp_path)
    case = project / "content/cases/sacroplasty-hcc-nbca-pmma.yaml"
    text = case.read_text(encoding="utf-8")
    panels = text.index("    panels:", text.index("  - id: mri-course\n"))
    case.write_text(text[:panels] + "    provenance:\n      source: case article\n      credit: "
                    "Uemura et al\n      licence: reproduced with permission\n" + text[panels:],
                    encoding="utf-8")
    image = project / "docs" / FIGURE_DIR / "mri-course-a.png"
    image.parent.mkdir(parents=True)
    image.write_bytes(tiny_png())
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    assert (built.site / FIGURE_DIR / "mri-course-a.png").read_bytes() == tiny_png()
    assert not (built.site / FIGURE_DIR / "mri-course-a.svg").exists()
    others = sorted(p.name for p in (built.site / FIGURE_DIR).glob("*.svg"))
    assert others == sorted(f"{p}.svg" for p in declared_panels() if p != "mri-course-a")
    page = built.page(CASE)
    assert f'src="../../{FIGURE_DIR}/mri-course-a.png"' in page
    assert f'href="../../{FIGURE_DIR}/mri-course-a.png"' in page
    # Nothing else on the page changes: same numbers, captions, alt text and links (the
    # History differs: this copy is not a git checkout, the seed is).
    def content(page: str) -> str:
        text = article(page)[:article(page).index('id="history"')]
        # What a real image adds: its credit line, and its size and sized copies.
        text = re.sub(r' <span class="cp-credit">.*?</span>', "", text)
        return re.sub(r' (height|width|sizes|srcset)="[^"]*"', "", text)

    assert content(page).replace("mri-course-a.png", "mri-course-a.svg") == \
        content(seed_site.page(CASE))


# --- timeline -----------------------------------------------------------------------------

SEED_COURSE = [  # (when, words from the event) in the order they happened
    ("day 0", "First sacroplasty attempt"),
    ("day 7", "Left sacroplasty with n-BCA and PMMA"),
    ("day 11", "Pain relief was evident"),  # 4 days after the second procedure
    ("day 17", "no pain"),  # 10 days after it
    ("~day 97", "New severe pain in the right"),  # about 3 months after it, then MR
    ("on or after ~day 97", "Right sacroplasty"),  # requested after the MR; no date given
    ("3 days after the right sacroplasty with PMMA alone", "walk with a walker"),
    ("35 days after the right sacroplasty with PMMA alone", "smaller on follow-up MR"),
    ("72 days after the right sacroplasty with PMMA alone", "died of sepsis"),
]
# The source gives the right-sided procedure no date: nothing after it may claim a day.
FALSE_PRECISION = re.compile(r"~?day (?:1[0-9]{2}|9[89])\b")


def timeline_rows(page_html: str) -> list[tuple[str, str]]:
    start = page_html.index('id="timeline"')
    table = page_html[page_html.index("<tbody>", start):page_html.index("</tbody>", start)]
    rows = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", table, re.S)
    return [(text_of(day), text_of(event)) for day, event in rows]


def test_timeline_table_lists_the_course_in_order(seed_site: Built) -> None:
    rows = timeline_rows(seed_site.page(CASE))
    positions = []
    for when, words in SEED_COURSE:
        index = next(i for i, row in enumerate(rows) if row[0] == when and words in row[1])
        positions.append(index)
    assert positions == sorted(positions)
    assert [when for when, _ in rows] == [when for when, _ in SEED_COURSE]


def test_no_day_after_the_undated_procedure_is_stated(seed_site: Built) -> None:
    page = text_of(seed_site.page(CASE))
    assert "on or after ~day 97" in page
    assert not FALSE_PRECISION.findall(page)


def test_timeline_svg_shows_the_same_course(seed_site: Built) -> None:
    root = inline_svg(seed_site.page(CASE), "cp-timeline")
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
    events = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cp-event"]
    titles = [tooltip(g) for g in events]
    for (when, words), title in zip(SEED_COURSE, titles, strict=True):
        assert title.startswith(f"{when}:") and words in title, (when, words, title)
    # Undated: drawn dashed at the earliest day the source allows, the procedure's span open.
    dashed = [g.get("data-day") for g in events
              if any(line.get("stroke-dasharray") for line in g.iter(f"{SVG}line"))]
    assert dashed == ["97", "100", "132", "169"]
    assert len([line for line in root.iter(f"{SVG}line")
                if line.get("class") == "cp-open-ended"]) == 1
    assert "date not given" in "".join(root.itertext())


# --- evidence page ------------------------------------------------------------------------


def evidence_rows(page_html: str, group: str = "") -> dict[str, list[str]]:
    """Reference key -> visible text of each cell, for every table of studies in page order
    (the studies of the question, then the comparators), or for the table after `group`."""
    rows = {}
    start = page_html.index(f'id="{group}"') if group else 0
    for wrapper in page_html[start:].split('<div class="cp-evidence"')[1:]:
        body = wrapper[wrapper.index("<tbody>"):wrapper.index("</tbody>")]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            key = re.search(r'href="[^"]*#ref-([^"]+)"', row)
            assert key, "every Study cell holds a numbered citation"
            rows[key.group(1)] = [text_of(c)
                                  for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if group:
            break
    return rows


def evidence_header(page_html: str) -> list[str]:
    wrapper = page_html[page_html.index('<div class="cp-evidence"'):]
    return [text_of(h) for h in re.findall(r"<th>(.*?)</th>", wrapper[:wrapper.index("</thead>")])]


def seed_rows() -> list[dict[str, Any]]:
    rows = seed_yaml("evidence", EVIDENCE_SLUG)["rows"]
    assert isinstance(rows, list)
    return rows


def test_every_study_is_a_numbered_citation(seed_site: Built) -> None:
    page = seed_site.page(EVIDENCE)
    rows = evidence_rows(page)
    assert list(rows) == [r["reference"] for r in seed_rows()]
    assert all(re.fullmatch(r".+ \( ?\d+ ?\)", cells[1]) for cells in rows.values())
    assert "cite-" in page[page.index('<div class="cp-evidence"'):]  # back-link anchors


@pytest.mark.parametrize(
    ("key", "proportion", "interval"),
    [("kaemmerlen1989", "80.0% (≈16/20)", "58.4–91.9%"),
     ("cotten1996", "97.3% (36/37)", "86.2–99.5%"),
     ("weill1996", "73.0% (≈27/37)", "57.0–84.6%"),
     ("hokotate2001", "single case", "—"),  # a case report is a case, not 100% (21–100%)
     ("marcy2000", "—", "—"),
     ("cortet1997", "—", "—")],
)
def test_each_row_shows_its_wilson_interval(seed_site: Built, key: str, proportion: str,
                                            interval: str) -> None:
    page = seed_site.page(EVIDENCE)
    header = evidence_header(page)
    cells = evidence_rows(page)[key]
    assert cells[header.index("Proportion")] == proportion
    assert cells[header.index("95% CI")] == interval


def test_page_says_why_wilson_intervals_are_used(seed_site: Built) -> None:
    text = text_of(seed_site.page(EVIDENCE))
    assert "95% Wilson score interval" in text
    assert "recommended for small numbers of patients" in text


def flagged(page_html: str, title: str) -> set[str]:
    return {key for key, cells in evidence_rows(page_html).items()
            if f"⚠ {title}" in cells[evidence_header(page_html).index("Checks and notes")]}


def test_the_comparator_sits_in_its_own_labelled_group(seed_site: Built) -> None:
    page = seed_site.page(EVIDENCE)
    assert list(evidence_rows(page, "comparators")) == ["kaizu1998"]
    assert "kaizu1998" not in evidence_rows(page, "studies")
    header = evidence_header(page)
    kaizu = evidence_rows(page, "comparators")["kaizu1998"]
    assert kaizu[header.index("n")] == "57 (from the cited paper's title)"
    checks = kaizu[header.index("Checks and notes")]
    assert "n = 57 is taken from the cited paper's title" in checks
    assert "31/37 = 83.8%" in checks and "misreported" not in checks


def test_every_row_shows_unit_timepoint_and_outcome(seed_site: Built) -> None:
    page = seed_site.page(EVIDENCE)
    header = evidence_header(page)
    rows = evidence_rows(page)
    assert rows["weill1998"][header.index("Counted in")] == "not stated"
    assert rows["cortet1997"][header.index("Timepoint")] == "48 hours after the procedure"
    assert rows["kaemmerlen1989"][header.index("Timepoint")] == "not stated"
    assert header.index("Outcome") == header.index("95% CI") + 1


def test_the_evidence_index_counts_studies_apart_from_cases_and_comparators(
        seed_site: Built) -> None:
    assert "6 studies; also 1 case report, 1 comparator" in text_of(seed_site.page("evidence/"))


def test_flags_are_on_exactly_the_rows_that_need_them(seed_site: Built) -> None:
    page = seed_site.page(EVIDENCE)
    assert flagged(page, "Percentage does not fit n:") == {"marcy2000", "kaizu1998"}
    assert flagged(page, "n not stated:") == {"cortet1997"}
    assert flagged(page, "Same patients?") == {"cotten1996", "cortet1997"}
    checks = evidence_rows(page)["marcy2000"][evidence_header(page).index("Checks and notes")]
    assert "82% cannot come from a whole number of 18 patients" in checks
    overlap = text_of(page[page.index('id="same-cohort"'):])
    assert "Rows 3 (Cotten et al 1996) and 4 (Cortet et al 1997)" in overlap


def test_level_of_evidence_per_row_with_its_note(seed_site: Built) -> None:
    page = seed_site.page(EVIDENCE)
    level = evidence_header(page).index("Level †")
    assert {cells[level] for cells in evidence_rows(page).values()} == {"4"}
    assert "† Levels follow the Oxford CEBM 2011 table" in text_of(page)


def test_forest_plot_has_one_row_per_study(seed_site: Built) -> None:
    page = seed_site.page(EVIDENCE)
    root = inline_svg(page, "cp-forest")
    assert root.get("role") == "img"
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "table of studies" in (desc.text or "")
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cp-row"]
    assert len(groups) == len(seed_rows())
    tips = [tooltip(g) for g in groups]
    assert tips[0] == "1. Kaemmerlen et al 1989: ≈16/20 · 80% (58–92%)"
    assert tips[2] == "3. Cotten et al 1996: 36/37 · 97% (86–99%)"  # 99.5% is not 100%
    assert tips[6] == "7. Hokotate et al 2001: single case, not a proportion"
    assert tips[7].startswith("8. Kaizu et al 1998")
    drawn = [g for g in groups if g.find(f"{SVG}path") is not None]
    assert len(drawn) == 4, "an interval for each row with a count, none for a single case"
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "cp-group"]
    assert [t.text for t in labels] == ["Comparator (another treatment; not pooled)"]
    assert float(labels[0].get("y", 0)) < float(
        next(t for t in groups[7].iter(f"{SVG}text")).get("y", 0))
    assert [g.get("data-flagged") == "true" for g in groups] == \
        [False, False, False, True, False, True, False, True]
    assert '<a href="#studies">table of studies</a>' in page


def read_csv(built: Built) -> list[dict[str, str]]:
    data = (built.site / "evidence" / f"{EVIDENCE_SLUG}.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(data, newline="")))


def test_csv_download_round_trips(seed_site: Built) -> None:
    page = seed_site.page(EVIDENCE)
    assert f'href="../{EVIDENCE_SLUG}.csv"' in page
    rows = read_csv(seed_site)
    source = seed_rows()
    assert [r["reference key"] for r in rows] == [s["reference"] for s in source]
    for got, want in zip(rows, source, strict=True):
        for column, field in (("n", "n"), ("events", "events"), ("denominator", "denominator")):
            assert got[column] == ("" if want.get(field) is None else str(want[field]))
        reported = want.get("reported_percent")
        assert got["reported percent"] == ("" if reported is None else f"{reported:g}")
        assert got["design"] == want["design"] and got["site"] == want["setting"]
        assert got["intervention"] == want["intervention"]
    first = rows[0]
    assert (first["citation"], first["events used"], first["proportion (%)"],
            first["95% CI low (%)"], first["95% CI high (%)"], first["level"]) == \
        ("Kaemmerlen et al 1989", "16", "80.0", "58.4", "91.9", "4")
    by_key = {r["reference key"]: r for r in rows}
    assert by_key["marcy2000"]["flags"].startswith("percent-not-whole-count: ")
    assert by_key["marcy2000"]["proportion (%)"] == ""
    assert by_key["cotten1996"]["flags"] == ""


def test_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    from casepress.models.evidence import EvidenceRow
    from casepress.site.evidence_page import Study, evidence_csv
    from casepress.stats.analytics import analyse_row

    row = EvidenceRow(reference="x2001", design="case series", unit="patients", setting="spine",
                      condition="c", intervention="=HYPERLINK(\"http://x\")", outcome="o",
                      n=3, events=1, notes="+1 more")
    (written,) = csv.DictReader(io.StringIO(evidence_csv([Study(1, row, analyse_row(row), "X")])))
    assert written["intervention"] == "'=HYPERLINK(\"http://x\")"
    assert written["notes"] == "'+1 more"
    assert written["events"] == "1"


# --- bad input ----------------------------------------------------------------------------

BAD = SITES / "bad-figures-evidence" / "mkdocs.yml"

BAD_EXPECTED = {
    "missing-panel": "content/cases/missing-panel.yaml:6:7: error: @fig-scan-c: figure 'scan' "
                     "has no panel C; its panels: a, b",
    "undeclared-figure": "content/cases/undeclared-figure.yaml:6:7: error: @fig-nothing: no "
                         "figure 'nothing' is declared in this case",
    "unreferenced-figure": "content/cases/unreferenced-figure.yaml:37: warning: figure 'unused' "
                           "is never referred to",
    "duplicate-figure-id": "content/cases/duplicate-figure-id.yaml:37: error: figures[1]: id "
                           "'scan' is used by an earlier figure",
    "days-out-of-order": "content/cases/days-out-of-order.yaml:28: error: outcomes[1] (day 3) "
                         "comes before the one above it (day 10)",
    "events-over-denominator": "content/evidence/events-over-denominator.yaml:14:5: error: "
                               "rows[0].events: 12 patients with the outcome is more than "
                               "denominator = 10",
    "events-over-n": "content/evidence/events-over-n.yaml:14:5: error: rows[0].events: 12 "
                     "patients with the outcome is more than n = 10",
    "negative-count": "content/evidence/negative-count.yaml:14:5: error: rows[0].events: -1: "
                      "Input should be greater than or equal to 0",
    "fractional-count": "content/evidence/fractional-count.yaml:14:5: error: rows[0].events: "
                        "2.5 is the wrong type; expected a whole number (schema-type)",
    "percent-over-100": "content/evidence/percent-over-100.yaml:14:5: error: "
                        "rows[0].reported_percent: 120: Input should be less than or equal to "
                        "100",
}
BAD_RULES = {
    "missing-panel": "figure-unknown", "undeclared-figure": "figure-unknown",
    "unreferenced-figure": "figure-unreferenced", "duplicate-figure-id": "figure-duplicate-id",
    "days-out-of-order": "time-out-of-order", "events-over-denominator": "evidence-count",
    "events-over-n": "evidence-count", "negative-count": "schema-value",
    "fractional-count": "schema-type", "percent-over-100": "schema-value",
}


@pytest.fixture(scope="module")
def bad_check() -> str:
    result = run_casepress("-f", BAD, "check")
    assert result.returncode == 1
    return result.stdout + result.stderr


@pytest.mark.parametrize("name", BAD_EXPECTED)
def test_bad_input_is_reported_at_its_line(bad_check: str, name: str) -> None:
    line = next((ln for ln in bad_check.splitlines() if ln.startswith(BAD_EXPECTED[name])), None)
    assert line is not None, f"{BAD_EXPECTED[name]!r} not in:\n{bad_check}"
    assert line.endswith(f"({BAD_RULES[name]})")


def test_all_bad_input_in_one_run_without_traceback(bad_check: str) -> None:
    assert "9 error(s), 1 warning(s)." in bad_check
    assert "Traceback" not in bad_check
    # A wrong panel still counts as a reference to its figure: no second, misleading warning.
    assert "missing-panel.yaml:25: warning" not in bad_check


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    site = earlier_output(tmp_path / "site")
    (site / "index.html").write_text("previous build", encoding="utf-8")
    built = build(BAD, site)
    assert built.returncode == 1
    assert BAD_EXPECTED["events-over-n"] in built.output
    assert sorted(p.name for p in site.iterdir()) == [MARKER, "index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous build"
    assert not (SITES / "bad-figures-evidence" / "site").exists()
