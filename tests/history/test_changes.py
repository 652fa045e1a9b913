"""The semantic diff: changes named in the content model's words, clinical values marked."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from casepress.history.changes import (
    Change,
    clinical_first,
    diff_bibliographies,
    diff_document,
    word_diff,
)
from casepress.models import Case
from casepress.references.bibfile import parse_bibliography
from conftest import REPO

SEED = yaml.safe_load((REPO / "content/cases/sacroplasty-hcc-nbca-pmma.yaml").read_text(
    encoding="utf-8"))
FILE = "content/cases/x.yaml"


def changed(edit: dict[str, object] | None = None, **top: object) -> list[Change]:
    """Changes from the seed case to a copy with `edit` applied (dotted paths)."""
    data = yaml.safe_load(yaml.safe_dump(SEED))
    for path, value in (edit or {}).items():
        *parents, last = path.split(".")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is None:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    data.update(top)
    return diff_document("cases", FILE, Case.model_validate(SEED), Case.model_validate(data))


def lines(changes: list[Change]) -> list[str]:
    return [f"{c.label}: {c.old} → {c.new}{' (clinical)' if c.clinical else ''}"
            for c in changes]


def test_an_unchanged_case_has_no_changes() -> None:
    assert changed() == []


def test_a_gauge_is_clinical_and_named_by_its_intervention() -> None:
    assert lines(changed({"interventions.1.needle_gauge": 13})) == [
        'Case "Sacroplasty with n-BCA and PMMA for bleeding sacral metasta…" › Interventions › '
        "Left sacroplasty with n-BCA and PMMA › needle gauge: 11 → 13 (clinical)"]


def test_items_are_matched_by_their_name_not_their_place() -> None:
    interventions = SEED["interventions"]
    swapped = [interventions[1], interventions[0], interventions[2]]
    result = lines(changed(interventions=swapped))
    assert result == [
        'Case "Sacroplasty with n-BCA and PMMA for bleeding sacral metasta…" › Interventions › '
        "order: First sacroplasty attempt, left side (abandoned); Left sacroplasty with n-BCA "
        "and PMMA; Right sacroplasty with PMMA alone → Left sacroplasty with n-BCA and PMMA; "
        "First sacroplasty attempt, left side (abandoned); Right sacroplasty with PMMA alone"]


def test_a_removed_agent_with_a_volume_is_clinical() -> None:
    agents = SEED["interventions"][1]["agents"]
    result = changed({"interventions.1.agents": agents[:1]})
    assert [(c.field, c.action, c.old, c.clinical) for c in result] == [
        ("item", "removed", "Bone cement", True)]


def test_numbers_inside_text_make_a_text_change_clinical() -> None:
    events = list(SEED["interventions"][1]["events"])
    reworded = [*events[:-1], events[-1].replace("7 mL", "6 mL")]
    tidied = [*events[:-1], events[-1].replace("then injected", "injected then")]
    (volume,) = changed({"interventions.1.events": reworded})
    (words,) = changed({"interventions.1.events": tidied})
    assert volume.clinical and volume.prose and volume.field == "item 5"
    assert not words.clinical


def test_times_are_clinical_and_written_as_the_source_does() -> None:
    (days,) = changed({"interventions.1.when.days": 8})
    assert (days.label.endswith("› When › days"), days.old, days.new, days.clinical) == (
        True, "7", "8", True)
    (when,) = changed({"diagnostic_assessment.imaging.0.when": {"day": -3}})
    assert (when.field, when.action, when.new, when.clinical) == ("when", "added", "day -3",
                                                                  True)


def test_clinical_changes_come_first() -> None:
    result = clinical_first(changed({"interventions.1.result": "Cement lay in the tumour.",
                                     "interventions.1.needle_gauge": 13}))
    assert [c.clinical for c in result] == [True, False]


def test_references_are_compared_field_by_field() -> None:
    old, _ = parse_bibliography(b"@article{a1996, author={Weill, A}, year={1996}, "
                                b"title={Spinal metastases}}\n@book{gone, title={Old}}", "r.bib")
    new, _ = parse_bibliography(b"@article{a1996, author={Weill, A}, year={1997}, "
                                b"title={Spinal metastases: cement}}\n"
                                b"@misc{fresh, author={Doe, J}, year={2020}, title={New}}",
                                "r.bib")
    assert lines(diff_bibliographies("references.bib", old, new)) == [
        "References › a1996 › title: Spinal metastases → Spinal metastases: cement",
        "References › a1996 › year: 1996 → 1997",
        "References › fresh: None → Doe, J, 2020, New",
        "References › gone: Old → None"]


def _words(runs: list[tuple[str, str]], keep: str) -> list[str]:
    return " ".join(text for kind, text in runs if kind in ("=", keep)).split()


@given(st.lists(st.sampled_from(["7", "mL", "of", "cement", "n-BCA", "was", "given", "…x"]),
                max_size=30),
       st.lists(st.sampled_from(["6", "mL", "of", "cement", "PMMA", "was", "given"]),
                max_size=30))
def test_a_word_diff_holds_both_texts(old: list[str], new: list[str]) -> None:
    runs = word_diff(" ".join(old), " ".join(new), context=100)
    assert _words(runs, "-") == old
    assert _words(runs, "+") == new


def test_a_word_diff_cuts_long_unchanged_runs() -> None:
    words = [f"w{i}" for i in range(40)]
    runs = word_diff(" ".join(words), " ".join([*words[:20], "NEW", *words[21:]]), context=3)
    assert runs == [("=", "… w17 w18 w19"), ("-", "w20"), ("+", "NEW"), ("=", "w21 w22 w23 …")]
