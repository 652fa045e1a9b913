"""The default style reproduces the seed report's reference list; other styles work too."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from casepress.references import (
    Formatter,
    load_bibliography,
    narrative_label,
    resolve_style,
    to_csl,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "case-report.txt"
BIB_KEYS = [
    "kaemmerlen1989", "weill1996", "cotten1996", "cortet1997", "cotten1995", "cotten1999",
    "hierholzer2003", "gangi1996", "weill1998", "marcy2000", "hokotate2001", "liaw1989",
    "golimbu1985", "robinson1986", "uemura2001", "kaizu1998", "deramond1999", "merkel1999",
    "pommersheim2003",
]
_LINK = re.compile(r"\s\[(?:PubMed|CrossRef|Web of Science|Abstract/FREE Full Text)\]\(")


def seed_references() -> list[str]:
    """The seed's numbered reference entries, without number, link texts and bold markers."""
    text = SEED.read_text(encoding="utf-8")
    section = text.split("## References", 1)[1].split(" * Received", 1)[0]
    # Split at "N. " only where N is the next expected number (titles hold numbers too).
    starts: list[tuple[int, int]] = []
    for match in re.finditer(r"(?:^|\s)(\d{1,2})\.\s", section):
        if int(match.group(1)) == len(starts) + 1:
            starts.append((match.start(), match.end()))
    entries = []
    for i, (_, body_start) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(section)
        entry = section[body_start:end]
        link = _LINK.search(entry)
        entry = entry[: link.start()] if link else entry
        entries.append(" ".join(entry.replace("**", "").split()))
    return entries


@pytest.fixture(scope="module")
def expected() -> list[str]:
    if not SEED.is_file():
        pytest.fail(f"seed report not found at {SEED}; it ships in shared/seed beside the repo")
    entries = seed_references()
    assert len(entries) == len(BIB_KEYS)
    return entries


@pytest.fixture(scope="module")
def items() -> dict[str, dict[str, Any]]:
    bib, problems = load_bibliography(ROOT / "references.bib", "references.bib")
    assert problems == []
    assert list(bib.entries) == BIB_KEYS
    return {key: to_csl(entry) for key, entry in bib.entries.items()}


@pytest.fixture(scope="module")
def default_formatter() -> Formatter:
    return Formatter(resolve_style("casepress", ROOT))


@pytest.mark.parametrize("number", range(1, 20), ids=[f"ref{n:02d}" for n in range(1, 20)])
def test_default_style_reproduces_seed_entry(
    number: int, expected: list[str], items: dict[str, dict[str, Any]],
    default_formatter: Formatter,
) -> None:
    key = BIB_KEYS[number - 1]
    formatted = default_formatter.format_entries([items[key]])[key]
    assert formatted.error == ""
    assert formatted.text == expected[number - 1]


def test_other_builtin_styles_differ(items: dict[str, dict[str, Any]]) -> None:
    item = items["kaemmerlen1989"]
    texts = {
        name: Formatter(resolve_style(name, ROOT)).format_entries([item])["kaemmerlen1989"].text
        for name in ("casepress", "ama", "vancouver")
    }
    assert all(texts.values())
    assert len(set(texts.values())) == 3
    assert texts["vancouver"].startswith("Kaemmerlen P, Thiesse P, Bouvard H, et al. ")
    assert "557-62" in texts["vancouver"]
    assert "557-562" in texts["ama"]


@pytest.mark.parametrize("name", ["casepress", "ama", "vancouver"])
def test_builtin_styles_are_valid_csl(name: str) -> None:
    from citeproc import SCHEMA_PATH
    from lxml import etree
    schema = etree.RelaxNG(etree.parse(SCHEMA_PATH))
    assert schema.validate(etree.parse(str(resolve_style(name, ROOT)))), schema.error_log


def test_user_style_in_tmp_dir(tmp_path: Path, items: dict[str, dict[str, Any]]) -> None:
    source = resolve_style("ama", ROOT).read_text(encoding="utf-8")
    user = tmp_path / "styles" / "mine.csl"
    user.parent.mkdir()
    user.write_text(source.replace('suffix=".">', 'suffix=" [mine].">', 1), encoding="utf-8")
    path = resolve_style("styles/mine.csl", tmp_path)
    text = Formatter(path).format_entries([items["liaw1989"]])["liaw1989"].text
    assert text.startswith("Liaw CC, Ng KT, Chen TJ, Liaw YF. Hepatocellular carcinoma")
    assert "[mine]" in text


