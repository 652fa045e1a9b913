"""Structured data (schema.org JSON-LD) for each generated page.

A case page is described as a `MedicalScholarlyArticle`: its title and keywords, what it is
about (the patient's `MedicalCondition` and the `MedicalProcedure` performed), the publication
it restates (`isBasedOn`). A technique page is a `MedicalWebPage` about its
`MedicalProcedure`, an evidence table a `MedicalWebPage` about its question. Each carries a
`citation` list that mirrors the page's own reference list: the references cited on that
page, in the order of the numbers it shows, each with its formatted text and identifiers.

The data, with the page's canonical address on the hosted site, travels in the generated
page's front matter (`casepress_jsonld`, one line of JSON written as a YAML string), so
`export-md` keeps it; templates/overrides/main.html prints it in the page head. Nothing here
imports MkDocs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from casepress.citations.numbering import Numbering
from casepress.models.case import Case
from casepress.references.links import web_links
from casepress.site.listings import describe
from casepress.site.templates import plain

if TYPE_CHECKING:
    from casepress.project import Project

FRONT_MATTER_KEY = "casepress_jsonld"
_IDENTIFIERS = ("PMID", "DOI", "PMCID", "ISBN")


def _condition(case: Case) -> dict[str, Any]:
    condition: dict[str, Any] = {"@type": "MedicalCondition",
                                 "name": plain(case.patient.primary_condition)}
    if case.patient.condition_code:
        codes = [case.patient.condition_code, *(c.code for c in case.patient.secondary_codes)]
        condition["code"] = [{"@type": "MedicalCode", "codingSystem": "ICD-10",
                              "codeValue": code} for code in codes]
    return condition


def _procedure(case: Case, technique_title: str | None) -> dict[str, Any]:
    procedure: dict[str, Any] = {
        "@type": "MedicalProcedure",
        "name": plain(technique_title or case.interventions[0].title),
        "bodyLocation": sorted({plain(i.target) for i in case.interventions}),
    }
    # Needle access through the skin is what makes a procedure percutaneous.
    if any(i.needle or i.needle_gauge for i in case.interventions):
        procedure["procedureType"] = "https://schema.org/PercutaneousProcedure"
    return procedure


def _keywords(case: Case, procedure: str, condition: str) -> list[str]:
    """The case's own keywords; when it has none, what it is about and what was injected."""
    if case.keywords:
        return [plain(k) for k in case.keywords]
    materials = [c.material for i in case.interventions for a in i.agents for c in a.mixture]
    return list(dict.fromkeys(plain(k) for k in [procedure, condition, *materials]))


def _based_on(case: Case) -> dict[str, Any] | None:
    source = case.source
    if source is None:
        return None
    work: dict[str, Any] = {
        "@type": "ScholarlyArticle",
        "headline": plain(source.title),
        "author": [{"@type": "Person", "name": plain(a)} for a in source.authors],
        "datePublished": str(source.year),
        "isPartOf": {"@type": "Periodical", "name": plain(source.journal)},
    }
    if source.url:
        work["url"] = source.url
    return work


def _citation(number: int, text: str, item: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "@type": "ScholarlyArticle" if item.get("type") == "article-journal" else "CreativeWork",
        "position": number,
        "text": text,
    }
    if item.get("title"):
        entry["name"] = item["title"]
    identifiers = [{"@type": "PropertyValue", "propertyID": name, "value": str(item[name])}
                   for name in _IDENTIFIERS if item.get(name)]
    if identifiers:
        entry["identifier"] = identifiers
    if urls := [url for _name, url in web_links(item)]:
        entry["sameAs"] = urls
    return entry


def case_article(project: Project, slug: str, numbering: Numbering) -> dict[str, Any]:
    """The JSON-LD of one case page."""
    case = project.content.cases[slug].model
    technique = project.content.techniques.get(case.technique or "")
    procedure = _procedure(case, technique.model.title if technique else None)
    condition = _condition(case)
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalScholarlyArticle",
        "headline": plain(case.title),
        "name": plain(case.short_title or case.title),
        "description": describe(case.summary.what_it_adds),
        "publicationType": "Case Reports",
        "keywords": _keywords(case, procedure["name"], condition["name"]),
        "about": [condition, procedure],
        "isPartOf": {"@type": "WebSite", "name": project.options.site_name},
    }
    if based_on := _based_on(case):
        article["isBasedOn"] = based_on
    return _with_citations(article, project, numbering, f"cases/{slug}.md")


def _web_page(project: Project, name: str, description: str, **more: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "MedicalWebPage", "name": plain(name),
            "description": describe(description), **more,
            "isPartOf": {"@type": "WebSite", "name": project.options.site_name}}


def technique_page(project: Project, slug: str, numbering: Numbering) -> dict[str, Any]:
    """The JSON-LD of one technique page."""
    technique = project.content.techniques[slug].model
    procedure: dict[str, Any] = {"@type": "MedicalProcedure", "name": plain(technique.title)}
    if technique.aliases:
        procedure["alternateName"] = [plain(a) for a in technique.aliases]
    page = _web_page(project, technique.title, technique.summary, about=procedure)
    return _with_citations(page, project, numbering, f"techniques/{slug}.md")


def evidence_page(project: Project, slug: str, numbering: Numbering) -> dict[str, Any]:
    """The JSON-LD of one evidence table's page."""
    table = project.content.evidence[slug].model
    page = _web_page(project, table.title, table.question)
    return _with_citations(page, project, numbering, f"evidence/{slug}.md")


def _with_citations(data: dict[str, Any], project: Project, numbering: Numbering, path: str
                    ) -> dict[str, Any]:
    keys = numbering.cited_on(path)
    project.ensure_formatted(keys)
    numbers = numbering.numbers_on(path)  # the page's own, as its reference list shows
    data["citation"] = [
        _citation(numbers[key], project.formatted[key].text, project.csl_item(key))
        for key in keys if key in project.formatted
    ]
    return data


def script_json(data: dict[str, Any]) -> str:
    """JSON on one line, safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def add_to_front_matter(markdown: str, data: dict[str, Any]) -> str:
    """The page with `casepress_jsonld: '{...}'` added to its front matter (made if missing):
    the JSON as one YAML string, which the engine keeps as it is. Written as a mapping, each
    page's data became a tree of objects held to the end of a build (30 KB a case page) and
    was parsed by PyYAML's slow Python loader."""
    quoted = script_json(data).replace("'", "''")
    line = f"{FRONT_MATTER_KEY}: '{quoted}'\n"
    if markdown.startswith("---\n") and (end := markdown.find("\n---\n", 3)) != -1:
        return markdown[: end + 1] + line + markdown[end + 1:]
    return f"---\n{line}---\n\n{markdown}"
