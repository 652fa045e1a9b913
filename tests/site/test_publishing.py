"""The hosted site: addresses, descriptions and structured data; the search helpers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from casepress.site.listings import markdown_description
from casepress.site.structured_data import add_to_front_matter, script_json
from conftest import Built, build, copy_project, text_of

pytestmark = pytest.mark.slow  # real builds in subprocesses

CASE = "cases/sacroplasty-hcc-nbca-pmma/"
SITE = "https://casepress.github.io/casepress/"
PAGES = ["", "cases/", CASE, "techniques/percutaneous-sacroplasty/",
         "evidence/cement-injection-pain-relief/", "bibliography/", "how-to-cite/", "about/"]


def _jsonld(page: str) -> dict[str, object]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    data: dict[str, object] = json.loads(scripts[0])
    return data


def test_each_page_has_its_canonical_address_and_own_description(seed_site: Built) -> None:
    descriptions = set()
    for url in PAGES:
        page = seed_site.page(url)
        assert f'<link rel="canonical" href="{SITE}{url}">' in page, url
        description = re.search(r'<meta name="description" content="([^"]+)">', page)
        assert description, url
        descriptions.add(description.group(1))
    assert len(descriptions) == len(PAGES)  # from each page's content, not the site's default


def test_sitemap_and_404_page(seed_site: Built) -> None:
    sitemap = (seed_site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE}{CASE}</loc>" in sitemap
    assert f"<loc>{SITE}how-to-cite/</loc>" in sitemap
    missing = (seed_site.site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in text_of(missing)
    assert f'<a href="{SITE}">case library home page</a>' in missing


def test_how_to_cite_is_in_the_navigation_and_cites_the_case_page(seed_site: Built) -> None:
    home = seed_site.page("")
    assert 'href="how-to-cite/"' in home[home.index("md-nav--primary"):]
    assert f"{SITE}{CASE}" in text_of(seed_site.page("how-to-cite/"))


def test_case_page_describes_itself_as_a_medical_scholarly_article(seed_site: Built) -> None:
    data = _jsonld(seed_site.page(CASE))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalScholarlyArticle"
    assert data["url"] == SITE + CASE
    assert str(data["headline"]).startswith("Sacroplasty with n-BCA and PMMA")
    assert {"PMMA", "lipiodol", "Percutaneous sacroplasty"} <= set(data["keywords"])  # type: ignore[arg-type]
    condition, procedure = data["about"]  # type: ignore[misc]
    assert condition["@type"] == "MedicalCondition"
    assert [code["codeValue"] for code in condition["code"]] == ["C22.0", "C79.51"]
    assert procedure["@type"] == "MedicalProcedure"
    assert procedure["procedureType"] == "https://schema.org/PercutaneousProcedure"
    assert data["isBasedOn"]["datePublished"] == "2005"  # type: ignore[index]


TECHNIQUE, EVIDENCE = PAGES[3], PAGES[4]


def test_technique_and_evidence_pages_describe_themselves(seed_site: Built) -> None:
    technique = _jsonld(seed_site.page(TECHNIQUE))
    assert (technique["@type"], technique["url"]) == ("MedicalWebPage", SITE + TECHNIQUE)
    about = technique["about"]
    assert isinstance(about, dict) and about["@type"] == "MedicalProcedure"
    assert about["name"] == "Percutaneous sacroplasty"
    assert {"sacroplasty", "cementoplasty"} <= set(about["alternateName"])  # its aliases
    evidence = _jsonld(seed_site.page(EVIDENCE))
    assert (evidence["@type"], evidence["url"]) == ("MedicalWebPage", SITE + EVIDENCE)
    assert "pain" in str(evidence["description"]).lower()


@pytest.mark.parametrize("url", [CASE, TECHNIQUE, EVIDENCE], ids=["case", "technique", "evidence"])
def test_citations_mirror_the_page_reference_list(seed_site: Built, url: str) -> None:
    case = seed_site.page(url)
    citations = _jsonld(case)["citation"]
    assert isinstance(citations, list)
    listed = case[case.index('id="references"'):]
    entries = re.findall(r'<div class="cp-ref" id="ref-[^"]+">.*?<span class="cp-ref-number">'
                         r'(\d+)\.</span>(.*?)</div>', listed, re.S)
    cited_here = [int(n) for n, _entry in entries]
    assert [c["position"] for c in citations] == cited_here == list(range(1, len(entries) + 1))
    for citation in citations:
        entry = dict(entries)[str(citation["position"])]
        assert text_of(citation["text"]) in text_of(entry)
        for identifier in citation.get("identifier", []):
            # the PubMed and DOI links carry them
            assert identifier["value"] in unquote(html.unescape(entry))
    assert any(c.get("identifier") for c in citations)


def test_structured_data_cannot_close_its_script_element() -> None:
    text = script_json({"name": "</script><b>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><b>&"}
    page = add_to_front_matter("---\ntitle: T\n---\n\n# T\n", {"name": "x: 'y' \u2028 z"})
    meta = yaml.safe_load(page.split("---\n")[1])
    assert meta.keys() == {"title", "casepress_jsonld"}
    assert json.loads(meta["casepress_jsonld"]) == {"name": "x: 'y' \u2028 z"}


def test_missing_site_url_is_an_error_naming_the_option(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", text), encoding="utf-8")
    built = build(config, tmp_path / "site")
    assert built.returncode == 1
    assert "mkdocs.yml: error: site_url is not set" in built.output
    assert "Traceback" not in built.output


def test_hand_written_page_description_is_its_first_paragraph() -> None:
    markdown = ("# Title\n\n<div>x</div>\n\n!!! note\n    aside\n\n- a list\n\n"
                "See the [case](cases/x.md) and **bold** text [@key].\n\nMore.")
    assert markdown_description(markdown) == "See the case and bold text."
    assert markdown_description("# Only a heading\n") is None


def test_structured_data_follows_file_addresses_and_front_matter_cannot_break_out(
        tmp_path: Path) -> None:
    """With `use_directory_urls: false` a page's address ends .html, in its canonical link and
    its structured data alike. A hand-written page's front matter may name the key that
    carries structured data; whatever it holds cannot close the script element."""
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n",
                      encoding="utf-8")
    (project / "docs" / "hostile.md").write_text(
        "---\ncasepress_jsonld: '</script><script>alert(1)</script><!--'\n---\n\n# Hostile\n\n"
        "Text.\n", encoding="utf-8")
    built = build(config, tmp_path / "site")
    assert built.returncode == 0, built.output
    case = (built.site / "cases/sacroplasty-hcc-nbca-pmma.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', case)
    assert canonical and canonical.group(1) == f"{SITE}cases/sacroplasty-hcc-nbca-pmma.html"
    assert _jsonld(case)["url"] == canonical.group(1)
    hostile = (built.site / "hostile.html").read_text(encoding="utf-8")
    head = hostile[:hostile.index("</head>")]
    assert "alert(1)" in head and "<script>alert" not in hostile
    assert re.findall(r"<script type=\"application/ld\+json\">(.*?)</script>", head) == [
        "\\u003c/script>\\u003cscript>alert(1)\\u003c/script>\\u003c!--"]
