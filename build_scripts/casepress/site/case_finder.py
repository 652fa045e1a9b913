"""The case finder's data: what `assets/case-finder.js` filters, sorts and pages on the Cases
listing, in small files it loads as it needs them, so that the listing page stays small at
10,000 cases and works opened from disk (scripts that hand their data to
`casepressFinder.add`, as the search's files do).

* `cases/finder/facets.js`: for each facet (anatomical site, condition, technique, agent,
  guidance, age band, sex, year of the source) its values with their case counts, the
  number of cases and of rows per file;
* `cases/finder/v/<facet>-<value>.js`: the numbers of the cases that have one value;
* `cases/finder/rows/<n>.js`: the listing rows of cases n x ROWS_PER_FILE onwards, in the
  listing's order (file names): address, title, patient, technique, source year;
* `cases/finder/sort/<key>.js`: case numbers in another order (newest source first, age).

A case is numbered by its place in the listing. Without JavaScript the listing pages
(`listings.case_listing_pages`) are the finder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casepress.pages import Asset
from casepress.site.templates import age, plain

if TYPE_CHECKING:
    from casepress.models.case import Case
    from casepress.project import Project

FOLDER = "cases/finder"
ROWS_PER_FILE = 50


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    values_of: Callable[[Case, str], Iterable[str]]  # (case, its technique's title)


def _age_band(years: int) -> str:
    if years >= 90:  # HIPAA Safe Harbor: one category from 90 on
        return "90 and over"
    low = years // 10 * 10
    return f"{low}\u2013{low + 9}"


def _agents(case: Case, technique: str) -> Iterable[str]:
    for intervention in case.interventions:
        for agent in intervention.agents:
            yield from ([c.material for c in agent.mixture] if agent.mixture else [agent.name])


FACETS = (
    Facet("site", "Anatomical site",
          lambda c, t: [i.site or "not stated" for i in c.interventions]),
    Facet("condition", "Condition", lambda c, t: [c.patient.primary_condition]),
    Facet("technique", "Technique", lambda c, t: [t or "not stated"]),
    Facet("agent", "Agent injected", _agents),
    Facet("guidance", "Guidance", lambda c, t: [i.guidance for i in c.interventions]),
    Facet("age", "Age", lambda c, t: [_age_band(c.patient.age_years)]),
    Facet("sex", "Sex", lambda c, t: [c.patient.sex]),
    Facet("year", "Year of the source",
          lambda c, t: [str(c.source.year) if c.source else "not stated"]),
)


def _script(path: str, data: object) -> Asset:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Asset(f"{FOLDER}/{path}",
                 f"casepressFinder.add({json.dumps(path)},{payload});\n".encode())


def finder_assets(project: Project) -> list[Asset]:
    """Every file of the case finder; none for a site without cases."""
    cases = list(project.content.cases.items())
    if not cases:
        return []
    techniques = project.content.techniques
    technique_titles = [plain(techniques[d.model.technique].model.title)
                        if d.model.technique in techniques else "" for _slug, d in cases]
    assets: list[Asset] = []
    facets = []
    for facet in FACETS:
        members: dict[str, list[int]] = {}
        for number, ((_slug, document), technique) in enumerate(
                zip(cases, technique_titles, strict=True)):
            for value in dict.fromkeys(plain(v) for v in facet.values_of(document.model,
                                                                         technique)):
                members.setdefault(value, []).append(number)
        values = sorted(members, key=str.casefold)
        facets.append({"key": facet.key, "label": facet.label, "values": values,
                       "counts": [len(members[v]) for v in values]})
        assets += [_script(f"v/{facet.key}-{i}.js", members[value])
                   for i, value in enumerate(values)]
    for start in range(0, len(cases), ROWS_PER_FILE):
        rows = []
        for (slug, document), technique in zip(cases[start:start + ROWS_PER_FILE],
                                               technique_titles[start:start + ROWS_PER_FILE],
                                               strict=True):
            case = document.model
            patient = case.patient
            rows.append([f"{slug}.md", plain(case.title),
                         f"{age(patient.age_years)} {patient.sex}, "
                         f"{plain(patient.primary_condition)}",
                         technique, case.source.year if case.source else None])
        assets.append(_script(f"rows/{start // ROWS_PER_FILE}.js", rows))
    models = [document.model for _slug, document in cases]
    years = [m.source.year if m.source else 0 for m in models]  # no source: last
    orders = {
        "newest": sorted(range(len(cases)), key=lambda n: (-years[n], n)),
        "age": sorted(range(len(cases)), key=lambda n: (models[n].patient.age_years, n)),
    }
    assets += [_script(f"sort/{key}.js", order) for key, order in orders.items()]
    assets.append(_script("facets.js", {"cases": len(cases), "rowsPerFile": ROWS_PER_FILE,
                                        "facets": facets, "sorts": ["listed", *orders]}))
    return assets
