"""The editors' pages: CARE completeness of every case, and the table of check rules."""

from __future__ import annotations

from collections.abc import Callable

from casepress.checks.care import Status, care_reports
from casepress.content.loader import Content
from casepress.pages import Page
from casepress.rules import rules_by_area

CARE_PAGE = "editors/care.md"
RULES_PAGE = "editors/rules.md"

SYMBOLS = {Status.PRESENT: "✓", Status.PARTIAL: "◐", Status.MISSING: "✗"}


def editor_pages(content: Content, render: Callable[..., str]) -> list[Page]:
    return [
        Page(CARE_PAGE, "CARE completeness",
             render("care-report.md.j2", reports=care_reports(content), status=Status,
                    symbols=SYMBOLS), "content/cases"),
        Page(RULES_PAGE, "Check rules", render("rules.md.j2", areas=rules_by_area()),
             "casepress rules"),
    ]
