"""Citations on the built site: numbers, links both ways, hover text, exports, bad references."""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path

import bibtexparser
import pytest

from conftest import REPO, Built, build, copy_project, copy_site, run_casepress, text_of

sys.path.insert(0, str(REPO / "benchmarks"))
import gen_library

pytestmark = pytest.mark.slow  # real builds in subprocesses

CASE = "cases/sacroplasty-hcc-nbca-pmma/"
CITE_LINK = re.compile(r'<a class="cp-cite" href="(?P<href>[^"]+)"(?: id="(?P<id>[^"]+)")? '
                       r'title="(?P<title>[^"]*)">(?P<number>\d+)</a>')


def _cite_links(page: str) -> list[re.Match[str]]:
    return list(CITE_LINK.finditer(page))


def _page_list(page: str) -> dict[str, str]:
    """Key -> the number of its entry in the page's own reference list."""
    section = page[page.index('id="references"'):]
    return dict(re.findall(r'id="ref-([^"]+)"[^>]*>\s*<p><span class="cp-ref-number">(\d+)\.',
                           section))


def test_citation_jumps_to_the_page_list_and_back(seed_site: Built) -> None:
    page = seed_site.page(CASE)
    first = next(m for m in _cite_links(page) if m["id"])
    assert first["number"] == "1"  # numbered as its own article would be
    target_page, anchor = first["href"].split("#")
    assert target_page == ""  # the page's own list, not the bibliography
    entry = page.split(f'id="{anchor}"', 1)[1].split("</div>", 1)[0]
    back_links = re.findall(r'href="#(cite-\d+)"', entry)
    assert first["id"] in back_links
    assert page.rindex('id="references"') > page.rindex('class="cp-cite"')  # at the end


def test_every_number_matches_its_entry_in_the_page_list(seed_site: Built) -> None:
    for url in ("", CASE, "techniques/percutaneous-sacroplasty/",
                "evidence/cement-injection-pain-relief/"):
        page = seed_site.page(url)
        links = _cite_links(page)
        if not links:
            assert 'id="references"' not in page  # no empty References heading
            continue
        listed = _page_list(page)
        assert sorted(map(int, listed.values())) == list(range(1, len(listed) + 1))
        for match in links:
            assert listed[match["href"].rsplit("#ref-", 1)[1]] == match["number"], url


def test_hover_text_is_the_formatted_reference(seed_site: Built) -> None:
    link = next(m for m in _cite_links(seed_site.page(CASE)) if m["href"].endswith("kaizu1998"))
    assert html.unescape(link["title"]) == (
        "Kaizu T, Karasawa K, Tanaka Y, et al. Radiotherapy for osseous metastases from "
        "hepatocellular carcinoma: a retrospective study of 57 patients. Am J Gastroenterol "
        "1998;93:2167–2171")


def test_a_repeated_citation_gets_a_letter_per_place(seed_site: Built) -> None:
    page = seed_site.page(CASE)
    section = page[page.index('id="references"'):]
    assert re.search(r'↩ <a aria-label="Back to citation 1 of 2 of reference \d+" '
                     r'href="#cite-\d+">a</a>', section)


def test_numbers_follow_first_citation_in_reading_order() -> None:
    from casepress.citations.numbering import Page, number_citations

    pages = [Page("index.md", "Home", "No citations here.", "docs/index.md"),
             Page("a.md", "A", "# A\n\n[@c; @a]\n\n## Later\n\n@b and [@a]", "a"),
             Page("b.md", "B", "[@d; @b]", "b")]
    numbering = number_citations(pages, known=lambda key: key != "d")
    assert numbering.number_of == {"c": 1, "a": 2, "b": 3}
    assert [(p.page_path, p.section, p.anchor) for p in numbering.places["a"]] == [
        ("a.md", "A", "cite-1"), ("a.md", "Later", "cite-3")]


def test_consecutive_numbers_collapse_to_ranges(seed_site: Built) -> None:
    page = seed_site.page(CASE)
    assert re.search(r'\(<a class="cp-cite"[^>]*>\d+</a>–<a class="cp-cite"', page), \
        "no collapsed range such as (3–13) on the case page"


