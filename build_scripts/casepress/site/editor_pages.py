"""The editors' pages: CARE completeness of every case, and the table of check rules."""

from __future__ import annotations

from collections.abc import Callable

from casepress.checks.care import Status, care_reports
from casepress.content.loader import Content
from casepress.pages import Page
from casepress.rules import rules_by_area
from casepress.site import paging

CARE_PAGE = "editors/care.md"
RULES_PAGE = "editors/rules.md"

SYMBOLS = {Status.PRESENT: "✓", Status.PARTIAL: "◐", Status.MISSING: "✗"}


def editor_pages(content: Content, render: Callable[..., str]) -> list[Page]:
    """The CARE report, `paging.PER_PAGE` cases a page (at 1,000 cases one page would be
    4 MB of tables), and the rules."""
    pages = [Page(p.path, p.title, render("care-report.md.j2", reports=p.shown, status=Status,
                                          symbols=SYMBOLS, **p.context), "content/cases")
             for p in paging.listing(CARE_PAGE, "CARE completeness", care_reports(content))]
    return [*pages, Page(RULES_PAGE, "Check rules", render("rules.md.j2", areas=rules_by_area()),
                         "casepress rules")]
