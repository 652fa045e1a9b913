"""Times as certain as the source: exact, approximate, open-ended, intervals, and events
timed from an undated one kept relative to it."""

from __future__ import annotations

from typing import Any

import pytest

from casepress.content.timing import Day, in_course_order, resolve_days
from casepress.models.case import Case


def _case(interventions: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> Case:
    base: dict[str, Any] = {
        "title": "A case",
        "summary": {"what_it_adds": "Something.", "lessons": ["A lesson."]},
        "patient": {"age_years": 70, "sex": "male", "primary_condition": "Condition"},
        "presentation": {"chief_complaint": "Pain."},
        "diagnostic_assessment": {"diagnosis": "Diagnosis."},
        "interventions": [{"title": "A procedure", "target": "Target", "setting": "CT suite",
                           "guidance": "CT", "result": "Done.", **i} for i in interventions],
        "outcomes": [{"summary": "Better.", **o} for o in outcomes],
    }
    return Case.model_validate(base)


def test_a_procedure_timed_from_the_complaint_that_led_to_it() -> None:
    case = _case(
        [{"id": "first", "when": {"day": 0}},
         {"id": "second", "when": {"after": "complaint", "open_ended": True}}],
        [{"id": "complaint", "when": {"after": "first", "days": 90, "approximate": True}},
         {"id": "relief", "when": {"after": "second", "days": 3}},
         {"id": "scan", "when": {"after": "relief", "days": 32}}])
    events = {e.id: e for e in resolve_days(case)}
    assert events["complaint"].day == Day(90, True)
    assert events["second"].day == Day(90, True, open_ended=True)
    assert events["relief"].day == Day(93, False, anchor="second", days_after=3)
    assert events["scan"].day == Day(125, False, anchor="second", days_after=35)
    order = [e.id for e in in_course_order(resolve_days(case))]
    assert order == ["first", "complaint", "second", "relief", "scan"]


@pytest.mark.parametrize(("when", "label"), [
    ({"day": 7}, "day 7"),
    ({"day": 97, "approximate": True}, "~day 97"),
    ({"day": 97, "approximate": True, "open_ended": True}, "on or after ~day 97"),
    ({"day": 30, "latest": 60}, "day 30\u201360"),
], ids=["exact", "approximate", "open-ended", "interval"])
def test_absolute_labels(when: dict[str, Any], label: str) -> None:
    case = _case([{"id": "p", "when": when}], [])
    day = resolve_days(case)[0].day
    assert day is not None and day.label() == label


def test_an_interval_after_an_exact_event_stays_an_interval() -> None:
    case = _case([{"id": "p", "when": {"day": 7}}],
                 [{"id": "o", "when": {"after": "p", "days": 30, "latest": 60}}])
    assert resolve_days(case)[1].day == Day(37, False, latest=67)


def test_a_loop_of_anchors_leaves_its_events_without_a_time() -> None:
    case = _case([{"id": "p", "when": {"day": 0}}],
                 [{"id": "a", "when": {"after": "b", "days": 1}},
                  {"id": "b", "when": {"after": "a", "days": 1}}])
    assert [e.day for e in resolve_days(case)][1:] == [None, None]


def test_after_without_days_needs_open_ended() -> None:
    with pytest.raises(ValueError, match="open_ended"):
        _case([{"id": "p", "when": {"day": 0}}], [{"id": "o", "when": {"after": "p"}}])