def test_the_bibliography_is_the_library_index(seed_site: Built) -> None:
    bibliography = seed_site.page("bibliography/")
    assert '<span class="cp-ref-number">' not in bibliography  # one number per reference
    firsts = re.findall(r'<span class="cp-ref-text">([^<,]+?)\s', bibliography)
    assert len(firsts) == 19 and firsts == sorted(firsts, key=str.casefold), firsts
    assert "https://pubmed.ncbi.nlm.nih.gov/2593110/" in bibliography


def test_exports_parse_back(seed_site: Built) -> None:
    library = bibtexparser.parse_string(
        (seed_site.site / "references.bib").read_text(encoding="utf-8"))
    keys = {entry.key for entry in library.entries}
    items = json.loads((seed_site.site / "references.json").read_text(encoding="utf-8"))
    assert {item["id"] for item in items} == keys and len(keys) == 19
    ris = (seed_site.site / "references.ris").read_text(encoding="utf-8")
    assert ris.count("TY  - ") == ris.count("ER  - ") == 19


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site("bad-references", tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="module")
def bad_check(bad_site: Path) -> str:
    result = run_casepress("-f", bad_site, "check")
    assert result.returncode == 1
    return result.stdout + result.stderr


@pytest.mark.parametrize(
    "expected",
    [
        "docs/index.md:3:51: error: citation key '@alpah2001' is not in references.bib; "
        "did you mean @alpha2001? (citation-unknown-key)",
        "references.bib:15: error: entry key 'alpha2001' is already used by the entry on "
        "line 1; rename one of the two entries",
    ],
    ids=["unknown-key", "duplicate-key"],
)
def test_bad_references_are_reported(bad_check: str, expected: str) -> None:
    assert expected in bad_check
    assert "Traceback" not in bad_check


def test_bad_references_write_nothing(bad_site: Path, tmp_path: Path) -> None:
    built = build(bad_site, tmp_path / "site")
    assert built.returncode == 1
    assert "citation-unknown-key" in built.output and "bib-duplicate-key" in built.output
    assert not (tmp_path / "site").exists()


