"""Build-time SVG figures: valid, accessible, safe with hostile text, deterministic, legible."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casepress.graphics.forest import ForestRow, forest_plot_svg
from casepress.graphics.kit import CHAR_WIDTH
from casepress.graphics.placeholder import placeholder_svg
from casepress.graphics.timeline import TimelineEvent, timeline_svg

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onload="alert(2)\' onerror=\'x\' & ]]> <!-- \x00\x1b'
ALLOWED_TAGS = {"svg", "title", "desc", "defs", "pattern", "g", "rect", "line", "path",
                "polygon", "circle", "text"}

SEED_EVENTS = [
    TimelineEvent(0, False, "Sacroplasty with NBCA and PMMA", "procedure"),
    TimelineEvent(0, False, "CT: cement in both sacral alae", "imaging"),
    TimelineEvent(1, False, "Pain much improved", "outcome"),
    TimelineEvent(3, False, "Walking with a frame", "outcome"),
    TimelineEvent(17, False, "Second sacroplasty", "procedure"),
    TimelineEvent(170, True, "Died of liver failure", "death"),
]
SEED_ROWS = [
    ForestRow("Kaemmerlen 1989 (ref 1)", 20, 0.8, 0.584, 0.919, "≈16/20 · 80% (58–92%)", False),
    ForestRow("Cotten 1996 (ref 3)", 37, 36 / 37, 0.862, 0.995, "36/37 · 97% (86–100%)", False),
    ForestRow("Cortet 1997 (ref 4)", None, None, None, None, "", False),
    ForestRow("Marcy 2000 (ref 6)", 18, None, None, None, "82% of 18 · count unclear", True),
]


def placeholder(text: str, prefix: str = "fig-1-b") -> str:
    return placeholder_svg(1, "B", f"CT {text}", f"Lesion {text}", f"Alt {text}", prefix)


def timeline(text: str, prefix: str = "timeline") -> str:
    events = [*SEED_EVENTS, TimelineEvent(5, False, f"Label {text}", "other")]
    return timeline_svg(events, prefix, f"Course {text}", f"Description {text}")


def forest(text: str, prefix: str = "forest") -> str:
    rows = [*SEED_ROWS, ForestRow(f"Study {text}", 10, 0.5, 0.2, 0.8, f"Result {text}", True)]
    return forest_plot_svg(rows, prefix, f"Pain relief {text}", f"Description {text}")


BUILDERS: list[object] = [
    pytest.param(placeholder, id="placeholder"),
    pytest.param(timeline, id="timeline"),
    pytest.param(forest, id="forest-plot"),
]
Builder = Callable[..., str]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def local(tag: str) -> str:
    return tag.removeprefix(NS)


# --- shared properties --------------------------------------------------------------------


@pytest.mark.parametrize("build", BUILDERS)
def test_accessible_and_scalable(build: Builder) -> None:
    root = parse(build("plain"))
    assert local(root.tag) == "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox", ""))
    assert root.get("font-family") == "system-ui, sans-serif"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    assert title.text and "plain" in title.text
    assert desc.text and "plain" in desc.text


@pytest.mark.parametrize("build", BUILDERS)
def test_hostile_text_is_only_ever_text(build: Builder) -> None:
    svg = build(HOSTILE, prefix=HOSTILE)
    root = parse(svg)  # control characters were dropped, so this is still valid XML
    assert "<script" not in svg and "<!--" not in svg
    for element in root.iter():
        assert local(element.tag) in ALLOWED_TAGS
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert not re.search("[<>\"']", value), (name, value)
            if name == "id" or name.startswith("aria-"):
                assert re.fullmatch(r"[A-Za-z][\w -]*", value), value
    title = root.find(f"{NS}title")
    assert title is not None and title.text is not None
    assert '<script>alert(1)</script>" onload="alert(2)' in title.text


@pytest.mark.parametrize("build", BUILDERS)
def test_output_is_deterministic(build: Builder) -> None:
    assert build("same") == build("same")


@pytest.mark.parametrize("build", BUILDERS)
def test_ids_come_from_the_prefix(build: Builder) -> None:
    ids = [e.get("id") for e in parse(build("x", prefix="case-7")).iter() if e.get("id")]
    assert ids and len(ids) == len(set(ids))
    assert all(i is not None and i.startswith("case-7-") for i in ids)
    assert build("x", prefix="case-7") != build("x", prefix="case-8")


# --- placeholder --------------------------------------------------------------------------


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def test_placeholder_content() -> None:
    long = "Large lytic lesion of the left sacral ala " * 6
    root = parse(placeholder_svg(2, "C", "MRI, T1-weighted", long, "Sacral MRI", "f2c"))
    assert root.get("viewBox") == "0 0 400 300"  # 4:3
    shown = texts(root)
    assert shown[:2] == ["Fig 2C", "MRI, T1-weighted"]
    assert "Image placeholder" in shown
    assert any(line.endswith("…") for line in shown), "long descriptions are truncated"
    assert len(shown) <= 2 + 4 + 1
    desc = root.find(f"{NS}desc")
    assert desc is not None and long.strip() in (desc.text or "")
    assert root.findtext(f"{NS}title") == "Sacral MRI"
    assert root.find(f".//{NS}pattern[@id='f2c-hatch']") is not None


def test_placeholder_without_panel_letter() -> None:
    root = parse(placeholder_svg(3, None, "CT", "Lesion", "A lesion on CT", "f3"))
    assert texts(root)[0] == "Fig 3"


# --- timeline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "tag"),
    [pytest.param("procedure", "polygon", id="procedure-diamond"),
     pytest.param("outcome", "circle", id="outcome-circle"),
     pytest.param("imaging", "rect", id="imaging-square"),
     pytest.param("death", "path", id="death-cross"),
     pytest.param("other", "polygon", id="other-triangle")],
)
def test_marker_shape_depends_on_kind(kind: str, tag: str) -> None:
    root = parse(timeline_svg([TimelineEvent(4, False, "An event", kind)], "t", "T", "D"))
    markers = [e for e in root.iter() if e.get("data-kind") == kind]
    # On the axis, beside the label and in the legend.
    assert len(markers) == 3
    assert {local(m.tag) for m in markers} == {tag}
    assert kind.capitalize() in texts(root)


def test_diamond_and_triangle_differ() -> None:
    root = parse(timeline_svg([TimelineEvent(1, False, "a", "procedure"),
                               TimelineEvent(2, False, "b", "other")], "t", "T", "D"))
    points = {e.get("data-kind"): e.get("points", "") for e in root.iter(f"{NS}polygon")}
    assert len(points["procedure"].split()) == 4 and len(points["other"].split()) == 3


def test_unknown_kind_and_empty_timeline_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown event kind"):
        TimelineEvent(0, False, "x", "surgery")
    with pytest.raises(ValueError):
        timeline_svg([], "t", "T", "D")


def test_day_labels_mark_approximate_times() -> None:
    shown = texts(parse(timeline("x")))
    assert "day 0" in shown and "~day 170" in shown and "day 17" in shown
    negative = texts(parse(timeline_svg([TimelineEvent(-3, False, "Biopsy", "other")],
                                        "t", "T", "D")))
    assert "day \u22123" in negative


@pytest.mark.parametrize(
    ("days", "compressed"),
    [pytest.param([0, 1, 3, 17, 170], True, id="long-span-with-early-cluster"),
     pytest.param([0, 2, 10], False, id="short-span"),
     pytest.param([0, 60, 120, 180], False, id="long-span-evenly-spread")],
)
def test_axis_compresses_only_when_needed(days: list[int], compressed: bool) -> None:
    events = [TimelineEvent(d, False, f"Event on {d}", "outcome") for d in days]
    shown = " ".join(texts(parse(timeline_svg(events, "t", "T", "D"))))
    assert ("compressed" in shown) is compressed


Box = tuple[float, float, float, float]


def layout(svg: str) -> list[tuple[float, float, float, Box]]:
    """Per event group: leader x, leader bottom y, leader top y, and its label's box."""
    found = []
    for group in parse(svg).iter(f"{NS}g"):
        if group.get("class") != "cp-event":
            continue
        leader = group.find(f"{NS}line")
        assert leader is not None
        lines = group.findall(f"{NS}text")
        x0 = min(float(t.get("x", 0)) for t in lines) - 14
        x1 = max(float(t.get("x", 0)) + len(t.text or "") * 12 * CHAR_WIDTH for t in lines)
        y0 = min(float(t.get("y", 0)) for t in lines) - 12
        y1 = max(float(t.get("y", 0)) for t in lines) + 3
        found.append((float(leader.get("x1", 0)), float(leader.get("y1", 0)),
                      float(leader.get("y2", 0)), (x0, y0, x1, y1)))
    return found


