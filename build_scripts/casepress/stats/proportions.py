"""Proportions as sources report them: Wilson intervals and percentage rounding checks.

A percentage in a paper is a rounded count over a denominator. Working back from the rounding
tells which counts (or which denominators) a reported figure could have come from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from casepress.models.evidence import EvidenceRow

Z_95 = 1.959963984540054
"""Two-sided 95% quantile of the standard normal distribution."""


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for `successes` out of `n`, as proportions 0..1.

    Chosen over the textbook (Wald) interval because it stays inside 0..1 and is still
    honest at 0/n and n/n, which small case series often report.
    """
    if n <= 0:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n={n}, got {successes}")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # Clamp float noise so 0/n starts at exactly 0 and n/n ends at exactly 1.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def percent_tolerance(reported: float) -> float:
    """Half a unit of the last digit the source reported: 82 -> 0.5, 83.8 -> 0.05."""
    exponent = Decimal(repr(float(reported))).normalize().as_tuple().exponent
    decimals = min(3, max(0, -exponent)) if isinstance(exponent, int) else 0
    return 0.5 * 10.0**-decimals


def matches(count: int, total: int, reported: float) -> bool:
    # Inclusive with a little slack: sources round halves either way, and 100k/N is a float.
    return abs(100 * count / total - reported) <= percent_tolerance(reported) + 1e-9


def _contiguous(ok: Callable[[int], bool], lo: int, hi: int, floor: int, ceil: int) -> range:
    """The run of integers satisfying `ok` around a guessed [lo, hi], within [floor, ceil].

    Matching counts (and totals) are contiguous, and the guess comes from exact arithmetic,
    so a few steps fix float error at the edges; n has no upper bound in the content model,
    so nothing here may loop over 0..n.
    """
    lo, hi = max(floor, lo), min(ceil, hi)
    while lo > floor and ok(lo - 1):
        lo -= 1
    while lo <= hi and not ok(lo):
        lo += 1
    while hi < ceil and ok(hi + 1):
        hi += 1
    while hi >= lo and not ok(hi):
        hi -= 1
    return range(lo, hi + 1)


def whole_counts(reported: float, total: int) -> range:
    """Every count k in 0..total whose percentage of `total` rounds to `reported`."""
    tol = percent_tolerance(reported)
    return _contiguous(
        lambda k: matches(k, total, reported),
        math.floor((reported - tol) * total / 100),
        math.ceil((reported + tol) * total / 100),
        0,
        total,
    )


def closest_count(reported: float, total: int) -> int | None:
    """The count of `total` that best explains `reported`, or None if no count can."""
    counts = whole_counts(reported, total)
    if not counts:
        return None
    return min(max(round(reported * total / 100), counts[0]), counts[-1])


def nearest_counts(reported: float, total: int) -> list[int]:
    """The counts just below and above `reported` percent of `total`, for messages."""
    exact = reported * total / 100
    return sorted({min(total, max(0, k)) for k in (math.floor(exact), math.ceil(exact))})


def implied_totals(events: int | None, reported: float) -> range:
    """Every n for which `events` patients would be reported as `reported` percent.

    Empty when that cannot be narrowed down: no events, or a percentage so small that any
    large enough n fits.
    """
    tol = percent_tolerance(reported)
    if events is None or events == 0 or reported - tol <= 0:
        return range(0)
    return _contiguous(
        lambda t: matches(events, t, reported),
        math.floor(100 * events / (reported + tol)),
        math.ceil(100 * events / (reported - tol)),
        max(events, 1),
        math.ceil(100 * events / (reported - tol)) + 1,
    )


def row_total(row: EvidenceRow) -> int | None:
    """Patients assessed: the denominator, or n where the source gives no denominator."""
    return row.denominator if row.denominator is not None else row.n