def test_a_custom_bibliography_template_can_list_each_citing_place(tmp_path: Path) -> None:
    """`e.places` gives a template each back-link's page, section, label, address and anchor,
    to show them its own way."""
    config = copy_site("pages-only", tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    template = templates / "pages" / "bibliography.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + (
        "{% for e in cited %}\nPLACES {{ e.key }}: {% for p in e.places %}{{ p.page_title }}|"
        "{{ p.section }}|{{ p.label }}|{{ p.href }}#{{ p.anchor }}; {% endfor %}"
        "{{ e.places | length }}{% endfor %}\n"),
        encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace(
        str(REPO / "templates"), str(templates)), encoding="utf-8")
    done = run_casepress("-f", config, "export-md", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    page = (tmp_path / "out" / "bibliography.md").read_text(encoding="utf-8")
    assert "PLACES ortiz2019: Teaching notes||Teaching notes|index.md#cite-1; 1" in page
    assert ("PLACES nakamura2021: Teaching notes||Teaching notes|index.md#cite-1; "
            "Reading notes||Reading notes|notes/reading.md#cite-1; 2") in page


def test_the_index_links_each_citing_page_once_then_its_sections(seed_site: Built) -> None:
    bibliography = seed_site.page("bibliography/")
    for entry in re.findall(r'<div class="cp-ref" id="ref-([^"]+)">(.*?)</div>', bibliography,
                            re.S):
        key, body = entry
        cited_on = body.split('class="cp-cited-on"', 1)[1].split("</span>", 1)[0]
        pages = re.findall(r'<a href="([^"#]+)#([^"]+)">([^<]+)</a> \((.*?)\)(?: · |$)',
                           cited_on.split("</strong>", 1)[1].strip())
        assert pages, key
        assert len({href for href, *_ in pages}) == len(pages), (key, pages)  # each page once
        for href, anchor, _title, sections in pages:
            assert anchor == f"ref-{key}"  # the page's name leads to its own list's entry
            citing_page = seed_site.page(posixpath.normpath(f"bibliography/{href}") + "/")
            assert f'id="ref-{key}"' in citing_page.split('id="references"', 1)[1]
            # each section link (or letter) lands on a citation on that page
            for target in re.findall(r'href="[^"#]+#(cite-\d+)"', sections):
                assert f'id="{target}"' in citing_page, (key, href, target)
            names = [text_of(n) for n in re.split(r";", re.sub(r"<a [^>]*>[a-z]+</a>", "",
                                                                  sections))]
            assert len(names) == len(set(names)), names  # each section once
    repeated = re.search(r"Reported results of percutaneous cement injection ↩ "
                         r'<a aria-label="[^"]*citation 1 of 2" href="([^"]+)">a</a> '
                         r'<a aria-label="[^"]*citation 2 of 2" href="([^"]+)">b</a>',
                         bibliography)
    assert repeated, "a section citing a reference twice shows ↩ a b"
    assert repeated[1] != repeated[2]
    assert ">top of page</a>" in bibliography  # the technique cites before its first heading


def test_a_reference_cited_on_many_pages_folds_its_list(tmp_path: Path) -> None:
    from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
    from casepress.pipeline import BuildCache, run_pipeline
    from casepress.site.bibliography_page import FOLD_AFTER_PAGES

    library = gen_library.generate_library(tmp_path / "lib", cases=12, citations=6, entries=8,
                                           techniques=2, evidence=1, rows=3)
    options, mkdocs = options_from_mkdocs_yml(library / "mkdocs.yml")
    result = run_pipeline(options, mkdocs.get("nav"), BuildCache())
    assert result.ok and result.site is not None and result.site.numbering is not None
    numbering = result.site.numbering
    bibliography = result.site.pages["bibliography.md"].markdown
    folded = 0
    for key, places in numbering.places.items():
        pages = len({place.page_path for place in places})
        entry = bibliography.split(f'id="ref-{key}"', 1)[1].split("</div>", 1)[0]
        if pages > FOLD_AFTER_PAGES:
            folded += 1
            assert f"<summary>Cited on {pages} pages</summary>" in entry
            assert len(re.findall(r"^- \[", entry, re.MULTILINE)) == pages
        else:
            assert "<details" not in entry and "**Cited on:**" in entry
    assert folded, "no reference of the generated library is cited on enough pages to fold"


@pytest.mark.parametrize(("count", "letters"), [(1, []), (2, ["a", "b"]),
                                                (28, [*"abcdefghijklmnopqrstuvwxyz", "aa", "ab"])],
                         ids=["once", "twice", "past-z"])
def test_jump_letters(count: int, letters: list[str]) -> None:
    from casepress.site.bibliography_page import BackLink, cited_on

    places = [BackLink("Page", "Part", "Page \u203a Part", "p/", f"cite-{i}") for i in range(count)]
    pages = cited_on([*places, BackLink("Other", "", "Other", "o/", "cite-1")], "ref-k")
    assert [(p.title, p.entry) for p in pages] == [("Page", "ref-k"), ("Other", "ref-k")]
    assert [letter for letter, _ in pages[0].sections[0].jumps] == letters
    assert cited_on(places[:1], None)[0].entry == "cite-0"  # no page lists: the citation


@pytest.mark.slow  # real builds in subprocesses
def test_site_numbering_gives_one_numbering_and_the_bibliography(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      bibliography: references.bib",
        "      bibliography: references.bib\n      numbering: site"), encoding="utf-8")
    built = build(config, tmp_path / "site")
    assert built.returncode == 0, built.output
    case = built.page(CASE)
    assert 'id="references"' not in case
    first = next(m for m in _cite_links(case) if m["id"])
    assert first["href"].split("#")[0] == "../../bibliography/"
    numbers = [int(n) for n in re.findall(r'<span class="cp-ref-number">(\d+)\.</span>',
                                          built.page("bibliography/"))]
    assert numbers == list(range(1, 20))