def assert_readable(svg: str) -> None:
    groups = layout(svg)
    width = float(parse(svg).get("viewBox", "").split()[2])
    for i, (x, bottom, top, box) in enumerate(groups):
        assert box[2] <= width, "label runs off the figure"
        for j, (_, _, _, other) in enumerate(groups):
            if i == j:
                continue
            overlap = box[0] < other[2] and other[0] < box[2] and box[1] < other[3] \
                and other[1] < box[3]
            assert not overlap, f"labels {i} and {j} overlap"
            crosses = other[0] <= x <= other[2] and top < other[3] and other[1] < bottom
            assert not crosses, f"leader {i} crosses label {j}"


def test_seed_timeline_labels_do_not_overlap() -> None:
    assert_readable(timeline("x"))


@settings(max_examples=60, deadline=None)
@given(st.lists(
    st.tuples(st.integers(-30, 800), st.booleans(), st.text(min_size=1, max_size=70),
              st.sampled_from(["procedure", "outcome", "imaging", "death", "other"])),
    min_size=1, max_size=14,
))
def test_any_timeline_stays_readable(raw: list[tuple[int, bool, str, str]]) -> None:
    events = [TimelineEvent(*event) for event in raw]
    assert_readable(timeline_svg(events, "t", "T", "D"))