def test_user_style_with_and_term_still_prints_et_al(tmp_path: Path,
                                                    items: dict[str, dict[str, Any]]) -> None:
    source = resolve_style("casepress", ROOT).read_text(encoding="utf-8")
    user = tmp_path / "and.csl"
    user.write_text(source.replace('initialize-with=""', 'initialize-with="" and="text"'),
                    encoding="utf-8")
    formatter = Formatter(user)
    text = formatter.format_entries([items["weill1996"]])["weill1996"].text
    assert text.startswith("Weill A, Chiras J, Simon JM, et al. Spinal")
    text = formatter.format_entries([items["weill1998"]])["weill1998"].text
    assert text.startswith("Weill A, Kobaiter H, and Chiras J. Acetabulum")


def test_edited_style_is_reloaded(tmp_path: Path, items: dict[str, dict[str, Any]]) -> None:
    style = tmp_path / "s.csl"
    shutil.copy(resolve_style("casepress", ROOT), style)
    formatter = Formatter(style)
    before = formatter.format_entries([items["liaw1989"]])["liaw1989"].text
    style.write_text(style.read_text(encoding="utf-8").replace('prefix="; "', 'prefix=" + "')
                     .replace('<text variable="title"/>', '<text variable="title" prefix="T: "/>'),
                     encoding="utf-8")
    os.utime(style, ns=(style.stat().st_atime_ns, style.stat().st_mtime_ns + 10**9))
    after = formatter.format_entries([items["liaw1989"]])["liaw1989"].text
    assert before != after and "T: Hepatocellular" in after


@pytest.mark.parametrize(("value", "message"), [
    ("missing.csl", "neither a built-in style"),
    ("notxml.csl", "is not a CSL file"),
    ("html.csl", "is not a CSL file"),
])
def test_bad_style_paths(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "notxml.csl").write_text("this is not xml", encoding="utf-8")
    (tmp_path / "html.csl").write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        resolve_style(value, tmp_path)


def test_title_question_mark_does_not_double(default_formatter: Formatter) -> None:
    item = {"id": "q", "type": "article-journal", "title": "Does it work?",
            "author": [{"family": "Doe", "given": "J"}], "container-title-short": "J X",
            "issued": {"date-parts": [[2001]]}, "volume": "1", "page": "1-2"}
    assert default_formatter.format_entries([item])["q"].text == \
        "Doe J. Does it work? J X 2001;1:1\u20132"


def test_formatting_is_cached(default_formatter: Formatter,
                              items: dict[str, dict[str, Any]]) -> None:
    first = default_formatter.format_entries([items["liaw1989"]])["liaw1989"]
    again = Formatter(resolve_style("casepress", ROOT)).format_entries([items["liaw1989"]])
    assert again["liaw1989"] is first


@pytest.mark.parametrize(("key", "label"), [
    ("kaemmerlen1989", "Kaemmerlen et al"),
    ("liaw1989", "Liaw et al"),
    ("golimbu1985", "Golimbu et al"),
])
def test_narrative_label(key: str, label: str, items: dict[str, dict[str, Any]]) -> None:
    assert narrative_label(items[key]) == label


def test_narrative_label_short_lists() -> None:
    one = {"id": "a", "author": [{"family": "Liaw", "given": "C"}]}
    two = {"id": "b", "author": [{"family": "Weill", "given": "A"},
                                 {"family": "Chiras", "given": "J"}]}
    one_more = {"id": "c", "author": [{"family": "Weill"}, {"literal": "others"}]}
    assert narrative_label(one) == "Liaw"
    assert narrative_label(two) == "Weill and Chiras"
    assert narrative_label(one_more) == "Weill et al"


def test_broken_style_edit_is_reported_not_raised(tmp_path: Path,
                                                 items: dict[str, dict[str, Any]]) -> None:
    style = tmp_path / "s.csl"
    shutil.copy(resolve_style("casepress", ROOT), style)
    formatter = Formatter(style)
    style.write_text("<style", encoding="utf-8")
    result = formatter.format_entries([items["liaw1989"]])["liaw1989"]
    assert "cannot be used" in result.error
    assert result.text == ("Liaw et al. Hepatocellular carcinoma presenting as bone "
                           "metastasis. Cancer 1989")
