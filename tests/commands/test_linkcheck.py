"""Link integrity: every internal link and anchor of the built site resolves.

The seed build must pass; each kind of link (citation, back-link, figure reference, navigation,
asset) is shown to be checked by planting one broken link of that kind in a copy of the site.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from casepress.commands.linkcheck import check_site, read_page, site_base_path
from casepress.diagnostics import format_report
from conftest import Built, run_casepress

pytestmark = pytest.mark.slow  # real builds in subprocesses

CASE_PAGE = "cases/sacroplasty-hcc-nbca-pmma/index.html"
BIB_PAGE = "bibliography/index.html"


def test_seed_site_has_no_broken_link(seed_site: Built) -> None:
    problems = check_site(seed_site.site)
    assert not problems, format_report(problems)


def test_base_path_is_read_from_the_sitemap(seed_site: Built) -> None:
    assert site_base_path(seed_site.site) == "/casepress/"  # site_url of mkdocs.yml


def test_command_passes_on_the_seed_site(seed_site: Built) -> None:
    result = run_casepress("linkcheck", seed_site.site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every internal link and anchor" in result.stdout


@pytest.mark.parametrize(
    ("page", "href_pattern"),
    [
        (CASE_PAGE, r'href="#ref-[^"]+"'),
        (BIB_PAGE, r'href="\.\./cases/sacroplasty-hcc-nbca-pmma/#cite-\d+"'),
        (CASE_PAGE, r'href="#fig-[^"]+"'),
        ("index.html", r'href="techniques/"'),
        (CASE_PAGE, r'href="\.\./\.\./assets/casepress/casepress\.css"'),
    ],
    ids=["citation", "back-link", "figure-reference", "navigation", "asset"],
)
def test_each_kind_of_link_is_checked(seed_site: Built, page: str, href_pattern: str) -> None:
    html = (seed_site.site / page).read_text(encoding="utf-8")
    hrefs = [value for *_rest, value in read_page(html).links]
    assert any(re.fullmatch(href_pattern, f'href="{h}"') for h in hrefs), \
        f"the checker sees no link like {href_pattern} in {page}"


def _plant(site: Path, page: str, pattern: str, broken: str) -> tuple[str, int]:
    """Replace the first href matching `pattern` in `page`; return it and its line."""
    path = site / page
    html = path.read_text(encoding="utf-8")
    match = re.search(pattern, html)
    assert match, f"nothing like {pattern} in {page}"
    path.write_text(html[: match.start()] + f'href="{broken}"' + html[match.end():],
                    encoding="utf-8")
    return broken, html.count("\n", 0, match.start()) + 1


@pytest.mark.parametrize(
    ("page", "pattern", "broken", "reason"),
    [
        (CASE_PAGE, r'href="#ref-[^"]+"', "#ref-no-such-entry",
         "no element with id 'ref-no-such-entry' in this page"),
        (BIB_PAGE, r'href="\.\./cases/sacroplasty-hcc-nbca-pmma/#cite-\d+"',
         "../cases/sacroplasty-hcc-nbca-pmma/#cite-999",
         "no element with id 'cite-999' in cases/sacroplasty-hcc-nbca-pmma/index.html"),
        (CASE_PAGE, r'href="#fig-[^"]+"', "#fig-missing",
         "no element with id 'fig-missing' in this page"),
        ("index.html", r'href="techniques/"', "technique/",
         "no file technique/index.html in the site"),
        (CASE_PAGE, r'href="\.\./\.\./assets/casepress/casepress\.css"',
         "../../assets/casepress/missing.css", "no file assets/casepress/missing.css"),
        ("index.html", r'href="about/"', "../../etc/hostname", "points above the site folder"),
    ],
    ids=["citation", "back-link", "figure-reference", "navigation", "asset", "escape"],
)
def test_planted_broken_link_is_reported(seed_site: Built, tmp_path: Path, page: str,
                                         pattern: str, broken: str, reason: str) -> None:
    site = tmp_path / "site"
    shutil.copytree(seed_site.site, site)
    href, line = _plant(site, page, pattern, broken)

    problems = check_site(site)
    assert [(p.file, p.line) for p in problems] == [(page, line)], format_report(problems)
    assert f'="{href}">' in problems[0].message
    assert reason in problems[0].message

    result = run_casepress("linkcheck", site)
    assert result.returncode == 1
    assert f"{page}:{line}:" in result.stdout
    assert href in result.stdout and reason in result.stdout
    assert "1 broken link(s)" in result.stdout


def test_anchor_may_be_an_a_name(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a name="old"></a><a href="#old">x</a><a href="page.html#missing">y</a>'
        '<p id="p1"></p><a href="page.html#p2">z</a>', encoding="utf-8")
    (tmp_path / "page.html").write_text('<h2 id="p2">P</h2>', encoding="utf-8")
    problems = check_site(tmp_path, "/")
    assert [p.message for p in problems] == [
        "<a href=\"page.html#missing\">: no element with id 'missing' in page.html"]


def test_command_explains_a_missing_site(tmp_path: Path) -> None:
    result = run_casepress("linkcheck", tmp_path / "nothing-here")
    assert result.returncode == 2
    assert "holds no built site; run `casepress build` first" in result.stderr