# --- forest plot --------------------------------------------------------------------------


def rows_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("data-row") is not None]


def test_one_group_per_study() -> None:
    root = parse(forest("x"))
    assert [g.get("data-row") for g in rows_of(root)] == ["0", "1", "2", "3", "4"]


def squares(group: ET.Element) -> list[ET.Element]:
    return [r for r in group.iter(f"{NS}rect") if r.get("fill-opacity") is None]


def test_square_area_scales_with_n() -> None:
    rows = [ForestRow("A", 10, 0.5, 0.3, 0.7, "", False),
            ForestRow("B", 40, 0.5, 0.4, 0.6, "", False)]
    small, big = (squares(g)[0] for g in rows_of(parse(forest_plot_svg(rows, "f", "T", "D"))))
    area = [float(s.get("width", 0)) * float(s.get("height", 0)) for s in (small, big)]
    assert area[1] / area[0] == pytest.approx(4, rel=0.02)


def test_interval_axis_and_gridlines() -> None:
    root = parse(forest("x"))
    shown = texts(root)
    assert all(f"{tick}%" in shown for tick in (0, 25, 50, 75, 100))
    dashed = [line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 5
    first = rows_of(root)[0]
    assert first.find(f"{NS}path") is not None, "the Wilson interval is drawn"
    assert "≈16/20 · 80% (58–92%)" in texts(first)


def test_row_without_proportion_says_so() -> None:
    root = parse(forest("x"))
    cortet, marcy = rows_of(root)[2], rows_of(root)[3]
    for group in (cortet, marcy):
        assert "no interval: count not given" in " ".join(texts(group))
        assert not squares(group) and group.find(f"{NS}path") is None


def test_flagged_rows_are_marked_and_explained() -> None:
    root = parse(forest("x"))
    marcy = rows_of(root)[3]
    assert marcy.get("data-flagged") == "true"
    assert texts(marcy)[0].endswith(" *")
    assert any(t.startswith("* ") for t in texts(root))
    unflagged = [r for r in SEED_ROWS if not r.flagged]
    plain = parse(forest_plot_svg(unflagged, "f", "T", "D"))
    assert not any(t.startswith("* ") or t.endswith(" *") for t in texts(plain))


def test_nonsense_numbers_do_not_break_the_plot() -> None:
    rows = [ForestRow("Study", -5, float("nan"), float("-inf"), 2.0, "", False)]
    svg = forest_plot_svg(rows, "f", "T", "D")
    assert "nan" not in svg.lower() and "inf" not in svg.lower()
    (group,) = rows_of(parse(svg))
    assert "no interval: count not given" in texts(group)
