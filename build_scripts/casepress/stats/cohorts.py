"""Spotting rows of an evidence table that may count the same patients twice.

Research groups often publish one series more than once (an early report, then an update,
under a different first author). Pooling both overstates the evidence, so such pairs are
pointed out for an editor to check.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from casepress.models.evidence import EvidenceRow
from casepress.stats.proportions import implied_totals, row_total


def family_name(author: str) -> str:
    """Comparable family name: 'Müller, K.' and 'K. Muller' both give 'muller'."""
    name = author.replace("{", "").replace("}", "").strip()
    family = name.split(",", 1)[0] if "," in name else (name.split() or [""])[-1]
    words = family.split()
    # Last word only, so 'van der Berg, J.' and 'J. van der Berg' agree.
    last = words[-1] if words else ""
    folded = unicodedata.normalize("NFKD", last.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _shared_numbers(a: EvidenceRow, b: EvidenceRow) -> str | None:
    """The numbers two rows have in common that suggest one cohort, in words."""
    if a.n is not None and a.n == b.n:
        return f"n = {a.n}"
    a_total, b_total = row_total(a), row_total(b)
    if a.events is None or a.events != b.events:
        return None
    if a_total is not None and a_total == b_total:
        return f"{a.events}/{a_total}"
    # One source gives only a count and a percentage: compare the n that implies.
    for known, other in ((a_total, b), (b_total, a)):
        pct = other.reported_percent
        if (
            known is not None
            and row_total(other) is None
            and pct is not None
            and list(implied_totals(other.events, pct)) == [known]
        ):
            return (
                f"{a.events} patients with the outcome out of {known} (stated in one, "
                "implied by the percentage in the other)"
            )
    return None


def _display_family(author: str) -> str:
    name = author.replace("{", "").replace("}", "").strip()
    return name.split(",", 1)[0].strip() if "," in name else (name.split() or [""])[-1]


def possible_duplicate_cohorts(
    rows: Sequence[EvidenceRow], authors_of: Callable[[str], tuple[str, ...]]
) -> list[tuple[int, int, str]]:
    """Rows that may count the same patients twice (e.g. an early and a later report).

    A match needs the same numbers (the same n, or the same events/denominator) from the
    same research group: the same first author's family name, or (as groups rotate first
    authorship between papers) one paper's first author listed among the other's authors.
    It is a prompt to check, not proof: pooling both would overstate the evidence.
    """
    families: list[list[str]] = []
    shown: list[dict[str, str]] = []  # folded family name -> as written, for messages
    for row in rows:
        names = [a for a in authors_of(row.reference) if a.strip().casefold() != "others"]
        folded = [(family_name(a), a) for a in names]
        families.append([f for f, _ in folded if f])
        shown.append({f: _display_family(a) for f, a in folded if f})
    found: list[tuple[int, int, str]] = []
    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            b = rows[j]
            fa, fb = families[i], families[j]
            if not fa or not fb:
                continue
            shared = _shared_numbers(a, b)
            if shared is None:
                continue
            if a.reference == b.reference:
                who = f"Rows {i + 1} and {j + 1} both cite {a.reference}"
            elif fa[0] == fb[0]:
                who = (
                    f"Rows {i + 1} ({a.reference}) and {j + 1} ({b.reference}) have the same "
                    "first author"
                )
            elif fa[0] in fb or fb[0] in fa:
                common = [f for f in dict.fromkeys(fa) if f in fb]  # every shared listed name
                in_both = " and ".join(shown[i].get(f) or shown[j].get(f, f) for f in common)
                count = "an author" if len(common) == 1 else f"{len(common)} authors"
                who = (f"Rows {i + 1} ({a.reference}) and {j + 1} ({b.reference}) share "
                       f"{count} ({in_both})")
            else:
                continue
            message = (
                f"{who} and both report {shared}; they may describe the same patients. "
                "Check before counting both."
            )
            found.append((i, j, message))
    return found
