"""Evidence analytics: Wilson intervals, consistency flags, duplicate cohorts, CEBM levels.

Rows are hand-written after content/evidence/cement-injection-pain-relief.yaml so the tests
do not change when the seed content is edited.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casepress.models.evidence import EvidenceRow, EvidenceTable
from casepress.stats.analytics import (
    analyse_row,
    analyse_table,
    evidence_level,
    possible_duplicate_cohorts,
    wilson_interval,
)
from casepress.stats.proportions import implied_totals, percent_tolerance, whole_counts

PP = 0.0005  # "to 0.1 percentage point": values agree once rounded to one decimal of a percent


def row(reference: str = "doe2000", **numbers: Any) -> EvidenceRow:
    return EvidenceRow(
        reference=reference,
        design=numbers.pop("design", "case series"), unit="patients",
        setting="spine",
        condition="vertebral metastases",
        intervention="percutaneous vertebroplasty",
        outcome="pain relief",
        **numbers,
    )


# --- Wilson interval ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        pytest.param(16, 20, 0.584, 0.919, id="16-of-20"),
        pytest.param(36, 37, 0.862, 0.995, id="36-of-37"),
        pytest.param(27, 37, 0.570, 0.846, id="27-of-37"),
        pytest.param(0, 10, 0.0, 0.278, id="none-of-10"),
        pytest.param(10, 10, 0.722, 1.0, id="all-of-10"),
        pytest.param(1, 1, 0.207, 1.0, id="case-report-1-of-1"),
        pytest.param(0, 1, 0.0, 0.793, id="case-report-0-of-1"),
    ],
)
def test_wilson_known_values(successes: int, n: int, low: float, high: float) -> None:
    got_low, got_high = wilson_interval(successes, n)
    assert got_low == pytest.approx(low, abs=PP)
    assert got_high == pytest.approx(high, abs=PP)


def test_wilson_edges_are_exact() -> None:
    assert wilson_interval(0, 25)[0] == 0.0
    assert wilson_interval(25, 25)[1] == 1.0


@pytest.mark.parametrize(
    ("successes", "n"),
    [pytest.param(1, 0, id="n-zero"), pytest.param(5, 4, id="more-than-n"),
     pytest.param(-1, 4, id="negative")],
)
def test_wilson_rejects_impossible_counts(successes: int, n: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(successes, n)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_proportion(case: tuple[int, int]) -> None:
    k, n = case
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0


# --- rounding arithmetic ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "tolerance"),
    [pytest.param(82, 0.5, id="whole"), pytest.param(83.8, 0.05, id="one-decimal"),
     pytest.param(80.0, 0.5, id="float-whole"), pytest.param(12.25, 0.005, id="two-decimals")],
)
def test_tolerance_is_half_the_last_reported_digit(reported: float, tolerance: float) -> None:
    assert percent_tolerance(reported) == pytest.approx(tolerance)


def test_rounding_helpers_do_not_loop_over_huge_n() -> None:
    assert list(whole_counts(50, 300)) == [149, 150, 151]
    assert len(whole_counts(50, 10**9)) > 1_000_000  # a range, not a list built one by one
    assert list(implied_totals(36, 97.3)) == [37]


# --- consistency flags --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "codes"),
    [
        pytest.param({"n": 18, "reported_percent": 82}, {"percent-not-whole-count"},
                     id="82pct-of-18"),
        pytest.param({"n": 57, "reported_percent": 83.8}, {"percent-not-whole-count"},
                     id="83.8pct-of-57"),
        pytest.param({"n": 20, "reported_percent": 80}, set(), id="80pct-of-20"),
        pytest.param({"n": 37, "reported_percent": 73}, set(), id="73pct-of-37"),
        pytest.param({"n": 18, "reported_percent": 83}, set(), id="83pct-of-18"),
        pytest.param({"n": 37, "events": 36, "denominator": 37}, set(), id="36-of-37"),
        pytest.param({"n": 37, "reported_percent": 97.3}, set(), id="97.3pct-of-37"),
        pytest.param({"n": 37, "reported_percent": 97.2}, {"percent-not-whole-count"},
                     id="decimals-tighten-the-check"),
        pytest.param({"events": 36, "reported_percent": 97.3}, {"n-not-stated"},
                     id="97.3pct-36-events-no-n"),
        pytest.param({"reported_percent": 50}, {"n-not-stated"}, id="percent-only"),
        pytest.param({}, {"n-not-stated"}, id="no-numbers"),
        pytest.param({"n": 20, "events": 16, "reported_percent": 80}, set(),
                     id="count-and-percent-agree"),
        pytest.param({"n": 20, "events": 15, "reported_percent": 80},
                     {"count-percent-mismatch"}, id="count-and-percent-disagree"),
        pytest.param({"n": 18, "events": 15, "reported_percent": 82},
                     {"count-percent-mismatch", "percent-not-whole-count"},
                     id="impossible-percent-with-count"),
        pytest.param({"n": 19, "denominator": 20, "reported_percent": 80}, set(),
                     id="denominator-over-n"),
        pytest.param({"n": 20, "events": 21}, {"count-exceeds-total"}, id="events-above-n"),
        pytest.param({"n": 1, "events": 1, "design": "case report"}, set(), id="case-report"),
    ],
)
def test_consistency_flags(numbers: dict[str, Any], codes: set[str]) -> None:
    assert {flag.code for flag in analyse_row(row(**numbers)).flags} == codes


def test_flag_messages_name_the_numbers() -> None:
    (flag,) = analyse_row(row(n=18, reported_percent=82)).flags
    assert "82%" in flag.message and "18 patients" in flag.message
    assert "14/18 = 77.8%" in flag.message and "15/18 = 83.3%" in flag.message


def test_missing_n_message_suggests_the_implied_n() -> None:
    (flag,) = analyse_row(row(events=36, reported_percent=97.3)).flags
    assert "n = 37" in flag.message


# --- proportions and derived counts -------------------------------------------------------


def test_count_is_derived_for_a_consistent_percentage() -> None:
    result = analyse_row(row(n=20, reported_percent=80))
    assert (result.events, result.total, result.derived) == (16, 20, True)
    assert result.interval == pytest.approx(wilson_interval(16, 20))
    assert result.summary() == "≈16/20 · 80% (58–92%)"


def test_reported_count_is_not_marked_derived() -> None:
    result = analyse_row(row(n=37, events=36, denominator=37))
    assert (result.events, result.derived) == (36, False)
    assert result.proportion == pytest.approx(36 / 37)
    assert result.summary() == "36/37 · 97% (86–99%)"


@pytest.mark.parametrize(
    ("numbers", "summary"),
    [
        pytest.param({"n": 18, "reported_percent": 82}, "82% of 18 · count unclear",
                     id="inconsistent"),
        pytest.param({"events": 36, "reported_percent": 97.3},
                     "36 patients (97.3%) · n not stated", id="no-n"),
        pytest.param({}, "no count reported", id="nothing"),
    ],
)
def test_no_interval_without_a_trustworthy_count(numbers: dict[str, Any], summary: str) -> None:
    result = analyse_row(row(**numbers))
    assert result.proportion is None and result.interval is None and not result.derived
    assert result.summary() == summary


# --- duplicate cohorts --------------------------------------------------------------------


AUTHORS = {
    "kaemmerlen1989": ("Kaemmerlen, P.", "Thiesse, P.", "others"),
    "kaemmerlen1991": ("P. Kaemmerlen", "Bouvard, H."),
    "muller2001": ("Müller, K.",),
    "muller2003": ("K. Muller",),
    "berg2001": ("van der Berg, J.",),
    "berg2002": ("J. van der Berg",),
    "weill1996": ("Weill, A.", "Chiras, J."),
    "cotten1996": ("Cotten, A.", "Dewatre, F.", "Cortet, B.", "others"),
    "cortet1997": ("Cortet, B.", "Cotten, A.", "Boutry, N.", "others"),
}


def authors_of(key: str) -> tuple[str, ...]:
    return AUTHORS.get(key, ())


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param(row("kaemmerlen1989", n=20), row("kaemmerlen1991", n=20), True,
                     id="same-first-author-same-n"),
        pytest.param(row("kaemmerlen1989", n=20), row("kaemmerlen1991", n=24), False,
                     id="same-first-author-other-n"),
        pytest.param(row("kaemmerlen1989", n=20), row("weill1996", n=20), False,
                     id="other-author-same-n"),
        pytest.param(row("kaemmerlen1989", n=40, events=16, denominator=20),
                     row("kaemmerlen1991", n=25, events=16, denominator=20), True,
                     id="same-events-and-denominator"),
        pytest.param(row("cotten1996", n=37, events=36, denominator=37),
                     row("cortet1997", events=36, reported_percent=97.3), True,
                     id="co-author-and-implied-n"),
        pytest.param(row("unknown1", n=20), row("unknown2", n=20), False,
                     id="authors-unknown"),
        pytest.param(row("muller2001", n=12), row("muller2003", n=12), True,
                     id="accents-ignored"),
        pytest.param(row("berg2001", n=12), row("berg2002", n=12), True,
                     id="name-order-and-particles"),
    ],
)
def test_duplicate_cohorts(first: EvidenceRow, second: EvidenceRow, expected: bool) -> None:
    found = possible_duplicate_cohorts([first, second], authors_of)
    assert bool(found) is expected
    if expected:
        ((i, j, message),) = found
        assert (i, j) == (0, 1)
        assert "Rows 1" in message and "same patients" in message


def test_duplicate_message_names_every_shared_author() -> None:
    rows = [row("cotten1996", n=37, events=36, denominator=37),
            row("cortet1997", events=36, reported_percent=97.3)]
    ((_, _, message),) = possible_duplicate_cohorts(rows, authors_of)
    assert "share 2 authors (Cotten and Cortet)" in message and "36 patients" in message


# --- evidence levels ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("design", "level", "label_part"),
    [
        pytest.param("systematic review", 1, "1 (systematic review)", id="systematic-review"),
        pytest.param("randomised trial", 2, "2 (randomised trial)", id="randomised-trial"),
        pytest.param("prospective cohort", 3, "3 (cohort study)", id="prospective-cohort"),
        pytest.param("retrospective cohort", 3, "3 (cohort study)", id="retrospective-cohort"),
        pytest.param("case-control", 4,
                     "case-series, case-control studies, or historically controlled studies",
                     id="case-control"),
        pytest.param("case series", 4, "4 (case series)", id="case-series"),
        pytest.param("case report", 4, "4 (case report", id="case-report"),
    ],
)
def test_evidence_level(design: str, level: int, label_part: str) -> None:
    got_level, label = evidence_level(design)
    assert got_level == level
    assert label_part in label and label.startswith(f"{level} (")


def test_unknown_design_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown study design"):
        evidence_level("expert opinion")


# --- whole table --------------------------------------------------------------------------


def test_analyse_table_bundles_everything() -> None:
    table = EvidenceTable(
        title="Pain relief after cement injection",
        question="How often does cement injection relieve pain?",
        outcome="pain relief",
        rows=[
            row("kaemmerlen1989", n=20, reported_percent=80),
            row("weill1996", n=37, reported_percent=73),
            row("cotten1996", n=37, events=36, denominator=37),
            row("cortet1997", events=36, reported_percent=97.3),
            row("marcy2000", n=18, reported_percent=82),
            row("kaizu1998", n=57, reported_percent=83.8, design="retrospective cohort"),
        ],
    )
    result = analyse_table(table, authors_of)
    assert [r.index for r in result.rows] == list(range(6))
    assert [[f.code for f in r.flags] for r in result.rows] == [
        [], [], [], ["n-not-stated"], ["percent-not-whole-count"], ["percent-not-whole-count"],
    ]
    assert result.flag_count == 3
    assert [r.level for r in result.rows] == [4, 4, 4, 4, 4, 3]
    assert [(i, j) for i, j, _ in result.duplicates] == [(2, 3)]


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (0.995, 1, "99.5"), (0.9996, 1, "99.9"), (0.995, 0, "99"), (1.0, 0, "100"),
    (0.0004, 1, "0.1"), (0.0, 1, "0.0"), (0.584, 1, "58.4"),
], ids=["99.5", "near-100", "no-decimals", "reaches-100", "near-0", "zero", "plain"])
def test_interval_limits_never_round_onto_a_bound_they_do_not_reach(
        value: float, decimals: int, shown: str) -> None:
    from casepress.stats.analytics import percent_limit

    assert percent_limit(value, decimals) == shown


def test_a_case_report_is_a_case_not_a_proportion() -> None:
    case = analyse_row(row(n=1, events=1, design="case report"))
    assert case.single_case and case.proportion is None and case.interval is None
    assert case.summary() == "single case, not a proportion"


def test_a_percentage_against_an_n_from_elsewhere_says_where_n_came_from() -> None:
    (flag,) = analyse_row(row(n=57, reported_percent=83.8, n_from="cited title")).flags
    assert "n = 57 is taken from the cited paper's title" in flag.message
    assert "(31/37 = 83.8%)" in flag.message and "misreported" not in flag.message
