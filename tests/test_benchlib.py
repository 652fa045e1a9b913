"""The benchmark runner's own arithmetic: rounds in turn, medians, the instruction count
read from cachegrind's report (the figures in benchmarks/README.md rest on them)."""

from __future__ import annotations

import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from benchlib import Run, instruction_count, medians, rounds_of


def test_each_round_runs_every_variant_once_in_turn() -> None:
    order: list[str] = []

    def variant(name: str, cpu: float) -> Run:
        order.append(name)
        return Run(cpu, cpu, cpu * 10)

    rounds = rounds_of(3, lambda: variant("a", 1.0), lambda: variant("b", 2.0))
    assert order == ["a", "b"] * 3
    assert [[r.cpu for r in one] for one in rounds] == [[1.0, 2.0]] * 3


def test_medians_per_variant_and_the_highest_peak() -> None:
    rounds = [[Run(5, 1.0, 40), Run(9, 3.0, 70)],
              [Run(6, 9.0, 45), Run(8, 2.0, 60)],
              [Run(7, 2.0, 50), Run(7, 4.0, 65)]]
    a, b = medians(rounds)
    assert (a.seconds, a.cpu, a.peak_mb) == (6, 2.0, 50)
    assert (b.seconds, b.cpu, b.peak_mb) == (8, 3.0, 70)


@pytest.mark.parametrize(("report", "count"), [
    pytest.param("==8073== \n==8073== I   refs:      10,435,006,047\n", 10_435_006_047,
                 id="with-thousands-commas"),
    pytest.param("==1== I refs: 812\n", 812, id="small"),
    pytest.param("==1== valgrind: failed to start tool 'cachegrind'\n", None, id="no-summary"),
])
def test_the_instruction_count_is_read_from_the_summary(report: str, count: int | None) -> None:
    assert instruction_count(report) == count
