"""The seed site says only what its source says (issue 15): no statement the article does
not make, composition and basis "not stated" where it gives none, hypotheses labelled as
such, captions with every fact of the source's, codes labelled by what they code."""

from __future__ import annotations

import re

import pytest

from casepress.graphics.kit import truncate
from casepress.models.case import Agent
from conftest import Built, section, text_of

CASE = "cases/sacroplasty-hcc-nbca-pmma/"
TECHNIQUE = "techniques/percutaneous-sacroplasty/"

# Statements an earlier version of the seed made that the article does not.
NOT_IN_THE_SOURCE = [
    ("day-0-bleeding-controlled", CASE, "bleeding was controlled"),
    ("filled-the-tumours", TECHNIQUE, "7 mL filled"),
    ("right-cement-composition", CASE, "3 mL | 70% PMMA"),
    ("satisfactory-filling", CASE, "satisfactory"),
    ("necrosis-seen-at-autopsy", CASE, "as seen at autopsy"),
    ("hokotate-for-n-bca", TECHNIQUE, "HCC (11), with n-BCA given first"),
]


@pytest.mark.parametrize(("page", "words"), [(p, w) for _i, p, w in NOT_IN_THE_SOURCE],
                         ids=[i for i, _p, _w in NOT_IN_THE_SOURCE])
def test_the_seed_states_nothing_its_source_does_not(seed_site: Built, page: str,
                                                      words: str) -> None:
    assert words not in text_of(seed_site.page(page))


def test_an_agent_of_unstated_composition_says_so(seed_site: Built) -> None:
    right = section(seed_site.page(CASE), "right-sacroplasty")
    assert "composition not stated in the source" in right
    assert "70% PMMA" not in right


def test_composition_not_stated_and_a_mixture_contradict() -> None:
    with pytest.raises(ValueError, match="leave `mixture` out"):
        Agent.model_validate({"name": "Cement", "purpose": "Fill.", "composition_stated": False,
                              "mixture": [{"material": "PMMA", "percent": 100}]})


def test_hypotheses_are_labelled(seed_site: Built) -> None:
    page = seed_site.page(CASE)
    assert "The authors' hypothesis; the case does not show it." in section(
        page, "discussion-5")  # possible mechanisms
    assert "Background from the literature." in section(page, "discussion-1")


def test_captions_carry_stain_and_magnification(seed_site: Built) -> None:
    captions = [text_of(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>",
                                              seed_site.page(CASE), re.S)]
    assert any(c.startswith("Fig 3A. Histology, hematoxylin and eosin stain, ×100.")
               for c in captions), captions
    fig_3b = next(c for c in captions if c.startswith("Fig 3B."))
    assert "silver stain, ×200" in fig_3b and "arrowheads: Cord-like ghost cells" in fig_3b
    assert "curved arrow: Low signal of bone cement" in next(
        c for c in captions if c.startswith("Fig 1B."))


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("Histology, hematoxylin and eosin stain", 24, "Histology, hematoxylin…"),
    ("Supercalifragilistic", 8, "Superca…"),
    ("Short", 10, "Short"),
], ids=["at-a-word", "one-long-word", "fits"])
def test_placeholder_text_is_never_cut_inside_a_word(text: str, limit: int,
                                                     expected: str) -> None:
    assert truncate(text, limit) == expected


def test_codes_say_what_they_code(seed_site: Built) -> None:
    patient = section(seed_site.page(CASE), "presentation")
    assert "(ICD-10 C22.0, primary tumour; C79.51, secondary malignant neoplasm of bone)" in patient


def test_the_technique_page_teaches_rather_than_prescribes(seed_site: Built) -> None:
    page = text_of(seed_site.page(TECHNIQUE))
    assert "Volume used in the index case" in page and "Typical" not in page
    assert "2 mL 2 mL" not in page
    assert "50% n-butyl cyanoacrylate (n-BCA) / 50% lipiodol (basis not stated)" in page
    assert page.count("(From the index case only.)") >= 4
    assert "(Editorial caution, not from the source.)" in page


def test_relief_quote_is_the_source_own_words(seed_site: Built) -> None:
    timeline = section(seed_site.page(CASE), "timeline")
    assert "by the forth [sic] day after the procedure" in timeline
    assert "exact interval not given" not in timeline  # an editors' paraphrase, not a quote
    assert "Editors' note" in timeline and "The source gives no date" in timeline