@pytest.mark.slow
def test_a_new_case_leaves_the_numbers_of_the_others_alone(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = build(project / "mkdocs.yml", tmp_path / "before")
    assert before.returncode == 0, before.output
    seed = project / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"
    # A case that sorts first and cites, first, what the seed case cites late.
    text = seed.read_text(encoding="utf-8").replace(
        "  what_it_adds: >-\n", "  what_it_adds: >-\n    See [@pommersheim2003; @merkel1999].\n",
        1).replace("title: ", "title: An earlier case; ", 1)
    (project / "content" / "cases" / "aaa-earlier-case.yaml").write_text(text, encoding="utf-8")
    after = build(project / "mkdocs.yml", tmp_path / "after")
    assert after.returncode == 0, after.output

    def numbers_and_list(page: str) -> tuple[list[str], str]:
        return ([m["number"] for m in _cite_links(page)],
                page[page.index('id="references"'):page.index("</article>")])

    assert numbers_and_list(after.page(CASE)) == numbers_and_list(before.page(CASE))
    earlier = after.page("cases/aaa-earlier-case/")
    assert _page_list(earlier)["pommersheim2003"] == "1"


def _numbers_in_reading_order(page: str) -> list[int]:
    """Every reference number the page's text shows, ranges such as 3–13 spelled out."""
    body = page.split('id="references"', 1)[0]
    numbers: list[int] = []
    for group in re.finditer(r'(?:<a class="cp-cite"[^>]*>\d+</a>(?:, |–)?)+', body):
        for first, dash, last in re.findall(r">(\d+)</a>(–)?(?:<a [^>]*>(\d+)</a>)?",
                                            group[0]):
            numbers += range(int(first), int(last) + 1) if dash else [int(first)]
    return numbers


@pytest.mark.slow
def test_citations_in_captions_cells_labels_and_reference_text(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    case_file = project / "content" / "cases" / "sacroplasty-hcc-nbca-pmma.yaml"
    text = case_file.read_text(encoding="utf-8")
    for old, new in [
        # a figure caption, before a colon as prose often has it
        ("MR course of the sacral metastases:", "MR course of the sacral metastases [@kaizu1998]:"),
        # the first sentence of an outcome: the timeline's label and the course table's cell
        ("summary: Pain relief was evident after the left sacroplasty.",
         "summary: Pain relief was evident after the left sacroplasty [@golimbu1985]."),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    case_file.write_text(text, encoding="utf-8")
    about = project / "docs" / "about.md"  # a hand-written page with a list of its own
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [@kaizu1998].\n\n"
                     "## References\n\n1. Kaizu T, et al. 1998.\n", encoding="utf-8")
    bib = project / "references.bib"  # a cited key named again in its own entry's text
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "a retrospective study of 57 patients}", "a retrospective study of 57 patients "
        "[see also @kaizu1998]}", 1), encoding="utf-8")
    built = build(project / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.output
    assert "docs/about.md:" in built.output and "(own-reference-list)" in built.output
    about_page = built.page("about/")
    ids = re.findall(r' id="([^"]+)"', about_page)
    assert len(ids) == len(set(ids)) and 'id="references_1"' in about_page  # both lists kept
    assert about_page.index('id="references_1"') > about_page.index('id="references"')
    page = built.page(CASE)

    numbers = _numbers_in_reading_order(page)
    firsts = list(dict.fromkeys(numbers))
    assert firsts == list(range(1, len(firsts) + 1)), firsts  # numbered in reading order
    listed = _page_list(page)
    assert sorted(map(int, listed.values())) == firsts  # each reference listed once

    caption = page.split('<figure class="cp-figure" id="fig-mri-course"', 1)[1]
    caption = caption.split("</figure>\n</div>", 1)[1].split("</figcaption>", 1)[0]
    cite = re.search(r'\(<a class="cp-cite" href="#ref-kaizu1998" id="(cite-\d+)"[^>]*>'
                     r'(\d+)</a>\):', caption)
    assert cite and cite[2] == listed["kaizu1998"], caption  # bracketed, with its number
    entry = page.split('id="ref-kaizu1998"', 1)[1].split("</div>", 1)[0]
    assert f'href="#{cite[1]}"' in entry  # the list leads back to the caption too
    assert "[see also @kaizu1998]" in text_of(entry) and "cp-cite" not in entry

    timeline = re.search(r"<svg[^>]*casepress-timeline.*?</svg>", page, re.S)
    assert timeline and "@" not in timeline[0] and "[" not in timeline[0]
    row = re.search(r'<td data-label="Event">(Pain relief was evident[^<]*)</td>', page)
    assert row and row[1] == "Pain relief was evident after the left sacroplasty."
    outcome = page.split("Pain relief was evident after the left sacroplasty (", 1)[1]
    assert outcome.startswith('<a class="cp-cite" href="#ref-golimbu1985"')
