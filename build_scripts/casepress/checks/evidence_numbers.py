"""Percentages in evidence rows that the patient count cannot give (or that disagree with the
count): the evidence page marks them, and `casepress check` says so at the line, so that an
editor compares them with the source before the page goes out."""

from __future__ import annotations

from casepress.content.loader import Content
from casepress.diagnostics import Diagnostic, warning
from casepress.stats.analytics import analyse_row

_PERCENT_FLAGS = ("percent-not-whole-count", "count-percent-mismatch")


def percent_problems(content: Content) -> list[Diagnostic]:
    found = []
    for doc in content.evidence.values():
        for index, row in enumerate(doc.model.rows):
            if row.percent_checked:
                continue
            for flag in analyse_row(row, index).flags:
                if flag.code in _PERCENT_FLAGS:
                    line, col = doc.source.position(("rows", index, "reported_percent"))
                    found.append(warning(
                        doc.file, line, "evidence-percent",
                        f"rows[{index}].reported_percent: {flag.message}",
                        "compare both numbers with the source; if it prints them so, add "
                        "`percent_checked: true` to this row", col=col))
    return found
